import { expect } from '@open-wc/testing';
import { ApiError, errorFromResponse, parseRetryAfter, ProxyClient } from '../../component/api.js';
import { FakeProxy } from './fake-proxy.js';

describe('ProxyClient', () => {
  let proxy: FakeProxy;
  beforeEach(() => (proxy = new FakeProxy()));
  afterEach(() => proxy.restore());

  it('should map HTTP errors to stable codes', () => {
    expect(errorFromResponse(404, null, 'session').code).to.equal('session_expired');
    expect(errorFromResponse(401, null, 'image').code).to.equal('session_expired');
    expect(errorFromResponse(413, null, 'image').code).to.equal('upload_rejected');
    expect(
      errorFromResponse(
        415,
        { error: { code: 'unsupported_image', message: 'PNG or JPEG' } },
        'image',
      ).message,
    ).to.equal('PNG or JPEG');
    expect(errorFromResponse(400, null, 'create').code).to.equal('invalid_config');
    expect(errorFromResponse(409, null, 'return').code).to.equal('redirect_mismatch');
    expect(
      errorFromResponse(409, { error: { code: 'redirect_mismatch', message: 'x' } }, 'return').code,
    ).to.equal('redirect_mismatch');
    const busy = errorFromResponse(503, null, 'image');
    expect([busy.code, busy.retryable]).to.deep.equal(['server_error', true]);
    expect(errorFromResponse(429, null, 'submit').retryable).to.equal(true);
  });

  it('should map a 429 to a retryable rate_limited that carries Retry-After', () => {
    const limited = errorFromResponse(
      429,
      { error: { code: 'rate_limited', message: 'Slow down.' } },
      'create',
      '7',
    );
    expect([limited.code, limited.retryable, limited.retryAfterMs]).to.deep.equal([
      'rate_limited',
      true,
      7000,
    ]);
    expect(errorFromResponse(429, null, 'image').retryAfterMs).to.equal(undefined);
    const overloaded = errorFromResponse(
      503,
      { error: { code: 'overloaded', message: 'Busy.' } },
      'image',
      '1',
    );
    expect([overloaded.code, overloaded.retryable, overloaded.retryAfterMs]).to.deep.equal([
      'rate_limited',
      true,
      1000,
    ]);
    expect(parseRetryAfter('120')).to.equal(120_000);
    expect(
      parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1)),
    ).to.equal(30_000);
    expect(parseRetryAfter('soon')).to.equal(undefined);
  });

  it('should map a refused origin to invalid_config naming ALLOWED_ORIGINS, whatever the call', () => {
    for (const kind of ['create', 'config', 'image', 'session'] as const) {
      const refused = errorFromResponse(
        403,
        { error: { code: 'origin_not_allowed', message: 'No.' } },
        kind,
      );
      expect([refused.code, refused.retryable, refused.serverCode]).to.deep.equal([
        'invalid_config',
        false,
        'origin_not_allowed',
      ]);
      expect(refused.message).to.contain('ALLOWED_ORIGINS');
    }
  });

  it('should read the config and send consent on an upload when asked', async () => {
    const config = await new ProxyClient().config('capture', 'signicatpaper');
    expect(config).to.include({ countryRequired: true, defaultCountry: 'NO' });
    expect(proxy.calls('GET', '/config')[0]!.query.toString()).to.equal(
      'mode=capture&provider=signicatpaper',
    );
    proxy.addSession('s2', { consentRequired: true, provider: 'onfido' });
    const bytes = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' });
    const refused = await new ProxyClient()
      .uploadImage('s2', 'front', bytes)
      .catch((e: unknown) => e);
    expect((refused as ApiError).serverCode).to.equal('consent_required');
    await new ProxyClient().uploadImage('s2', 'front', bytes, { consent: true });
    expect(
      proxy.calls('PUT', '/sessions/s2/images/front')[1]!.headers['signicat-verify-consent'],
    ).to.equal('granted');
  });

  it('should send the session body and parse the answer', async () => {
    const api = new ProxyClient('/api/');
    const created = await api.createSession({ mode: 'capture', documentType: 'passport' });
    expect(created.session).to.match(/^sess-/);
    expect(proxy.calls('POST', '/sessions')[0]!.body).to.deep.equal({
      mode: 'capture',
      documentType: 'passport',
    });
  });

  it('should report a network failure as a retryable network error', async () => {
    proxy.on('GET', '/sessions/.*', () => 'network');
    const error = await new ProxyClient().getSession('x').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).code).to.equal('network');
    expect((error as ApiError).retryable).to.equal(true);
  });

  it('should upload raw bytes with progress and abort on request', async () => {
    proxy.addSession('s1');
    const api = new ProxyClient();
    const seen: number[] = [];
    const bytes = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' });
    const answer = await api.uploadImage('s1', 'front', bytes, { onProgress: (f) => seen.push(f) });
    expect(answer).to.deep.equal({ session: 's1.r1' }); // the refreshed token
    const put = proxy.calls('PUT', '/sessions/s1/images/front')[0]!;
    expect(put.headers['content-type']).to.equal('image/jpeg');
    expect(put.headers['signicat-verify-consent']).to.equal(undefined);
    expect(put.body).to.equal(bytes);
    expect(seen.at(-1)).to.equal(1);

    proxy.on('PUT', '/sessions/s1/images/back', () => 'hang');
    const controller = new AbortController();
    const pending = api.uploadImage('s1', 'back', bytes, { signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as DOMException).name).to.equal('AbortError');
  });
});
