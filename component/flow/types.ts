/**
 * @module
 * The element's flow as data: its state (a discriminated union on `step`), the events that move it (user
 * actions, and every proxy, camera, image and status result), and the effects a transition asks for.
 * No Lit, no DOM: `machine.ts` is a pure function over these types, and `flow-controller.ts` runs the
 * effects. The public behaviour they implement is docs/element.md.
 */
import type {
  ClaimHandoffResponse,
  ClientConfigResponse,
  CreateHandoffResponse,
  CreateSessionRequest,
  CreateSessionResponse,
  DocumentKind,
  DocumentTypeEntry,
  ElementErrorCode,
  FinalStatus,
  HandoffProgress,
  ImageRequirements,
  Mode,
  ReturnRequest,
  SessionStatusResponse,
  Side,
  Status,
} from '../contract/index.js';
import type { DocumentChoice } from '../document-choice.js';
import type { LiveHint, Verdict } from '../image/quality.js';

/** A captured, processed image held in memory until the proxy has it (never stored). */
export interface CapturedImage {
  blob: Blob;
  /** `blob:` URL for the preview; revoked when the image is dropped. */
  url: string;
  width: number;
  height: number;
  /** The capture-quality verdict (../image/quality.ts), when the analysis ran. */
  quality?: Verdict;
}

/** Captured images by side. */
export type Images = Readonly<Partial<Record<Side, CapturedImage>>>;

/** Delays in milliseconds for the automatic retries the flow schedules itself. */
export interface RetryTiming {
  /** First backoff delay after a network failure or 5xx; doubles each time. */
  retryBaseMs: number;
  /** Longest `Retry-After` honoured; a longer one is cut to this. */
  retryAfterCapMs: number;
  /** Wait after a 429 without a readable `Retry-After`. */
  rateLimitDefaultMs: number;
}

/** The element's inputs, as the flow reads them. */
export interface FlowConfig {
  mode: Mode;
  provider?: string;
  documentType?: string;
  documentCountry?: string;
  /** The `session` attribute: a session the integrator's backend created. */
  session?: string;
  /** The browser's language tag, for the default issuing country. */
  language?: string;
  /** The `handoff` attribute: the code of a hand-off link this (phone) page claims and captures for. */
  handoff?: string;
  /** The `allow-selfie-upload` attribute: a file may stand in for the live selfie. */
  allowSelfieUpload?: boolean;
  timing: RetryTiming;
}

/** A failure as the flow sees it (an `ApiError`'s data). */
export interface FlowError {
  code: ElementErrorCode;
  message: string;
  /** Trying the same request again may succeed (network, 5xx, 429). */
  retryable: boolean;
  /** The proxy's own `error.code`. */
  serverCode?: string;
  /** From a 429's `Retry-After`. */
  retryAfterMs?: number;
}

/** What a session request carries; the controller adds `pageUrl` and (redirect mode) `redirectUrl`. */
export type CreateInput = Pick<
  CreateSessionRequest,
  'mode' | 'provider' | 'documentType' | 'documentCountry'
>;

/** The session the flow works in. */
export interface Session {
  /** The newest token (the proxy refreshes it on uploads). */
  token: string;
  /** The token the session started with, once refreshed (to match the `session` attribute after a reload). */
  initial?: string;
  /** `host`: the `session` attribute (the integrator's backend made it, maybe with a `reference`). */
  origin: 'element' | 'host';
  mode: Mode;
  documentType?: string;
  /** The sides to capture, in order; all required. */
  sides: Side[];
  /** Sides the proxy holds. */
  uploaded: Side[];
  consentRequired: boolean;
  consentGiven: boolean;
  /** The last status told to the host page (status events fire on changes only). */
  status?: Status;
  /** How this page created it: kept in memory so an expired session can be replaced. */
  input?: CreateInput;
  /** Already replaced once after expiring: a second expiry is reported. */
  renewed?: boolean;
}

/** A session with the photos taken for it. */
export interface Work {
  session: Session;
  images: Images;
}

/** Automatic retries used so far by the call in flight. */
export interface Tries {
  transient: number;
  limited: number;
}

