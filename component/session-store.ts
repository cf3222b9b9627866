/**
 * @module
 * Keeps the flow's snapshot (flow/snapshot.ts: the session token and where the flow stood, never
 * images) in `sessionStorage`, so a reload resumes instead of starting over. `sessionStorage` is per tab
 * and dies with it, which is the lifetime we want. Expiry is the proxy's to judge: a stored token it no
 * longer knows makes the flow start afresh.
 */
import type { Mode } from './contract/index.js';
import { parseSnapshot } from './flow/snapshot.js';
import type { Snapshot } from './flow/types.js';

/** One slot in `sessionStorage`, keyed by endpoint, mode and (when set) the element's id. */
export class SessionStore {
  readonly key: string;

  constructor(endpoint: string, mode: Mode, id = '') {
    let base = endpoint;
    try {
      base = new URL(endpoint, location.href).href;
    } catch {
      /* keep the raw endpoint */
    }
    this.key = `signicat-verify:v1:${base}:${mode}${id ? `#${id}` : ''}`;
  }

  /** The saved snapshot, or `undefined` when there is none or it is unreadable (then it is dropped). */
  load(): Snapshot | undefined {
    try {
      const raw = sessionStorage.getItem(this.key);
      if (!raw) return undefined;
      const snapshot = parseSnapshot(JSON.parse(raw));
      if (!snapshot) this.save(null);
      return snapshot;
    } catch {
      this.save(null); // garbage, or storage blocked (sandboxed iframe, privacy mode): resume is best effort
      return undefined;
    }
  }

  /** Writes the snapshot; `null` removes it. */
  save(snapshot: Snapshot | null): void {
    try {
      if (snapshot) sessionStorage.setItem(this.key, JSON.stringify(snapshot));
      else sessionStorage.removeItem(this.key);
    } catch {
      /* storage full or blocked: the flow still works, it just cannot survive a reload */
    }
  }
}
