/**
 * @module
 * Remembers an ongoing session in `sessionStorage` so a reload resumes it instead of starting over.
 * Only the session token and where the flow stood are kept: never images, never personal data, never
 * provider tokens. `sessionStorage` is per tab and dies with it, which is the lifetime we want.
 */
import type { ImageRequirements, Mode, Side } from './contract/index.js';

/** Where the flow stood when it was last saved. */
export type StoredStep = 'capture' | 'upload' | 'waiting' | 'redirect' | 'provider' | 'outcome';

/** What is kept between page loads. */
export interface StoredSession {
  v: 1;
  session: string;
  mode: Mode;
  step: StoredStep;
  documentType?: string;
  images?: ImageRequirements;
  /** Sides the proxy has accepted. */
  uploaded: Side[];
  /** The token the session started with, once the proxy has refreshed it (`session` is the newest). */
  initial?: string;
  /** The provider's consent must be asked before the first upload. */
  consentRequired?: boolean;
  expiresAt?: string;
}

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

  /** The saved session, or `undefined` when there is none, it is unreadable or it has expired. */
  load(): StoredSession | undefined {
    try {
      const raw = sessionStorage.getItem(this.key);
      if (!raw) return undefined;
      const data = JSON.parse(raw) as Partial<StoredSession>;
      if (data.v !== 1 || typeof data.session !== 'string' || typeof data.step !== 'string') return this.clear();
      if (data.expiresAt && Date.parse(data.expiresAt) < Date.now()) return this.clear();
      return { ...data, uploaded: Array.isArray(data.uploaded) ? data.uploaded : [] } as StoredSession;
    } catch {
      return undefined; // storage blocked (sandboxed iframe, privacy mode): resume is best effort
    }
  }

  save(data: Omit<StoredSession, 'v'>): void {
    try {
      sessionStorage.setItem(this.key, JSON.stringify({ v: 1, ...data }));
    } catch {
      /* storage full or blocked: the flow still works, it just cannot survive a reload */
    }
  }

  clear(): undefined {
    try {
      sessionStorage.removeItem(this.key);
    } catch {
      /* ignore */
    }
    return undefined;
  }
}
