/**
 * The proxy's shared state, behind one interface: in memory by default (memory-store.ts); a Redis
 * implementation can take its place for several instances without touching routes or lifecycle.
 * Every method is async for that reason. Records hold no images and no personal data beyond the
 * result fields the operator chose to expose.
 */
import type { Mode, DocumentTypeId } from '../config.ts';
import type { Depiction, Status } from '../statuses.ts';

export type DeliveryState = 'waiting' | 'delivered' | 'failed' | 'none';

export interface SessionRecord {
  processId: string;
  dossierId: string;
  mode: Mode;
  provider: string;
  documentType?: DocumentTypeId;
  /** The integrator's own reference, only ever accepted with PROXY_API_KEY. */
  reference?: string;
  status: Status;
  /** ISO 8601, when `status` last changed. */
  updatedAt: string;
  createdAt: string;
  /** Epoch ms after which the browser's token stops working. */
  expiresAt: number;
  uploaded: Depiction[];
  submitted: boolean;
  /** Only the finalResult fields listed in EXPOSE_RESULT_FIELDS. */
  exposedResult?: Record<string, unknown>;
  delivery: DeliveryState;
  /** The dossier was deleted at Signicat after delivery. */
  cleanedUp: boolean;
}

export type RecordUpdate = (current: SessionRecord) => SessionRecord | undefined;

export interface SessionStore {
  insert(record: SessionRecord): Promise<void>;
  get(processId: string): Promise<SessionRecord | undefined>;
  /**
   * Applies `change` atomically to the current record; returning undefined means "no change".
   * Subscribers hear about every applied change. Resolves to the record as it now stands.
   */
  update(processId: string, change: RecordUpdate): Promise<SessionRecord | undefined>;
  /** Listens to changes of one record; returns the unsubscribe function. */
  subscribe(processId: string, listener: (record: SessionRecord) => void): () => void;
  /** True for the first caller only (per key, until `ttlMs` passes): once-only work such as delivery. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Records whose verification runs (submitted, not final): the poller resumes them after a restart. */
  listInFlight(): Promise<SessionRecord[]>;
  /**
   * Removes records whose session expired more than `graceMs` ago and that need no more work: finished
   * ones, and abandoned ones (never submitted), which it returns so their dossiers can be deleted.
   */
  sweep(now: number, graceMs: number): Promise<SessionRecord[]>;
}
