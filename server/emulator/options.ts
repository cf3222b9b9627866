/** Emulator options, their defaults and the structured log events. */
import type { FinalStatus } from '../statuses.ts';

/** Client ID of the sandbox API client the emulator accepts by default. */
export const SANDBOX_CLIENT_ID = 'sandbox-client';
/** Client secret of the sandbox API client. Not a secret: the emulator is for local use only. */
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret';

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
}

/**
 * What the emulator reports through `log`. Never carries access tokens, process `authorization`
 * tokens, capture page tokens, `authorizationHeader` values or image data.
 */
export type EmulatorEvent =
  | { type: 'token.issued'; clientId: string }
  | { type: 'token.rejected'; reason: string }
  | { type: 'dossier.created' | 'dossier.deleted' | 'dossier.expired'; dossierId: string }
  | { type: 'process.created'; dossierId: string; processId: string; provider: string }
  | { type: 'process.deleted'; dossierId: string; processId: string }
  | { type: 'process.status'; dossierId: string; processId: string; status: string }
  | { type: 'callback.delivered'; processId: string; attempt: number }
  | { type: 'callback.retry'; processId: string; attempt: number; reason: string; retryInMs: number }
  | { type: 'callback.dropped'; processId: string; attempts: number; reason: string }
  | { type: 'callback.suppressed'; processId: string }
  | { type: 'error'; message: string };

export interface EmulatorOptions {
  /**
   * API clients allowed to get tokens.
   * @default [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }]
   */
  clients?: readonly EmulatorClient[] | Readonly<Record<string, string>>;
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
   * A callback counts as delivered only on HTTP 200 within this time (Assure documents 10 s).
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
   * `fetch` used to deliver callbacks.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * Receives structured events (see {@link EmulatorEvent}).
   * @default no logging
   */
  log?: (event: EmulatorEvent) => void;
  /**
   * Clock in milliseconds since the epoch, for token expiry, timestamps and retention. Timers still run in real time.
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
   * Show a partial `providerSpecific` OCR block while a process is `processing`, as Signicat documents
   * for Get process ("returns whatever is available so far"). `finalResult` still appears only when final.
   * @default true
   */
  partialResultsWhileProcessing?: boolean;
}

export type ResolvedOptions = Required<Omit<EmulatorOptions, 'clients' | 'retentionTtlMs' | 'basePath'>> & {
  clients: ReadonlyMap<string, string>;
  retentionTtlMs: number | undefined;
  basePath: string | undefined;
};

/** Applies defaults and refuses values that would make the emulator misbehave. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const clients = new Map<string, string>();
  const given = options.clients ?? [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }];
  if (Array.isArray(given)) {
    for (const { clientId, clientSecret } of given as readonly EmulatorClient[]) clients.set(clientId, clientSecret);
  } else {
    for (const [clientId, clientSecret] of Object.entries(given)) clients.set(clientId, clientSecret);
  }
  const resolved: ResolvedOptions = {
    clients,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 600,
    processingDelayMs: options.processingDelayMs ?? 1000,
    defaultOutcome: options.defaultOutcome ?? 'accepted',
    callbackTimeoutMs: options.callbackTimeoutMs ?? 10_000,
    callbackRetryBaseMs: options.callbackRetryBaseMs ?? 1000,
    callbackMaxRetries: options.callbackMaxRetries ?? 5,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    log: options.log ?? (() => {}),
    now: options.now ?? Date.now,
    retentionTtlMs: options.retentionTtlMs,
    basePath: options.basePath === undefined ? undefined : options.basePath.replace(/\/+$/, ''),
    partialResultsWhileProcessing: options.partialResultsWhileProcessing ?? true,
  };
  for (const key of [
    'tokenLifetimeSeconds',
    'processingDelayMs',
    'callbackTimeoutMs',
    'callbackRetryBaseMs',
    'callbackMaxRetries',
  ] as const) {
    const value = resolved[key];
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`createEmulator: ${key} must be a number >= 0`);
  }
  if (clients.size === 0) throw new RangeError('createEmulator: at least one client is needed');
  return resolved;
}