/** A retry that is waiting, shown as a polite status line (429) or in the upload step (transient). */
export interface RetryWait {
  reason: 'transient' | 'rate_limited';
  /** 1-based number of this retry, and how many are allowed for this reason. */
  attempt: number;
  of: number;
  waitMs: number;
}

/** A message in a step, or announced to screen readers. */
export type Message =
  | { key: 'error'; code: ElementErrorCode }
  | { key: 'busyTryLater'; seconds: number }
  | { key: 'busyRetrying'; seconds: number }
  | { key: 'countryMissing' }
  | { key: 'consentMissing' }
  | { key: 'imageUnreadable' }
  /** Resumed after a reload mid-capture: photos held in memory are gone; capture goes on at `side`. */
  | { key: 'photosNotKept'; side: Side }
  | { key: 'canceling' }
  | { key: 'uploadHeading' | 'uploadFailed' | 'uploadDone' }
  | { key: 'uploadRetrying'; attempt: number; of: number }
  | { key: 'status'; status: Status }
  | { key: 'handoffConnected' | 'phoneDone' | 'handoffRefused' }
  | { key: 'handoffCaptured'; side: Side };

/** The kinds of message a step shows in its notice line. */
export type Notice = Extract<
  Message,
  {
    key:
      | 'error'
      | 'busyTryLater'
      | 'countryMissing'
      | 'consentMissing'
      | 'imageUnreadable'
      | 'photosNotKept';
  }
>;

/** Where the flow stood, as kept in `sessionStorage`: derived by `snapshotOf`, never images. */
export interface Snapshot {
  v: 1;
  session: string;
  mode: Mode;
  step: 'capture' | 'upload' | 'waiting' | 'redirect' | 'provider' | 'outcome';
  documentType?: string;
  images?: ImageRequirements;
  uploaded: Side[];
  initial?: string;
  consentRequired?: boolean;
  /** Present for a session the integrator's backend created. */
  origin?: 'host';
}

/** The read a `loading` step waits for. */
export type LoadCall =
  | { type: 'read-session'; token: string }
  | { type: 'return'; token: string; params: ReturnRequest };

/** A call made before the session exists, from the intro, country or document step. */
export type SetupCall = 'config' | 'types' | 'create';

/** Fields every state carries. */
export interface Common {
  cfg: FlowConfig;
  /** A 429 retry is waiting. */
  wait?: RetryWait;
  /** The session token whose `complete` event has fired on this page. */
  completed?: string;
  /** The camera failed once: every capture uses the file picker. */
  cameraBlocked: boolean;
}

