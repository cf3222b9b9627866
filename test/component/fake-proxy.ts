/**
 * A fake signicat-verify proxy for browser tests: replaces `fetch`, `XMLHttpRequest` and `EventSource`
 * for URLs under `/api`, records every request, and answers through the same rules as the real proxy
 * (docs/api.md; the sides come from the shared contract's `requiredSides`) unless a test overrides a route.
 * `restore()` puts the real implementations back (call it in `afterEach`).
 */
import {
  ANY_PASSPORT_COUNTRY,
  CONSENT_HEADER,
  DOCUMENT_KINDS,
  isDocumentKind,
  isFinalStatus,
  MODES,
  requiredSides,
  type ClientConfigResponse,
  type CreateSessionRequest,
  type CreateSessionResponse,
  type DocumentKind,
  type DocumentTypeEntry,
  type Mode,
  type Side,
} from '../../component/contract/index.js';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON, a Blob (image uploads) or undefined. */
  body: unknown;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** `performance.now()` when the request arrived. */
  at: number;
}

/**
 * A JSON answer, `'network'` for a connection failure, `'hang'` for a request that never answers, or (from
 * an override) `'pass'` to let the proxy's own rules answer.
 */
export type FakeResponse =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'network'
  | 'hang'
  | 'pass';
export type FakeHandler = (
  req: FakeRequest,
  params: string[],
) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: FakeHandler;
}

export interface FakeSession {
  status: string;
  mode: Mode;
  provider: string;
  documentType?: DocumentKind;
  documentCountry?: string;
  consentRequired: boolean;
  /** Sides the proxy holds. */
  uploaded: Side[];
  submitted: boolean;
  /** Tokens handed out for this session so far (the first is the one it was created with). */
  tokens: string[];
  /** Its tokens have expired: every call answers `401 session_expired`, as the real proxy does. */
  expired?: boolean;
}

/** What the fake's operator configured (the real proxy's environment). */
export interface FakeSettings {
  providers: Record<Mode, string[]>;
  documentTypes: DocumentKind[];
  /** DEFAULT_DOCUMENT_COUNTRY; the sandbox default is `NO`. */
  defaultCountry: string | null;
  /** Origins `pageUrl` and `redirectUrl` may use. */
  allowedOrigins: string[];
}

/** Assure's list for Signicat Paper, in the proxy's shape (alpha-3 as Assure gives it, plus alpha-2). */
export const DOCUMENT_TYPES: DocumentTypeEntry[] = [
  ['NOR', 'NO', 'Norway', ['passport', 'identityCard', 'driversLicense']],
  ['SWE', 'SE', 'Sweden', ['passport', 'identityCard', 'driversLicense']],
  ['DNK', 'DK', 'Denmark', ['passport', 'driversLicense']],
  ['DEU', 'DE', 'Germany', ['passport', 'identityCard', 'residencePermit']],
  ['GBR', 'GB', 'United Kingdom', ['passport', 'driversLicense']],
  ['ALA', 'AX', 'Aland Islands', ['passport']],
].flatMap(([country, countryCode, countryName, types]) =>
  (types as DocumentKind[]).map(
    (type) => ({ country, countryCode, countryName, type }) as DocumentTypeEntry,
  ),
);

