/**
 * Client addresses for limits: the socket, or X-Forwarded-For only within TRUST_PROXY_HOPS.
 * Served over real HTTP on 127.0.0.1, so the socket address is the real one.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { listen } from '../../server/http/listen.ts';
import {
  addressKey,
  clientAddress,
  clientKey,
  UNKNOWN_CLIENT,
} from '../../server/middleware/client-address.ts';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
});

function addressApp() {
  const app = new Hono();
  app.get('/hops/:n', (c) => c.text(clientAddress(c, Number(c.req.param('n')))));
  app.get('/key/:n', (c) => c.text(clientKey(c, Number(c.req.param('n')))));
  return app;
}

async function served() {
  const listening = await listen(addressApp().fetch);
  closers.push(listening.close);
  return (path: string, xff?: string | string[]) => {
    const headers = new Headers();
    for (const value of [xff ?? []].flat()) headers.append('X-Forwarded-For', value);
    return fetch(`${listening.url}${path}`, { headers }).then((r) => r.text());
  };
}

describe('clientAddress', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For claims', async () => {
    const get = await served();
    assert.equal(await get('/hops/0'), '127.0.0.1');
    assert.equal(await get('/hops/0', '203.0.113.5'), '127.0.0.1');
    assert.equal(await get('/hops/0', '198.51.100.1, 203.0.113.5'), '127.0.0.1');
  });

  it('takes the N-th X-Forwarded-For entry from the right with N trusted hops', async () => {
    const get = await served();
    const chain = '192.0.2.66, 198.51.100.7, 203.0.113.5'; // spoofed by the client, then two proxies
    assert.equal(await get('/hops/1', chain), '203.0.113.5');
    assert.equal(await get('/hops/2', chain), '198.51.100.7');
    assert.equal(await get('/hops/3', chain), '192.0.2.66');
    assert.equal(
      await get('/hops/5', chain),
      '192.0.2.66',
      'fewer entries than hops: the left-most',
    );
    assert.equal(
      await get('/hops/1', ['192.0.2.66', '203.0.113.5']),
      '203.0.113.5',
      'repeated headers form one list',
    );
  });

  it('falls back to the socket when the header is absent or the chosen entry is not an address', async () => {
    const get = await served();
    assert.equal(await get('/hops/1'), '127.0.0.1');
    assert.equal(await get('/hops/1', 'not-an-ip'), '127.0.0.1');
    assert.equal(await get('/hops/1', '203.0.113.5, unknown'), '127.0.0.1');
    assert.equal(await get('/hops/1', '0x7f.1'), '127.0.0.1', 'no lenient address forms');
  });

  it('strips ports and brackets, and normalises IPv4-mapped and long-form IPv6', async () => {
    const get = await served();
    assert.equal(await get('/hops/1', '203.0.113.5:51234'), '203.0.113.5');
    assert.equal(await get('/hops/1', '[2001:db8:0:0::1]:443'), '2001:db8::1');
    assert.equal(await get('/hops/1', '::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(await get('/hops/1', '2001:DB8::0:1'), '2001:db8::1');
  });

  it('normalises an IPv4-mapped socket address', async () => {
    const env = {
      incoming: {
        socket: { remoteAddress: '::ffff:203.0.113.9', remotePort: 1234, remoteFamily: 'IPv6' },
      },
    };
    const response = await addressApp().request('/hops/0', {}, env);
    assert.equal(await response.text(), '203.0.113.9');
  });

  it('is "unknown" without a socket (not served by Node), so such requests share one bucket', async () => {
    assert.equal(await (await addressApp().request('/hops/0')).text(), UNKNOWN_CLIENT);
  });

  it('rate-limit keys group IPv6 by /64 and keep IPv4 addresses whole', async () => {
    assert.equal(addressKey('203.0.113.5'), '203.0.113.5');
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
    const get = await served();
    assert.equal(await get('/key/1', '2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  });
});
