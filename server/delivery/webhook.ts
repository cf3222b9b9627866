/**
 * Delivers final results to the integrator's backend as signed webhooks, retrying with exponential
 * backoff until the receiver answers 2xx. The body carries personal data: it is never logged.
 *
 * @example
 * ```ts
 * const sink = createWebhookDelivery({ url: 'https://backend.example/hooks/verify', secret })
 * await sink(payload) // resolves once the receiver answered 2xx
 * ```
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.ts';
import type { ResultPayload, ResultSink } from './types.ts';

export type DeliveryLogEvent =
  | {
      event: 'delivery.attempt';
      processId: string;
      deliveryId: string;
      attempt: number;
      /** Receiver's HTTP status; absent on network errors and timeouts. */
      status?: number;
      error?: 'timeout' | 'network';
      ms: number;
    }
  | {
      event: 'delivery.retry';
      processId: string;
      deliveryId: string;
      attempt: number;
      delayMs: number;
    }
  | {
      event: 'delivery.failed';
      processId: string;
      deliveryId: string;
      attempts: number;
      status?: number;
    };

export interface WebhookDeliveryOptions {
  /** The integrator's receiver (http or https). */
  url: string;
  /** Signing secret; give two (new first) while rotating so receivers can switch over. */
  secret: string | readonly string[];
  fetch?: typeof fetch;
  /** Per attempt. @default 10000 */
  timeoutMs?: number;
  /** Attempts after the first one. @default 5 */
  retries?: number;
  /** Delay before the first retry; doubles each time (1 s, 2 s, 4 s, 8 s, 16 s). @default 1000 */
  retryBaseMs?: number;
  log?: (event: DeliveryLogEvent) => void;
  /** Clock in milliseconds (signature timestamps). @default Date.now */
  now?: () => number;
  /**
   * The results come from the sandbox emulator: every body carries `"sandbox": true`, inside the
   * signed bytes, so a receiver can refuse them and nobody can strip the marker without the secret.
   */
  sandbox?: boolean;
}

/** A result could not be delivered: the receiver refused it or never answered 2xx. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly processId: string,
    readonly deliveryId: string,
    readonly attempts: number,
    /** The receiver's last HTTP status; absent if the last attempt got no response. */
    readonly status?: number,
  ) {
    super(message);
  }
}

type Outcome =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; status?: number; error?: 'timeout' | 'network' };

export function createWebhookDelivery(options: WebhookDeliveryOptions): ResultSink {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError('Webhook url must be http(s)');
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...options.secret];
  if (secrets.length === 0 || secrets.some((s) => !s))
    throw new TypeError('Webhook secret must not be empty');
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const now = options.now ?? Date.now;
  const log = options.log;

  async function attempt(body: string, deliveryId: string): Promise<Outcome> {
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'signicat-verify',
          // Signed per attempt, so a late retry is still within the receiver's tolerance.
          [SIGNATURE_HEADER]: signWebhook(secrets, body, Math.floor(now() / 1000)),
          [DELIVERY_HEADER]: deliveryId,
        },
        body,
        // Following a redirect would send personal data to a URL nobody configured.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => {});
      const status = response.status;
      if (status >= 200 && status <= 299) return { ok: true, status };
      // Receivers signal "try later" with 5xx, 408 and 429; other answers won't change on a retry.
      return { ok: false, status, retry: status >= 500 || status === 408 || status === 429 };
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { ok: false, retry: true, error: timedOut ? 'timeout' : 'network' };
    }
  }

  return async function deliverWebhook(payload: ResultPayload): Promise<void> {
    const body = JSON.stringify(options.sandbox ? { ...payload, sandbox: true } : payload);
    // One id for all attempts, so receivers can drop duplicates (a 2xx may be lost on the way back).
    const deliveryId = payload.deliveryId || randomUUID();
    const { processId } = payload;
    for (let n = 1; ; n++) {
      const started = performance.now();
      const outcome = await attempt(body, deliveryId);
      log?.({
        event: 'delivery.attempt',
        processId,
        deliveryId,
        attempt: n,
        status: outcome.status,
        error: outcome.ok ? undefined : outcome.error,
        ms: Math.round(performance.now() - started),
      });
      if (outcome.ok) return;
      if (!outcome.retry || n > retries) {
        log?.({
          event: 'delivery.failed',
          processId,
          deliveryId,
          attempts: n,
          status: outcome.status,
        });
        const why = outcome.status ? `HTTP ${outcome.status}` : (outcome.error ?? 'network');
        throw new DeliveryError(
          `Result for process ${processId} not delivered after ${n} attempt${n === 1 ? '' : 's'} (${why})`,
          processId,
          deliveryId,
          n,
          outcome.status,
        );
      }
      const delayMs = retryBaseMs * 2 ** (n - 1);
      log?.({ event: 'delivery.retry', processId, deliveryId, attempt: n + 1, delayMs });
      await sleep(delayMs);
    }
  };
}
