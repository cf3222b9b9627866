/** Emulator options, their defaults and the structured log events. */
import type { FinalStatus } from '../statuses.ts';
import type { DocumentTypeEntry } from './document-types.ts';
import type { DocumentTypeProvider } from './providers.ts';

/** Client ID of the sandbox API client the emulator accepts by default. */
export const SANDBOX_CLIENT_ID = 'sandbox-client';
/** Client secret of the sandbox API client. Not a secret: the emulator is for local use only. */
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret';

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
}

/** Where the emulator delivers Assure Events (Signicat's Dashboard webhook subscription, emulated). */
export interface EventsTarget {
  url: string;
  /** Signs each payload (HMAC-SHA256, server/events/signature.ts); unsigned without one. */
  secret?: string;
}

/**
 * What the emulator reports through `log`. Never carries access tokens, process `authorization`
 * tokens, capture page tokens, `authorizationHeader` values, event secrets or image data.
 */
export type EmulatorEvent =
  | { type: 'token.issued'; clientId: string }
  | { type: 'token.rejected'; reason: string }
  | { type: 'dossier.created' | 'dossier.deleted' | 'dossier.expired'; dossierId: string }
  | { type: 'process.created'; dossierId: string; processId: string; provider: string }
  | { type: 'process.deleted'; dossierId: string; processId: string }
  | { type: 'process.status'; dossierId: string; processId: string; status: string }
  | { type: 'callback.delivered' | 'event.delivered'; processId: string; attempt: number }
  | {
      type: 'callback.retry' | 'event.retry';
      processId: string;
      attempt: number;
      reason: string;
      retryInMs: number;
    }
  | {
      type: 'callback.dropped' | 'event.dropped';
      processId: string;
      attempts: number;
      reason: string;
    }
  | { type: 'callback.suppressed' | 'event.suppressed'; processId: string }
  | {
      type: 'fault.applied';
      operation: string;
      status?: number;
      delayMs?: number;
      duplicate?: boolean;
    }
  | { type: 'error'; message: string };

export interface EmulatorOptions {
  /**
   * API clients allowed to get tokens.
   * @default [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }]
   */
  clients?: readonly EmulatorClient[] | Readonly<Record<string, string>>;
  /**
   * How the token endpoint reads HTTP Basic credentials: `form` decodes each part as
   * application/x-www-form-urlencoded after splitting at the first `:` (what IdentityServer-style
   * servers do, and what RFC 6749 §2.3.1 clients send); `raw` compares the parts as they are.
   * @default 'form'
   */
  basicAuthDecoding?: 'form' | 'raw';
  /**
   * Access token lifetime in seconds (Signicat allows 1 to 3600).
   * @default 600
   */
  tokenLifetimeSeconds?: number;
  /**
   * Time from `processing` to the final status, unless the control routes say otherwise.
   * @default 1000
   */
  processingDelayMs?: number;
  /**
   * Final status of processes when no control route set one.
   * @default 'accepted'
   */
  defaultOutcome?: FinalStatus;
  /**
   * Form of Signicat Paper's `documentCountry`: the spec's description says ISO 3166-1 alpha-2, its
   * example is alpha-3. `UNIV` (any ICAO passport) is accepted in both.
   * @default 'alpha2'
   */
  documentCountryFormat?: 'alpha2' | 'alpha3';
  /**
   * Time after the final status before Download has the zip (it answers 204 until then).
   * @default 0
   */
  zipReadyDelayMs?: number;
  /**
   * Send the per-process `notificationUrl` callbacks of the older integration guide. The OpenAPI
   * description has no such field; `false` models an API that ignores it.
   * @default true
   */
  legacyCallbacks?: boolean;
  /**
   * Deliver Assure Events (`process.complete`) here, signed with `secret` when given. Also set at run
   * time through `PUT /control/events`.
   * @default undefined (no events)
   */
  events?: EventsTarget;
  /**
   * First retry delay of an event delivery; retry n waits `base × 2^n` while the event has not expired.
   * @default 1000
   */
  eventRetryBaseMs?: number;
  /**
   * Lifetime of an event (its `expiresAt`); deliveries stop after it.
   * @default 30000
   */
  eventTtlMs?: number;
  /**
   * Document types per provider instead of the built-in fixture; an empty list answers 204.
   * @default DOCUMENT_TYPES_FIXTURE for every provider (with `id` for signicatvideoid)
   */
  documentTypes?: Partial<Record<DocumentTypeProvider, readonly DocumentTypeEntry[]>>;
  /**
   * A delivery (callback or event attempt) counts only when answered within this time (Assure documents 10 s).
   * @default 10000
   */
  callbackTimeoutMs?: number;
  /**
   * First retry delay of a failed callback; retry n waits `base × 2^n`.
   * @default 1000
   */
  callbackRetryBaseMs?: number;
  /**
   * Retries after the first callback attempt before the callback is dropped.
   * @default 5
   */
  callbackMaxRetries?: number;
  /**
   * `fetch` used to deliver callbacks and events.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * Receives structured events (see {@link EmulatorEvent}).
   * @default no logging
   */
  log?: (event: EmulatorEvent) => void;
  /**
   * Clock in milliseconds since the epoch, for token expiry, timestamps, zip readiness and retention.
   * Timers still run in real time.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Dossiers older than this are deleted, with their processes (checked on every request).
   * @default undefined (data is kept until deleted)
   */
  retentionTtlMs?: number;
  /**
   * Path prefix under which the app is served, for the absolute URLs it hands out (capture page `url`).
   * Only needed when the prefix is stripped before the request reaches the app (e.g. `hono/mount` or a
   * reverse proxy); with `parent.route('/emulator', emulator.app)` it is detected.
   * @default detected from the route the app is mounted on
   */
  basePath?: string;
  /**
   * Show an invented partial `providerSpecific` block (`ocr.status: in_progress`) while a process is
   * `processing`. The spec defines no such block, so it is off unless asked for.
   * @default false
   */
  partialResultsWhileProcessing?: boolean;
}

