/**
 * @license MIT
 * `<signicat-verify>`: identity-document verification through a self-hosted proxy for Signicat's Assure API.
 * This module only declares the class; `define.ts` registers it.
 */
import { adoptStyles, html, LitElement, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  ApiError,
  isAbortError,
  isDocumentKind,
  isFinalStatus,
  ProxyClient,
  requiredSides,
  SIDES,
  type CreateSessionInput,
  type DocumentKind,
  type ErrorCode,
  type FinalStatus,
  type ImageRequirements,
  type Mode,
  type ReturnParams,
  type Side,
  type Status,
} from './api.js';
import { loadDocumentChoice, type DocumentChoice } from './document-choice.js';
import {
  SignicatVerifyCompleteEvent,
  SignicatVerifyErrorEvent,
  SignicatVerifyProviderSdkEvent,
  SignicatVerifyStatusEvent,
} from './events.js';
import { en, loadStrings, matchLanguage, resolveLang, type Strings } from './i18n/index.js';
import { RequestController } from './request-controller.js';
import { withRetries, type RetryPolicy, type RetryWait } from './retry.js';
import { SessionStore, type StoredSession, type StoredStep } from './session-store.js';
import { StatusController, type StatusTiming } from './status-controller.js';
import { styles } from './signicat-verify.styles.js';
import { heading, spinner } from './steps/heading.js';
import { VERSION } from './version.js';
import type { CameraController } from './camera/camera-controller.js';
import type { CapturedImage } from './steps/capture-views.js';
import type { CountryPicker } from './steps/country-picker.js';

type CaptureKit = typeof import('./capture-kit.js');
type Step =
  | 'loading'
  | 'intro'
  | 'country'
  | 'document-type'
  | 'consent'
  | 'capture'
  | 'review'
  | 'upload'
  | 'waiting'
  | 'provider'
  | 'redirecting'
  | 'outcome'
  | 'error';
const RETURN_PARAMS = ['dossierId', 'processId', 'status'] as const;
const MAX_RETRIES = 3;
/** Automatic retries after `429 rate_limited`: then the user decides. */
const RATE_LIMIT_RETRIES = 2;
const MAX_IMAGE_BYTES = 1_000_000;

function readReturnParams(): ReturnParams | undefined {
  const query = new URLSearchParams(location.search);
  const [dossierId, processId, status] = RETURN_PARAMS.map((name) => query.get(name));
  return dossierId && processId && status ? { dossierId, processId, status } : undefined;
}

function withoutReturnParams(href: string): string {
  const url = new URL(href);
  for (const name of RETURN_PARAMS) url.searchParams.delete(name);
  return url.href;
}

/**
 * Verifies a customer's identity document: intro, document type, front, back, selfie, review, upload, then a
 * live status until the outcome. Talks only to your proxy (`endpoint`); never to Signicat directly.
 *
 * @summary Identity-document verification through a self-hosted Signicat Assure proxy.
 *
 * @fires signicat-verify-status - `{ status, final }` on every status change.
 * @fires signicat-verify-complete - `{ status, session }` once per session and page, when the status is final.
 * @fires signicat-verify-error - `{ code, message, recoverable }`; codes: `camera_denied`, `camera_unavailable`,
 *   `network`, `session_expired`, `upload_rejected`, `invalid_config`, `server_error`, `provider_failed`,
 *   `redirect_mismatch`, `rate_limited`.
 * @fires signicat-verify-provider-sdk - `{ provider, token, session }` in `provider-sdk` mode.
 *
 * @csspart base - The wrapper of every step.
 * @csspart heading - The step heading.
 * @csspart button - Every button.
 * @csspart button-primary - The main action of a step (also has the `button` part).
 * @csspart preview - The camera preview or captured still.
 * @csspart guide - The document- or face-shaped overlay on the preview.
 * @csspart status - The status line while waiting.
 * @csspart outcome - The outcome panel.
 *
 * @cssproperty --signicat-verify-accent - Buttons, focus ring and progress. Default `#1d4ed8`.
 * @cssproperty --signicat-verify-accent-fg - Text on the accent colour. Default `#fff`.
 * @cssproperty --signicat-verify-bg - Background. Default the page's `Canvas` colour.
 * @cssproperty --signicat-verify-fg - Text colour. Default the page's `CanvasText` colour.
 * @cssproperty --signicat-verify-muted - Secondary text. Default a grey with AA contrast.
 * @cssproperty --signicat-verify-border - Borders. Default a mid grey.
 * @cssproperty --signicat-verify-radius - Corner radius. Default `0.75rem`.
 * @cssproperty --signicat-verify-font - Font family. Default `inherit`.
 * @cssproperty --signicat-verify-success - Accepted outcome colour.
 * @cssproperty --signicat-verify-danger - Rejected and error colour.
 * @cssproperty --signicat-verify-max-width - Maximum width of the element. Default `36rem`.
 */
export class SignicatVerifyElement extends LitElement {
  static override styles = styles;

  /** The package version, used to warn when two different copies are loaded on one page. */
  static readonly version = VERSION;

  /**
   * Delays in milliseconds (retry backoff, the longest `Retry-After` honoured, the wait after a 429
   * without one, status polling). Tunable; tests shorten them.
   */
  static timing: StatusTiming & { retryBaseMs: number; retryAfterCapMs: number; rateLimitDefaultMs: number } = {
    retryBaseMs: 1000,
    retryAfterCapMs: 60_000,
    rateLimitDefaultMs: 5000,
    pollMinMs: 1500,
    pollMaxMs: 10_000,
    slowPollMs: 20_000,
  };

