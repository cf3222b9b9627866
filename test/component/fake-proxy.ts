/**
 * A fake signicat-verify proxy for browser tests: replaces `fetch`, `XMLHttpRequest` and `EventSource`
 * for URLs under `/api`, records every request, and answers like the real proxy (interfaces.md §3) unless a
 * test overrides a route. `restore()` puts the real implementations back (call it in `afterEach`).
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON, a Blob (image uploads) or undefined. */
  body: unknown;
  headers: Record<string, string>;
}

/** A JSON answer, `'network'` for a connection failure, or `'hang'` for a request that never answers. */
export type FakeResponse = { status: number; body?: unknown } | 'network' | 'hang';
export type FakeHandler = (req: FakeRequest, params: string[]) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: FakeHandler;
}

export interface FakeSession {
  status: string;
  mode: string;
  documentType?: string;
}

const FINAL = ['accepted', 'rejected', 'inconclusive', 'failed', 'canceled'];

export class FakeEventSource extends EventTarget {
  static instances: FakeEventSource[] = [];
  static failOnOpen = false;
  readonly url: string;
  readyState = 0;
  onerror: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onopen: ((e: Event) => void) | null = null;
  readonly withCredentials = false;
  constructor(url: string | URL) {
    super();
    this.url = String(url);
    FakeEventSource.instances.push(this);
    setTimeout(() => {
      if (this.readyState === 2) return;
      if (FakeEventSource.failOnOpen) {
        this.dispatchEvent(new Event('error'));
        return;
      }
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    });
  }
  /** Sends one `status` message. */
  send(status: string): void {
    if (this.readyState === 2) return;
    const data = JSON.stringify({ status, final: FINAL.includes(status) });
    this.dispatchEvent(new MessageEvent('status', { data }));
  }
  close(): void {
    this.readyState = 2;
  }
  get closed(): boolean {
    return this.readyState === 2;
  }
}

export class FakeProxy {
  readonly requests: FakeRequest[] = [];
  readonly sessions = new Map<string, FakeSession>();
  private readonly routes: Route[] = [];
  private readonly overrides: Route[] = [];
  private readonly originals = {
    fetch: window.fetch,
    XMLHttpRequest: window.XMLHttpRequest,
    EventSource: window.EventSource,
  };
  private counter = 0;

