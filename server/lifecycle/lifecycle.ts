/**
 * What happens to a verification after the browser has done its part: statuses arrive (callback, poll,
 * Assure's answers), the final one is saved, the result handed to the integrator exactly once, and only
 * then is the data deleted at Signicat. Polling backs off and stops, so a lost callback never strands a
 * user and a dead upstream is not hammered.
 */
import type { AssureClient, AssureProcess } from '../assure/types.ts';
import type { ResultSink, ResultPayload } from '../delivery/types.ts';
import type { Logger } from '../log.ts';
import { isFinal, isStatus, type Status } from '../statuses.ts';
import type { SessionRecord, SessionStore } from '../state/store.ts';

export interface LifecycleOptions {
  store: SessionStore;
  assure: AssureClient;
  /** Where final results go (webhook or the library user's onResult). Without one nothing is deleted. */
  sink?: ResultSink;
  /** Saves the Assure zip of accepted verifications before the dossier is deleted. */
  archive?: (processId: string, zip: Uint8Array) => Promise<string>;
  deleteAfterDelivery: boolean;
  exposeResultFields: readonly string[];
  poll: { initialMs: number; maxMs: number; giveUpSeconds: number };
  log: Logger;
  now?: () => number;
}

export interface Lifecycle {
  /** Reads the process at Assure and applies what it says. */
  refresh(processId: string): Promise<SessionRecord | undefined>;
  /** Applies a Get process body Assure returned (from Get process or Start verification). */
  apply(processId: string, process: AssureProcess): Promise<SessionRecord | undefined>;
  /** Polls until final: the fallback for callbacks that never come. */
  watch(processId: string): void;
  /** After a restart: resumes polling for every verification still running. */
  resume(): Promise<void>;
  /** Removes settled and abandoned sessions; abandoned dossiers are deleted at Signicat. */
  sweep(graceMs?: number): Promise<number>;
  /** Resolves when all delivery and clean-up work started so far has ended (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

const RANK: Record<Status, number> = {
  pending: 0, processing: 1, accepted: 2, rejected: 2, inconclusive: 2, failed: 2, canceled: 2,
};

export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { store, assure, log } = options;
  const now = options.now ?? Date.now;
  const pollers = new Map<string, { timer: NodeJS.Timeout; delay: number; until: number }>();
  const work = new Set<Promise<unknown>>();
  let closed = false;

  const track = <T>(promise: Promise<T>) => {
    work.add(promise);
    void promise.finally(() => work.delete(promise)).catch(() => {});
    return promise;
  };

  function expose(finalResult: Record<string, unknown> | undefined) {
    if (!finalResult || !options.exposeResultFields.length) return undefined;
    const picked: Record<string, unknown> = {};
    for (const field of options.exposeResultFields) if (field in finalResult) picked[field] = finalResult[field];
    return picked;
  }

  async function apply(processId: string, full: AssureProcess) {
    if (!isStatus(full.status)) return store.get(processId);
    let becameFinal = false;
    const updated = await store.update(processId, (record) => {
      // Never backwards, never away from a final status: callbacks and polls may arrive out of order.
      if (isFinal(record.status) || RANK[full.status] <= RANK[record.status]) return undefined;
      becameFinal = isFinal(full.status);
      return {
        ...record,
        status: full.status,
        updatedAt: new Date(now()).toISOString(),
        exposedResult: becameFinal ? expose(full.finalResult) : record.exposedResult,
        delivery: becameFinal ? (options.sink ? 'waiting' : 'none') : record.delivery,
      };
    });
    if (updated) log('info', 'session.status', { processId, status: updated.status });
    if (updated && becameFinal) {
      stopPolling(processId);
      void track(finish(updated, full));
    }
    return updated;
  }

  async function finish(record: SessionRecord, process: AssureProcess) {
    if (!options.sink) {
      log('info', 'delivery.skipped', { processId: record.processId, why: 'no RESULT_WEBHOOK_URL or onResult configured' });
      return;
    }
    // Once per process, whatever number of callbacks, polls and instances saw the final status.
    if (!(await store.claim(`deliver:${record.processId}`, 24 * 3600_000))) return;
    const payload: ResultPayload = {
      event: 'verification.completed',
      dossierId: record.dossierId,
      processId: record.processId,
      ...(record.reference !== undefined && { reference: record.reference }),
      mode: record.mode,
      status: process.status as ResultPayload['status'],
      completedAt: record.updatedAt,
      result: process,
    };
    try {
      await options.sink(payload);
    } catch (error) {
      await store.update(record.processId, (r) => ({ ...r, delivery: 'failed' }));
      log('error', 'delivery.failed', { processId: record.processId, error: describe(error) });
      return; // not delivered: keep the data at Signicat so nothing is lost
    }
    await store.update(record.processId, (r) => ({ ...r, delivery: 'delivered' }));
    log('info', 'delivery.done', { processId: record.processId });

    if (options.archive && process.status === 'accepted') {
      try {
        const zip = await assure.downloadProcess(record.dossierId, record.processId);
        await options.archive(record.processId, zip);
        log('info', 'archive.saved', { processId: record.processId });
      } catch (error) {
        log('error', 'archive.failed', { processId: record.processId, error: describe(error) });
        return; // the operator asked for an archive: do not delete what could not be archived
      }
    }
    if (options.deleteAfterDelivery) await cleanUp(record);
  }

  async function cleanUp(record: Pick<SessionRecord, 'dossierId' | 'processId'>) {
    try {
      await assure.deleteDossier(record.dossierId);
      await store.update(record.processId, (r) => ({ ...r, cleanedUp: true }));
      log('info', 'dossier.deleted', { processId: record.processId });
    } catch (error) {
      log('warn', 'dossier.delete_failed', { processId: record.processId, error: describe(error) });
    }
  }

  async function refresh(processId: string) {
    const record = await store.get(processId);
    if (!record) return undefined;
    if (isFinal(record.status)) return record;
    const process = await assure.getProcess(record.dossierId, processId);
    return apply(processId, process);
  }

  function stopPolling(processId: string) {
    const poller = pollers.get(processId);
    if (poller) clearTimeout(poller.timer);
    pollers.delete(processId);
  }

  function schedule(processId: string, delay: number, until: number) {
    if (closed) return;
    const timer = setTimeout(() => {
      void track(
        refresh(processId)
          .then((record) => {
            if (!record || isFinal(record.status)) return stopPolling(processId);
            next();
          })
          .catch((error) => {
            log('warn', 'poll.failed', { processId, error: describe(error) });
            next();
          }),
      );
    }, delay);
    timer.unref();
    pollers.set(processId, { timer, delay, until });

    function next() {
      const following = Math.min(delay * 2, options.poll.maxMs);
      if (now() + following > until) {
        pollers.delete(processId);
        log('warn', 'poll.gave_up', { processId });
        return;
      }
      schedule(processId, following, until);
    }
  }

  return {
    refresh,
    apply,
    watch(processId) {
      if (pollers.has(processId)) return;
      schedule(processId, options.poll.initialMs, now() + options.poll.giveUpSeconds * 1000);
    },
    async resume() {
      for (const record of await store.listInFlight()) this.watch(record.processId);
    },
    async sweep(graceMs = 3600_000) {
      const abandoned = await store.sweep(now(), graceMs);
      await Promise.all(abandoned.map((record) => track(cleanUp(record))));
      return abandoned.length;
    },
    async idle() {
      while (work.size) await Promise.allSettled([...work]);
    },
    close() {
      closed = true;
      for (const id of [...pollers.keys()]) stopPolling(id);
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return 'unknown error';
}
