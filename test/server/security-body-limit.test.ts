/**
 * jsonBodyLimit: 413 payload_too_large from Content-Length alone before any byte is read, and a
 * chunked body read up to the limit and no further. Over real HTTP (raw sockets, so the test decides
 * exactly which bytes are sent).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Hono } from 'hono';
import { listen } from '../../server/http/listen.ts';
import { jsonBodyLimit } from '../../server/middleware/body-limit.ts';

const LIMIT = 16_384;
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
});

function limitedApp() {
  const reached: unknown[] = [];
  const app = new Hono();
  app.use('/api/*', jsonBodyLimit(LIMIT, { skip: (c) => c.req.path.startsWith('/api/uploads/') }));
  app.post('/api/json', async (c) => {
    const body = await c.req.json();
    reached.push(body);
    return c.json({ ok: true, size: JSON.stringify(body).length });
  });
  app.put('/api/uploads/x', async (c) => {
    const bytes = await c.req.arrayBuffer();
    reached.push(bytes.byteLength);
    return c.json({ size: bytes.byteLength });
  });
  return { app, reached };
}

async function served() {
  const { app, reached } = limitedApp();
  const listening = await listen(app.fetch);
  closers.push(listening.close);
  return { port: listening.port, url: listening.url, reached };
}

interface RawAnswer {
  status: number;
  head: string;
  body: string;
  /** Milliseconds from connect to the first response byte. */
  firstByteMs: number;
  /** The server closed the connection after answering. */
  closedByServer: Promise<void>;
}

/** Sends `head` on a raw socket, then lets `feed` write body bytes until the response head arrives. */
function rawRequest(
  port: number,
  head: string,
  feed?: (socket: Socket, answered: () => boolean) => void,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let firstByteMs = -1;
    let answered = false;
    let closed!: () => void;
    const closedByServer = new Promise<void>((r) => (closed = r));
    socket.on('error', () => {}); // writes after the server closed: EPIPE/ECONNRESET are expected
    socket.on('close', () => closed());
    socket.on('data', (chunk) => {
      if (firstByteMs < 0) firstByteMs = performance.now() - started;
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (!answered && end >= 0) {
        const headText = data.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(headText)?.[1] ?? -1);
        if (length >= 0 && data.length >= end + 4 + length) {
          answered = true;
          resolve({
            status: Number(headText.split(' ')[1]),
            head: headText,
            body: data.slice(end + 4, end + 4 + length),
            firstByteMs,
            closedByServer,
          });
        }
      }
    });
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error('no answer within 10 s'));
    });
    socket.write(head, () => feed?.(socket, () => answered));
    closedByServer.then(() => socket.setTimeout(0));
  });
}

describe('jsonBodyLimit', () => {
  it('answers 413 from the Content-Length header alone: 256 MiB announced, not one body byte sent', async () => {
    const { port, reached } = await served();
    const answer = await rawRequest(
      port,
      'POST /api/json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 268435456\r\n\r\n',
    );
    assert.equal(answer.status, 413);
    assert.equal(
      (JSON.parse(answer.body) as { error: { code: string } }).error.code,
      'payload_too_large',
    );
    assert.match(answer.head, /^connection: close$/im);
    await answer.closedByServer; // the server hangs up instead of reading the 256 MiB
    assert.equal(reached.length, 0, 'the route never ran');
  });

  it('accepts a body of exactly the limit and parses it', async () => {
    const { url, reached } = await served();
    const text = JSON.stringify({ pad: 'x'.repeat(LIMIT - 10) });
    assert.equal(Buffer.byteLength(text), LIMIT);
    const response = await fetch(`${url}/api/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: text,
    });
    assert.equal(response.status, 200);
    assert.equal(reached.length, 1);
    const over = await fetch(`${url}/api/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `${text} `,
    });
    assert.equal(over.status, 413);
  });

  it('cuts off an endless chunked body at the limit and answers while the client is still sending', async () => {
    const { port, reached } = await served();
    let sent = 0;
    const answer = await rawRequest(
      port,
      'POST /api/json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      (socket, answered) => {
        const chunk = 'x'.repeat(1024);
        const timer = setInterval(() => {
          if (answered() || socket.destroyed || sent > 100 * LIMIT) return clearInterval(timer);
          socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
          sent += chunk.length;
        }, 2);
      },
    );
    assert.equal(answer.status, 413);
    assert.equal(
      (JSON.parse(answer.body) as { error: { code: string } }).error.code,
      'payload_too_large',
    );
    assert.ok(sent < 10 * LIMIT, `answered after ${sent} bytes; the body never ended`);
    await answer.closedByServer;
    assert.equal(reached.length, 0);
  });

  it('passes a chunked body under the limit through intact', async () => {
    const { port, reached } = await served();
    const json = JSON.stringify({ mode: 'capture', note: 'é'.repeat(100) });
    const bytes = Buffer.from(json);
    const half = Math.floor(bytes.length / 2);
    const chunks = [bytes.subarray(0, half), bytes.subarray(half)].map((part) =>
      Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]),
    );
    const answer = await rawRequest(
      port,
      'POST /api/json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      (socket) => socket.write(Buffer.concat([...chunks, Buffer.from('0\r\n\r\n')])),
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(reached, [JSON.parse(json)]);
  });

  it('stops pulling from a streamed body at the limit (nothing buffered beyond it)', async () => {
    const { app, reached } = limitedApp();
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 1024;
          controller.enqueue(new Uint8Array(1024));
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request('http://127.0.0.1/api/json', {
      method: 'POST',
      body: endless,
      headers: { 'Content-Type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    const response = await app.request(request);
    assert.equal(response.status, 413);
    assert.ok(pulled <= LIMIT + 2 * 1024, `pulled ${pulled} bytes`);
    assert.ok(cancelled, 'the body stream was cancelled');
    assert.equal(reached.length, 0);
  });

  it('leaves bodiless methods and skipped routes alone', async () => {
    const { url, reached } = await served();
    const upload = new Uint8Array(LIMIT * 4);
    const response = await fetch(`${url}/api/uploads/x`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: upload,
    });
    assert.equal(response.status, 200);
    assert.deepEqual(reached, [LIMIT * 4]);
    assert.equal((await fetch(`${url}/api/json`)).status, 404, 'GET reaches routing as usual');
  });
});
