/**
 * What happens to a verification after the browser has done its part: statuses arrive (callback,
 * Assure Event, poll, Assure's own answers), the final one is saved, the result handed to the
 * integrator exactly once (retried for hours), the zip archived when asked, and only then is the data
 * deleted at Signicat. Signicat is the durable record of unfinished work: a callback or event for a
 * process this instance never saw, and the periodic reconciliation, rebuild the record from the
 * dossier's sealed `externalReference` and carry on. Polling backs off and stops, so a lost callback
 * never strands a user and a dead upstream is not hammered.
 */
import type { AssureClient, AssureProcess } from '../assure/types.ts';
import type { ResultPayload, ResultSink } from '../delivery/types.ts';
import type { Logger } from '../log.ts';
import type { ExternalReferences } from '../session/external-reference.ts';
import { isFinal, isStatus, type Status } from '../statuses.ts';
import type { ResultSource, SessionRecord, SessionStore } from '../state/store.ts';

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
  /** Retries of a failed delivery (and of a zip that is not ready): first delay, longest delay, give up after. */
  retry?: { baseMs?: number; maxMs?: number; giveUpMs?: number };
  references: ExternalReferences;
  sessionTtlSeconds: number;
  /** A dossier of ours without a process, unknown to the store, is deleted after this long. @default 10 min */
  orphanDossierGraceMs?: number;
  /** Results come from the emulator: every payload says so (receivers reject them in production). */
  sandbox?: boolean;
  log: Logger;
  now?: () => number;
}

/** Where a status came from; `answer` is Assure's own reply to Start verification or the return. */
export type Source = ResultSource;

export interface Lifecycle {
  /** Reads the process at Assure and applies what it says. */
  refresh(sessionId: string, source: Source): Promise<SessionRecord | undefined>;
  /**
   * Applies a status (and, from Get process, the body) Assure gave for the session's process. `complete`
   * says `process` is Get process's whole answer: the delivery then sends it instead of reading it again.
   */
  observe(
    sessionId: string,
    process: { status?: string } & Partial<AssureProcess>,
    source: Source,
    complete?: boolean,
  ): Promise<SessionRecord | undefined>;
  /** A callback or event named this process: refresh it, or adopt it when this instance never saw it. */
  notified(
    dossierId: string,
    processId: string,
    source: 'callback' | 'event',
  ): Promise<SessionRecord | undefined>;
  /** Polls until final: the fallback for callbacks and events that never come. */
  watch(sessionId: string): void;
  /** Resumes work whose instance disappeared (shared store): unfinished deliveries, unpolled verifications. */
  takeOverOrphans(): Promise<number>;
  /** After a restart: resumes polling and unfinished deliveries this store still knows. */
  resume(): Promise<void>;
  /** Lists this proxy's processes at Signicat (the last `days`) and resumes whatever is unfinished. */
  reconcile(days?: number): Promise<{ seen: number; adopted: number; removed: number }>;
  /**
   * Deletes a dossier no session will use (the compensation of a partial failure), retried with backoff
   * while Signicat fails. The first try is awaited; the session's record is left alone.
   */
  discard(sessionId: string, dossierId: string): Promise<void>;
  /** Removes settled and abandoned sessions; abandoned dossiers are deleted at Signicat. */
  sweep(graceMs?: number): Promise<number>;
  /** How many final statuses each source brought first (healthz). */
  counters(): Record<'callback' | 'event' | 'poll', number>;
  /** Resolves when all delivery and clean-up work started so far has ended (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

const RANK: Record<Status, number> = {
  pending: 0,
  processing: 1,
  accepted: 2,
  rejected: 2,
  inconclusive: 2,
  failed: 2,
  canceled: 2,
};

const DAY_MS = 86_400_000;

export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { store, assure, log, references } = options;
  const now = options.now ?? Date.now;
  const retry = { baseMs: 30_000, maxMs: 30 * 60_000, giveUpMs: DAY_MS, ...options.retry };
  const pollers = new Map<string, { timer: NodeJS.Timeout; delay: number; until: number }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const work = new Set<Promise<unknown>>();
  const counts = { callback: 0, event: 0, poll: 0 };
  let closed = false;

  const track = <T>(promise: Promise<T>) => {
    work.add(promise);
    void promise.finally(() => work.delete(promise)).catch(() => {});
    return promise;
  };

  /** Runs `task` once after `delayMs` under `key`, replacing an earlier one (retries). */
  function later(key: string, delayMs: number, task: () => Promise<unknown>) {
    if (closed) return;
    clearTimeout(timers.get(key));
    const timer = setTimeout(() => {
      timers.delete(key);
      void track(
        task().catch((error: unknown) =>
          log('warn', 'lifecycle.task_failed', { key, error: describe(error) }),
        ),
      );
    }, delayMs);
    timer.unref();
    timers.set(key, timer);
  }

