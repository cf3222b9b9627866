/**
 * @module
 * Public API, without side effects: importing it registers nothing (import `./define.js` for that).
 */
export { SignicatVerifyElement } from './signicat-verify.js';
export {
  SignicatVerifyCompleteEvent,
  SignicatVerifyErrorEvent,
  SignicatVerifyProviderSdkEvent,
  SignicatVerifyStatusEvent,
  type CompleteDetail,
  type ErrorDetail,
  type ProviderSdkDetail,
  type StatusDetail,
} from './events.js';
export {
  ApiError,
  ERROR_CODES,
  FINAL_STATUSES,
  ProxyClient,
  errorFromResponse,
  isAbortError,
  isFinalStatus,
  type CallOptions,
  type CreateSessionInput,
  type CreatedSession,
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
} from './api.js';
export { LANGUAGES, type Strings } from './i18n/index.js';
export { VERSION } from './version.js';
