/**
 * Outgoing HTTP deliveries (notificationUrl callbacks and Assure Events) with retries: one POST per
 * attempt, an attempt counts only when answered in time with a status the job accepts, otherwise it is
 * retried after the delay the job names, or dropped and logged. Owns every timer and request in
 * flight so that `close()` stops them all.
 */
import type { EmulatorEvent, ResolvedOptions } from './options.ts';

export interface DeliveryJob {
  kind: 'callback' | 'event';
  processId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Whether an answer with this status counts as delivered. */
  delivered(status: number): boolean;
  /** Milliseconds before the attempt after `attempt` (0-based), or undefined to give up. */
  retryIn(attempt: number): number | undefined;
}

type DeliveryOptions = Pick<ResolvedOptions, 'fetch' | 'log' | 'callbackTimeoutMs'>;

export class Deliverer {
  readonly #options: DeliveryOptions;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #inFlight = new Set<AbortController>();
  #closed = false;

  constructor(options: DeliveryOptions) {
    this.#options = options;
  }

  /** Starts delivery in the background (after `delayMs`); never throws. */
  send(job: DeliveryJob, delayMs = 0): void {
    if (delayMs > 0) this.#later(delayMs, () => this.#attempt(job, 0));
    else void this.#attempt(job, 0);
  }

  /** Stops all retries and aborts requests in flight. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
  }

  #later(ms: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void run();
    }, ms);
    this.#timers.add(timer);
  }

  async #attempt(job: DeliveryJob, attempt: number): Promise<void> {
    if (this.#closed) return;
    const { fetch, callbackTimeoutMs } = this.#options;
    const log = (event: Record<string, unknown>) =>
      this.#options.log({ ...event, processId: job.processId } as EmulatorEvent);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), callbackTimeoutMs);
    this.#inFlight.add(controller);
    let reason: string;
    try {
      const response = await fetch(job.url, {
        method: 'POST',
        headers: job.headers,
        body: job.body,
        signal: controller.signal,
        // A redirect is not an answer: retry rather than follow it somewhere else.
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => {});
      if (job.delivered(response.status)) {
        log({ type: `${job.kind}.delivered`, attempt });
        return;
      }
      reason = `HTTP ${response.status}`;
    } catch {
      reason = controller.signal.aborted
        ? `no answer within ${callbackTimeoutMs} ms`
        : 'network error';
    } finally {
      clearTimeout(timeout);
      this.#inFlight.delete(controller);
    }
    if (this.#closed) return;
    const retryInMs = job.retryIn(attempt);
    if (retryInMs === undefined) {
      log({ type: `${job.kind}.dropped`, attempts: attempt + 1, reason });
      return;
    }
    log({ type: `${job.kind}.retry`, attempt, reason, retryInMs });
    this.#later(retryInMs, () => this.#attempt(job, attempt + 1));
  }
}