  const backoff = (attempt: number) => {
    const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  };

  function expose(finalResult: unknown) {
    if (!finalResult || typeof finalResult !== 'object' || !options.exposeResultFields.length)
      return undefined;
    const picked: Record<string, unknown> = {};
    for (const field of options.exposeResultFields) {
      if (field in finalResult) picked[field] = (finalResult as Record<string, unknown>)[field];
    }
    return picked;
  }

  /** Assure's status set may grow: an unknown status counts as still processing. */
  function known(sessionId: string, status: string | undefined): Status | undefined {
    if (status === undefined) return undefined;
    if (isStatus(status)) return status;
    log('warn', 'assure.unknown_status', { sessionId, status: status.slice(0, 40) });
    return 'processing';
  }

  async function observe(
    sessionId: string,
    process: { status?: string } & Partial<AssureProcess>,
    source: Source,
    complete = false,
  ) {
    const reported = known(sessionId, process.status);
    if (!reported) return store.get(sessionId);
    let becameFinal = false;
    let changed = false;
    let status = reported;
    const updated = await store.update(sessionId, (record) => {
      // A shared store may run this again after a lost race: only the last run's verdict counts.
      becameFinal = false;
      changed = false;
      // A cancel is sent as Fail process: the `failed` of a process never submitted is that cancel.
      status =
        reported === 'failed' && record.cancelRequested && !record.submitted
          ? 'canceled'
          : reported;
      // Never backwards, never away from a final status: callbacks and polls may arrive out of order.
      if (isFinal(record.status) || RANK[status] <= RANK[record.status]) return undefined;
      becameFinal = isFinal(status);
      changed = true;
      return {
        ...record,
        status,
        submitted: record.submitted || status !== 'pending',
        updatedAt: new Date(now()).toISOString(),
        exposedResult: becameFinal ? expose(process.finalResult) : record.exposedResult,
        delivery: becameFinal ? (options.sink ? 'waiting' : 'none') : record.delivery,
        ...(becameFinal && { resultSource: source }),
      };
    });
    if (updated && becameFinal) {
      log('info', 'session.final', { sessionId, status, source });
      if (source === 'callback' || source === 'event' || source === 'poll') counts[source] += 1;
      stopPolling(sessionId);
      // The read that made it final is the result: no second Get process for the delivery.
      void track(finish(sessionId, 1, complete ? (process as AssureProcess) : undefined));
    } else if (updated && changed) {
      log('debug', 'session.status', { sessionId, status: updated.status, source });
    }
    return updated;
  }

  /**
   * Delivery, then archive, then delete: each step only after the one before it held. `known` is the
   * final process as Get process just answered it; without it (a retry, a resume) it is read again.
   */
  async function finish(sessionId: string, attempt = 1, known?: AssureProcess): Promise<void> {
    if (!options.sink) {
      log('info', 'delivery.skipped', {
        sessionId,
        why: 'no RESULT_WEBHOOK_URL or onResult configured',
      });
      return;
    }
    const claimKey = `deliver:${sessionId}`;
    if (!(await store.claim(claimKey, 10 * 60_000))) return;
    let record: SessionRecord | undefined;
    try {
      record = await store.get(sessionId);
      if (!record || !isFinal(record.status) || !record.dossierId || !record.processId) return;
      if (record.delivery !== 'delivered') {
        const full =
          known?.processId === record.processId
            ? known
            : await assure.getProcess(record.dossierId, record.processId);
        const payload: ResultPayload = {
          event: 'verification.completed',
          // Stable across retries, restarts and instances: receivers drop duplicates by it.
          deliveryId: `verification-${record.processId}`,
          dossierId: record.dossierId,
          processId: record.processId,
          ...(record.reference !== undefined && { reference: record.reference }),
          mode: record.mode,
          status: record.status as ResultPayload['status'],
          completedAt: record.updatedAt,
          result: full,
          ...(options.sandbox && { sandbox: true as const }),
        };
        await options.sink(payload);
        record = await store.update(sessionId, (r) => ({ ...r, delivery: 'delivered' }));
        log('info', 'delivery.done', { sessionId, source: record?.resultSource });
      }
    } catch (error) {
      const giveUp = record && now() - Date.parse(record.updatedAt) > retry.giveUpMs;
      await store.update(sessionId, (r) => ({ ...r, delivery: giveUp ? 'failed' : 'waiting' }));
      if (giveUp) {
        log('error', 'delivery.gave_up', { sessionId, error: describe(error) });
      } else {
        const delayMs = backoff(attempt);
        log('warn', 'delivery.retry_later', {
          sessionId,
          attempt,
          delayMs,
          error: describe(error),
        });
        later(`finish:${sessionId}`, delayMs, () => finish(sessionId, attempt + 1));
      }
      return; // not delivered: keep the data at Signicat so nothing is lost
    } finally {
      await store.release(claimKey);
    }
    if (record) await afterDelivery(record, 1);
  }

