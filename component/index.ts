/**
 * @module
 * Public API, without side effects: importing it registers nothing (import `./define.js` for that).
 */
export { SignicatVerifyElement } from './signicat-verify.js';
export {
  SignicatVerifyCompleteEvent,
  SignicatVerifyErrorEvent,
  SignicatVerifyProviderSdkEvent,
  SignicatVerifyRestartRequestedEvent,
  SignicatVerifyStatusEvent,
  type CompleteDetail,
  type ErrorDetail,
  type ProviderSdkDetail,
  type RestartRequestedDetail,
  type StatusDetail,
} from './events.js';
export {
  ANY_PASSPORT_COUNTRY,
  ApiError,
  CONSENT_HEADER,
  DOCUMENT_KINDS,
  ERROR_CODES,
  FINAL_STATUSES,
  MODES,
  ProxyClient,
  SIDES,
  STATUSES,
  errorFromResponse,
  isAbortError,
  isDocumentKind,
  isFinalStatus,
  isStatus,
  parseRetryAfter,
  requiredSides,
  type CallOptions,
  type ClientConfigResponse,
  type CreateSessionInput,
  type CreatedSession,
  type DocumentKind,
  type DocumentTypeInfo,
  type ErrorCode,
  type FinalStatus,
  type ImageRequirements,
  type Mode,
  type ReturnParams,
  type SessionState,
  type Side,
  type Status,
  type UploadOptions,
  type UploadResponse,
} from './api.js';
export {
  LANGUAGES,
  registerTranslation,
  type DeepPartial,
  type Direction,
  type Strings,
  type Translation,
} from './i18n/index.js';
export { VERSION } from './version.js';
export type { SignicatVerifyAttributes } from './types/attributes.js';
export type { SignicatVerifyEventMap, SignicatVerifyEventName } from './types/event-map.js';
