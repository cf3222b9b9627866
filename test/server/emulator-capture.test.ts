/** Assure emulator: hosted capture flow (createArtifact) and page, mounting under /emulator, and the provider-SDK stand-in. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { createEmulator } from '../../server/emulator/index.ts';
import { listen } from '../../server/http/listen.ts';
import {
  basicAuth,
  JPEG_URL,
  ONFIDO,
  PAPER,
  PNG_URL,
  startHarness,
  startReceiver,
  type Harness,
  type Receiver,
} from './emulator-fixtures.ts';

const REDIRECT = 'https://shop.example/verify/done?order=42#top';

function form(action: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `action=${action}`,
    redirect: 'manual',
  };
}

describe('Assure emulator: capture flow', () => {
  let h: Harness;
  let receiver: Receiver;
  let dossierId: string;
  before(async () => {
    h = await startHarness({ processingDelayMs: 0 });
    receiver = await startReceiver(['ok']);
    dossierId = await h.createDossier();
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  /** createArtifact answers `{url}` only: like a real integrator, find the process through Get dossier. */
  async function start(body: Record<string, unknown>, dossier = dossierId) {
    const res = await h.call('POST', `/assure/dossiers/${dossier}/capture`, {
      sdk: 'capture',
      ...body,
    });
    if (res.status !== 201) return { ...res, processId: undefined };
    const { processes } = (await h.call('GET', `/assure/dossiers/${dossier}`)).body;
    return { ...res, processId: processes.at(-1).processId as string };
  }
  const processPath = (processId: string) => `/assure/dossiers/${dossierId}/processes/${processId}`;

  it('creates a pending process, listed by Get dossier at once, and answers 201 {url} only', async () => {
    const res = await start({
      providers: [{ provider: 'onfido', processType: 'documentSelfie' }],
      redirectUrl: REDIRECT,
      captureParameters: { uiProfile: 'demo', defaultCountry: 'NOR' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body), ['url']);
    const url = new URL(res.body.url);
    assert.equal(url.origin, h.url);
    assert.match(url.pathname, /^\/capture\/[A-Za-z0-9_-]{43}$/);
    const process = await h.call('GET', processPath(res.processId!));
    assert.equal(process.body.status, 'pending');
    assert.equal(process.body.provider, 'onfido');
    assert.equal(process.body.processType, 'documentSelfie');
    assert.ok(!('authorization' in process.body), "!('authorization' in process.body)");
    const other = await start({ providers: [{ provider: 'onfido' }], redirectUrl: REDIRECT });
    assert.notEqual(other.body.url, res.body.url, 'one token per capture');
    assert.notEqual(other.processId, res.processId);
  });

  it('validates the capture request (CaptureRequest: providers, redirectUrl and sdk required)', async () => {
    const ok = {
      providers: [{ provider: 'signicatpaper' }],
      redirectUrl: REDIRECT,
      sdk: 'capture',
    };
    for (const body of [
      {},
      { ...ok, providers: [] },
      { ...ok, providers: [{ provider: 'onfido' }, { provider: 'signicatpaper' }] },
      { ...ok, providers: [{ provider: 'eid' }] },
      { ...ok, providers: [{ provider: 'paper' }] },
      { ...ok, providers: [{ provider: 'facetec' }] },
      { ...ok, providers: [{ provider: 'readid' }] },
      { ...ok, providers: [{ provider: 'readid', processType: 'documentSelfie' }] },
      { ...ok, providers: [{ provider: 'webid', processType: 'videoid' }] },
      { ...ok, providers: [{ provider: 'onfido', processType: 'sdk' }] },
      { ...ok, redirectUrl: undefined },
      { ...ok, redirectUrl: 'javascript:alert(1)' },
      { ...ok, redirectUrl: '//evil.example/' },
      { ...ok, sdk: 'web' },
      { ...ok, sdk: null },
      { ...ok, captureParameters: 'x' },
      { ...ok, captureParameters: { defaultCountry: 'NO' } },
    ]) {
      const res = await h.call('POST', `/assure/dossiers/${dossierId}/capture`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.type, 'base:client-problem');
    }
    const { sdk: _sdk, ...withoutSdk } = ok;
    assert.equal(
      (await h.call('POST', `/assure/dossiers/${dossierId}/capture`, withoutSdk)).status,
      400,
      'sdk is required',
    );
    for (const providers of [
      [{ provider: 'onfido' }],
      [{ provider: 'signicatpaper' }],
      [{ provider: 'signicatpictureid' }],
      [{ provider: 'signicatvideoid', processType: 'substantial' }],
      [{ provider: 'readid', processType: 'ready' }],
      [{ provider: 'webid', processType: 'videoid', webid: { user: {} } }],
    ]) {
      assert.equal(
        (await start({ ...ok, providers, sdk: 'native' })).status,
        201,
        JSON.stringify(providers),
      );
    }
    // Unknown and legacy fields are accepted and ignored.
    assert.equal(
      (
        await start({
          ...ok,
          notificationUrl: 'ftp://x',
          requestDomain: 'x.app.signicat.com',
          eventTags: ['t'],
        })
      ).status,
      201,
    );
    assert.equal(
      (await h.call('POST', '/assure/dossiers/00000000-0000-4000-8000-000000000000/capture', ok))
        .status,
      404,
    );
    assert.equal(
      (await h.call('POST', `/assure/dossiers/${dossierId}/capture`, ok, { token: null })).status,
      400,
    );
  });

  it('renders a plain HTML form without script or inline styles', async () => {
    const { body } = await start({
      providers: [{ provider: 'signicatpaper' }],
      redirectUrl: REDIRECT,
    });
    const res = await fetch(body.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const html = await res.text();
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\sstyle=/i);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.match(html, /<title>[^<]+<\/title>/);
    assert.match(html, /Signicat Paper/);
    assert.match(html, /shop\.example/);
    assert.match(html, /<form method="post">/);
    for (const action of ['complete', 'cancel', 'fail'])
      assert.match(html, new RegExp(`<button type="submit" name="action" value="${action}"`));
    const css = await fetch(new URL('style.css', body.url));
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(await css.text(), /button/);
  });

  it('complete: 303 to redirectUrl with status=processing (query and fragment kept), then final, with a callback', async () => {
    const { body, processId } = await start({
      providers: [{ provider: 'signicatpaper' }],
      redirectUrl: REDIRECT,
      notificationUrl: receiver.url,
      authorizationHeader: 'Secret abc',
    });
    const res = await fetch(body.url, form('complete'));
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.origin + location.pathname, 'https://shop.example/verify/done');
    assert.equal(location.hash, '#top');
    assert.deepEqual(Object.fromEntries(location.searchParams), {
      order: '42',
      dossierId,
      processId,
      status: 'processing',
    });
    const final = await h.waitForStatus(dossierId, processId!, 'accepted');
    assert.equal(final.finalResult.lastName, 'Sandbox Nordmann');
    const [callback] = await receiver.waitFor(1);
    assert.deepEqual(JSON.parse(callback!.body), { dossierId, processId, status: 'accepted' });
    assert.equal(callback!.headers['authorization'], 'Secret abc');
  });

  it('cancel: 303 with status=canceled and the process is canceled', async () => {
    const { body, processId } = await start({
      providers: [{ provider: 'onfido' }],
      redirectUrl: REDIRECT,
    });
    const res = await fetch(body.url, form('cancel'));
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.searchParams.get('status'), 'canceled');
    assert.equal(location.searchParams.get('processId'), processId);
    assert.equal(location.searchParams.get('order'), '42');
    assert.equal((await h.call('GET', processPath(processId!))).body.status, 'canceled');
  });

  it('fail: 303 with status=failed and a failReason object', async () => {
    const { body, processId } = await start({
      providers: [{ provider: 'signicatvideoid', processType: 'substantial' }],
      redirectUrl: 'http://localhost:8787/back',
    });
    const res = await fetch(body.url, form('fail'));
    assert.equal(res.status, 303);
    assert.equal(
      res.headers.get('location'),
      `http://localhost:8787/back?dossierId=${dossierId}&processId=${processId}&status=failed`,
    );
    const process = (await h.call('GET', processPath(processId!))).body;
    assert.equal(process.status, 'failed');
    assert.deepEqual(Object.keys(process.failReason).sort(), ['message', 'type']);
    assert.equal(process.failReason.type, 'system_requirements');
  });

  it('uses the per-process outcome for completed captures', async () => {
    const { body, processId } = await start({
      providers: [{ provider: 'onfido' }],
      redirectUrl: REDIRECT,
    });
    await h.call('PUT', `/control/processes/${processId}`, { status: 'inconclusive' });
    await fetch(body.url, form('complete'));
    await h.waitForStatus(dossierId, processId!, 'inconclusive');
  });

  it('the capture link works once', async () => {
    const { body, processId } = await start({
      providers: [{ provider: 'onfido' }],
      redirectUrl: REDIRECT,
    });
    assert.equal((await fetch(body.url)).status, 200);
    assert.equal((await fetch(body.url)).status, 200, 'reloading the page is fine');
    const bad = await fetch(body.url, form('explode'));
    assert.equal(bad.status, 400, 'an unknown action does not spend the token');
    assert.equal((await fetch(body.url, form('cancel'))).status, 303);
    for (const init of [undefined, form('complete'), form('cancel')]) {
      const again = await fetch(body.url, init);
      assert.equal(again.status, 404);
      assert.match(await again.text(), /unknown, expired or was already used/);
    }
    assert.equal(
      (await h.call('GET', processPath(processId!))).body.status,
      'canceled',
      'unchanged',
    );
    assert.equal((await fetch(`${h.url}/capture/not-a-token`)).status, 404);
  });

  it('deleting the dossier invalidates its capture links', async () => {
    const d = await h.createDossier();
    const { body } = await start({ providers: [{ provider: 'onfido' }], redirectUrl: REDIRECT }, d);
    await h.call('DELETE', `/assure/dossiers/${d}`);
    assert.equal((await fetch(body.url)).status, 404);
  });
});

