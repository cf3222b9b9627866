/**
 * @module
 * The one contract between the element, the proxy, the emulator and every test double: statuses,
 * modes, image sides, document kinds, error codes, the required-sides rule and the proxy API's request
 * and response shapes (docs/api.md). Types and constants only: no Node, DOM or validation library
 * imports, so the element's bundle gains nothing beyond the few constants it uses and the server
 * builds its runtime schemas from these values.
 */

/** Statuses that end a verification (Assure's spelling: US "canceled"). */
export const FINAL_STATUSES = [
  'accepted',
  'rejected',
  'inconclusive',
  'failed',
  'canceled',
] as const;
/** Every status the proxy API reports. The set is closed: an unknown Assure status reaches the browser as `processing`. */
export const STATUSES = ['pending', 'processing', ...FINAL_STATUSES] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
export type Status = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export function isFinalStatus(value: unknown): value is FinalStatus {
  return typeof value === 'string' && (FINAL_STATUSES as readonly string[]).includes(value);
}

/** How the element runs a verification: D2 direct upload, G hosted capture flow, D1 provider SDK. */
export const MODES = ['capture', 'redirect', 'provider-sdk'] as const;
export type Mode = (typeof MODES)[number];

/** The image sides Assure's Set images takes (`portrait` is extracted by providers, never uploaded). */
export const SIDES = ['front', 'back', 'selfie'] as const;
export type Side = (typeof SIDES)[number];

/** Document kinds users may choose; the names are Assure's camelCase `type` values. */
export const DOCUMENT_KINDS = [
  'passport',
  'identityCard',
  'driversLicense',
  'residencePermit',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

/** Kinds with a back side worth photographing. */
export const TWO_SIDED_KINDS: readonly DocumentKind[] = [
  'identityCard',
  'driversLicense',
  'residencePermit',
];

/** Issuing "country" for any ICAO passport (Signicat Paper's `documentCountry`). */
export const ANY_PASSPORT_COUNTRY = 'UNIV';

/** The sides a session must upload before submit: one rule for proxy, emulator, element and tests. */
export function requiredSides(mode: Mode, kind: DocumentKind | undefined): Side[] {
  if (mode !== 'capture') return [];
  return kind !== undefined && TWO_SIDED_KINDS.includes(kind)
    ? ['front', 'back', 'selfie']
    : ['front', 'selfie'];
}

/** Stable error codes the element reports in `signicat-verify-error`. */
export const ELEMENT_ERROR_CODES = [
  'camera_denied',
  'camera_unavailable',
  'network',
  'session_expired',
  'upload_rejected',
  'invalid_config',
  'server_error',
  'provider_failed',
  'redirect_mismatch',
  'rate_limited',
] as const;
export type ElementErrorCode = (typeof ELEMENT_ERROR_CODES)[number];

/** `{ "error": { "code", "message" } }`: every error answer of the proxy API. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Header the element sets on the first upload when the user ticked the provider's consent line. */
export const CONSENT_HEADER = 'Signicat-Verify-Consent';

/** Body of `POST /api/sessions`. */
export interface CreateSessionRequest {
  mode?: Mode;
  provider?: string;
  documentType?: DocumentKind;
  /** ISO 3166-1 alpha-2 of the issuing country, or `UNIV` for a passport. */
  documentCountry?: string;
  /** Redirect mode: where the hosted flow sends the user back to. */
  redirectUrl?: string;
  /** The page the element runs on (`location.href`): Onfido's web SDK needs it as `referrer`. */
  pageUrl?: string;
  /** The host collected the provider's privacy consent itself. */
  consent?: boolean;
  /** Integrator backends only, with `Authorization: Bearer <PROXY_API_KEY>`. */
  reference?: string;
}

export interface ImageRequirements {
  required: Side[];
  optional: Side[];
  /** In status answers: the sides the proxy already holds. */
  uploaded?: Side[];
}

/** `201` answer of `POST /api/sessions`. */
export interface CreateSessionResponse {
  session: string;
  mode: Mode;
  provider: string;
  documentType: DocumentKind | null;
  documentCountry?: string | null;
  images: ImageRequirements;
  captureUrl?: string;
  providerToken?: string;
  /** The provider's privacy consent must be given (checkbox) before the first upload. */
  consentRequired?: boolean;
  expiresAt: string;
}

/** `200` answer of an upload that refreshed the session token. */
export interface UploadResponse {
  session: string;
}

/** `GET /api/sessions/{session}` (and `POST …/return`). */
export interface SessionStatusResponse {
  status: Status;
  final: boolean;
  updatedAt: string;
  result?: Record<string, unknown>;
  mode?: Mode;
  documentType?: DocumentKind | null;
  images?: ImageRequirements;
  consentRequired?: boolean;
  /** The session's cross-device hand-off link, when it has one. */
  handoff?: HandoffProgress;
}

/** One entry of `GET /api/document-types`. */
export interface DocumentTypeEntry {
  /** ISO 3166 alpha-3, as Assure gives it. */
  country: string;
  /** ISO 3166-1 alpha-2 (the form `documentCountry` takes). */
  countryCode: string;
  countryName: string;
  type: string;
  subType?: string;
  id?: number | string;
}

/** `GET /api/config`: what the element needs to know before it creates a session. */
export interface ClientConfigResponse {
  mode: Mode;
  provider: string;
  documentTypes: DocumentKind[];
  /** The provider needs the issuing country (Signicat Paper's `documentCountry`). */
  countryRequired: boolean;
  /** The proxy's DEFAULT_DOCUMENT_COUNTRY (alpha-2), when set. */
  defaultCountry: string | null;
}

/** The parameters the hosted capture flow appends to `redirectUrl`; any may be missing. */
export interface ReturnRequest {
  dossierId?: string;
  processId?: string;
  status?: string;
}

/** One `data:` line of `GET /api/sessions/{session}/events`. */
export interface StatusEventData {
  status: Status;
  final: boolean;
}

/** Where a cross-device hand-off link stands (docs/api.md, "Cross-device hand-off"). */
export const HANDOFF_STATES = ['open', 'claimed', 'canceled', 'expired'] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

/** Why a phone cannot claim a hand-off link: the proxy's `error.code` (404, 409 or 410). */
export const HANDOFF_CLAIM_ERRORS = [
  'handoff_not_found',
  'handoff_expired',
  'handoff_used',
  'handoff_canceled',
] as const;

/** A hand-off link's progress: the `data:` of a `handoff` event, and `handoff` in status answers. */
export interface HandoffProgress {
  state: HandoffState;
  /** Sides the proxy holds (uploaded from the phone once `claimed`). */
  uploaded: Side[];
}

/** `201` answer of `POST /api/sessions/{session}/handoff`. */
export interface CreateHandoffResponse {
  /** The short link the phone opens (`<proxy>/h/<code>`): single use. */
  url: string;
  expiresAt: string;
  /** The link as a QR code: `size` modules a side (quiet zone included), dark modules as an SVG path. */
  qr: { size: number; path: string };
}

/** Body of `POST /api/handoff/claim`. */
export interface ClaimHandoffRequest {
  code: string;
}

/** `200` answer of `POST /api/handoff/claim`: the session, for the phone. */
export type ClaimHandoffResponse = Pick<
  CreateSessionResponse,
  'session' | 'mode' | 'provider' | 'documentType' | 'images' | 'consentRequired' | 'expiresAt'
>;
