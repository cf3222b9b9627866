/** The default SessionStore: one process, nothing persisted. */
import { isFinal } from '../statuses.ts';
import type { SessionRecord, SessionStore, RecordUpdate } from './store.ts';

export function createMemoryStore(now: () => number = Date.now): SessionStore {
  const records = new Map<string, SessionRecord>();
  const listeners = new Map<string, Set<(record: SessionRecord) => void>>();
  const claims = new Map<string, number>();

  const notify = (record: SessionRecord) => {
    for (const listener of listeners.get(record.processId) ?? []) {
      try {
        listener(record);
      } catch {
        // One broken listener (a closed SSE stream) must not stop the others.
      }
    }
  };

  return {
    async insert(record) {
      records.set(record.processId, structuredClone(record));
      notify(record);
    },
    async get(processId) {
      const record = records.get(processId);
      return record && structuredClone(record);
    },
    async update(processId, change: RecordUpdate) {
      const current = records.get(processId);
      if (!current) return undefined;
      // Synchronous read-modify-write: atomic within one event loop turn.
      const next = change(structuredClone(current));
      if (!next) return structuredClone(current);
      records.set(processId, structuredClone(next));
      notify(next);
      return structuredClone(next);
    },
    subscribe(processId, listener) {
      let set = listeners.get(processId);
      if (!set) listeners.set(processId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (!set.size) listeners.delete(processId);
      };
    },
    async claim(key, ttlMs) {
      const until = claims.get(key);
      if (until !== undefined && until > now()) return false;
      claims.set(key, now() + ttlMs);
      return true;
    },
    async listInFlight() {
      return [...records.values()].filter((r) => r.submitted && !isFinal(r.status)).map((r) => structuredClone(r));
    },
    async sweep(at, graceMs) {
      const abandoned: SessionRecord[] = [];
      for (const [id, record] of records) {
        if (record.expiresAt + graceMs >= at) continue;
        const finished = isFinal(record.status) && record.delivery !== 'waiting';
        if (!finished && record.submitted) continue; // still verifying: the poller owns it
        records.delete(id);
        if (!finished) abandoned.push(record);
      }
      for (const [key, until] of claims) if (until < at) claims.delete(key);
      return abandoned;
    },
  };
}