describe('Assure emulator: mounted under /emulator', () => {
  it('hands out capture URLs with the prefix and serves every route under it', async () => {
    const emulator = createEmulator({ processingDelayMs: 0 });
    const parent = new Hono();
    parent.get('/healthz', (c) => c.json({ ok: true }));
    parent.route('/emulator', emulator.app);
    const server = await listen(parent.fetch);
    try {
      const tokenRes = await fetch(`${server.url}/emulator/auth/open/connect/token`, {
        method: 'POST',
        headers: {
          Authorization: basicAuth(),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=signicat-api',
      });
      const { access_token } = await tokenRes.json();
      const auth = { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' };
      const { dossierId } = await (
        await fetch(`${server.url}/emulator/assure/dossiers`, { method: 'POST', headers: auth })
      ).json();
      const capture = await fetch(`${server.url}/emulator/assure/dossiers/${dossierId}/capture`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          providers: [{ provider: 'onfido' }],
          redirectUrl: `${server.url}/done`,
          sdk: 'capture',
        }),
      });
      assert.equal(capture.status, 201);
      const { url } = await capture.json();
      const dossier = await (
        await fetch(`${server.url}/emulator/assure/dossiers/${dossierId}`, { headers: auth })
      ).json();
      const [{ processId }] = dossier.processes;
      assert.match(url, new RegExp(`^${server.url}/emulator/capture/[A-Za-z0-9_-]{43}$`));
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.equal(
        (await fetch(new URL('style.css', url))).status,
        200,
        'the relative stylesheet link resolves under the prefix',
      );
      const done = await fetch(url, form('complete'));
      assert.equal(done.status, 303);
      assert.equal(
        done.headers.get('location'),
        `${server.url}/done?dossierId=${dossierId}&processId=${processId}&status=processing`,
      );
      const missing = await fetch(`${server.url}/emulator/assure/nothing`, { headers: auth });
      assert.equal(missing.status, 404);
      assert.equal((await missing.json()).instance, '/assure/nothing');
      assert.equal((await fetch(`${server.url}/emulator/control/outcome`)).status, 200);
      assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { ok: true });
    } finally {
      emulator.close();
      await server.close();
    }
  });

  it('honours an explicit basePath when the prefix is stripped before the app', async () => {
    const emulator = createEmulator({ basePath: '/sandbox/assure-emulator/' });
    const server = await listen(emulator.app.fetch);
    try {
      const { access_token } = await (
        await fetch(`${server.url}/auth/open/connect/token`, {
          method: 'POST',
          headers: {
            Authorization: basicAuth(),
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials&scope=signicat-api',
        })
      ).json();
      const auth = { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' };
      const { dossierId } = await (
        await fetch(`${server.url}/assure/dossiers`, { method: 'POST', headers: auth })
      ).json();
      const { url } = await (
        await fetch(`${server.url}/assure/dossiers/${dossierId}/capture`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            providers: [{ provider: 'onfido' }],
            redirectUrl: 'https://x.example/',
            sdk: 'native',
          }),
        })
      ).json();
      assert.match(
        url,
        new RegExp(`^${server.url}/sandbox/assure-emulator/capture/[A-Za-z0-9_-]{43}$`),
      );
    } finally {
      emulator.close();
      await server.close();
    }
  });
});

