/**
 * A `fetch` wrapper that records every exchange for the conformance check: method, URL, request
 * headers and body, response status, content type and body. Credentials never enter a recording:
 * `Authorization` keeps only its scheme, token-like JSON fields and form fields are replaced, and
 * image dataURLs are cut to their first bytes.
 */

export interface RecordedExchange {
  /** What the driver was doing (e.g. `getProcess (processing)`), for the report. */
  label?: string;
  method: string;
  url: string;
  /** Lower-case names; `authorization` is `"<scheme> [redacted]"`. */
  requestHeaders: Record<string, string>;
  requestContentType?: string;
  /** JSON value, form fields as an object, `{ bytes }` for binary, or text; undefined when there was none. */
  requestBody?: unknown;
  /** 0 when no response arrived (`error` says why). */
  status: number;
  responseContentType?: string;
  /** JSON value (parsed), text (cut), `{ binary: true, bytes }`, or undefined for an empty body. */
  responseBody?: unknown;
  /** True when the response claimed JSON but did not parse. */
  responseJsonInvalid?: boolean;
  responseBytes: number;
  error?: string;
}

export interface Recorder {
  /** Use where the code under test takes a `fetch`; it behaves exactly like the one it wraps. */
  fetch: typeof fetch;
  /** Labels the exchanges that start from now on (undefined: no label). */
  label(name: string | undefined): void;
  /** Every exchange so far, in the order the requests were sent, once their bodies are read. */
  exchanges(): Promise<RecordedExchange[]>;
}

export const REDACTED = '[redacted]';

/** JSON fields and form fields whose values are credentials or bearer tokens. */
const SECRET_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'authorization',
  'authorizationheader',
  'client_secret',
  'password',
]);

const TEXT_LIMIT = 300;
const DATA_URL_KEEP = 48;

export function createRecorder(options: { fetch?: typeof fetch } = {}): Recorder {
  const inner = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const recorded: Array<Promise<RecordedExchange>> = [];
  let currentLabel: string | undefined;

  const recordingFetch: typeof fetch = async (input, init) => {
    const label = currentLabel;
    // A copy to read from, so the body still goes out untouched. A stream body cannot be copied
    // without consuming it: only its presence is recorded.
    const streamed = init?.body instanceof ReadableStream;
    const request = new Request(
      input instanceof Request ? input.clone() : input,
      streamed ? { ...init, body: null } : init,
    );
    const requestText = streamed ? '(stream)' : request.body ? await request.text() : '';
    const requestHeaders = recordHeaders(request.headers);
    const requestContentType = request.headers.get('content-type') ?? undefined;
    const base = {
      ...(label !== undefined && { label }),
      method: request.method,
      url: request.url,
      requestHeaders,
      ...(requestContentType !== undefined && { requestContentType }),
      ...(requestText !== '' && { requestBody: recordBody(requestText, requestContentType) }),
    };
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      recorded.push(
        Promise.resolve({ ...base, status: 0, responseBytes: 0, error: describe(error) }),
      );
      throw error;
    }
    const copy = response.clone();
    recorded.push(
      (async (): Promise<RecordedExchange> => {
        const responseContentType = copy.headers.get('content-type') ?? undefined;
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(await copy.arrayBuffer());
        } catch (error) {
          return {
            ...base,
            status: copy.status,
            responseContentType,
            responseBytes: 0,
            error: `body not read: ${describe(error)}`,
          };
        }
        const exchange: RecordedExchange = {
          ...base,
          status: copy.status,
          responseBytes: bytes.length,
        };
        if (responseContentType !== undefined) exchange.responseContentType = responseContentType;
        if (bytes.length > 0) {
          if (isJson(responseContentType)) {
            try {
              exchange.responseBody = redact(JSON.parse(new TextDecoder().decode(bytes)));
            } catch {
              exchange.responseJsonInvalid = true;
            }
          } else if (isText(responseContentType)) {
            exchange.responseBody = cut(new TextDecoder().decode(bytes));
          } else {
            exchange.responseBody = { binary: true, bytes: bytes.length };
          }
        }
        return exchange;
      })(),
    );
    return response;
  };

  return {
    fetch: recordingFetch,
    label(name) {
      currentLabel = name;
    },
    exchanges: () => Promise.all(recorded),
  };
}

export function isJson(contentType: string | undefined): boolean {
  const media = mediaType(contentType);
  return media === 'application/json' || media.endsWith('+json');
}

function isText(contentType: string | undefined): boolean {
  const media = mediaType(contentType);
  return (
    media.startsWith('text/') ||
    media === 'application/x-www-form-urlencoded' ||
    media.endsWith('+xml')
  );
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function recordHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    // The scheme of an authorization header is worth checking; its value and any cookie never are.
    if (name === 'authorization' || name === 'proxy-authorization')
      out[name] = `${value.split(' ')[0]} ${REDACTED}`;
    else out[name] = name === 'cookie' ? REDACTED : value;
  });
  return out;
}

function recordBody(text: string, contentType: string | undefined): unknown {
  if (isJson(contentType)) {
    try {
      return redact(JSON.parse(text));
    } catch {
      return cut(text);
    }
  }
  if (mediaType(contentType) === 'application/x-www-form-urlencoded') {
    const form: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text))
      form[key] = SECRET_FIELDS.has(key.toLowerCase()) ? REDACTED : value;
    return form;
  }
  return isText(contentType) ? cut(text) : { bytes: Buffer.byteLength(text) };
}

/** Deep copy with secret fields replaced (strings stay strings, so schemas still apply) and dataURLs cut. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return shortenDataUrl(value);
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      SECRET_FIELDS.has(key.toLowerCase()) && typeof field === 'string' ? REDACTED : redact(field);
  }
  return out;
}

/** `data:image/jpeg;base64,/9j/4AAQ…` (megabytes) → its first bytes plus the length left out. */
export function shortenDataUrl(value: string): string {
  const match = /^data:[\w.+/-]+(;[\w=.+-]+)*;base64,/i.exec(value);
  if (!match || value.length <= match[0].length + DATA_URL_KEEP) return value;
  const keep = match[0].length + DATA_URL_KEEP;
  return `${value.slice(0, keep)}…[+${value.length - keep} chars]`;
}

function cut(text: string): string {
  return text.length > TEXT_LIMIT
    ? `${text.slice(0, TEXT_LIMIT)}…[+${text.length - TEXT_LIMIT} chars]`
    : text;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