  /** Registers the element; does nothing when `tag` is already defined (for example by a second script tag). */
  static define(tag = 'signicat-verify', registry: CustomElementRegistry = customElements): void {
    if (registry.get(tag)) return;
    try {
      registry.define(tag, this);
    } catch {
      // A constructor can be registered once per registry: a second tag gets a subclass.
      registry.define(tag, class extends this {});
    }
  }

  /** Leaves the page for the hosted capture flow. Replaceable (tests, single-page routers). */
  static redirectTo(url: string): void {
    window.location.assign(url);
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang']; // `lang` stays the native attribute; we only follow it
  }

  private readonly requests = new RequestController(this);
  private readonly statusWatch = new StatusController(
    this,
    {
      onStatus: (status, final) => this.handleStatus(status, final),
      onError: (error) => this.fail(error),
    },
    () => SignicatVerifyElement.timing,
  );
  private client = new ProxyClient();
  private store?: SessionStore;
  private kit?: CaptureKit;
  private camera?: CameraController;
  private sessionToken?: string;
  private requirements?: ImageRequirements;
  private boundDocumentType?: string;
  /** The token the session started with, when the proxy has refreshed it since (kept to match `session`). */
  private initialToken?: string;
  private choice?: DocumentChoice;
  private countryPicker?: CountryPicker;
  /** The `documentCountry` for the next session: the country chosen, or a fixed `UNIV`. */
  private issuingCountry?: string;
  private consentRequired = false;
  private readonly uploaded = new Set<Side>();
  private readonly skipped = new Set<Side>();
  private lastStatus?: Status;
  private completedFor?: string;
  private booted = false;
  private kitStyled = false;
  private interacted = false;
  private focusedKey = '';
  private bootRun = 0;

  @state() private step: Step = 'loading';
  @state() private side: Side = 'front';
  @state() private images: ReadonlyMap<Side, CapturedImage> = new Map();
  @state() private busy = false;
  @state() private notice = '';
  @state() private picker = false;
  @state() private cameraBlocked = false;
  @state() private cameraReady = false;
  @state() private documentKinds: DocumentKind[] | null = null;
  @state() private progress: Partial<Record<Side, number>> = {};
  @state() private uploadState: 'running' | 'retrying' | 'failed' = 'running';
  @state() private retryAttempt = 0;
  @state() private status: Status | null = null;
  @state() private errorCode: ErrorCode | null = null;
  @state() private announcement = '';
  @state() private dictionary: Strings = en;
  @state() private language = 'en';
  @state() private consentGiven = false;
  /** The notice is about a missing answer in a form (country, consent). */
  @state() private noticeInvalid = false;
  /** A `429` retry is waiting: shown as a polite status line under any step. */
  @state() private busyWait: RetryWait | null = null;

  /** Base URL of the proxy API. */
  @property() endpoint = '/api';

  /** `capture` (the element takes the photos), `redirect` (hosted capture flow) or `provider-sdk`. */
  @property() mode: Mode = 'capture';

  /** Assure provider to use; the proxy may refuse values it does not allow. */
  @property() provider?: string;

  /** Preset document type (`passport`, `identityCard`, `driversLicense`, `residencePermit`); skips the choice. */
  @property({ attribute: 'document-type' }) documentType?: string;

  /**
   * ISO 3166-1 alpha-2 code of the country that issued the document: preselected in the issuing-country
   * step (asked only for providers that need it). `UNIV` skips that step and offers only a passport.
   */
  @property({ attribute: 'document-country' }) documentCountry?: string;

  /** A session token created by your backend: the element skips creation and resumes it. */
  @property() session?: string;

  /** Longest image edge in pixels after downscaling. */
  @property({ type: Number, attribute: 'max-image-edge' }) maxImageEdge = 2000;

  /** JPEG quality the encoder starts with (0–1); it steps down only if an image would exceed 1 MB. */
  @property({ type: Number, attribute: 'jpeg-quality' }) jpegQuality = 0.9;