describe('Assure emulator: provider-SDK stand-in', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness({ processingDelayMs: 0 });
    dossierId = await h.createDossier();
  });
  after(() => h.close());

  const upload = (provider: string, token: string | null, body: unknown) =>
    h.call('POST', `/provider-sdk/${provider}/images`, body, { token });
  const imageBytes = async (processId: string, depiction: string) =>
    new Uint8Array(
      await (
        await h.fetch(
          `/assure/dossiers/${dossierId}/processes/${processId}/images?depiction=${depiction}`,
        )
      ).arrayBuffer(),
    );
  const bytesOf = (url: string) => new Uint8Array(Buffer.from(url.split(',')[1]!, 'base64'));

  it('attaches images with the process authorization token, once, even for providers without direct upload', async () => {
    const p = await h.createProcess(dossierId, {
      provider: 'signicatvideoid',
      processType: 'substantial',
    });
    const res = await upload('signicatvideoid', p.authorization, {
      front: JPEG_URL,
      back: PNG_URL,
      selfie: JPEG_URL,
    });
    assert.equal(res.status, 204);
    const path = `/assure/dossiers/${dossierId}/processes/${p.processId}`;
    assert.deepEqual(await imageBytes(p.processId, 'back'), bytesOf(PNG_URL));
    const reused = await upload('signicatvideoid', p.authorization, { front: JPEG_URL });
    assert.equal(reused.status, 401, 'the token is spent');
    assert.equal(reused.body.status, 401);
    assert.equal((await h.call('POST', path)).body.status, 'processing');
    await h.waitForStatus(dossierId, p.processId, 'accepted');
  });

  it('starts ReadID processes by themselves after the upload; others wait for Start verification', async () => {
    const p = await h.createProcess(dossierId, { provider: 'readid', processType: 'ready' });
    assert.equal(
      (await upload('readid', p.authorization, { front: JPEG_URL, selfie: JPEG_URL })).status,
      204,
    );
    const done = await h.waitForStatus(dossierId, p.processId, 'accepted');
    assert.equal(done.providerSpecific.consolidatedIdentityData.chipVerification, 'SUCCEEDED');
    const videoid = await h.createProcess(dossierId, {
      provider: 'signicatvideoid',
      processType: 'high',
    });
    await upload('signicatvideoid', videoid.authorization, { front: JPEG_URL, selfie: JPEG_URL });
    assert.equal(
      (await h.call('GET', `/assure/dossiers/${dossierId}/processes/${videoid.processId}`)).body
        .status,
      'pending',
    );
  });

  it('has no token for providers without an SDK upload (signicatpaper)', async () => {
    const p = await h.createProcess(dossierId, PAPER);
    assert.equal(p.authorization, undefined);
    assert.equal((await upload('signicatpaper', null, { front: JPEG_URL })).status, 401);
  });

  it('refuses wrong or missing tokens with 401', async () => {
    const p = await h.createProcess(dossierId, { provider: 'onfido' });
    for (const token of [null, 'wrong-token', h.token]) {
      const res = await upload('onfido', token, { front: JPEG_URL });
      assert.equal(res.status, 401, String(token));
      assert.equal(res.body.type, 'base:client-problem');
    }
    assert.equal(
      (await upload('onfido', p.authorization, { front: JPEG_URL })).status,
      204,
      'still unspent',
    );
  });

  it('checks the provider and the images, and keeps the token after a refused upload', async () => {
    const p = await h.createProcess(dossierId, {
      provider: 'onfido',
      processType: 'documentVideo',
    });
    assert.equal((await upload('signicatpaper', p.authorization, { front: JPEG_URL })).status, 400);
    assert.equal((await upload('mystery', p.authorization, { front: JPEG_URL })).status, 404);
    const bad = await upload('onfido', p.authorization, {
      selfie: 'data:image/jpeg;base64,iVBORw0KGgo=',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /selfie/);
    assert.equal(
      (await upload('onfido', p.authorization, { other: JPEG_URL })).status,
      400,
      'no image at all',
    );
    assert.equal(
      (await upload('onfido', p.authorization, { front: JPEG_URL, selfie: JPEG_URL })).status,
      204,
    );
  });

  it('answers 409 when the process is no longer pending', async () => {
    const d = await h.createDossier();
    const capture = await h.call('POST', `/assure/dossiers/${d}/capture`, {
      providers: [{ provider: 'onfido' }],
      redirectUrl: REDIRECT,
      sdk: 'capture',
    });
    await fetch(capture.body.url, form('cancel'));
    const p = await h.createProcess(d, ONFIDO);
    const path = `/assure/dossiers/${d}/processes/${p.processId}`;
    await h.call('POST', `${path}/images`, { front: JPEG_URL, selfie: JPEG_URL });
    await h.call('PUT', `/control/processes/${p.processId}`, {
      status: 'accepted',
      delayMs: 60_000,
    });
    await h.call('POST', path);
    assert.equal((await upload('onfido', p.authorization, { front: JPEG_URL })).status, 409);
  });

  it('serves sdk.js, an ES module exporting capture(), with CORS for cross-origin demo pages', async () => {
    const res = await h.fetch('/provider-sdk/sdk.js', {
      token: null,
      headers: { Origin: 'http://localhost:5173' },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const source = await res.text();
    assert.match(source, /export async function capture\(/);
    assert.match(source, /OffscreenCanvas/);
    assert.doesNotMatch(source, /^import\s/m, 'no dependencies');
    // It parses as a module.
    await import(
      `data:text/javascript;base64,${Buffer.from(source.replace('import.meta.url', "'http://x.test/provider-sdk/sdk.js'")).toString('base64')}`
    );
    const preflight = await h.fetch('/provider-sdk/onfido/images', {
      method: 'OPTIONS',
      token: null,
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
  });

  it('sdk.js capture() uploads through the stand-in (with a canvas stub)', async () => {
    const p = await h.createProcess(dossierId, { provider: 'onfido' });
    const source = await (await h.fetch('/provider-sdk/sdk.js', { token: null })).text();
    const module = await import(
      `data:text/javascript;base64,${Buffer.from(source.replace('import.meta.url', JSON.stringify(`${h.url}/provider-sdk/sdk.js`))).toString('base64')}`
    );
    // Node has no canvas: stub just enough of OffscreenCanvas to hand back a real (tiny) JPEG.
    const ctx = new Proxy({}, { get: () => () => {}, set: () => true });
    const jpeg = new Blob([Buffer.from(JPEG_URL.split(',')[1]!, 'base64')], { type: 'image/jpeg' });
    (globalThis as any).OffscreenCanvas = class {
      getContext() {
        return ctx;
      }
      convertToBlob() {
        return Promise.resolve(jpeg);
      }
    };
    (globalThis as any).FileReader = class {
      result: string | null = null;
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      readAsDataURL(blob: Blob) {
        void blob.arrayBuffer().then((buffer) => {
          this.result = `data:${blob.type};base64,${Buffer.from(buffer).toString('base64')}`;
          this.onload?.();
        });
      }
    };
    try {
      let completed: unknown;
      const result = await module.capture({
        token: p.authorization,
        provider: 'onfido',
        onComplete: (r: unknown) => (completed = r),
      });
      assert.deepEqual(result, { provider: 'onfido', sides: ['front', 'back', 'selfie'] });
      assert.deepEqual(completed, result);
      assert.deepEqual(await imageBytes(p.processId, 'front'), bytesOf(JPEG_URL));
      let failure: unknown;
      await module.capture({
        token: p.authorization,
        provider: 'onfido',
        onError: (e: unknown) => (failure = e),
      });
      assert.match(String(failure), /HTTP 401/);
      await assert.rejects(
        module.capture({ provider: 'onfido' }),
        /token and provider are required/,
      );
    } finally {
      delete (globalThis as any).OffscreenCanvas;
      delete (globalThis as any).FileReader;
    }
  });
});