const error = (status: number, code: string, message = code) => ({
  status,
  body: { error: { code, message } },
});

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
  /** The session token in the stream's URL. */
  get token(): string {
    return decodeURIComponent(
      /\/sessions\/([^/]+)\/events/.exec(new URL(this.url, location.href).pathname)?.[1] ?? '',
    );
  }
  /** Sends one `status` message. */
  send(status: string): void {
    if (this.readyState === 2) return;
    const data = JSON.stringify({ status, final: isFinalStatus(status) });
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
  /** Sessions by every token they were given. */
  readonly sessions = new Map<string, FakeSession>();
  readonly settings: FakeSettings = {
    providers: {
      capture: ['signicatpaper', 'onfido'],
      redirect: ['signicatpaper', 'onfido'],
      'provider-sdk': ['onfido'],
    },
    documentTypes: [...DOCUMENT_KINDS],
    defaultCountry: 'NO',
    allowedOrigins: [location.origin],
  };
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
      const answer = await proxy.race(
        proxy.handle((init?.method ?? 'GET').toUpperCase(), url, body, headers),
        signal,
      );
      if (answer === 'network') throw new TypeError('Failed to fetch');
      if (answer === 'hang' || answer === 'pass') throw new Error('unreachable');
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json', ...answer.headers },
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

  /** Requests to `/sessions/<any token of the session first given token>/<rest>` (rest: '' or e.g. '/images/front'). */
  sessionCalls(method: string, token: string, rest = ''): FakeRequest[] {
    const session = this.sessions.get(token);
    return this.requests.filter((r) => {
      const match = /^\/sessions\/([^/]+)(.*)$/.exec(r.path);
      return (
        r.method === method &&
        !!match &&
        this.sessions.get(decodeURIComponent(match[1]!)) === session &&
        match[2] === rest
      );
    });
  }

  /** Registers a session as the proxy would know it (a backend-created one, for example). */
  addSession(token: string, session: Partial<FakeSession> = {}): FakeSession {
    const record: FakeSession = {
      status: 'pending',
      mode: 'capture',
      provider: 'signicatpaper',
      consentRequired: false,
      uploaded: [],
      submitted: false,
      tokens: [token],
      ...session,
    };
    this.sessions.set(token, record);
    return record;
  }

  /** Sets a session's status and pushes it to every open event stream of the session. */
  setStatus(token: string, status: string): void {
    const session = this.sessions.get(token);
    if (!session) return;
    session.status = status;
    for (const source of FakeEventSource.instances)
      if (this.sessions.get(source.token) === session) source.send(status);
  }

  /** Open event streams. */
  get openStreams(): FakeEventSource[] {
    return FakeEventSource.instances.filter((s) => !s.closed);
  }

  owns(url: URL): boolean {
    const base = new URL(this.base, location.href);
    return url.origin === base.origin && url.pathname.startsWith(base.pathname);
  }

  async handle(
    method: string,
    url: URL,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<FakeResponse> {
    const base = new URL(this.base, location.href).pathname;
    const path = url.pathname.slice(base.length);
    const req: FakeRequest = {
      method,
      path,
      query: url.searchParams,
      body,
      headers,
      at: performance.now(),
    };
    this.requests.push(req);
    for (const route of [...this.overrides, ...this.routes]) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const answer = await route.handler(req, match.slice(1).map(decodeURIComponent));
      if (answer !== 'pass') return answer;
    }
    return error(404, 'not_found', 'No such route.');
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

  private allowedUrl(value: unknown): boolean {
    try {
      return (
        typeof value === 'string' && this.settings.allowedOrigins.includes(new URL(value).origin)
      );
    } catch {
      return false;
    }
  }

  private defaults(): void {
    // As the real proxy: an expired token is 401 session_expired, an unknown or tampered one 404.
    const unknown = error(404, 'session_not_found', 'Unknown or expired session.');
    const expired = error(
      401,
      'session_expired',
      'This verification session has expired; start a new one.',
    );
    const find = (token: string): FakeSession | FakeResponse => {
      const s = this.sessions.get(token);
      return !s ? unknown : s.expired ? expired : s;
    };
    const isAnswer = (found: FakeSession | FakeResponse): found is FakeResponse =>
      !('tokens' in (found as object));
    const route = (method: string, path: string, handler: FakeHandler) =>
      this.routes.push({ method, pattern: new RegExp(`^${path}$`), handler });
    const statusBody = (s: FakeSession) => ({
      status: s.status,
      final: isFinalStatus(s.status),
      updatedAt: new Date().toISOString(),
      mode: s.mode,
      documentType: s.documentType ?? null,
      images: {
        required: requiredSides(s.mode, s.documentType),
        optional: [],
        uploaded: s.uploaded,
      },
      ...(s.consentRequired && { consentRequired: true }),
    });

    route('GET', '/config', (req) => {
      const mode = req.query.get('mode') as Mode;
      if (!MODES.includes(mode)) return error(400, 'invalid_request', 'Unknown mode.');
      const provider = req.query.get('provider') ?? this.settings.providers[mode][0]!;
      if (!this.settings.providers[mode].includes(provider))
        return error(400, 'provider_not_allowed');
      const body: ClientConfigResponse = {
        mode,
        provider,
        documentTypes: this.settings.documentTypes,
        countryRequired: provider === 'signicatpaper',
        defaultCountry: this.settings.defaultCountry,
      };
      return { status: 200, body };
    });

    route('GET', '/document-types', (req) => {
      const provider = req.query.get('provider') ?? this.settings.providers.capture[0]!;
      if (!Object.values(this.settings.providers).flat().includes(provider))
        return error(400, 'provider_not_allowed');
      return {
        status: 200,
        body: DOCUMENT_TYPES.filter((e) =>
          this.settings.documentTypes.includes(e.type as DocumentKind),
        ),
      };
    });

    route('POST', '/sessions', (req) => {
      const input = req.body as CreateSessionRequest;
      const mode = input.mode ?? 'capture';
      if (!MODES.includes(mode)) return error(400, 'invalid_request');
      const provider = input.provider ?? this.settings.providers[mode][0]!;
      if (!this.settings.providers[mode].includes(provider))
        return error(400, 'provider_not_allowed');
      if (
        input.documentType !== undefined &&
        (!isDocumentKind(input.documentType) ||
          !this.settings.documentTypes.includes(input.documentType))
      ) {
        return error(400, 'document_type_not_allowed');
      }
      if (input.pageUrl !== undefined && !this.allowedUrl(input.pageUrl))
        return error(400, 'page_url_not_allowed');
      if (mode === 'redirect' && !this.allowedUrl(input.redirectUrl))
        return error(400, 'redirect_url_not_allowed');
      let country = input.documentCountry;
      if (country !== undefined) {
        if (
          country !== ANY_PASSPORT_COUNTRY &&
          !DOCUMENT_TYPES.some((e) => e.countryCode === country)
        ) {
          return error(400, 'invalid_document_country');
        }
        if (
          country === ANY_PASSPORT_COUNTRY &&
          input.documentType &&
          input.documentType !== 'passport'
        ) {
          return error(400, 'invalid_document_country', 'UNIV is for passports only.');
        }
      }
      if (provider === 'signicatpaper') {
        country ??=
          this.settings.defaultCountry ??
          (input.documentType === 'passport' ? ANY_PASSPORT_COUNTRY : undefined);
        if (!country)
          return error(
            400,
            'document_country_required',
            'Set DEFAULT_DOCUMENT_COUNTRY or send documentCountry.',
          );
      }
      const token = `sess-${++this.counter}`;
      // Onfido needs privacy consent when the user's location is unknown, as every loopback client is here.
      const consentRequired = mode === 'capture' && provider === 'onfido' && input.consent !== true;
      const session = this.addSession(token, {
        mode,
        provider,
        documentType: input.documentType,
        ...(country && { documentCountry: country }),
        consentRequired,
      });
      const body: CreateSessionResponse = {
        session: token,
        mode,
        provider,
        documentType: session.documentType ?? null,
        documentCountry: session.documentCountry ?? null,
        images: { required: requiredSides(mode, session.documentType), optional: [] },
        ...(mode === 'redirect' && { captureUrl: `https://capture.example/flow/${token}` }),
        ...(mode === 'provider-sdk' && { providerToken: `ptok-${token}` }),
        ...(consentRequired && { consentRequired: true }),
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      };
      return { status: 201, body };
    });

    route('GET', '/sessions/([^/]+)', (_req, [token]) => {
      const s = find(token!);
      return isAnswer(s) ? s : { status: 200, body: statusBody(s) };
    });

    route('PUT', '/sessions/([^/]+)/images/([^/]+)', (req, [token, side]) => {
      const s = find(token!);
      if (isAnswer(s)) return s;
      if (!['front', 'back', 'selfie'].includes(side!)) return error(404, 'unknown_side');
      if (s.mode !== 'capture') return error(409, 'wrong_mode');
      if (s.submitted) return error(409, 'already_submitted');
      if (!requiredSides(s.mode, s.documentType).includes(side as Side))
        return error(400, 'side_not_expected');
      // The first upload creates the process at Signicat: it must carry the user's consent when needed.
      const first = !s.uploaded.length;
      if (first && s.consentRequired && req.headers[CONSENT_HEADER.toLowerCase()] !== 'granted') {
        return error(400, 'consent_required', 'The user has not given the provider consent.');
      }
      if (!s.uploaded.includes(side as Side)) s.uploaded.push(side as Side);
      const refreshed = `${s.tokens[0]}.r${s.tokens.length}`;
      s.tokens.push(refreshed);
      this.sessions.set(refreshed, s);
      return { status: 200, body: { session: refreshed } };
    });

    route('POST', '/sessions/([^/]+)/submit', (_req, [token]) => {
      const s = find(token!);
      if (isAnswer(s)) return s;
      if (s.mode === 'redirect') return error(409, 'wrong_mode');
      if (s.submitted || s.status !== 'pending') return { status: 202, body: { status: s.status } };
      const missing = requiredSides(s.mode, s.documentType).filter(
        (side) => !s.uploaded.includes(side),
      );
      if (missing.length)
        return error(409, 'images_missing', `Upload these images first: ${missing.join(', ')}.`);
      s.submitted = true;
      s.status = 'processing';
      return { status: 202, body: { status: s.status } };
    });

    route('POST', '/sessions/([^/]+)/return', (req, [token]) => {
      const s = find(token!);
      if (isAnswer(s)) return s;
      if (s.mode !== 'redirect') return error(409, 'wrong_mode');
      const { status } = req.body as { status: string };
      if (status === 'canceled') s.status = 'canceled';
      else if (s.status === 'pending') s.status = 'processing';
      return { status: 200, body: statusBody(s) };
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
    private responseHeaders: Record<string, string> = {};
    private aborted = false;
    private done = false;

    open(method: string, url: string): void {
      this.method = method.toUpperCase();
      this.url = url;
    }
    setRequestHeader(name: string, value: string): void {
      this.headers[name.toLowerCase()] = value;
    }
    getResponseHeader(name: string): string | null {
      const key = Object.keys(this.responseHeaders).find(
        (k) => k.toLowerCase() === name.toLowerCase(),
      );
      return key === undefined ? null : this.responseHeaders[key]!;
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
        this.upload.onprogress?.(
          new ProgressEvent('progress', {
            lengthComputable: true,
            loaded: Math.floor(total / 2),
            total,
          }),
        );
        const answer = await proxy.handle(this.method, url, body, this.headers);
        if (this.aborted || answer === 'hang' || answer === 'pass') return;
        this.done = true;
        if (answer === 'network') {
          this.onerror?.();
          return;
        }
        this.upload.onprogress?.(
          new ProgressEvent('progress', { lengthComputable: true, loaded: total, total }),
        );
        this.status = answer.status;
        this.responseHeaders = answer.headers ?? {};
        this.responseText = answer.body === undefined ? '' : JSON.stringify(answer.body);
        this.onload?.();
      })();
    }
  };
}