  async function afterDelivery(record: SessionRecord, attempt: number): Promise<void> {
    if (!record.dossierId || !record.processId || record.cleanedUp) return;
    if (options.archive && record.status === 'accepted' && !record.archived) {
      try {
        const download = await assure.downloadProcess(record.dossierId, record.processId);
        if (!download.ready) {
          // 204: the zip is not ready yet. Never archive an empty file, never delete before it.
          if (now() - Date.parse(record.updatedAt) > retry.giveUpMs) {
            log('error', 'archive.gave_up', {
              sessionId: record.sessionId,
              why: 'zip never became ready',
            });
            return;
          }
          const delayMs = Math.min(backoff(attempt), 60_000);
          log('info', 'archive.not_ready', { sessionId: record.sessionId, attempt, delayMs });
          later(`archive:${record.sessionId}`, delayMs, () => afterDelivery(record, attempt + 1));
          return;
        }
        await options.archive(record.processId, download.zip);
        await store.update(record.sessionId, (r) => ({ ...r, archived: true }));
        log('info', 'archive.saved', { sessionId: record.sessionId });
      } catch (error) {
        log('error', 'archive.failed', { sessionId: record.sessionId, error: describe(error) });
        later(`archive:${record.sessionId}`, backoff(attempt), () =>
          afterDelivery(record, attempt + 1),
        );
        return; // the operator asked for an archive: do not delete what could not be archived
      }
    }
    if (options.deleteAfterDelivery) await cleanUp(record, attempt);
  }

  async function cleanUp(
    record: Pick<SessionRecord, 'sessionId' | 'dossierId'>,
    attempt = 1,
    since = now(),
  ): Promise<void> {
    if (!record.dossierId) return;
    try {
      await assure.deleteDossier(record.dossierId);
      await store.update(record.sessionId, (r) => ({ ...r, cleanedUp: true }));
      log('info', 'dossier.deleted', { sessionId: record.sessionId });
    } catch (error) {
      log('warn', 'dossier.delete_failed', {
        sessionId: record.sessionId,
        attempt,
        error: describe(error),
      });
      // Personal data stays at Signicat until this works: retried as long as a delivery would be.
      if (now() - since < retry.giveUpMs)
        later(`delete:${record.sessionId}`, backoff(attempt), () =>
          cleanUp(record, attempt + 1, since),
        );
      else log('error', 'dossier.delete_gave_up', { sessionId: record.sessionId });
    }
  }

  async function discard(
    sessionId: string,
    dossierId: string,
    attempt = 1,
    since = now(),
  ): Promise<void> {
    try {
      await assure.deleteDossier(dossierId);
      log('info', 'dossier.discarded', { sessionId });
    } catch (error) {
      log('warn', 'dossier.discard_failed', { sessionId, attempt, error: describe(error) });
      // A dossier without a process is invisible to GET /processes: this retry, or after a restart the
      // reconciliation's Get dossiers, finds it again.
      if (now() - since < retry.giveUpMs)
        later(`discard:${dossierId}`, backoff(attempt), () =>
          discard(sessionId, dossierId, attempt + 1, since),
        );
      else log('error', 'dossier.discard_gave_up', { sessionId });
    }
  }

  /** Redirect sessions learn their process id from Get dossier once the hosted flow made it. */
  async function findProcess(record: SessionRecord): Promise<SessionRecord> {
    if (record.processId || !record.dossierId) return record;
    const dossier = await assure.getDossier(record.dossierId);
    const process = dossier.processes[0];
    if (!process) return record;
    return (
      (await store.update(record.sessionId, (r) =>
        r.processId ? undefined : { ...r, processId: process.processId },
      )) ?? record
    );
  }

