/**
 * The load generator's side: test images, requests that honour `503 overloaded` / `429` with
 * `Retry-After` like the element (a retried refusal is not a failure), an SSE reader that timestamps
 * events, and a bearer token for calling the emulator directly (the baselines).
 */
import { makeJpeg } from '../../../test/helpers/images.ts';
import { SANDBOX_CLIENT, sleep } from './processes.ts';

/** Every request gives up after this long: a stuck request is a failure, never a hang. */
export const REQUEST_TIMEOUT_MS = 60_000;
/** A step refused this many times (each after its Retry-After) fails the verification. */
const MAX_ATTEMPTS = 60;

/**
 * A JPEG of `size` bytes: real SOI/APP0/SOF0 headers (all the proxy and the emulator read) and
 * pseudo-random entropy-coded-like filler, the same bytes on every run.
 */
export function jpeg(width: number, height: number, size: number): Uint8Array<ArrayBuffer> {
  const bytes = makeJpeg(width, height, size);
  // Without padding makeJpeg gives the headers and EOI only: the filler goes between them.
  const headers = makeJpeg(width, height).length - 2;
  let x = 0x9e3779b9;
  for (let i = headers; i < size - 2; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export const dataUrl = (bytes: Uint8Array) =>
  `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;

export class FlowError extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}

export interface Tally {
  /** Refusals (503 overloaded, 429) waited out and tried again. */
  retries: number;
  /** Requests that got no answer at all (connect timeout, connection reset) and were sent again. */
  networkRetries: number;
}

/** Network failures tried again per request, as the element does for uploads, submits and status reads. */
const NETWORK_ATTEMPTS = 3;

/** Sends until the answer is one of `ok`; 503/429 with Retry-After are waited out; anything else throws. */
export async function send(
  step: string,
  url: string | (() => string),
  init: RequestInit,
  ok: readonly number[],
  tally: Tally,
): Promise<Response> {
  let networkFailures = 0;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(typeof url === 'string' ? url : url(), {
        ...init,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      // No answer at all: a browser (and the element, for uploads, submits and status reads) tries
      // again; so does the bench, a few times with backoff, and counts it. Timeouts are not retried.
      if (cause !== 'TimeoutError' && ++networkFailures < NETWORK_ATTEMPTS) {
        tally.networkRetries++;
        await sleep(500 * networkFailures);
        continue;
      }
      throw new FlowError(step, `network (${cause})`);
    }
    if (ok.includes(response.status)) return response;
    const text = await response.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    const retryAfter = Number(response.headers.get('Retry-After'));
    const refusal = (response.status === 503 && code === 'overloaded') || response.status === 429;
    if (
      refusal &&
      Number.isFinite(retryAfter) &&
      response.headers.has('Retry-After') &&
      attempt < MAX_ATTEMPTS
    ) {
      tally.retries++;
      // Retry-After as asked, plus up to 100 ms so that refused clients do not all come back at once.
      await sleep(retryAfter * 1000 + Math.random() * 100);
      continue;
    }
    throw new FlowError(step, `${response.status} ${code ?? text.slice(0, 60)}`);
  }
}

export async function jsonOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** A capture session for a passport (country UNIV) through the proxy at `api`: its token. */
export async function createPassportSession(api: string, tally: Tally): Promise<string> {
  const created = await send(
    'create',
    `${api}/sessions`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"mode":"capture","documentType":"passport","documentCountry":"UNIV"}',
    },
    [201],
    tally,
  );
  return (await jsonOf<{ session: string }>(created)).session;
}

/** A bearer token for the emulator's Assure API, renewed before it expires. */
export function directToken(emulatorUrl: string): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (cached && Date.now() < cached.until) return cached.token;
    pending ??= (async () => {
      const response = await fetch(`${emulatorUrl}/auth/open/connect/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${SANDBOX_CLIENT.id}:${SANDBOX_CLIENT.secret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=signicat-api',
      });
      const { access_token, expires_in } = (await response.json()) as {
        access_token: string;
        expires_in: number;
      };
      cached = { token: access_token, until: Date.now() + expires_in * 900 };
      return access_token;
    })().finally(() => (pending = undefined));
    return pending;
  };
}

export interface SseEvent {
  event: string;
  data: string;
  /** performance.now() when its last byte was read. */
  at: number;
}

/** An open SSE stream; `next` waits for the first queued or future event matching `match`. */
export interface SseStream {
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the first bytes (any comment or event) arrived: the server has subscribed us. */
  opened: Promise<void>;
  close(): void;
}

export async function openSse(url: string): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) throw new FlowError('sse', `${response.status}`);
  const queue: SseEvent[] = [];
  const waiters: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
  let markOpened!: () => void;
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  const deliver = (event: SseEvent) => {
    const index = waiters.findIndex((w) => w.match(event));
    if (index >= 0) waiters.splice(index, 1)[0]!.resolve(event);
    else queue.push(event);
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const at = performance.now();
        markOpened();
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length) deliver({ event, data: data.join('\n'), at });
        }
      }
    } catch {
      // Closed by us.
    }
  })();
  return {
    opened,
    next(match, timeoutMs = 10_000) {
      const index = queue.findIndex(match);
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0]!);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (event: SseEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new FlowError('sse', `no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () => controller.abort(),
  };
}
