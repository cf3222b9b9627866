/**
 * notificationUrl callbacks (reference §12 "Callbacks"): POST `{dossierId, processId, status}` with the
 * process's `authorizationHeader` replayed verbatim as `Authorization`. Delivered means HTTP 200 within
 * the timeout; otherwise retried after base × 2^n ms, up to the retry limit, then dropped and logged.
 */
import type { ResolvedOptions } from './options.ts';

export interface CallbackTarget {
  url: string;
  /** Sent verbatim as `Authorization`; omitted when undefined. */
  authorization?: string;
}

export interface CallbackPayload {
  dossierId: string;
  processId: string;
  status: string;
}

type CallbackOptions = Pick<
  ResolvedOptions,
  'fetch' | 'log' | 'callbackTimeoutMs' | 'callbackRetryBaseMs' | 'callbackMaxRetries'
>;

export class CallbackSender {
  readonly #options: CallbackOptions;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #inFlight = new Set<AbortController>();
  #closed = false;

  constructor(options: CallbackOptions) {
    this.#options = options;
  }

  /** Starts delivery in the background; never throws. */
  send(target: CallbackTarget, payload: CallbackPayload): void {
    void this.#attempt(target, payload, 0);
  }

  /** Stops all retries and aborts requests in flight. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
  }

  async #attempt(target: CallbackTarget, payload: CallbackPayload, attempt: number): Promise<void> {
    if (this.#closed) return;
    const { fetch, log, callbackTimeoutMs, callbackRetryBaseMs, callbackMaxRetries } = this.#options;
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), callbackTimeoutMs);
    this.#inFlight.add(controller);
    let reason: string;
    try {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (target.authorization !== undefined) headers['Authorization'] = target.authorization;
      const response = await fetch(target.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: controller.signal,
        // A redirect is not a 200: retry rather than follow it somewhere else.
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => {});
      if (response.status === 200) {
        log({ type: 'callback.delivered', processId: payload.processId, attempt });
        return;
      }
      reason = `HTTP ${response.status}`;
    } catch {
      reason = controller.signal.aborted ? `no answer within ${callbackTimeoutMs} ms` : 'network error';
    } finally {
      clearTimeout(timeout);
      this.#inFlight.delete(controller);
    }
    if (this.#closed) return;
    if (attempt >= callbackMaxRetries) {
      log({ type: 'callback.dropped', processId: payload.processId, attempts: attempt + 1, reason });
      return;
    }
    const retryInMs = callbackRetryBaseMs * 2 ** attempt;
    log({ type: 'callback.retry', processId: payload.processId, attempt, reason, retryInMs });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(target, payload, attempt + 1);
    }, retryInMs);
    this.#timers.add(timer);
  }
}