  async function refresh(sessionId: string, source: Source) {
    let record = await store.get(sessionId);
    if (!record || isFinal(record.status) || !record.dossierId) return record;
    let process: AssureProcess;
    try {
      record = await findProcess(record);
      if (!record.processId) return record;
      process = await assure.getProcess(record.dossierId!, record.processId);
    } catch (error) {
      // A callback or poll finished it meanwhile, and its dossier may be deleted already (404): the
      // record knows the answer.
      const current = await store.get(sessionId);
      if (current && isFinal(current.status)) return current;
      throw error;
    }
    return observe(sessionId, process, source, true);
  }

  async function adopt(
    dossierId: string,
    processId: string,
    source: Source,
  ): Promise<SessionRecord | undefined> {
    const dossier = await assure.getDossier(dossierId);
    const sealed = references.open(dossier.externalReference);
    if (!sealed || !dossier.processes.some((p) => p.processId === processId)) return undefined;
    const existing = await store.get(sealed.sessionId);
    if (existing) {
      if (!existing.processId)
        await store.update(existing.sessionId, (r) => ({ ...r, processId, dossierId }));
      return refresh(existing.sessionId, source);
    }
    const process = await assure.getProcess(dossierId, processId);
    const at = new Date(now()).toISOString();
    const { inserted } = await insertOnce(store, {
      sessionId: sealed.sessionId,
      mode: sealed.mode,
      provider: typeof process.provider === 'string' ? process.provider : 'unknown',
      ...(sealed.reference !== undefined && { reference: sealed.reference }),
      dossierId,
      processId,
      status: 'pending',
      createdAt: typeof process.createdAt === 'string' ? process.createdAt : at,
      updatedAt: at,
      expiresAt: now() + options.sessionTtlSeconds * 1000,
      uploaded: [],
      submitted: process.status !== 'pending',
      delivery: 'none',
      cleanedUp: false,
    });
    // The browser's token or another callback rebuilt it meanwhile: carry on with that record.
    if (!inserted) return refresh(sealed.sessionId, source);
    log('info', 'session.adopted', { sessionId: sealed.sessionId, source });
    const record = await observe(sealed.sessionId, process, source, true);
    if (record && record.submitted && !isFinal(record.status)) watchSession(record.sessionId);
    return record;
  }

  function stopPolling(sessionId: string) {
    const poller = pollers.get(sessionId);
    if (poller) clearTimeout(poller.timer);
    pollers.delete(sessionId);
  }

  function schedule(sessionId: string, delay: number, until: number) {
    if (closed) return;
    const timer = setTimeout(() => {
      // Renew this instance's claim on polling the session, so other instances leave it alone.
      const pollKey = `poll:${sessionId}`;
      void store
        .release(pollKey)
        .then(() => store.claim(pollKey, 2 * options.poll.maxMs + delay))
        .catch(() => {});
      void track(
        refresh(sessionId, 'poll')
          .then((record) => {
            if (!record || isFinal(record.status)) return stopPolling(sessionId);
            next();
          })
          .catch((error: unknown) => {
            log('warn', 'poll.failed', { sessionId, error: describe(error) });
            next();
          }),
      );
    }, delay);
    timer.unref();
    pollers.set(sessionId, { timer, delay, until });

    function next() {
      const following = Math.min(delay * 2, options.poll.maxMs);
      if (now() + following > until) {
        pollers.delete(sessionId);
        log('warn', 'poll.gave_up', { sessionId });
        return;
      }
      schedule(sessionId, following, until);
    }
  }

  function watchSession(sessionId: string) {
    if (pollers.has(sessionId)) return;
    schedule(sessionId, options.poll.initialMs, now() + options.poll.giveUpSeconds * 1000);
  }

  /**
   * With a shared store, work another instance started may have lost its owner (a crash): unfinished
   * deliveries go to `finish` (its claim keeps them once-only), and verifications nobody polls are
   * polled here when their `poll:` claim is free.
   */
  async function takeOverOrphans(): Promise<number> {
    let taken = 0;
    for (const record of await store.listInFlight()) {
      if (isFinal(record.status)) {
        if (record.delivery === 'waiting') void track(finish(record.sessionId));
        continue;
      }
      if (pollers.has(record.sessionId) || !record.processId) continue;
      if (await store.claim(`poll:${record.sessionId}`, 2 * options.poll.maxMs)) {
        watchSession(record.sessionId);
        taken += 1;
      }
    }
    return taken;
  }

