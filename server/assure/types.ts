/**
 * The typed surface of Signicat's Assure API as the proxy uses it. The HTTP client in
 * `client.ts` implements it; nothing else in the server knows an Assure URL.
 */
import type { Depiction, Status } from '../statuses.ts';

export interface AssureProcess {
  processId: string;
  provider: string;
  status: Status;
  processType?: string;
  documentType?: string;
  createdAt: string;
  updatedAt: string;
  finalResult?: Record<string, unknown>;
  providerSpecific?: Record<string, unknown>;
  failReason?: string;
  [field: string]: unknown;
}

export interface CreatedProcess extends AssureProcess {
  /** Token a provider's own SDK uses to upload images (integration path D1). Never logged. */
  authorization: string;
}

export interface CreateProcessInput {
  provider: string;
  documentType?: string;
  processType?: string;
  notificationUrl?: string;
  /** Sent back verbatim by Assure as the callback's `Authorization` header. */
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

export interface CaptureFlow {
  url: string;
  dossierId: string;
  processId: string;
}

export interface DocumentType {
  id: number | string;
  country: string;
  countryName: string;
  type: string;
  subType?: string;
}

export interface ImageUpload {
  mime: 'image/jpeg' | 'image/png';
  bytes: Uint8Array;
}

export type ImageSet = Partial<Record<Depiction, ImageUpload>>;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface AssureClient {
  createDossier(options?: CallOptions): Promise<{ dossierId: string }>;
  deleteDossier(dossierId: string, options?: CallOptions): Promise<void>;
  createProcess(dossierId: string, input: CreateProcessInput, options?: CallOptions): Promise<CreatedProcess>;
  getProcess(dossierId: string, processId: string, options?: CallOptions): Promise<AssureProcess>;
  /** Sends the images as dataURLs (Assure's wire format); the last upload of a side wins. */
  setImages(dossierId: string, processId: string, images: ImageSet, options?: CallOptions): Promise<void>;
  startVerification(dossierId: string, processId: string, options?: CallOptions): Promise<AssureProcess>;
  startCaptureFlow(dossierId: string, input: StartCaptureInput, options?: CallOptions): Promise<CaptureFlow>;
  getDocumentTypes(provider: string, options?: CallOptions): Promise<DocumentType[]>;
  /** The zip of a final process (result JSON and media). */
  downloadProcess(dossierId: string, processId: string, options?: CallOptions): Promise<Uint8Array>;
}

/**
 * Upstream failure mapped to the proxy's own vocabulary. `status` is what the proxy should answer;
 * `upstreamStatus` what Assure said (absent on timeouts and network errors). Never carries tokens or bodies
 * with personal data: only Assure's problem `title` and `traceId`.
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
      | 'upstream_timeout',
    message: string,
    readonly status: 400 | 404 | 409 | 422 | 502 | 503 | 504,
    readonly upstreamStatus?: number,
    readonly traceId?: string,
  ) {
    super(message);
  }
}
