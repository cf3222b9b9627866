/**
 * loopbackOnly (guards /emulator/control/* unless SANDBOX=1): the socket must be loopback and no
 * forwarding header may name another client.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { listen } from '../../server/http/listen.ts';
import { loopbackOnly } from '../../server/middleware/loopback-only.ts';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
});

function guarded() {
  const app = new Hono();
  app.use('/control/*', loopbackOnly());
  app.put('/control/outcome', (c) => c.json({ ok: true }));
  return app;
}

const socketEnv = (remoteAddress: string) => ({
  incoming: {
    socket: {
      remoteAddress,
      remotePort: 1,
      remoteFamily: remoteAddress.includes(':') ? 'IPv6' : 'IPv4',
    },
  },
});

describe('loopbackOnly', () => {
  it('lets a loopback client through over real HTTP', async () => {
    const listening = await listen(guarded().fetch);
    closers.push(listening.close);
    assert.equal((await fetch(`${listening.url}/control/outcome`, { method: 'PUT' })).status, 200);
  });

  it('refuses a loopback socket whose forwarding headers name another client (a local reverse proxy)', async () => {
    const listening = await listen(guarded().fetch);
    closers.push(listening.close);
    for (const headers of <Array<Record<string, string>>>[
      { 'X-Forwarded-For': '203.0.113.5' },
      { 'X-Forwarded-For': '127.0.0.1, 203.0.113.5' },
      { 'X-Real-IP': '203.0.113.5' },
      { Forwarded: 'for=203.0.113.5;proto=https' },
      { Forwarded: 'for="[2001:db8::1]:4711"' },
    ]) {
      const response = await fetch(`${listening.url}/control/outcome`, { method: 'PUT', headers });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal(
        ((await response.json()) as { error: { code: string } }).error.code,
        'loopback_only',
      );
    }
    const local = await fetch(`${listening.url}/control/outcome`, {
      method: 'PUT',
      headers: { 'X-Forwarded-For': '127.0.0.1', Forwarded: 'for="[::1]"' },
    });
    assert.equal(local.status, 200, 'forwarding headers that name loopback are fine');
  });

  it('refuses any non-loopback socket address, including IPv4-mapped ones', async () => {
    for (const address of [
      '203.0.113.5',
      '10.0.0.2',
      '::ffff:203.0.113.5',
      '2001:db8::1',
      '169.254.169.254',
    ]) {
      const response = await guarded().request(
        '/control/outcome',
        { method: 'PUT' },
        socketEnv(address),
      );
      assert.equal(response.status, 403, address);
    }
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2']) {
      assert.equal(
        (await guarded().request('/control/outcome', { method: 'PUT' }, socketEnv(address))).status,
        200,
        address,
      );
    }
  });

  it('refuses when there is no socket to check', async () => {
    assert.equal((await guarded().request('/control/outcome', { method: 'PUT' })).status, 403);
  });
});
