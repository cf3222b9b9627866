/**
 * The typed surface of Signicat's Assure API as the proxy uses it. The HTTP client in `client.ts`
 * implements it; nothing else in the server knows an Assure URL. Operation names in comments are the
 * `operationId`s of Signicat's OpenAPI description (docs/assure-compatibility.md).
 */
import type { Side, Status } from '../../component/contract/index.ts';

/**
 * A process as Get process returns it. Only the fields the proxy uses are typed; the rest pass through.
 * `status` is any string: the enum may grow, and an unknown status must not break a poll.
 */
export interface AssureProcess {
  processId: string;
  provider?: string;
  status: string;
  processType?: string;
  documentType?: string;
  createdAt?: string;
  updatedAt?: string;
  finalResult?: Record<string, unknown>;
  providerSpecific?: Record<string, unknown>;
  /** Beta in the spec and schemaless: an object `{type, message}` in every example. Never parsed. */
  failReason?: unknown;
  [field: string]: unknown;
}

/** Create process answer (`createProcess`, 201 `ProcessResponse`). */
export interface CreatedProcess {
  processId: string;
  status?: string;
  /** Only for providers whose own SDK uploads (path D1). Never logged. */
  authorization?: string;
  [field: string]: unknown;
}

/** `processParameters` of Create process: Onfido's location, consent and web-SDK referrer. */
export interface ProcessParameters {
  location?: { ipAddress?: string; countryOfResidence?: string };
  consents?: { privacy?: boolean };
  referrer?: string;
}

export interface CreateProcessInput {
  provider: string;
  documentType?: string;
  /** Signicat Paper: required; as the configured format (`SIGNICAT_DOCUMENT_COUNTRY_FORMAT`). */
  documentCountry?: string;
  processType?: string;
  processParameters?: ProcessParameters;
  /** Legacy per-process callback (absent from the OpenAPI file; harmless if ignored). */
  notificationUrl?: string;
  authorizationHeader?: string;
}

export interface StartCaptureInput {
  provider: string;
  processType?: string;
  redirectUrl: string;
  notificationUrl?: string;
  authorizationHeader?: string;
  captureParameters?: Record<string, unknown>;
}

/** Start capture flow answers `201 WebURL {url}` and nothing else. */
export interface CaptureFlow {
  url: string;
}

