/**
 * Bad input at the proxy's edge: every case gets a clean 4xx with a stable code, never a 5xx, and
 * nothing is written (no session, no upload). Also CORS, and that no secret reaches a response.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SANDBOX_CLIENT_SECRET } from '../../server/emulator/index.ts';
import { jpegBytes, pngBytes } from '../helpers/images.ts';
import { json, startSandbox, type Sandbox } from '../helpers/sandbox.ts';

const API_KEY = 'integrator-key-0123456789abcdef';
let sandbox: Sandbox;
let capture: { session: string };
let redirect: { session: string };

before(async () => {
  sandbox = await startSandbox({
    env: { PROXY_API_KEY: API_KEY, ALLOWED_ORIGINS: 'https://shop.example' },
  });
  capture = (await (
    await sandbox.api('/sessions', json({ mode: 'capture', documentType: 'passport' }))
  ).json()) as { session: string };
  redirect = (await (
    await sandbox.api(
      '/sessions',
      json({ mode: 'redirect', redirectUrl: 'https://shop.example/verify' }),
    )
  ).json()) as {
    session: string;
  };
});
after(() => sandbox.close());

async function expectError(response: Response, status: number, code: string) {
  const text = await response.text();
  assert.equal(response.status, status, `${code}: ${text}`);
  assert.match(response.headers.get('Content-Type') ?? '', /application\/json/);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 5);
}

const put = (side: string, body: BodyInit, type = 'image/jpeg', session = capture.session) =>
  sandbox.api(`/sessions/${session}/images/${side}`, {
    method: 'PUT',
    headers: { 'Content-Type': type },
    body,
  });

describe('POST /api/sessions refuses', () => {
  const cases: Array<[string, RequestInit, number, string]> = [
    [
      'a non-JSON content type',
      { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' },
      415,
      'unsupported_media_type',
    ],
    [
      'malformed JSON',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"mode":' },
      400,
      'invalid_json',
    ],
    ['a JSON array', json([]), 400, 'invalid_request'],
    ['an unknown mode', json({ mode: 'teleport' }), 400, 'invalid_request'],
    ['unknown fields', json({ mode: 'capture', admin: true }), 400, 'invalid_request'],
    [
      'a provider not allowed for the mode',
      json({ mode: 'capture', provider: 'readid' }),
      400,
      'provider_not_allowed',
    ],
    [
      'a provider name with odd characters',
      json({ mode: 'capture', provider: '../onfido' }),
      400,
      'invalid_request',
    ],
    [
      'an unknown document type',
      json({ mode: 'capture', documentType: 'libraryCard' }),
      400,
      'invalid_request',
    ],
    ['redirect mode without redirectUrl', json({ mode: 'redirect' }), 400, 'redirect_url_required'],
    [
      'a redirectUrl on a foreign origin',
      json({ mode: 'redirect', redirectUrl: 'https://evil.example/' }),
      400,
      'redirect_url_not_allowed',
    ],
    [
      'a javascript: redirectUrl',
      json({ mode: 'redirect', redirectUrl: 'javascript:alert(1)' }),
      400,
      'redirect_url_not_allowed',
    ],
    [
      'a protocol-relative redirectUrl',
      json({ mode: 'redirect', redirectUrl: '//evil.example/x' }),
      400,
      'redirect_url_not_allowed',
    ],
    [
      'a relative redirectUrl',
      json({ mode: 'redirect', redirectUrl: '/back' }),
      400,
      'redirect_url_not_allowed',
    ],
    [
      'a redirectUrl with credentials',
      json({ mode: 'redirect', redirectUrl: 'https://a:b@shop.example/' }),
      400,
      'redirect_url_not_allowed',
    ],
    [
      'a data: redirectUrl',
      json({ mode: 'redirect', redirectUrl: 'data:text/html,hi' }),
      400,
      'redirect_url_not_allowed',
    ],
    [
      'redirectUrl outside redirect mode',
      json({ mode: 'capture', redirectUrl: 'https://shop.example/' }),
      400,
      'invalid_request',
    ],
    [
      'a reference without an API key',
      json({ mode: 'capture', reference: 'r1' }),
      401,
      'api_key_required',
    ],
    [
      'a reference with a wrong API key',
      json({ mode: 'capture', reference: 'r1' }, { Authorization: 'Bearer nope' }),
      401,
      'invalid_api_key',
    ],
    [
      'an overlong reference',
      json({ mode: 'capture', reference: 'x'.repeat(300) }, { Authorization: `Bearer ${API_KEY}` }),
      400,
      'invalid_request',
    ],
    [
      'a foreign Origin',
      json({ mode: 'capture' }, { Origin: 'https://evil.example' }),
      403,
      'origin_not_allowed',
    ],
    [
      'a documentCountry that is no alpha-2 code',
      json({ mode: 'capture', documentCountry: 'NOR' }),
      400,
      'invalid_request',
    ],
    [
      'an unassigned documentCountry',
      json({ mode: 'capture', documentCountry: 'XX' }),
      400,
      'invalid_document_country',
    ],
    [
      'UNIV for an identity card',
      json({ mode: 'capture', documentType: 'identityCard', documentCountry: 'UNIV' }),
      400,
      'invalid_document_country',
    ],
    [
      'a pageUrl on a foreign origin',
      json({ mode: 'capture', pageUrl: 'https://evil.example/x' }),
      400,
      'page_url_not_allowed',
    ],
    [
      'a consent that is not a boolean',
      json({ mode: 'capture', consent: 'yes' }),
      400,
      'invalid_request',
    ],
    [
      'a JSON body over the limit',
      json({ mode: 'capture', reference: 'x'.repeat(20_000) }),
      413,
      'payload_too_large',
    ],
  ];
  for (const [name, init, status, code] of cases) {
    it(name, async () => expectError(await sandbox.api('/sessions', init), status, code));
  }
});

describe('PUT /api/sessions/{s}/images/{side} refuses', () => {
  it('an unknown side', async () =>
    expectError(await put('portrait', jpegBytes()), 404, 'unknown_side'));
  it('a side the document does not have', async () =>
    expectError(await put('back', jpegBytes()), 400, 'side_not_expected'));
  it('a non-image content type', async () =>
    expectError(
      await put('front', jpegBytes(), 'application/octet-stream'),
      415,
      'unsupported_media_type',
    ));
  it('an empty body', async () =>
    expectError(await put('front', new Uint8Array(0)), 400, 'empty_image'));
  it('bytes that are no image', async () =>
    expectError(
      await put('front', new TextEncoder().encode('GIF89a not really')),
      422,
      'invalid_image',
    ));
  it('a GIF', async () =>
    expectError(
      await put('front', new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0])),
      422,
      'invalid_image',
    ));
  it('a JPEG with a truncated header', async () =>
    expectError(await put('front', jpegBytes().slice(0, 22)), 422, 'invalid_image'));
  it('a PNG sent as JPEG', async () =>
    expectError(await put('front', pngBytes()), 422, 'image_type_mismatch'));
  it('an image over 5000 px', async () =>
    expectError(await put('front', jpegBytes(5001, 100)), 422, 'image_dimensions_too_large'));
  it('a zero-sized image', async () =>
    expectError(await put('front', jpegBytes(0, 0)), 422, 'invalid_image'));
  it('more bytes than the limit', async () =>
    expectError(
      await put('front', jpegBytes(100, 100, 4 * 1024 * 1024 + 1)),
      413,
      'image_too_large',
    ));
  it('uploads in redirect mode', async () =>
    expectError(
      await put('front', jpegBytes(), 'image/jpeg', redirect.session),
      409,
      'wrong_mode',
    ));
  it('a forged session token', async () =>
    expectError(
      await put('front', jpegBytes(), 'image/jpeg', 'eyJhbGciOiJkaXIi.x.y.z.w'),
      404,
      'session_not_found',
    ));
  it('a session token with odd characters', async () =>
    expectError(
      await put('front', jpegBytes(), 'image/jpeg', '%3Cscript%3E'),
      404,
      'session_not_found',
    ));

  it('and writes nothing: what was uploaded before stays as it was', async () => {
    const fresh = (await (
      await sandbox.api('/sessions', json({ mode: 'capture', documentType: 'passport' }))
    ).json()) as { session: string };
    const uploaded = async () =>
      (
        (await (await sandbox.api(`/sessions/${fresh.session}`)).json()) as {
          images: { uploaded: string[] };
        }
      ).images.uploaded;
    assert.deepEqual(await uploaded(), []);
    for (const [side, body, type] of [
      ['front', pngBytes(), 'image/jpeg'],
      ['front', new Uint8Array(0), 'image/jpeg'],
      ['back', jpegBytes(), 'image/jpeg'],
      ['selfie', jpegBytes(6000, 10), 'image/jpeg'],
    ] as const) {
      const refused = await put(side, body, type, fresh.session);
      assert.ok(refused.status >= 400 && refused.status < 500, `${side}: ${refused.status}`);
    }
    assert.deepEqual(await uploaded(), [], 'no side recorded by a refused upload');
    const ok = await put('front', pngBytes(), 'image/png', fresh.session);
    assert.equal(ok.status, 200);
    assert.deepEqual(await uploaded(), ['front']);
    await put('selfie', new TextEncoder().encode('not an image'), 'image/jpeg', fresh.session);
    assert.deepEqual(await uploaded(), ['front'], 'a refused selfie leaves the front as it was');
    await expectError(
      await sandbox.api(`/sessions/${fresh.session}/submit`, { method: 'POST' }),
      409,
      'images_missing',
    );
  });
});

describe('other routes refuse', () => {
  it('submit in redirect mode', async () =>
    expectError(
      await sandbox.api(`/sessions/${redirect.session}/submit`, { method: 'POST' }),
      409,
      'wrong_mode',
    ));
  it('return in capture mode', async () =>
    expectError(
      await sandbox.api(
        `/sessions/${capture.session}/return`,
        json({ dossierId: 'a', processId: 'b', status: 'processing' }),
      ),
      409,
      'wrong_mode',
    ));
  it('return with extra fields', async () =>
    expectError(
      await sandbox.api(
        `/sessions/${redirect.session}/return`,
        json({ dossierId: 'a', processId: 'b', status: 'x', y: 1 }),
      ),
      400,
      'invalid_request',
    ));
  it('document types of a provider not allowed', async () =>
    expectError(await sandbox.api('/document-types?provider=webid'), 400, 'provider_not_allowed'));
  it('an unknown route', async () => expectError(await sandbox.api('/nope'), 404, 'not_found'));
  it('a callback with a body that is not JSON', async () =>
    expectError(
      await sandbox.api('/callbacks/assure', {
        method: 'POST',
        headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json' },
        body: '{',
      }),
      401,
      'callback_unauthenticated',
    ));
  it('an oversized callback', async () =>
    expectError(
      await sandbox.api('/callbacks/assure', {
        method: 'POST',
        headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json' },
        body: 'x'.repeat(20_000),
      }),
      413,
      'payload_too_large',
    ));
});

describe('document types', () => {
  it('answers normalised kinds from Assure, Nordic countries included', async () => {
    const response = await sandbox.api('/document-types?provider=signicatpaper');
    assert.equal(response.status, 200);
    const list = (await response.json()) as Array<{
      id: unknown;
      country: string;
      countryName: string;
      type: string;
    }>;
    assert.ok(list.length >= 40);
    for (const country of ['NOR', 'SWE', 'DNK', 'FIN'])
      assert.ok(
        list.some((t) => t.country === country),
        country,
      );
    assert.deepEqual([...new Set(list.map((t) => t.type))].sort(), [
      'driversLicense',
      'identityCard',
      'passport',
      'residencePermit',
    ]);
    assert.ok(list.every((t) => /^[A-Z]{3}$/.test(t.country)));
  });
});

describe('CORS', () => {
  it('answers allowed origins exactly and never with *', async () => {
    const preflight = await sandbox.api('/sessions', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), 'https://shop.example');
    const plain = await sandbox.api('/document-types', {
      headers: { Origin: 'https://shop.example' },
    });
    assert.equal(plain.headers.get('Access-Control-Allow-Origin'), 'https://shop.example');
    assert.match(plain.headers.get('Vary') ?? '', /Origin/);
  });
  it('lets a foreign origin read the refusal, and nothing else', async () => {
    const preflight = await sandbox.api('/sessions', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), 'https://evil.example');
    const refused = await sandbox.api('/document-types', {
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('Access-Control-Allow-Origin'), 'https://evil.example');
    assert.deepEqual(Object.keys((await refused.json()) as object), ['error'], 'only the error');
    assert.equal(refused.headers.get('Access-Control-Allow-Credentials'), null);
  });
});

describe('secrets', () => {
  it('never appear in any answer or log line of a whole flow in every mode', async () => {
    // Self-contained: its own flows, not what earlier tests happened to leave behind.
    const seen: string[] = [];
    const keep = async (response: Response) => {
      const text = await response.text();
      seen.push(text, JSON.stringify([...response.headers]));
      return text;
    };
    const created = await keep(
      await sandbox.api(
        '/sessions',
        json(
          { mode: 'capture', documentType: 'passport', reference: 'ref-1' },
          { Authorization: `Bearer ${API_KEY}` },
        ),
      ),
    );
    let token = (JSON.parse(created) as { session: string }).session;
    for (const side of ['front', 'selfie'])
      token = (
        JSON.parse(await keep(await put(side, jpegBytes(), 'image/jpeg', token))) as {
          session: string;
        }
      ).session;
    await keep(await sandbox.api(`/sessions/${token}/submit`, { method: 'POST' }));
    await keep(
      await sandbox.api(
        '/sessions',
        json({ mode: 'redirect', redirectUrl: 'https://shop.example/verify' }),
      ),
    );
    await keep(await sandbox.api('/sessions', json({ mode: 'provider-sdk', provider: 'readid' })));
    await keep(await sandbox.api(`/sessions/${token}`));
    await sandbox.server.proxy.lifecycle.idle();
    const haystack = seen.join('\n') + sandbox.logs.join('\n');
    assert.ok(sandbox.logs.length > 10, 'the flow was logged');
    assert.ok(!haystack.includes(SANDBOX_CLIENT_SECRET), 'client secret');
    assert.ok(
      !haystack.includes(Buffer.from(`sandbox-client:${SANDBOX_CLIENT_SECRET}`).toString('base64')),
      'basic credentials',
    );
    assert.ok(!haystack.includes(API_KEY), 'proxy API key');
    assert.doesNotMatch(haystack, /access_token|"authorization"/i);
    assert.ok(!sandbox.logs.join('\n').includes(token), 'no session token in the logs');
    // The session token hides the Signicat ids it carries.
    assert.equal(token.split('.').length, 5, 'a compact JWE');
    assert.doesNotMatch(
      Buffer.from(token.split('.')[3]!, 'base64url').toString('latin1'),
      /[0-9a-f]{8}-[0-9a-f]{4}/,
    );
  });
});