  /** Per-string overrides on top of the active language (`{ introHeading: '…' }`). */
  @property({ attribute: false }) translations?: Partial<Strings>;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateLanguage();
    if (!this.booted) {
      this.booted = true;
      void this.boot();
    } else {
      this.resumeAfterReconnect();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback(); // controllers abort requests, stop the status stream and the camera
    this.cameraReady = false;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value && this.isConnected) void this.updateLanguage();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new endpoint, mode or session after the start means another verification: begin again.
    if (this.hasUpdated && (changed.has('endpoint') || changed.has('mode') || changed.has('session'))) {
      this.reset();
      void this.boot();
    }
    if (this.cameraReady && !this.wantsCamera()) this.cameraReady = false; // before render: no second update
  }

  protected override updated(): void {
    this.syncCamera();
    const key = `${this.step}:${this.step === 'capture' ? this.side : ''}`;
    if (key !== this.focusedKey) {
      this.focusedKey = key;
      // Only after the user acted: on page load the host page keeps its own focus and scroll position.
      if (this.interacted) this.renderRoot.querySelector<HTMLElement>('#heading')?.focus();
    }
  }

  private get t(): Strings {
    return this.translations ? { ...this.dictionary, ...this.translations } : this.dictionary;
  }

  private async updateLanguage(): Promise<void> {
    const lang = matchLanguage(resolveLang(this));
    const dictionary = await loadStrings(lang);
    if (matchLanguage(resolveLang(this)) !== lang) return;
    this.dictionary = dictionary;
    this.language = lang;
  }

  // ---- start, resume, return ----

  private async boot(): Promise<void> {
    const run = ++this.bootRun;
    await this.updateComplete;
    if (run !== this.bootRun || !this.isConnected) return;
    this.client = new ProxyClient(this.endpoint);
    this.store = new SessionStore(this.endpoint, this.mode, this.id);
    const signal = this.requests.next();
    this.step = 'loading';
    try {
      const stored = this.store.load();
      const returned = this.mode === 'redirect' ? readReturnParams() : undefined;
      if (returned) {
        const session = this.session || stored?.session;
        if (session) return await this.handleReturn(session, returned, stored, signal);
      }
      if (this.session) {
        // After an upload the stored token is the proxy's refreshed one; `initial` says it is still this session.
        const same = stored && (stored.session === this.session || stored.initial === this.session);
        return await this.resume(same ? stored.session : this.session, same ? stored : undefined, signal);
      }
      if (stored) return await this.resume(stored.session, stored, signal);
      this.step = 'intro';
    } catch (error) {
      this.fail(error);
    }
  }

  private async resume(session: string, stored: StoredSession | undefined, signal: AbortSignal): Promise<void> {
    const state = await this.retrying(signal, () => this.client.getSession(session, { signal }));
    this.adopt(session, state.images ?? stored?.images, state.documentType ?? stored?.documentType ?? this.documentType);
    this.initialToken = stored?.initial;
    this.consentRequired = state.consentRequired ?? stored?.consentRequired ?? false;
    for (const side of [...(stored?.uploaded ?? []), ...(state.images?.uploaded ?? [])]) this.uploaded.add(side);
    this.noteStatus(state.status, state.final);
    if (state.final || isFinalStatus(state.status)) return this.showOutcome(state.status as FinalStatus);
    if (state.status === 'processing' || stored?.step === 'waiting') return this.goWaiting();
    if (this.mode === 'capture') {
      if (stored && (stored.step === 'capture' || stored.step === 'upload')) return await this.beginCapture();
      this.step = 'intro';
      return;
    }
    if (this.mode === 'provider-sdk' && this.session === session) {
      // The integrator's backend created this session and holds the provider token: just wait for the host.
      this.step = 'provider';
      return;
    }
    // A pending redirect or provider-sdk session after a reload: the hosted flow was left without an answer,
    // or the provider token (never stored) is gone. A fresh session is the only way on.
    this.store?.clear();
    this.sessionToken = undefined;
    this.step = 'intro';
  }

  private async handleReturn(
    session: string,
    params: ReturnParams,
    stored: StoredSession | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    this.adopt(session, stored?.images, stored?.documentType);
    let state;
    try {
      state = await this.retrying(signal, () => this.client.returnFromCapture(session, params, { signal }));
    } finally {
      // The parameters served their purpose; keep them out of bookmarks, shares and the back button.
      history.replaceState(history.state, '', withoutReturnParams(location.href));
    }
    this.noteStatus(state.status, state.final);
    if (state.final || isFinalStatus(state.status)) return this.showOutcome(state.status as FinalStatus);
    this.goWaiting();
  }

  private resumeAfterReconnect(): void {
    this.busy = false;
    if (this.step === 'loading') void this.boot();
    else if (this.step === 'waiting' && this.sessionToken) this.statusWatch.watch(this.client, this.sessionToken);
    else if (this.step === 'upload' && this.uploadState !== 'failed') void this.upload();
    else if (this.step === 'document-type' && !this.documentKinds) void this.goChoose();
    else this.requestUpdate(); // the capture step restarts its camera in `updated()`
  }

  private adopt(session: string, images: ImageRequirements | undefined, documentType: string | null | undefined): void {
    if (this.sessionToken !== session) {
      this.lastStatus = undefined;
      this.uploaded.clear();
      this.skipped.clear();
      this.initialToken = undefined;
      this.consentGiven = false;
    }
    this.sessionToken = session;
    this.requirements = images;
    this.boundDocumentType = documentType ?? undefined;
  }

  private save(step: StoredStep): void {
    if (!this.sessionToken) return;
    this.store?.save({
      session: this.sessionToken,
      mode: this.mode,
      step,
      documentType: this.boundDocumentType,
      images: this.requirements,
      uploaded: [...this.uploaded],
      ...(this.initialToken && { initial: this.initialToken }),
      ...(this.consentRequired && { consentRequired: true }),
    });
  }

  private async createSession(documentType?: string): Promise<void> {
    const signal = this.requests.next();
    this.busy = true;
    this.notice = '';
    try {
      const input: CreateSessionInput = { mode: this.mode, pageUrl: location.href };
      if (this.provider) input.provider = this.provider;
      // Unchecked on purpose: the proxy refuses an unknown type with a clear invalid_config.
      if (documentType) input.documentType = documentType as DocumentKind;
      if (this.mode === 'capture' && this.issuingCountry) input.documentCountry = this.issuingCountry;
      if (this.mode === 'redirect') input.redirectUrl = withoutReturnParams(location.href);
      const created = await this.client.createSession(input, { signal });
      this.adopt(created.session, created.images, created.documentType ?? documentType);
      this.consentRequired = created.consentRequired === true;
      if (this.mode === 'redirect') {
        if (!created.captureUrl) throw new ApiError('server_error', 'The proxy sent no captureUrl.');
        this.save('redirect');
        this.step = 'redirecting';
        SignicatVerifyElement.redirectTo(created.captureUrl);
      } else if (this.mode === 'provider-sdk') {
        if (!created.providerToken) throw new ApiError('server_error', 'The proxy sent no providerToken.');
        this.save('provider');
        this.step = 'provider';
        this.dispatchEvent(
          new SignicatVerifyProviderSdkEvent({ provider: created.provider, token: created.providerToken, session: created.session }),
        );
      } else {
        this.save('capture');
        await this.beginCapture();
      }
    } catch (error) {
      if (error instanceof ApiError && error.retryable && !this.sessionToken) {
        // Nothing was created: stay on this step with the reason, and the same button tries again.
        this.notice =
          error.code === 'rate_limited' && error.retryAfterMs !== undefined
            ? this.t.busyTryLater(Math.ceil(error.retryAfterMs / 1000))
            : this.t.errors[error.code];
        this.noticeInvalid = false;
        this.announce(this.notice);
        this.emitError(error.code, error.message, true);
      } else {
        this.fail(error);
      }
    } finally {
      this.busy = false;
    }
  }

  // ---- capture ----

  private async loadKit(): Promise<CaptureKit> {
    this.kit ??= await import('./capture-kit.js');
    if (!this.kitStyled && this.renderRoot instanceof ShadowRoot) {
      // The chunk's own steps bring their styles; the first screen does not carry them.
      adoptStyles(this.renderRoot, [...SignicatVerifyElement.elementStyles, this.kit.setupStyles]);
      this.kitStyled = true;
    }
    return this.kit;
  }

  /** Sides to capture, in order, and which of them the session cannot do without. */
  private plan(): { sides: Side[]; required: ReadonlySet<Side> } {
    let { required, optional } = this.requirements ?? { required: [] as Side[], optional: [] as Side[] };
    if (!this.requirements) {
      // A session handed over by the integrator's backend: the proxy's own rule, from the document type.
      const type = this.boundDocumentType ?? this.documentType;
      required = requiredSides('capture', isDocumentKind(type) ? type : undefined);
      optional = type ? [] : ['back'];
    }
    const sides = SIDES.filter((side) => required.includes(side) || optional.includes(side));
    return { sides, required: new Set(required) };
  }

  private sides(): Side[] {
    return this.plan().sides;
  }

  private async beginCapture(): Promise<void> {
    try {
      await this.loadKit();
    } catch {
      throw new ApiError('network', 'The capture module could not be loaded.', 0, true);
    }
    if (this.needsConsent()) {
      this.notice = '';
      this.step = 'consent';
      return;
    }
    this.nextSide();
  }

  /** The provider's consent is still to be asked: it travels with the first upload. */
  private needsConsent(): boolean {
    return this.consentRequired && !this.consentGiven && this.uploaded.size === 0;
  }

  /** Goes to the first side still missing, or to review when every side has an image. */
  private nextSide(): void {
    const missing = this.sides().find((s) => !this.images.has(s) && !this.uploaded.has(s) && !this.skipped.has(s));
    this.notice = '';
    if (missing) {
      this.side = missing;
      this.step = 'capture';
      this.save('capture');
    } else if (this.images.size) {
      this.step = 'review';
    } else {
      void this.upload(); // everything was uploaded before a reload: submit
    }
  }

  /** Whether the current state shows the live preview (and so needs the camera). */
  private wantsCamera(): boolean {
    return (
      this.step === 'capture' && !this.picker && !this.busy && !this.images.has(this.side) && this.isConnected && !!this.kit
    );
  }

  /** Starts or stops the camera to match what is rendered; runs after every update. */
  private syncCamera(): void {
    if (!this.wantsCamera()) {
      if (this.camera?.key) this.camera.stop();
      return;
    }
    const video = this.renderRoot.querySelector('video');
    const key = this.side;
    if (video && this.camera?.key !== key) void this.startCamera(video, key);
  }

  private async startCamera(video: HTMLVideoElement, key: Side): Promise<void> {
    const kit = this.kit!;
    const camera = (this.camera ??= new kit.CameraController(this));
    this.cameraReady = false;
    try {
      if (await camera.start(video, key === 'selfie' ? 'user' : 'environment', key)) this.cameraReady = true;
    } catch (error) {
      if (!(error instanceof kit.CameraError)) throw error;
      // Recoverable: the file picker takes over. The event still tells the host page what happened.
      this.picker = true;
      this.cameraBlocked = true;
      this.notice = this.t.errors[error.code];
      this.emitError(error.code, error.message, true);
    }
  }

  private setImage(side: Side, image: CapturedImage | undefined): void {
    const images = new Map(this.images);
    const old = images.get(side);
    if (old) URL.revokeObjectURL(old.url);
    if (image) images.set(side, image);
    else images.delete(side);
    this.images = images;
  }

  private releaseImages(): void {
    for (const image of this.images.values()) URL.revokeObjectURL(image.url);
    this.images = new Map();
  }

  private async processInto(side: Side, source: Blob | ImageBitmap): Promise<void> {
    const kit = this.kit!;
    this.busy = true;
    this.notice = '';
    try {
      const image = await kit.processImage(source, {
        maxEdge: this.maxImageEdge > 0 ? this.maxImageEdge : 2000,
        quality: this.jpegQuality > 0 && this.jpegQuality <= 1 ? this.jpegQuality : 0.9,
        maxBytes: MAX_IMAGE_BYTES,
      });
      if (this.step !== 'capture' || this.side !== side) return;
      this.setImage(side, { ...image, url: URL.createObjectURL(image.blob) });
    } catch {
      this.notice = this.t.imageUnreadable;
    } finally {
      this.busy = false;
    }
  }

  private handleShutter = async (): Promise<void> => {
    this.interacted = true;
    const camera = this.camera;
    if (!camera) return;
    let frame: ImageBitmap;
    try {
      frame = await camera.grab();
    } catch {
      return;
    }
    camera.stop(); // the camera is off while the still is shown
    this.cameraReady = false;
    await this.processInto(this.side, frame);
  };

  private handleFile = async (event: Event): Promise<void> => {
    this.interacted = true;
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) await this.processInto(this.side, file);
  };

  private handleRetake = (): void => {
    this.interacted = true;
    this.focusedKey = '';
    this.setImage(this.side, undefined);
  };

  private handleAccept = (): void => {
    this.interacted = true;
    this.nextSide();
  };

  private handleSkip = (): void => {
    this.interacted = true;
    this.skipped.add(this.side);
    this.nextSide();
  };

  private handlePicker = (): void => {
    this.interacted = true;
    this.picker = true;
  };

  private handleCamera = (): void => {
    this.interacted = true;
    this.picker = false;
    this.notice = '';
  };

  private handleRetakeSide = (side: Side): void => {
    this.interacted = true;
    this.setImage(side, undefined);
    this.skipped.delete(side);
    this.side = side;
    this.notice = '';
    this.step = 'capture';
  };

  // ---- upload, waiting, outcome ----

  private retryPolicy(transient: number): RetryPolicy {
    const { retryBaseMs, retryAfterCapMs, rateLimitDefaultMs } = SignicatVerifyElement.timing;
    return { transient, rateLimited: RATE_LIMIT_RETRIES, baseMs: retryBaseMs, retryAfterCapMs, rateLimitDefaultMs };
  }

  /** Shows a `429` wait as a polite status line (and announces it once); clears it when the wait ends. */
  private showBusyWait = (wait: RetryWait | null): void => {
    if (wait && wait.reason !== 'rate_limited') return;
    this.busyWait = wait;
    if (wait) this.announce(this.t.busyRetrying(Math.ceil(wait.waitMs / 1000)));
  };

  /** An idempotent call that only a `429` retries (its other failures are reported as before). */
  private retrying<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    return withRetries(work, signal, this.retryPolicy(0), this.showBusyWait);
  }

  /** Uploads and submit: transient failures back off and retry too, shown in the upload step. */
  private withRetry<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    return withRetries(work, signal, this.retryPolicy(MAX_RETRIES), (wait) => {
      this.showBusyWait(wait);
      if (wait?.reason === 'transient') {
        this.uploadState = 'retrying';
        this.retryAttempt = wait.attempt;
        this.announce(this.t.uploadRetrying(wait.attempt, wait.of));
      } else if (!wait) {
        this.uploadState = 'running';
      }
    });
  }

  private async upload(): Promise<void> {
    if (!this.sessionToken) return;
    const signal = this.requests.next();
    this.step = 'upload';
    this.uploadState = 'running';
    this.retryAttempt = 0;
    this.save('upload');
    this.announce(this.t.uploadHeading);
    let side: Side | undefined;
    try {
      for (side of this.sides()) {
        const image = this.images.get(side);
        if (!image || this.uploaded.has(side)) continue;
        const current = side;
        const token = this.sessionToken!;
        // The consent goes with the first upload only: that one creates the process at Signicat.
        const consent = this.consentRequired && this.consentGiven && this.uploaded.size === 0;
        const answer = await this.withRetry(signal, () =>
          this.client.uploadImage(token, current, image.blob, {
            signal,
            consent,
            onProgress: (fraction) => (this.progress = { ...this.progress, [current]: fraction }),
          }),
        );
        this.uploaded.add(side);
        if (answer?.session) this.refreshToken(answer.session);
        this.save('upload');
      }
      side = undefined;
      const session = this.sessionToken!;
      const answer = await this.withRetry(signal, () => this.client.submit(session, { signal }));
      this.announce(this.t.uploadDone);
      this.releaseImages(); // the proxy has them now
      this.noteStatus(answer.status, isFinalStatus(answer.status));
      if (isFinalStatus(answer.status)) this.showOutcome(answer.status);
      else this.goWaiting();
    } catch (error) {
      if (isAbortError(error)) return;
      if (error instanceof ApiError && error.serverCode === 'consent_required') {
        // The proxy knows the provider needs consent although this page was not told (a session from
        // elsewhere): ask for it; the photos stay and go again from the review.
        this.consentRequired = true;
        this.consentGiven = false;
        this.save('capture');
        this.notice = '';
        this.step = 'consent';
      } else if (error instanceof ApiError && error.code === 'upload_rejected' && side) {
        // Back to that side's capture with the reason; the other images stay.
        this.emitError(error.code, error.message, true);
        this.setImage(side, undefined);
        this.uploaded.delete(side);
        this.side = side;
        this.step = 'capture';
        this.notice = this.t.errors.upload_rejected;
        this.save('capture');
      } else if (error instanceof ApiError && error.retryable) {
        this.uploadState = 'failed';
        this.announce(this.t.uploadFailed);
        this.emitError(error.code, error.message, true);
      } else {
        this.fail(error);
      }
    }
  }

  /** The proxy refreshed the token (it now names the dossier and process): use it from here on. */
  private refreshToken(token: string): void {
    if (token === this.sessionToken) return;
    this.initialToken ??= this.sessionToken;
    this.sessionToken = token;
  }

  private goWaiting(): void {
    if (!this.sessionToken) return;
    this.step = 'waiting';
    this.save('waiting');
    this.statusWatch.watch(this.client, this.sessionToken);
  }

  private handleStatus(status: Status, final: boolean): void {
    this.noteStatus(status, final);
    if (final || isFinalStatus(status)) this.showOutcome(status as FinalStatus);
  }

  private noteStatus(status: Status, final: boolean): void {
    this.status = status;
    if (status === this.lastStatus) return;
    this.lastStatus = status;
    this.announce(this.t.status[status] ?? status);
    this.dispatchEvent(new SignicatVerifyStatusEvent({ status, final: final || isFinalStatus(status) }));
  }

  private showOutcome(status: FinalStatus): void {
    this.statusWatch.stop();
    this.status = status;
    this.step = 'outcome';
    this.releaseImages();
    this.save('outcome');
    const session = this.sessionToken!;
    if (this.completedFor !== session) {
      this.completedFor = session;
      this.dispatchEvent(new SignicatVerifyCompleteEvent({ status, session }));
    }
  }

  // ---- errors ----

  private emitError(code: ErrorCode, message: string, recoverable: boolean): void {
    this.dispatchEvent(new SignicatVerifyErrorEvent({ code, message, recoverable }));
  }

  /** Whether the error step offers to retry the same session (rather than to start again). */
  private canRetrySame(code: ErrorCode | null): boolean {
    return (code === 'network' || code === 'server_error' || code === 'rate_limited') && !!this.sessionToken;
  }

  /** The flow cannot go on: show why, with the way out, and tell the host page. */
  private fail(error: unknown): void {
    if (isAbortError(error)) return;
    const apiError =
      error instanceof ApiError ? error : new ApiError('server_error', error instanceof Error ? error.message : String(error));
    if (!(error instanceof ApiError)) console.error('[signicat-verify]', error);
    // The integrator needs this one (e.g. ALLOWED_ORIGINS); the user only sees "not set up correctly".
    else if (apiError.code === 'invalid_config') console.warn('[signicat-verify]', apiError.message);
    this.statusWatch.stop();
    this.requests.abort();
    if (apiError.code === 'session_expired' || apiError.code === 'redirect_mismatch') {
      this.store?.clear();
      this.sessionToken = undefined;
    }
    this.busy = false;
    this.busyWait = null;
    this.errorCode = apiError.code;
    this.step = 'error';
    this.announce(this.t.errors[apiError.code]);
    // Recoverable exactly when the error step offers to try the same session again.
    this.emitError(apiError.code, apiError.message, this.canRetrySame(apiError.code));
  }

  private announce(text: string): void {
    this.announcement = text;
  }

  private reset(): void {
    this.requests.abort();
    this.statusWatch.stop();
    this.camera?.stop();
    this.releaseImages();
    this.sessionToken = undefined;
    this.initialToken = undefined;
    this.requirements = undefined;
    this.boundDocumentType = undefined;
    this.choice = undefined;
    this.countryPicker = undefined;
    this.issuingCountry = undefined;
    this.consentRequired = false;
    this.consentGiven = false;
    this.busyWait = null;
    this.uploaded.clear();
    this.skipped.clear();
    this.lastStatus = undefined;
    this.status = null;
    this.errorCode = null;
    this.notice = '';
    this.noticeInvalid = false;
    this.progress = {};
    this.busy = false;
    this.picker = this.cameraBlocked;
    this.documentKinds = null;
  }

  // ---- step handlers ----

  private handleStart = async (): Promise<void> => {
    this.interacted = true;
    if (this.mode === 'capture') void this.loadKit().catch(() => undefined); // fetch the chunk while the user reads on
    if (this.sessionToken) {
      if (this.mode === 'capture') await this.beginCapture().catch((e: unknown) => this.fail(e));
      else if (this.mode === 'provider-sdk') this.step = 'provider';
      else await this.createSession(this.documentType);
      return;
    }
    if (this.mode === 'capture') await this.goChoose();
    else await this.createSession(this.documentType);
  };

  /** Capture mode, before the session: issuing country (when the provider needs it), then document type. */
  private async goChoose(): Promise<void> {
    const signal = this.requests.next();
    this.busy = true;
    this.notice = '';
    try {
      const input = { documentType: this.documentType, documentCountry: this.documentCountry, language: navigator.language };
      const retry = <T>(work: () => Promise<T>) => this.retrying(signal, work);
      const choice = (this.choice ??= await loadDocumentChoice(this.client, this.provider, input, retry, signal));
      this.issuingCountry = choice.fixedCountry;
      if (choice.askCountry) {
        // The picker and its view live in the capture chunk (prefetched on Start), off the first screen.
        const kit = await this.loadKit().catch(() => {
          throw new ApiError('network', 'The capture module could not be loaded.', 0, true);
        });
        this.countryPicker ??= new kit.CountryPicker(choice.countries, choice.defaultCountry, () => this.requestUpdate());
        this.step = 'country';
        return;
      }
      this.busy = false;
      await this.afterCountry(choice.kinds);
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  /** The country is settled: the preset type goes straight to a session, else the user picks one. */
  private async afterCountry(kinds: DocumentKind[]): Promise<void> {
    this.notice = '';
    this.noticeInvalid = false;
    if (this.documentType) return this.createSession(this.documentType);
    this.documentKinds = kinds;
    this.step = 'document-type';
  }

  private handleCountryContinue = (): void => {
    this.interacted = true;
    const picker = this.countryPicker;
    const code = picker?.resolve(this.language);
    if (!picker || !code) {
      this.notice = this.t.countryMissing;
      this.noticeInvalid = true;
      this.announce(this.notice);
      return;
    }
    if (picker.selected !== code) picker.choose(code);
    this.issuingCountry = code;
    void this.afterCountry(this.choice?.countries.find((c) => c.code === code)?.kinds ?? []);
  };

  private handleChangeCountry = (): void => {
    this.interacted = true;
    this.notice = '';
    this.step = 'country';
  };

  private handleConsentToggle = (checked: boolean): void => {
    this.interacted = true;
    this.consentGiven = checked;
    if (checked) this.notice = '';
  };

  private handleConsentContinue = (): void => {
    this.interacted = true;
    if (!this.consentGiven) {
      this.notice = this.t.consentMissing;
      this.noticeInvalid = true;
      this.announce(this.notice);
      return;
    }
    this.noticeInvalid = false;
    this.nextSide();
  };

  private handleRetryUpload = (): void => {
    this.interacted = true;
    void this.upload();
  };

  private handleSubmit = (): void => {
    this.interacted = true;
    void this.upload();
  };

  private handleErrorAction = (): void => {
    this.interacted = true;
    if (this.canRetrySame(this.errorCode) && this.sessionToken) {
      const signal = this.requests.next();
      this.step = 'loading';
      this.resume(this.sessionToken, this.store?.load(), signal).catch((e: unknown) => this.fail(e));
    } else {
      this.restart();
    }
  };

  private handleRestart = (): void => {
    this.interacted = true;
    this.restart();
  };

  // ---- public API ----

  /**
   * Provider-SDK mode: the host page calls this when the provider's SDK reports that the capture succeeded.
   * The element submits the session and follows it to the outcome. Ignored in other modes or steps.
   */
  async providerCaptureComplete(): Promise<void> {
    const session = this.sessionToken;
    if (this.mode !== 'provider-sdk' || !session || this.step !== 'provider') {
      console.warn('[signicat-verify] providerCaptureComplete() ignored: no provider-sdk session is waiting.');
      return;
    }
    const signal = this.requests.next();
    this.busy = true;
    try {
      const answer = await this.withRetry(signal, () => this.client.submit(session, { signal }));
      this.noteStatus(answer.status, isFinalStatus(answer.status));
      if (isFinalStatus(answer.status)) this.showOutcome(answer.status);
      else this.goWaiting();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Provider-SDK mode: the host page calls this when the provider's SDK failed or the user left it. The
   * element fires `signicat-verify-error` with code `provider_failed` and offers a fresh start.
   * @param reason Plain-English reason, passed on in the event's `message`.
   */
  providerCaptureFailed(reason?: string): void {
    if (this.mode !== 'provider-sdk' || !this.sessionToken) return;
    this.store?.clear();
    this.fail(new ApiError('provider_failed', reason || 'The provider SDK reported a failure.'));
  }

  /**
   * Drops the current session (and its images) and shows the intro again; the next start creates a new
   * session, even when the `session` attribute named one.
   */
  restart(): void {
    this.store?.clear();
    this.reset();
    this.completedFor = undefined;
    this.step = 'intro';
  }

  // ---- rendering ----

  private renderStep(t: Strings): TemplateResult {
    const kit = this.kit;
    switch (this.step) {
      case 'loading':
        return html`<p class="muted">${spinner} ${t.loading}</p>`;
      case 'intro':
        return this.renderIntro(t);
      case 'country':
        if (!kit || !this.countryPicker) return html`<p class="muted">${spinner} ${t.loading}</p>`;
        return kit.renderCountry({
          t,
          lang: this.language,
          picker: this.countryPicker,
          busy: this.busy,
          notice: this.notice,
          invalid: this.noticeInvalid,
          onContinue: this.handleCountryContinue,
        });
      case 'document-type':
        return this.renderDocumentType(t);
      case 'consent':
        if (!kit) return html`<p class="muted">${spinner} ${t.loading}</p>`;
        return kit.renderConsent({
          t,
          checked: this.consentGiven,
          notice: this.notice,
          onToggle: this.handleConsentToggle,
          onContinue: this.handleConsentContinue,
        });
      case 'capture':
        if (!kit) return html`<p class="muted">${spinner} ${t.loading}</p>`;
        return kit.renderCapture({
          t,
          side: this.side,
          optional: !this.plan().required.has(this.side),
          picker: this.picker,
          cameraAllowed: !this.cameraBlocked,
          cameraReady: this.cameraReady,
          busy: this.busy,
          captured: this.images.get(this.side),
          notice: this.notice,
          captureHint: matchMedia('(pointer: coarse)').matches ? (this.side === 'selfie' ? 'user' : 'environment') : null,
          onShutter: this.handleShutter,
          onRetake: this.handleRetake,
          onAccept: this.handleAccept,
          onSkip: this.handleSkip,
          onPicker: this.handlePicker,
          onCamera: this.handleCamera,
          onFile: this.handleFile,
        });
      case 'review':
        if (!kit) return html`<p class="muted">${spinner} ${t.loading}</p>`;
        return kit.renderReview({
          t,
          sides: this.sides(),
          images: this.images,
          busy: this.busy,
          onRetake: this.handleRetakeSide,
          onSubmit: this.handleSubmit,
        });
      case 'upload':
        return this.renderUpload(t);
      case 'waiting':
        return html`${heading(t.waitingHeading)}
          <p part="status" class="status">${spinner} ${t.status[this.status ?? 'processing']}</p>
          <p class="hint">${t.waitingText}</p>`;
      case 'provider':
        return html`${heading(t.providerHeading)}
          <p class="status">${spinner} ${t.providerText}</p>`;
      case 'redirecting':
        return html`${heading(t.redirectingHeading)}
          <p class="status">${spinner} ${t.redirectingText}</p>`;
      case 'outcome':
        return this.renderOutcome(t);
      case 'error':
        return this.renderError(t);
    }
  }

  private renderIntro(t: Strings): TemplateResult {
    const detail =
      this.mode === 'capture'
        ? html`<p>${t.introLead}</p>
            <ul class="list">
              <li>${t.introDocument}</li>
              <li>${t.introSelfie}</li>
            </ul>`
        : html`<p>${this.mode === 'redirect' ? t.introRedirect : t.introProvider}</p>`;
    return html`${heading(t.introHeading)} ${detail}
      <p class="privacy">${t.introPrivacy}</p>
      ${this.renderNotice()}
      <div class="actions">
        <button type="button" part="button button-primary" class="btn btn--primary" ?disabled=${this.busy} @click=${this.handleStart}>
          ${t.start}
        </button>
      </div>`;
  }

  private renderDocumentType(t: Strings): TemplateResult {
    const kinds = this.documentKinds;
    const picker = this.countryPicker;
    const country = picker && this.issuingCountry ? picker.nameOf(this.issuingCountry, this.language) : '';
    return html`${heading(t.documentTypeHeading)}
      ${country
        ? html`<p class="hint">
            ${t.countryChosen(country)}
            <button type="button" part="button" class="btn btn--link" ?disabled=${this.busy} @click=${this.handleChangeCountry}>
              ${t.changeCountry}
            </button>
          </p>`
        : nothing}
      <p class="hint">${t.documentTypeHint}</p>
      ${this.renderNotice()}
      ${kinds
        ? html`<ul class="choices" role="list">
            ${kinds.map(
              (kind) =>
                html`<li>
                  <button
                    type="button"
                    part="button"
                    class="btn btn--choice"
                    data-kind=${kind}
                    ?disabled=${this.busy}
                    @click=${() => {
                      this.interacted = true;
                      void this.createSession(kind);
                    }}
                  >
                    ${t.documentTypes[kind]}
                  </button>
                </li>`,
            )}
          </ul>`
        : html`<p class="muted">${spinner} ${t.loading}</p>`}`;
  }

  private renderNotice(): TemplateResult | typeof nothing {
    return this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing;
  }

  private renderUpload(t: Strings): TemplateResult {
    const sides = this.sides().filter((side) => this.images.has(side) || this.uploaded.has(side));
    return html`${heading(t.uploadHeading)}
      <ul class="progress-list" role="list">
        ${sides.map((side) => {
          const value = this.uploaded.has(side) ? 1 : (this.progress[side] ?? 0);
          return html`<li>
            <label for="progress-${side}">${t.uploadSide(t.sideName[side])}</label>
            <progress id="progress-${side}" max="1" .value=${value}></progress>
          </li>`;
        })}
      </ul>
      ${this.uploadState === 'retrying'
        ? html`<p class="muted">${spinner} ${t.uploadRetrying(this.retryAttempt, MAX_RETRIES)}</p>`
        : nothing}
      ${this.uploadState === 'failed'
        ? html`<p class="notice" role="alert">${t.uploadFailed}</p>
            <div class="actions">
              <button type="button" part="button button-primary" class="btn btn--primary" @click=${this.handleRetryUpload}>
                ${t.retry}
              </button>
            </div>`
        : nothing}`;
  }

  private renderOutcome(t: Strings): TemplateResult {
    const status = (this.status && isFinalStatus(this.status) ? this.status : 'failed') as FinalStatus;
    const ok = status === 'accepted';
    return html`<div part="outcome" class="outcome outcome--${status}">
      <svg class="outcome__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        ${ok
          ? svg`<path d="M4 12.5l5 5L20 6.5" />`
          : status === 'canceled' || status === 'inconclusive'
            ? svg`<path d="M12 7v6M12 16.5v.5" />`
            : svg`<path d="M6 6l12 12M18 6L6 18" />`}
      </svg>
      ${heading(t.outcomeHeading[status])}
      <p>${t.outcomeText[status]}</p>
      ${ok
        ? nothing
        : html`<div class="actions">
            <button type="button" part="button button-primary" class="btn btn--primary" @click=${this.handleRestart}>
              ${t.tryAgain}
            </button>
          </div>`}
    </div>`;
  }

  private renderError(t: Strings): TemplateResult {
    const code = this.errorCode ?? 'server_error';
    const retrySame = this.canRetrySame(code);
    return html`${heading(t.errorHeading)}
      <p class="notice" role="alert">${t.errors[code]}</p>
      <div class="actions">
        <button type="button" part="button button-primary" class="btn btn--primary" @click=${this.handleErrorAction}>
          ${retrySame ? t.retry : t.startOver}
        </button>
      </div>`;
  }

  override render(): TemplateResult {
    const t = this.t;
    return html`<div part="base" class="base" aria-busy=${this.busy || this.step === 'loading' ? 'true' : 'false'}>
        ${this.renderStep(t)}
        ${this.busyWait
          ? html`<p part="status" class="status muted">${spinner} ${t.busyRetrying(Math.ceil(this.busyWait.waitMs / 1000))}</p>`
          : nothing}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }
}