export type ResolvedOptions = Required<
  Omit<EmulatorOptions, 'clients' | 'retentionTtlMs' | 'basePath' | 'events' | 'documentTypes'>
> & {
  clients: ReadonlyMap<string, string>;
  retentionTtlMs: number | undefined;
  basePath: string | undefined;
  events: EventsTarget | undefined;
  documentTypes: Partial<Record<DocumentTypeProvider, readonly DocumentTypeEntry[]>>;
};

/** An absolute http(s) URL, or undefined. */
export function httpUrlOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Checks an events target; throws a RangeError naming the problem. */
export function checkEventsTarget(target: EventsTarget, where: string): EventsTarget {
  const url = httpUrlOrUndefined(target.url);
  if (url === undefined)
    throw new RangeError(`${where}: events.url must be an absolute http(s) URL`);
  if (
    target.secret !== undefined &&
    (typeof target.secret !== 'string' || target.secret === '' || target.secret.length > 1024)
  ) {
    throw new RangeError(
      `${where}: events.secret must be a non-empty string of at most 1024 characters`,
    );
  }
  return { url: target.url, ...(target.secret !== undefined && { secret: target.secret }) };
}

/** Applies defaults and refuses values that would make the emulator misbehave. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const clients = new Map<string, string>();
  const given = options.clients ?? [
    { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
  ];
  if (Array.isArray(given)) {
    for (const { clientId, clientSecret } of given as readonly EmulatorClient[])
      clients.set(clientId, clientSecret);
  } else {
    for (const [clientId, clientSecret] of Object.entries(given))
      clients.set(clientId, clientSecret);
  }
  const resolved: ResolvedOptions = {
    clients,
    basicAuthDecoding: options.basicAuthDecoding ?? 'form',
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 600,
    processingDelayMs: options.processingDelayMs ?? 1000,
    defaultOutcome: options.defaultOutcome ?? 'accepted',
    documentCountryFormat: options.documentCountryFormat ?? 'alpha2',
    zipReadyDelayMs: options.zipReadyDelayMs ?? 0,
    legacyCallbacks: options.legacyCallbacks ?? true,
    events:
      options.events === undefined
        ? undefined
        : checkEventsTarget(options.events, 'createEmulator'),
    eventRetryBaseMs: options.eventRetryBaseMs ?? 1000,
    eventTtlMs: options.eventTtlMs ?? 30_000,
    documentTypes: options.documentTypes ?? {},
    callbackTimeoutMs: options.callbackTimeoutMs ?? 10_000,
    callbackRetryBaseMs: options.callbackRetryBaseMs ?? 1000,
    callbackMaxRetries: options.callbackMaxRetries ?? 5,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    log: options.log ?? (() => {}),
    now: options.now ?? Date.now,
    retentionTtlMs: options.retentionTtlMs,
    basePath: options.basePath === undefined ? undefined : options.basePath.replace(/\/+$/, ''),
    partialResultsWhileProcessing: options.partialResultsWhileProcessing ?? false,
  };
  for (const key of [
    'tokenLifetimeSeconds',
    'processingDelayMs',
    'zipReadyDelayMs',
    'eventRetryBaseMs',
    'eventTtlMs',
    'callbackTimeoutMs',
    'callbackRetryBaseMs',
    'callbackMaxRetries',
  ] as const) {
    const value = resolved[key];
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`createEmulator: ${key} must be a number >= 0`);
  }
  if (!['form', 'raw'].includes(resolved.basicAuthDecoding)) {
    throw new RangeError("createEmulator: basicAuthDecoding must be 'form' or 'raw'");
  }
  if (!['alpha2', 'alpha3'].includes(resolved.documentCountryFormat)) {
    throw new RangeError("createEmulator: documentCountryFormat must be 'alpha2' or 'alpha3'");
  }
  if (clients.size === 0) throw new RangeError('createEmulator: at least one client is needed');
  return resolved;
}
