import { expect } from '@open-wc/testing';
import { ApiError, errorFromResponse, ProxyClient } from '../../component/api.js';
import { FakeProxy } from './fake-proxy.js';

describe('ProxyClient', () => {
  let proxy: FakeProxy;
  beforeEach(() => (proxy = new FakeProxy()));
  afterEach(() => proxy.restore());

  it('should map HTTP errors to stable codes', () => {
    expect(errorFromResponse(404, null, 'session').code).to.equal('session_expired');
    expect(errorFromResponse(401, null, 'image').code).to.equal('session_expired');
    expect(errorFromResponse(413, null, 'image').code).to.equal('upload_rejected');
    expect(errorFromResponse(415, { error: { code: 'unsupported_image', message: 'PNG or JPEG' } }, 'image').message).to.equal(
      'PNG or JPEG',
    );
    expect(errorFromResponse(400, null, 'create').code).to.equal('invalid_config');
    expect(errorFromResponse(409, null, 'return').code).to.equal('redirect_mismatch');
    expect(errorFromResponse(409, { error: { code: 'redirect_mismatch', message: 'x' } }, 'return').code).to.equal('redirect_mismatch');
    const busy = errorFromResponse(503, null, 'image');
    expect([busy.code, busy.retryable]).to.deep.equal(['server_error', true]);
    expect(errorFromResponse(429, null, 'submit').retryable).to.equal(true);
  });

  it('should send the session body and parse the answer', async () => {
    const api = new ProxyClient('/api/');
    const created = await api.createSession({ mode: 'capture', documentType: 'passport' });
    expect(created.session).to.match(/^sess-/);
    expect(proxy.calls('POST', '/sessions')[0]!.body).to.deep.equal({ mode: 'capture', documentType: 'passport' });
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
    await api.uploadImage('s1', 'front', bytes, { onProgress: (f) => seen.push(f) });
    const put = proxy.calls('PUT', '/sessions/s1/images/front')[0]!;
    expect(put.headers['content-type']).to.equal('image/jpeg');
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
