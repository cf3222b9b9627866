/**
 * @module
 * The element's public events: one `Event` subclass per event, each with a typed, read-only `detail`.
 * All bubble and are composed, so the host page can listen on the element or on any ancestor.
 */
import type { ElementErrorCode as ErrorCode, FinalStatus, Status } from './contract/index.js';

/** `detail` of {@link SignicatVerifyStatusEvent}. */
export interface StatusDetail {
  status: Status;
  final: boolean;
}

/** `detail` of {@link SignicatVerifyCompleteEvent}. */
export interface CompleteDetail {
  status: FinalStatus;
  session: string;
}

/** `detail` of {@link SignicatVerifyErrorEvent}. */
export interface ErrorDetail {
  code: ErrorCode;
  /** Plain English, for logs; the element shows its own localised text to the user. */
  message: string;
  /**
   * `true` when the element offers the user a way on by itself (for example the file picker after
   * `camera_denied`, or a retry button after `network`); `false` when this session cannot go on.
   */
  recoverable: boolean;
}

/** `detail` of {@link SignicatVerifyProviderSdkEvent}. */
export interface ProviderSdkDetail {
  provider: string;
  /** The token the provider's SDK uploads with. Treat it as a secret: do not log it. */
  token: string;
  session: string;
}

/** `detail` of {@link SignicatVerifyRestartRequestedEvent}. */
export interface RestartRequestedDetail {
  /** Why a new session is needed. */
  reason: 'session_expired';
  /** The token that no longer works (the one in use, as in `signicat-verify-complete`). */
  session: string;
}

const init: EventInit = { bubbles: true, composed: true };

/** Fired on every status change learnt from the proxy. */
export class SignicatVerifyStatusEvent extends Event {
  static readonly eventName = 'signicat-verify-status';
  readonly detail: StatusDetail;
  constructor(detail: StatusDetail) {
    super(SignicatVerifyStatusEvent.eventName, init);
    this.detail = detail;
  }
}

/** Fired once per session and page, when the status is final. */
export class SignicatVerifyCompleteEvent extends Event {
  static readonly eventName = 'signicat-verify-complete';
  readonly detail: CompleteDetail;
  constructor(detail: CompleteDetail) {
    super(SignicatVerifyCompleteEvent.eventName, init);
    this.detail = detail;
  }
}

/** Fired when something goes wrong; see {@link ErrorDetail.recoverable}. */
export class SignicatVerifyErrorEvent extends Event {
  static readonly eventName = 'signicat-verify-error';
  readonly detail: ErrorDetail;
  constructor(detail: ErrorDetail) {
    super(SignicatVerifyErrorEvent.eventName, init);
    this.detail = detail;
  }
}

/** Fired in `provider-sdk` mode once the session exists: the host page now starts the provider's SDK. */
export class SignicatVerifyProviderSdkEvent extends Event {
  static readonly eventName = 'signicat-verify-provider-sdk';
  readonly detail: ProviderSdkDetail;
  constructor(detail: ProviderSdkDetail) {
    super(SignicatVerifyProviderSdkEvent.eventName, init);
    this.detail = detail;
  }
}

/**
 * Fired when a session your backend created (the `session` attribute) has expired or is unknown: only
 * your backend can make a new one that keeps your `reference`, so the element does not. Mint a new
 * session and set it in `session`; the element then starts again with it.
 */
export class SignicatVerifyRestartRequestedEvent extends Event {
  static readonly eventName = 'signicat-verify-restart-requested';
  readonly detail: RestartRequestedDetail;
  constructor(detail: RestartRequestedDetail) {
    super(SignicatVerifyRestartRequestedEvent.eventName, init);
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'signicat-verify-status': SignicatVerifyStatusEvent;
    'signicat-verify-complete': SignicatVerifyCompleteEvent;
    'signicat-verify-error': SignicatVerifyErrorEvent;
    'signicat-verify-provider-sdk': SignicatVerifyProviderSdkEvent;
    'signicat-verify-restart-requested': SignicatVerifyRestartRequestedEvent;
  }
}