export type Step =
  | {
      step: 'loading';
      call?: LoadCall;
      /** The snapshot being resumed (kept as it is until the answer). */
      stored?: Snapshot;
      origin: Session['origin'];
      /** "Try again" on the error step: the session and photos as they were. */
      session?: Session;
      images?: Images;
      tries: Tries;
    }
  | {
      step: 'intro';
      session?: Session;
      pending?: SetupCall;
      config?: ClientConfigResponse | null;
      notice?: Notice;
      tries: Tries;
    }
  | {
      step: 'country';
      choice: DocumentChoice;
      country?: string;
      pending?: 'create';
      notice?: Notice;
      tries: Tries;
    }
  | {
      step: 'document';
      choice: DocumentChoice;
      country?: string;
      kinds: DocumentKind[];
      pending?: 'create';
      notice?: Notice;
      tries: Tries;
    }
  | { step: 'consent'; work: Work; notice?: Notice }
  | {
      step: 'capture';
      work: Work;
      side: Side;
      source: 'camera' | 'picker';
      /** A photo is being grabbed or processed. */
      processing: boolean;
      cameraReady: boolean;
      notice?: Notice;
      /** The live preview's quality hint ("Hold still", …), while the camera runs. */
      hint?: LiveHint;
    }
  | { step: 'review'; work: Work }
  | {
      step: 'upload';
      work: Work;
      phase: 'running' | 'retrying' | 'failed';
      /** The retry being waited for (transient failures), for "Trying again (2 of 3)". */
      attempt: number;
      tries: Tries;
      progress: Partial<Record<Side, number>>;
      /** The session expired: a new one is being (or must be) created before the uploads go on. */
      renew?: boolean;
    }
  | { step: 'waiting'; session: Session; status: Status }
  | {
      /** The desktop shows a link (and QR code) and follows the phone that captures for it. */
      step: 'handoff';
      work: Work;
      /** The side the desktop stood at: Cancel goes back there. */
      side: Side;
      phase: 'creating' | 'ready' | 'expired' | 'failed' | 'canceling';
      link?: CreateHandoffResponse;
      progress?: HandoffProgress;
      notice?: Notice;
    }
  /** The phone claims its hand-off link (`handoff` attribute) for a session token. */
  | { step: 'claiming'; code: string; tries: Tries }
  | {
      /** The phone's last step: sent ("go back to your computer"), or the link refused (its `handoff_*` code). */
      step: 'phone-done';
      refused?: string;
    }
  | { step: 'provider'; session: Session; submitting: boolean; tries: Tries }
  | { step: 'redirecting'; session: Session }
  | { step: 'outcome'; session: Session; status: FinalStatus }
  /** The user pressed Cancel: the proxy is ending the session as `canceled`. */
  | { step: 'canceling'; session: Session; tries: Tries }
  | {
      step: 'error';
      code: ElementErrorCode;
      recoverable: boolean;
      /** Kept when the error step offers to retry it. */
      session?: Session;
      /** The snapshot to keep meanwhile (a reload then resumes the same session). */
      kept?: Snapshot;
      /** Photos still held for that retry. */
      images?: Images;
      /** The integrator's backend must mint a new session: the element offers no button. */
      hostRestart?: boolean;
      /** The host page's reason for a `provider_failed` (shown as it was given). */
      reason?: string;
    };

export type FlowState = Common & Step;
export type StepName = Step['step'];
export type StateOf<S extends StepName> = FlowState & { step: S };

/** Events: user actions, host calls, and results of the effects. */
export type FlowEvent =
  // element lifecycle and inputs
  | { type: 'boot'; cfg: FlowConfig; stored?: Snapshot; returned?: ReturnRequest }
  | { type: 'configure'; cfg: FlowConfig }
  | { type: 'reconnected' }
  | { type: 'kit-failed' }
  /** The later steps' module (machine.ts, steps/late-views.ts) could not be loaded. */
  | { type: 'late-failed' }
  | { type: 'retry-due' }
  // user actions
  | { type: 'start' }
  | { type: 'country-continue'; code?: string }
  | { type: 'change-country' }
  | { type: 'choose-document'; kind: DocumentKind }
  | { type: 'consent-toggle'; checked: boolean }
  | { type: 'consent-continue' }
  | { type: 'shutter' }
  | { type: 'file-chosen'; file: Blob }
  | { type: 'retake' }
  | { type: 'accept' }
  | { type: 'use-picker' }
  | { type: 'use-camera' }
  | { type: 'retake-side'; side: Side }
  | { type: 'handoff-start' }
  | { type: 'handoff-cancel' }
  | { type: 'submit' }
  | { type: 'retry-upload' }
  | { type: 'error-action' }
  | { type: 'restart' }
  /** The previous step (before submit); from the first photo: the document choice again. */
  | { type: 'back' }
  /** Ends the session as `canceled` (before submit) and frees the camera. */
  | { type: 'cancel' }
  // host page calls (provider-sdk mode)
  | { type: 'provider-complete' }
  | { type: 'provider-failed'; reason?: string }
  // results
  | { type: 'config-read'; config: ClientConfigResponse }
  | { type: 'config-failed'; error: FlowError }
  | { type: 'types-read'; entries: DocumentTypeEntry[] }
  | { type: 'types-failed'; error: FlowError }
  | { type: 'session-created'; created: CreateSessionResponse; input: CreateInput }
  | { type: 'create-failed'; error: FlowError }
  | { type: 'read-ok'; state: SessionStatusResponse }
  | { type: 'read-failed'; error: FlowError }
  | { type: 'camera-ready'; side: Side }
  | {
      type: 'camera-failed';
      side: Side;
      code: 'camera_denied' | 'camera_unavailable';
      message: string;
    }
  | { type: 'frame'; side: Side; frame: ImageBitmap }
  /** The live quality hint changed (the quality loop). */
  | { type: 'quality'; side: Side; hint: LiveHint }
  | { type: 'frame-failed'; side: Side }
  | { type: 'image-ready'; side: Side; image: CapturedImage }
  | { type: 'image-failed'; side: Side }
  | { type: 'upload-progress'; side: Side; fraction: number }
  | { type: 'uploaded'; side: Side; token?: string }
  | { type: 'upload-failed'; side: Side; error: FlowError }
  | { type: 'submitted'; status: Status }
  | { type: 'submit-failed'; error: FlowError }
  | { type: 'status'; status: Status; final: boolean }
  | { type: 'handoff-created'; link: CreateHandoffResponse }
  | { type: 'handoff-failed'; error: FlowError }
  | { type: 'handoff-canceled'; progress?: HandoffProgress }
  | { type: 'handoff-progress'; progress: HandoffProgress }
  | { type: 'handoff-expired' }
  | { type: 'handoff-claimed'; claimed: ClaimHandoffResponse }
  | { type: 'status-failed'; error: FlowError }
  | { type: 'cancel-done'; status: Status }
  | { type: 'cancel-failed'; error: FlowError };

