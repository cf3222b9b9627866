/**
 * The proxy's shared state, behind one interface: in memory by default (memory-store.ts); a Redis
 * implementation can take its place for several instances without touching routes or lifecycle.
 * Every method is async for that reason. Records hold no images and no personal data beyond the
 * integrator's reference and the result fields the operator chose to expose.
 */
import type { DocumentKind, Mode, Side, Status } from '../../component/contract/index.ts';

export type DeliveryState = 'waiting' | 'delivered' | 'failed' | 'none';
/** What told the proxy first that a verification ended (healthz counters, logs). */
export type ResultSource = 'callback' | 'event' | 'poll' | 'answer';

export interface SessionRecord {
  /** Random id of the browser session; the key of the record. */
  sessionId: string;
  mode: Mode;
  provider: string;
  documentType?: DocumentKind;
  /** Issuing country as the session asked for it (alpha-2 or UNIV). */
  documentCountry?: string;
  /** The integrator's own reference, only ever accepted with PROXY_API_KEY. */
  reference?: string;
  /** The host or the user agreed to the provider's privacy notice. */
  consent?: boolean;
  /** Page the element runs on (Onfido web SDK `referrer`). */
  pageUrl?: string;
  /** Set once Signicat holds the dossier (at once in redirect and provider-sdk mode, at the first upload in capture mode). */
  dossierId?: string;
  /** Set once the process is known (redirect mode: when Get dossier or the return lists it). */
  processId?: string;
  status: Status;
  /** ISO 8601, when `status` last changed. */
  updatedAt: string;
  createdAt: string;
  /** Epoch ms after which the browser's token stops working. */
  expiresAt: number;
  uploaded: Side[];
  submitted: boolean;
  /** Only the finalResult fields listed in EXPOSE_RESULT_FIELDS. */
  exposedResult?: Record<string, unknown>;
  delivery: DeliveryState;
  /** What brought the final status. */
  resultSource?: ResultSource;
  /** The Assure zip of an accepted verification was archived (RESULT_ARCHIVE_DIR). */
  archived?: boolean;
  /** The dossier was deleted at Signicat (after delivery, or as clean-up). */
  cleanedUp: boolean;
  /** The user asked to cancel (sent as Fail process): a `failed` before any submit is that cancel. */
  cancelRequested?: boolean;
  /** The newest cross-device hand-off link of this session (server/handoff/), if any. */
  handoff?: HandoffRecord;
}

/**
 * A single-use link that continues a capture session on a phone. Claimed through `update`, whose
 * compare-and-set makes the claim atomic across instances; only the code's hash is kept.
 */
export interface HandoffRecord {
  /** SHA-256 (base64url) of the link's code. */
  id: string;
  state: 'open' | 'claimed' | 'canceled';
  /** Epoch ms after which an unclaimed link is refused. */
  expiresAt: number;
}

export type RecordUpdate = (current: SessionRecord) => SessionRecord | undefined;

export interface SessionStore {
  insert(record: SessionRecord): Promise<void>;
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** The session that owns a Signicat process (callbacks and events name processes). */
  findByProcess(processId: string): Promise<SessionRecord | undefined>;
  /**
   * Applies `change` atomically to the current record; returning undefined means "no change".
   * Subscribers hear about every applied change. Resolves to the record as it now stands.
   */
  update(sessionId: string, change: RecordUpdate): Promise<SessionRecord | undefined>;
  /** Listens to changes of one record; returns the unsubscribe function. */
  subscribe(sessionId: string, listener: (record: SessionRecord) => void): () => void;
  /** True for the first caller only (per key, until `ttlMs` passes or `release`): once-only work. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back early, so a failed attempt can be retried at once. */
  release(key: string): Promise<void>;
  /** Remembers for `ttlMs` which session the hand-off link with this id (its code's hash) belongs to. */
  putHandoff(id: string, sessionId: string, ttlMs: number): Promise<void>;
  /** The session a hand-off link id belongs to, while remembered. */
  findHandoff(id: string): Promise<string | undefined>;
  /** Counts one hit in the current fixed window of `windowMs` for `key` (rate limits). */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  /** Records whose verification runs (submitted, not final) or whose delivery is unfinished. */
  listInFlight(): Promise<SessionRecord[]>;
  /**
   * Removes records whose session expired more than `graceMs` ago and that need no more work: finished
   * ones, and abandoned ones (never submitted), which it returns so their dossiers can be deleted.
   */
  sweep(now: number, graceMs: number): Promise<SessionRecord[]>;
}
