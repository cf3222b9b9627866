/**
 * Process lifecycle: `pending` → `processing` → final after a delay, results, notifications (legacy
 * callbacks and Assure Events) and deletion. Owns every processing timer so that `close()` can stop them all.
 */
import { performance } from 'node:perf_hooks';
import type { FinalStatus, Status } from '../statuses.ts';
import { callbackJob } from './callbacks.ts';
import type { Deliverer, DeliveryJob } from './delivery.ts';
import { eventJob, processCompleteEvent } from './events.ts';
import type { FaultInjector, FaultOperation } from './faults.ts';
import type { ResolvedOptions } from './options.ts';
import { finalResult } from './results.ts';
import type { DossierRecord, EmulatorState, FailReason, ProcessRecord } from './state.ts';

type EngineOptions = Pick<
  ResolvedOptions,
  | 'now'
  | 'log'
  | 'processingDelayMs'
  | 'defaultOutcome'
  | 'legacyCallbacks'
  | 'events'
  | 'eventRetryBaseMs'
  | 'eventTtlMs'
  | 'callbackRetryBaseMs'
  | 'callbackMaxRetries'
>;

export class Engine {
  readonly #state: EmulatorState;
  readonly #options: EngineOptions;
  readonly #deliverer: Deliverer;
  readonly #faults: FaultInjector;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(
    state: EmulatorState,
    options: EngineOptions,
    deliverer: Deliverer,
    faults: FaultInjector,
  ) {
    this.#state = state;
    this.#options = options;
    this.#deliverer = deliverer;
    this.#faults = faults;
  }

  /**
   * `pending` → `processing`; the outcome and delay are fixed now (per-process control, else global
   * control, else the options), so later control changes only affect processes started after them.
   */
  startProcessing(process: ProcessRecord): void {
    const override = this.#state.processOutcomes.get(process.processId);
    const global = this.#state.outcome;
    const status = override?.status ?? global?.status ?? this.#options.defaultOutcome;
    const delayMs = override?.delayMs ?? global?.delayMs ?? this.#options.processingDelayMs;
    this.#setStatus(process, 'processing');
    process.outcome = { status, finalizeAt: performance.now() + delayMs };
    this.#schedule(process);
  }

  /** A per-process control change reaches a process that is already processing. */
  reschedule(process: ProcessRecord, setting: { status: FinalStatus; delayMs?: number }): void {
    if (process.status !== 'processing' || !process.outcome) return;
    process.outcome = {
      status: setting.status,
      finalizeAt:
        setting.delayMs === undefined
          ? process.outcome.finalizeAt
          : performance.now() + setting.delayMs,
    };
    this.#schedule(process);
  }

  /** Makes a process final now: results, then the notifications (so a receiver's Get process sees them). */
  finish(process: ProcessRecord, status: FinalStatus, failReason?: FailReason): void {
    this.#clearTimer(process);
    delete process.outcome;
    Object.assign(process, finalResult(process, status, failReason));
    process.finalizedAt = this.#options.now();
    this.#setStatus(process, status);
    this.#notify(process);
  }

  /** The events target in force: the control route's, else the options'. */
  eventsTarget() {
    const set = this.#state.eventsTarget;
    return set === undefined ? this.#options.events : (set ?? undefined);
  }

  deleteProcess(process: ProcessRecord): void {
    this.#clearTimer(process);
    this.#state.removeProcess(process);
    const dossier = this.#state.dossiers.get(process.dossierId);
    if (dossier) dossier.updatedAt = this.#options.now();
    this.#options.log({
      type: 'process.deleted',
      dossierId: process.dossierId,
      processId: process.processId,
    });
  }

  deleteDossier(dossier: DossierRecord): void {
    for (const processId of [...dossier.processIds]) {
      const process = this.#state.processes.get(processId);
      if (process) this.deleteProcess(process);
    }
    this.#state.dossiers.delete(dossier.dossierId);
  }

  /** Marks a change on the process and its dossier. */
  touch(process: ProcessRecord): void {
    process.updatedAt = this.#options.now();
    const dossier = this.#state.dossiers.get(process.dossierId);
    if (dossier) dossier.updatedAt = process.updatedAt;
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #notify(process: ProcessRecord): void {
    if (this.#options.legacyCallbacks) {
      const job = callbackJob(process, this.#options);
      // The older PUT /control/callbacks switches still work beside the fault rules.
      if (job && this.#state.callbackFaults.drop)
        this.#options.log({ type: 'callback.suppressed', processId: process.processId });
      else if (job) this.#deliver('callback', job, this.#state.callbackFaults.duplicate);
    }
    const target = this.eventsTarget();
    if (target) {
      const event = processCompleteEvent(
        process,
        this.#state.dossiers.get(process.dossierId),
        this.#options,
      );
      this.#deliver('event', eventJob(event, process.processId, target, this.#options), false);
    }
  }

  #deliver(
    operation: FaultOperation & ('callback' | 'event'),
    job: DeliveryJob,
    duplicate: boolean,
  ): void {
    const rule = this.#faults.take(operation);
    if (rule?.status === 0) {
      this.#options.log({ type: `${operation}.suppressed`, processId: job.processId });
      return;
    }
    this.#deliverer.send(job, rule?.delayMs ?? 0);
    if (duplicate || rule?.duplicate) this.#deliverer.send(job, rule?.delayMs ?? 0);
  }

  #setStatus(process: ProcessRecord, status: Status): void {
    process.status = status;
    this.touch(process);
    this.#options.log({
      type: 'process.status',
      dossierId: process.dossierId,
      processId: process.processId,
      status,
    });
  }

  #schedule(process: ProcessRecord): void {
    this.#clearTimer(process);
    if (this.#closed || !process.outcome) return;
    const { status } = process.outcome;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        delete process.timer;
        // The process may have been deleted meanwhile (its timer is cleared then, but be safe).
        if (this.#state.processes.get(process.processId) === process) this.finish(process, status);
      },
      Math.max(0, process.outcome.finalizeAt - performance.now()),
    );
    process.timer = timer;
    this.#timers.add(timer);
  }

  #clearTimer(process: ProcessRecord): void {
    if (process.timer === undefined) return;
    clearTimeout(process.timer);
    this.#timers.delete(process.timer);
    delete process.timer;
  }
}