export type EventType = FlowEvent['type'];

/** An event for the host page (see component/events.ts). */
export type HostEvent =
  | { name: 'status'; detail: { status: Status; final: boolean } }
  | { name: 'complete'; detail: { status: FinalStatus; session: string } }
  | { name: 'error'; detail: { code: ElementErrorCode; message: string; recoverable: boolean } }
  | { name: 'provider-sdk'; detail: { provider: string; token: string; session: string } }
  | { name: 'restart-requested'; detail: { reason: 'session_expired'; session: string } };

/** What a transition asks the outside world to do. */
export type Effect =
  // proxy calls (one at a time: a new one aborts the one before)
  | { type: 'read-config'; provider?: string }
  | { type: 'read-document-types'; provider?: string }
  | { type: 'create-session'; input: CreateInput }
  | { type: 'read-session'; token: string }
  | { type: 'return'; token: string; params: ReturnRequest }
  | { type: 'upload'; token: string; side: Side; image: Blob; consent: boolean }
  | { type: 'submit'; token: string }
  | { type: 'create-handoff'; token: string }
  | { type: 'cancel-handoff'; token: string }
  | { type: 'claim-handoff'; code: string }
  /** Dispatch `handoff-expired` at `at` (ISO 8601). */
  | { type: 'handoff-timer'; at: string }
  /**
   * `POST /sessions/{token}/cancel`. `wait`: on the call lane, answered by `cancel-done`/`cancel-failed`;
   * otherwise on its own, unanswered (a session left behind by a new document choice).
   */
  | { type: 'cancel-session'; token: string; wait: boolean }
  /** Abort the call in flight and any scheduled retry. */
  | { type: 'abort' }
  /** Dispatch `retry-due` after `ms`. */
  | { type: 'retry-in'; ms: number }
  // resources the state implies (emitted when what the state implies changes)
  | { type: 'watch'; token: string | null }
  | { type: 'camera'; want: { side: Side; facing: 'environment' | 'user' } | null }
  | { type: 'persist'; snapshot: Snapshot | null }
  | { type: 'load-kit'; required: boolean }
  // camera and images
  | { type: 'grab-frame'; side: Side }
  | { type: 'process-image'; side: Side; source: Blob | ImageBitmap }
  | { type: 'release'; images: CapturedImage[] }
  // the page
  | { type: 'navigate'; url: string }
  | { type: 'clean-address' }
  | { type: 'emit'; event: HostEvent }
  | { type: 'announce'; message: Message }
  | { type: 'log'; level: 'warn' | 'error'; message: string };

export interface Transition {
  state: FlowState;
  effects: Effect[];
}