/** One process of Get dossier's `processes[]` (`SlimProcess`). */
export interface SlimProcess {
  processId: string;
  provider?: string;
  processType?: string;
  status?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface Dossier {
  dossierId: string;
  externalReference?: string;
  createdAt?: string;
  processes: SlimProcess[];
}

/** One item of `GET /processes` (`ProcessWithDossierNode`). */
export interface ListedProcess {
  processId: string;
  status: string;
  provider?: string;
  createdAt?: string;
  dossier: { dossierId: string; externalReference?: string };
}

export interface ListProcessesQuery {
  startCreationDate?: string;
  endCreationDate?: string;
  statusList?: string[];
  offset?: number;
  limit?: number;
}

export interface ListProcessesPage {
  processes: ListedProcess[];
  totalResults?: number;
  /**
   * Items of this page left out because their ids or status were unusable (set only when some were).
   * The page held `processes.length + (skipped ?? 0)` items: compare that with `limit` to find the last page.
   */
  skipped?: number;
}

/** One entry of Get document types (`EidCountryAndDocumentType`). */
export interface DocumentType {
  /** ISO 3166 alpha-3. */
  country: string;
  countryName: string;
  type: string;
  subType?: string;
  /** Only for signicatvideoid. */
  id?: number;
}

export interface ImageUpload {
  mime: 'image/jpeg' | 'image/png';
  bytes: Uint8Array;
}

export type ImageSet = Partial<Record<Side, ImageUpload>>;

export interface CallOptions {
  signal?: AbortSignal;
}

/** Download's answer: the zip, or `not-ready` for 204 / an empty body (retry later; never archive it). */
export type DownloadResult = { ready: true; zip: Uint8Array } | { ready: false };

export interface AssureClient {
  /** `createDossier`; `externalReference` is the proxy's own marker (docs/assure-compatibility.md). */
  createDossier(
    input?: { externalReference?: string },
    options?: CallOptions,
  ): Promise<{ dossierId: string }>;
  /** `getDossier`: the dossier with its processes. */
  getDossier(dossierId: string, options?: CallOptions): Promise<Dossier>;
  /** `getDossiers`: the account's most recent dossiers (Signicat lists the last 100), without processes. */
  listDossiers(options?: CallOptions): Promise<Array<Omit<Dossier, 'processes'>>>;
  /** `deleteDossier`. A 404 counts as done (the dossier is gone either way). */
  deleteDossier(dossierId: string, options?: CallOptions): Promise<void>;
  createProcess(
    dossierId: string,
    input: CreateProcessInput,
    options?: CallOptions,
  ): Promise<CreatedProcess>;
  getProcess(dossierId: string, processId: string, options?: CallOptions): Promise<AssureProcess>;
  /** `getAllProcess`: one page of the account's processes, newest first. */
  listProcesses(query: ListProcessesQuery, options?: CallOptions): Promise<ListProcessesPage>;
  /** `setImages` (201): the images as dataURLs; the last upload of a side wins. */
  setImages(
    dossierId: string,
    processId: string,
    images: ImageSet,
    options?: CallOptions,
  ): Promise<void>;
  /**
   * `startVerification`: 200 `{processId, status}` or 204 (readid, webid). Resolves to the status when
   * Assure gave one (any string), else undefined; the caller reads the process when it needs more.
   */
  startVerification(
    dossierId: string,
    processId: string,
    options?: CallOptions,
  ): Promise<{ status?: string }>;
  /** `setFailedProcess`: ends a process as `failed` (used when the user cancels). */
  failProcess(dossierId: string, processId: string, options?: CallOptions): Promise<void>;
  /** `createArtifact` (Start capture flow): 201 `{url}` only. The process id comes from Get dossier. */
  startCaptureFlow(
    dossierId: string,
    input: StartCaptureInput,
    options?: CallOptions,
  ): Promise<CaptureFlow>;
  /** `getDocumentTypes`; 204 means none: `[]`. */
  getDocumentTypes(provider: string, options?: CallOptions): Promise<DocumentType[]>;
  /** `getZipFile`: 200 zip, or 204 until the zip is ready. */
  downloadProcess(
    dossierId: string,
    processId: string,
    options?: CallOptions,
  ): Promise<DownloadResult>;
}

/** Statuses the proxy knows; Assure may send others (see AssureProcess.status). */
export type KnownStatus = Status;

/**
 * Upstream failure mapped to the proxy's own vocabulary. `status` is what the proxy should answer;
 * `upstreamStatus` what Assure said (absent on timeouts and network errors). Never carries tokens or
 * bodies with personal data: only Assure's problem `title` and `traceId`. `retryAfterSeconds` comes
 * from a 429 or 503 `Retry-After`.
 */
export class AssureError extends Error {
  override readonly name = 'AssureError';
  constructor(
    readonly code:
      | 'upstream_unauthorized'
      | 'upstream_rejected'
      | 'upstream_not_found'
      | 'upstream_conflict'
      | 'upstream_unavailable'
      | 'upstream_rate_limited'
      | 'upstream_timeout',
    message: string,
    readonly status: 400 | 404 | 409 | 422 | 502 | 503 | 504,
    readonly upstreamStatus?: number,
    readonly traceId?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Worth trying again later: timeouts, network failures, 429 and 5xx. */
  get transient(): boolean {
    return (
      this.code === 'upstream_timeout' ||
      this.code === 'upstream_unavailable' ||
      this.code === 'upstream_rate_limited'
    );
  }
}