  return {
    refresh,
    observe,
    async notified(dossierId, processId, source) {
      const record = await store.findByProcess(processId);
      if (record && record.dossierId === dossierId) return refresh(record.sessionId, source);
      return adopt(dossierId, processId, source);
    },
    watch: watchSession,
    takeOverOrphans,
    async resume() {
      for (const record of await store.listInFlight()) {
        if (isFinal(record.status)) void track(finish(record.sessionId));
        else watchSession(record.sessionId);
      }
    },
    async reconcile(days = 3) {
      let seen = 0,
        adopted = 0,
        removed = 0;
      const startCreationDate = new Date(now() - days * DAY_MS)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      const limit = 200;
      for (let offset = 0; offset <= 200_000; offset += limit) {
        const page = await assure.listProcesses({ startCreationDate, offset, limit });
        for (const item of page.processes) {
          const sealed = references.open(item.dossier.externalReference);
          if (!sealed) continue; // not this proxy's dossier
          seen += 1;
          if (await store.findByProcess(item.processId)) continue;
          const createdAt = item.createdAt ? Date.parse(item.createdAt) : now();
          if (
            item.status === 'pending' &&
            createdAt + options.sessionTtlSeconds * 1000 + 3600_000 < now()
          ) {
            // Never submitted and long expired: abandoned personal data.
            await cleanUp({ sessionId: sealed.sessionId, dossierId: item.dossier.dossierId });
            removed += 1;
            continue;
          }
          // Pending ones are adopted too: a browser holding its first token finds its session again.
          if (await adopt(item.dossier.dossierId, item.processId, 'poll').catch(() => undefined))
            adopted += 1;
        }
        // A page the client shortened (unusable items skipped) is not the last one.
        if (page.processes.length + (page.skipped ?? 0) < limit) break;
      }
      // Dossiers that never got a process (a Create process that failed, a Create dossier answered
      // too late) are in no process list: Get dossiers (the last 100) finds them.
      const grace = options.orphanDossierGraceMs ?? 600_000;
      for (const dossier of await assure.listDossiers()) {
        const sealed = references.open(dossier.externalReference);
        // A hosted capture flow's process may not exist before the user opens the page: wait out the session.
        const wait =
          sealed?.mode === 'redirect' ? options.sessionTtlSeconds * 1000 + 3600_000 : grace;
        if (!sealed || !dossier.createdAt || Date.parse(dossier.createdAt) + wait > now()) continue;
        const record = await store.get(sealed.sessionId);
        if (record?.dossierId === dossier.dossierId) continue; // the session still uses it
        const full = await assure.getDossier(dossier.dossierId).catch(() => undefined);
        if (!full || full.processes.length) continue; // the process list above covers those
        seen += 1;
        await discard(sealed.sessionId, dossier.dossierId);
        removed += 1;
      }
      if (seen) log('info', 'reconcile.done', { seen, adopted, removed });
      return { seen, adopted, removed };
    },
    discard: (sessionId, dossierId) => discard(sessionId, dossierId),
    async sweep(graceMs = 3600_000) {
      const abandoned = await store.sweep(now(), graceMs);
      await Promise.all(abandoned.map((record) => track(cleanUp(record))));
      return abandoned.length;
    },
    counters: () => ({ ...counts }),
    async idle() {
      while (work.size) await Promise.allSettled([...work]);
    },
    close() {
      closed = true;
      for (const id of [...pollers.keys()]) stopPolling(id);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

/**
 * Inserts a record rebuilt after a restart (from a token, a callback, an event or the process list)
 * unless the session is known already or another path is inserting it right now: overwriting a record
 * that has moved on (final, delivered) would deliver its result again. Answers the record that stands.
 * Call it right after the last upstream read, so a claim holder always inserts at once.
 */
export async function insertOnce(
  store: SessionStore,
  record: SessionRecord,
): Promise<{ record: SessionRecord; inserted: boolean }> {
  for (let waited = 0; ; waited += 20) {
    const existing = await store.get(record.sessionId);
    if (existing) return { record: existing, inserted: false };
    if (await store.claim(`rebuild:${record.sessionId}`, 60_000)) {
      // Another path may have inserted and let its claim lapse in between: look once more.
      const again = await store.get(record.sessionId);
      if (again) return { record: again, inserted: false };
      await store.insert(record);
      return { record, inserted: true };
    }
    // The other path is inserting it now; a record swept after a long-ago rebuild waits out the claim.
    if (waited >= 2000) {
      await store.insert(record);
      return { record, inserted: true };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return 'unknown error';
}