  constructor(readonly base = '/api') {
    this.defaults();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const proxy = this;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (!proxy.owns(url)) return proxy.originals.fetch.call(window, input, init);
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body;
      const answer = await proxy.race(proxy.handle((init?.method ?? 'GET').toUpperCase(), url, body, headers), signal);
      if (answer === 'network') throw new TypeError('Failed to fetch');
      if (answer === 'hang') throw new Error('unreachable');
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      });
    };
    window.XMLHttpRequest = makeFakeXhr(proxy) as unknown as typeof XMLHttpRequest;
    FakeEventSource.instances = [];
    FakeEventSource.failOnOpen = false;
    window.EventSource = FakeEventSource as unknown as typeof EventSource;
  }

  /** Puts the real fetch, XMLHttpRequest and EventSource back. */
  restore(): void {
    window.fetch = this.originals.fetch;
    window.XMLHttpRequest = this.originals.XMLHttpRequest;
    window.EventSource = this.originals.EventSource;
  }

  /** Overrides a route; `path` is a regular expression source matched against the path after the base. */
  on(method: string, path: string, handler: FakeHandler): this {
    this.overrides.unshift({ method, pattern: new RegExp(`^${path}$`), handler });
    return this;
  }

  /** Requests matching method and path (regular expression source after the base). */
  calls(method: string, path: string): FakeRequest[] {
    const pattern = new RegExp(`^${path}$`);
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  /** Registers a session as the proxy would know it. */
  addSession(token: string, session: Partial<FakeSession> = {}): void {
    this.sessions.set(token, { status: 'pending', mode: 'capture', ...session });
  }

  /** Sets a session's status and pushes it to every open event stream. */
  setStatus(token: string, status: string): void {
    const session = this.sessions.get(token);
    if (session) session.status = status;
    for (const source of FakeEventSource.instances) if (source.url.includes(encodeURIComponent(token))) source.send(status);
  }

  /** Open event streams. */
  get openStreams(): FakeEventSource[] {
    return FakeEventSource.instances.filter((s) => !s.closed);
  }

  owns(url: URL): boolean {
    const base = new URL(this.base, location.href);
    return url.origin === base.origin && url.pathname.startsWith(base.pathname);
  }

  async handle(method: string, url: URL, body: unknown, headers: Record<string, string>): Promise<FakeResponse> {
    const base = new URL(this.base, location.href).pathname;
    const path = url.pathname.slice(base.length);
    const req: FakeRequest = { method, path, query: url.searchParams, body, headers };
    this.requests.push(req);
    for (const route of [...this.overrides, ...this.routes]) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match) return route.handler(req, match.slice(1).map(decodeURIComponent));
    }
    return { status: 404, body: { error: { code: 'not_found', message: 'No such route.' } } };
  }

  race(answer: Promise<FakeResponse>, signal?: AbortSignal): Promise<FakeResponse> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new DOMException('Aborted', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      answer.then((a) => {
        if (a !== 'hang') {
          signal?.removeEventListener('abort', onAbort);
          resolve(a);
        }
      }, reject);
    });
  }

  private defaults(): void {
    const expired = { status: 404, body: { error: { code: 'session_not_found', message: 'Unknown or expired session.' } } };
    const route = (method: string, path: string, handler: FakeHandler) =>
      this.routes.push({ method, pattern: new RegExp(`^${path}$`), handler });
    route('POST', '/sessions', (req) => {
      const input = req.body as { mode: string; documentType?: string; provider?: string; redirectUrl?: string };
      const token = `sess-${++this.counter}`;
      this.addSession(token, { mode: input.mode, documentType: input.documentType });
      const twoSided = input.documentType && input.documentType !== 'passport';
      return {
        status: 201,
        body: {
          session: token,
          mode: input.mode,
          provider: input.provider ?? 'fakeprovider',
          documentType: input.documentType ?? null,
          images: { required: twoSided ? ['front', 'back'] : ['front'], optional: ['selfie'] },
          ...(input.mode === 'redirect' ? { captureUrl: `https://capture.example/flow/${token}` } : {}),
          ...(input.mode === 'provider-sdk' ? { providerToken: `ptok-${token}` } : {}),
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      };
    });
    route('GET', '/document-types', () => ({
      status: 200,
      body: [
        { id: 1, country: 'NO', countryName: 'Norway', type: 'passport' },
        { id: 2, country: 'NO', countryName: 'Norway', type: 'identityCard' },
        { id: 3, country: 'NO', countryName: 'Norway', type: 'driversLicense' },
      ],
    }));
    route('GET', '/sessions/([^/]+)', (_req, [token]) => {
      const s = this.sessions.get(token!);
      if (!s) return expired;
      return { status: 200, body: { status: s.status, final: FINAL.includes(s.status), updatedAt: new Date().toISOString() } };
    });
    route('PUT', '/sessions/([^/]+)/images/(front|back|selfie)', (_req, [token]) =>
      this.sessions.has(token!) ? { status: 204 } : expired,
    );
    route('POST', '/sessions/([^/]+)/submit', (_req, [token]) => {
      const s = this.sessions.get(token!);
      if (!s) return expired;
      if (s.status === 'pending') s.status = 'processing';
      return { status: 202, body: { status: s.status } };
    });
    route('POST', '/sessions/([^/]+)/return', (req, [token]) => {
      const s = this.sessions.get(token!);
      if (!s) return expired;
      const { status } = req.body as { status: string };
      if (status === 'canceled') s.status = 'canceled';
      else if (s.status === 'pending') s.status = 'processing';
      return { status: 200, body: { status: s.status, final: FINAL.includes(s.status), updatedAt: new Date().toISOString() } };
    });
  }
}

function makeFakeXhr(proxy: FakeProxy) {
  return class FakeXMLHttpRequest {
    status = 0;
    responseText = '';
    responseType = '';
    readonly upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private method = 'GET';
    private url = '';
    private headers: Record<string, string> = {};
    private aborted = false;
    private done = false;

    open(method: string, url: string): void {
      this.method = method.toUpperCase();
      this.url = url;
    }
    setRequestHeader(name: string, value: string): void {
      this.headers[name.toLowerCase()] = value;
    }
    abort(): void {
      if (this.done || this.aborted) return;
      this.aborted = true;
      setTimeout(() => this.onabort?.());
    }
    send(body: Blob): void {
      const url = new URL(this.url, location.href);
      void (async () => {
        const total = body?.size ?? 0;
        await Promise.resolve();
        if (this.aborted) return;
        this.upload.onprogress?.(new ProgressEvent('progress', { lengthComputable: true, loaded: Math.floor(total / 2), total }));
        const answer = await proxy.handle(this.method, url, body, this.headers);
        if (this.aborted || answer === 'hang') return;
        this.done = true;
        if (answer === 'network') {
          this.onerror?.();
          return;
        }
        this.upload.onprogress?.(new ProgressEvent('progress', { lengthComputable: true, loaded: total, total }));
        this.status = answer.status;
        this.responseText = answer.body === undefined ? '' : JSON.stringify(answer.body);
        this.onload?.();
      })();
    }
  };
}
