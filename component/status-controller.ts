/**
 * @module
 * Follows a session's status: Server-Sent Events first, polling `GET /sessions/{s}` with backoff when the
 * stream fails (or is not available), plus a slow safety poll while the stream is open in case something on
 * the way buffers it. Stops at a final status and when the host leaves the document.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError, isAbortError, isFinalStatus, type ProxyClient, type Status } from './api.js';
import type { HandoffProgress } from './contract/index.js';

/** Delays in milliseconds. */
export interface StatusTiming {
  pollMinMs: number;
  pollMaxMs: number;
  /** Safety poll while the event stream is open. */
  slowPollMs: number;
  /** Longest `Retry-After` honoured after a `429`. */
  retryAfterCapMs?: number;
}

export interface StatusCallbacks {
  onStatus(status: Status, final: boolean): void;
  /** A cross-device hand-off's progress (`handoff` events, or `handoff` in a polled answer). */
  onHandoff?(progress: HandoffProgress): void;
  onError(error: ApiError): void;
}

export class StatusController implements ReactiveController {
  private source?: EventSource;
  private timer?: ReturnType<typeof setTimeout>;
  private abort?: AbortController;
  private running = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly callbacks: StatusCallbacks,
    private readonly timing: () => StatusTiming,
  ) {
    host.addController(this);
  }

  /** Starts following `session`; replaces anything followed before. */
  watch(client: ProxyClient, session: string): void {
    this.stop();
    this.running = true;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    let pollDelay = this.timing().pollMinMs;

    const handle = (status: Status, final: boolean) => {
      if (!this.running) return;
      this.callbacks.onStatus(status, final);
      if (final) this.stop();
    };

    let polled: Status | undefined;
    const poll = async (fast: boolean) => {
      if (!this.running) return;
      try {
        const state = await client.getSession(session, { signal });
        // Back off while nothing changes; a change means things are moving, so look again soon.
        if (state.status !== polled) pollDelay = this.timing().pollMinMs;
        polled = state.status;
        if (state.handoff) this.callbacks.onHandoff?.(state.handoff);
        handle(state.status, state.final || isFinalStatus(state.status));
      } catch (error) {
        if (isAbortError(error)) return;
        if (error instanceof ApiError && !error.retryable) {
          this.stop();
          this.callbacks.onError(error);
          return;
        }
        const { pollMaxMs, retryAfterCapMs = 60_000 } = this.timing();
        // A 429 says how long to stay away; anything else backs off.
        pollDelay =
          error instanceof ApiError && error.retryAfterMs !== undefined
            ? Math.min(Math.max(error.retryAfterMs, pollDelay), retryAfterCapMs)
            : Math.min(pollDelay * 2, pollMaxMs);
      }
      schedule(fast);
    };

    const schedule = (fast: boolean) => {
      if (!this.running) return;
      clearTimeout(this.timer);
      const { pollMaxMs, slowPollMs } = this.timing();
      this.timer = setTimeout(() => void poll(fast), fast ? pollDelay : slowPollMs);
      if (fast) pollDelay = Math.min(Math.round(pollDelay * 1.5), pollMaxMs);
    };

    if (typeof EventSource === 'undefined') {
      void poll(true);
      return;
    }
    const source = new EventSource(client.eventsUrl(session));
    this.source = source;
    const onMessage = (e: MessageEvent) => {
      try {
        const data = JSON.parse(String(e.data)) as { status?: unknown; final?: unknown };
        if (typeof data.status !== 'string') return;
        handle(data.status as Status, data.final === true || isFinalStatus(data.status));
      } catch {
        /* ignore a malformed message; the next one or the poll corrects it */
      }
    };
    source.addEventListener('status', onMessage as EventListener);
    source.addEventListener('handoff', ((e: MessageEvent) => {
      try {
        if (this.running) this.callbacks.onHandoff?.(JSON.parse(String(e.data)) as HandoffProgress);
      } catch {
        /* a malformed message: the next one corrects it */
      }
    }) as EventListener);
    source.addEventListener('message', onMessage);
    source.addEventListener('error', () => {
      if (!this.running || this.source !== source) return;
      // The stream failed (proxy without SSE, CORS, dropped connection): poll instead, starting now.
      source.close();
      this.source = undefined;
      void poll(true);
    });
    schedule(false);
  }

  /** Stops following. */
  stop(): void {
    this.running = false;
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.timer);
    this.abort?.abort();
    this.abort = undefined;
  }

  hostDisconnected(): void {
    this.stop();
  }
}
