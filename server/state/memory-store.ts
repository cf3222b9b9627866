/** The default SessionStore: one process, nothing persisted (Signicat is the durable record). */
import { isFinal } from '../statuses.ts';
import type { RecordUpdate, SessionRecord, SessionStore } from './store.ts';

export function createMemoryStore(now: () => number = Date.now): SessionStore {
  const records = new Map<string, SessionRecord>();
  const byProcess = new Map<string, string>();
  const listeners = new Map<string, Set<(record: SessionRecord) => void>>();
  const claims = new Map<string, number>();
  const windows = new Map<string, { count: number; resetAt: number }>();
  const handoffs = new Map<string, { sessionId: string; until: number }>();

  const put = (record: SessionRecord) => {
    records.set(record.sessionId, structuredClone(record));
    if (record.processId) byProcess.set(record.processId, record.sessionId);
  };
  const notify = (record: SessionRecord) => {
    for (const listener of listeners.get(record.sessionId) ?? []) {
      try {
        listener(structuredClone(record));
      } catch {
        // One broken listener (a closed SSE stream) must not stop the others.
      }
    }
  };

  return {
    async insert(record) {
      put(record);
      notify(record);
    },
    async get(sessionId) {
      const record = records.get(sessionId);
      return record && structuredClone(record);
    },
    async findByProcess(processId) {
      const sessionId = byProcess.get(processId);
      const record = sessionId === undefined ? undefined : records.get(sessionId);
      return record && structuredClone(record);
    },
    async update(sessionId, change: RecordUpdate) {
      const current = records.get(sessionId);
      if (!current) return undefined;
      // Synchronous read-modify-write: atomic within one event loop turn.
      const next = change(structuredClone(current));
      if (!next) return structuredClone(current);
      put(next);
      notify(next);
      return structuredClone(next);
    },
    subscribe(sessionId, listener) {
      let set = listeners.get(sessionId);
      if (!set) listeners.set(sessionId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (!set.size) listeners.delete(sessionId);
      };
    },
    async claim(key, ttlMs) {
      const until = claims.get(key);
      if (until !== undefined && until > now()) return false;
      claims.set(key, now() + ttlMs);
      return true;
    },
    async release(key) {
      claims.delete(key);
    },
    async putHandoff(id, sessionId, ttlMs) {
      handoffs.set(id, { sessionId, until: now() + ttlMs });
    },
    async findHandoff(id) {
      const entry = handoffs.get(id);
      return entry && entry.until > now() ? entry.sessionId : undefined;
    },
    async hit(key, windowMs) {
      const at = now();
      let window = windows.get(key);
      if (!window || window.resetAt <= at) {
        window = { count: 0, resetAt: at + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { ...window };
    },
    async listInFlight() {
      return [...records.values()]
        .filter(
          (r) =>
            (r.submitted && !isFinal(r.status)) || (isFinal(r.status) && r.delivery === 'waiting'),
        )
        .map((r) => structuredClone(r));
    },
    async sweep(at, graceMs) {
      const abandoned: SessionRecord[] = [];
      for (const [id, record] of records) {
        if (record.expiresAt + graceMs >= at) continue;
        const finished = isFinal(record.status) && record.delivery !== 'waiting';
        if (!finished && record.submitted) continue; // still verifying: the poller owns it
        records.delete(id);
        if (record.processId) byProcess.delete(record.processId);
        if (!finished && record.dossierId && !record.cleanedUp) abandoned.push(record);
      }
      for (const [key, until] of claims) if (until < at) claims.delete(key);
      for (const [key, window] of windows) if (window.resetAt <= at) windows.delete(key);
      for (const [id, entry] of handoffs) if (entry.until <= at) handoffs.delete(id);
      return abandoned;
    },
  };
}
