/**
 * Socket limits of server/http/listen.ts: a slow body is cut off near requestTimeout (Node's default
 * would hold it for 300 s), slow headers near headersTimeout, idle keep-alive connections close, and
 * connections beyond maxConnections are refused.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Hono } from 'hono';
import { listen, type ListenOptions } from '../../server/http/listen.ts';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
});

async function served(options: ListenOptions) {
  const app = new Hono();
  app.post('/body', async (c) => c.json({ size: (await c.req.text()).length }));
  app.get('/ok', (c) => c.text('ok'));
  const listening = await listen(app.fetch, options);
  closers.push(listening.close);
  return listening;
}

interface Opened {
  socket: Socket;
  received: () => string;
  /** Milliseconds from connect until the server closed the connection. */
  closed: Promise<number>;
}

function open(port: number): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<number>((r) =>
      socket.on('close', () => r(performance.now() - started)),
    );
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

const within = (ms: number, promise: Promise<number>) =>
  Promise.race([
    promise,
    new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), ms)),
  ]);

describe('listen: socket limits', () => {
  it('cuts off a slow body (1 byte a second) near requestTimeout', async () => {
    const { port } = await served({ requestTimeoutMs: 1500, headersTimeoutMs: 1000 });
    const { socket, received, closed } = await open(port);
    socket.write(
      'POST /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n',
    );
    const drip = setInterval(() => socket.writable && socket.write('x'), 1000);
    const closedAfter = await within(6000, closed);
    clearInterval(drip);
    assert.ok(
      closedAfter >= 1400 && closedAfter <= 3000,
      `closed after ${Math.round(closedAfter)} ms (the body needed 100 s)`,
    );
    assert.match(received(), /^HTTP\/1\.1 408/);
  });

  it('cuts off slow headers near headersTimeout', async () => {
    const { port } = await served({ requestTimeoutMs: 5000, headersTimeoutMs: 1000 });
    const { socket, closed } = await open(port);
    socket.write('GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 300);
    const closedAfter = await within(6000, closed);
    clearInterval(drip);
    assert.ok(
      closedAfter >= 900 && closedAfter <= 2500,
      `closed after ${Math.round(closedAfter)} ms`,
    );
  });

  it('closes an idle keep-alive connection after keepAliveTimeout', async () => {
    const { port } = await served({ keepAliveTimeoutMs: 500 });
    const { socket, received, closed } = await open(port);
    socket.write('GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const closedAfter = await within(4000, closed);
    assert.match(received(), /^HTTP\/1\.1 200/);
    assert.ok(
      closedAfter >= 400 && closedAfter <= 2000,
      `closed after ${Math.round(closedAfter)} ms`,
    );
  });

  it('refuses connections beyond maxConnections, and takes new ones once others close', async () => {
    const { port } = await served({ maxConnections: 2 });
    const first = await open(port);
    const second = await open(port);
    for (const held of [first, second])
      held.socket.write('GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    while (!first.received().includes('ok') || !second.received().includes('ok'))
      await new Promise((r) => setTimeout(r, 5));

    const extra = await open(port);
    extra.socket.write('GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.ok(
      Number.isFinite(await within(2000, extra.closed)),
      'the extra connection is closed at once',
    );
    assert.equal(extra.received(), '', 'and gets no answer');

    first.socket.destroy();
    await first.closed;
    let answered = '';
    for (let attempt = 0; attempt < 50 && !answered.includes('ok'); attempt++) {
      const next = await open(port);
      next.socket.write('GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      await within(1000, next.closed);
      answered = next.received();
    }
    assert.match(answered, /^HTTP\/1\.1 200/);
    second.socket.destroy();
  });
});
