/**
 * @license MIT
 * `<signicat-verify>`: identity-document verification through a self-hosted proxy for Signicat's Assure API.
 * This module only declares the class; `define.ts` registers it.
 */
import { html, LitElement, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  ApiError,
  isAbortError,
  isFinalStatus,
  ProxyClient,
  type CreateSessionInput,
  type ErrorCode,
  type FinalStatus,
  type ImageRequirements,
  type Mode,
  type ReturnParams,
  type Side,
  type Status,
} from './api.js';
import {
  SignicatVerifyCompleteEvent,
  SignicatVerifyErrorEvent,
  SignicatVerifyProviderSdkEvent,
  SignicatVerifyStatusEvent,
} from './events.js';
import { en, loadStrings, matchLanguage, resolveLang, type Strings } from './i18n/index.js';
import { delay, RequestController } from './request-controller.js';
import { SessionStore, type StoredSession, type StoredStep } from './session-store.js';
import { StatusController, type StatusTiming } from './status-controller.js';
import { styles } from './signicat-verify.styles.js';
import { heading, spinner } from './steps/heading.js';
import { VERSION } from './version.js';
import type { CameraController } from './camera/camera-controller.js';
import type { CapturedImage } from './steps/capture-views.js';

type CaptureKit = typeof import('./capture-kit.js');
type Step =
  | 'loading'
  | 'intro'
  | 'document-type'
  | 'capture'
  | 'review'
  | 'upload'
  | 'waiting'
  | 'provider'
  | 'redirecting'
  | 'outcome'
  | 'error';
type DocumentKind = keyof Strings['documentTypes'];

const SIDE_ORDER: readonly Side[] = ['front', 'back', 'selfie'];
const DOCUMENT_KINDS: readonly DocumentKind[] = ['passport', 'identityCard', 'driversLicense', 'residencePermit'];
const TWO_SIDED: ReadonlySet<string> = new Set(['identityCard', 'driversLicense', 'residencePermit']);
const RETURN_PARAMS = ['dossierId', 'processId', 'status'] as const;
const MAX_RETRIES = 3;
const MAX_IMAGE_BYTES = 1_000_000;

/** Maps the proxy's document-type list (free-form `type` strings) to the four kinds the user picks from. */
function kindOf(type: string): DocumentKind | undefined {
  const t = type.toLowerCase().replace(/[^a-z]/g, '');
  if (t.includes('passport')) return 'passport';
  if (t.includes('driv')) return 'driversLicense';
  if (t.includes('residen')) return 'residencePermit';
  if (t.includes('identity') || t.includes('idcard') || t.includes('national')) return 'identityCard';
  return undefined;
}

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
 *   `redirect_mismatch`.
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

  /** Delays in milliseconds (upload retry backoff, status polling). Tunable; tests shorten them. */
  static timing: StatusTiming & { retryBaseMs: number } = {
    retryBaseMs: 1000,
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
  private readonly uploaded = new Set<Side>();
  private readonly skipped = new Set<Side>();
  private lastStatus?: Status;
  private completedFor?: string;
  private booted = false;
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

  /** Base URL of the proxy API. */
  @property() endpoint = '/api';

  /** `capture` (the element takes the photos), `redirect` (hosted capture flow) or `provider-sdk`. */
  @property() mode: Mode = 'capture';

  /** Assure provider to use; the proxy may refuse values it does not allow. */
  @property() provider?: string;

  /** Preset document type (`passport`, `identityCard`, `driversLicense`, `residencePermit`); skips the choice. */
  @property({ attribute: 'document-type' }) documentType?: string;

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
    if (matchLanguage(resolveLang(this)) === lang) this.dictionary = dictionary;
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
        return await this.resume(this.session, stored?.session === this.session ? stored : undefined, signal);
      }
      if (stored) return await this.resume(stored.session, stored, signal);
      this.step = 'intro';
    } catch (error) {
      this.fail(error);
    }
  }

  private async resume(session: string, stored: StoredSession | undefined, signal: AbortSignal): Promise<void> {
    const state = await this.client.getSession(session, { signal });
    this.adopt(session, state.images ?? stored?.images, state.documentType ?? stored?.documentType ?? this.documentType);
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
      state = await this.client.returnFromCapture(session, params, { signal });
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
    else if (this.step === 'document-type' && !this.documentKinds) void this.goDocumentType();
    else this.requestUpdate(); // the capture step restarts its camera in `updated()`
  }

  private adopt(session: string, images: ImageRequirements | undefined, documentType: string | null | undefined): void {
    if (this.sessionToken !== session) {
      this.lastStatus = undefined;
      this.uploaded.clear();
      this.skipped.clear();
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
    });
  }

  private async createSession(documentType?: string): Promise<void> {
    const signal = this.requests.next();
    this.busy = true;
    try {
      const input: CreateSessionInput = { mode: this.mode };
      if (this.provider) input.provider = this.provider;
      if (documentType) input.documentType = documentType;
      if (this.mode === 'redirect') input.redirectUrl = withoutReturnParams(location.href);
      const created = await this.client.createSession(input, { signal });
      this.adopt(created.session, created.images, created.documentType ?? documentType);
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
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  // ---- capture ----

  private async loadKit(): Promise<CaptureKit> {
    this.kit ??= await import('./capture-kit.js');
    return this.kit;
  }

  /** Sides to capture, in order, and which of them the session cannot do without. */
  private plan(): { sides: Side[]; required: ReadonlySet<Side> } {
    let { required, optional } = this.requirements ?? { required: [] as Side[], optional: [] as Side[] };
    if (!this.requirements) {
      // A session handed over by the integrator's backend: guess from the document type; the proxy decides.
      const type = this.boundDocumentType ?? this.documentType;
      required = type && TWO_SIDED.has(type) ? ['front', 'back'] : ['front'];
      optional = type ? ['selfie'] : ['back', 'selfie'];
    }
    const sides = SIDE_ORDER.filter((side) => required.includes(side) || optional.includes(side));
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
    this.nextSide();
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

  private async withRetry<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof ApiError) || !error.retryable || attempt >= MAX_RETRIES) throw error;
        this.uploadState = 'retrying';
        this.retryAttempt = attempt + 1;
        this.announce(this.t.uploadRetrying(attempt + 1, MAX_RETRIES));
        await delay(SignicatVerifyElement.timing.retryBaseMs * 2 ** attempt, signal);
        this.uploadState = 'running';
      }
    }
  }

  private async upload(): Promise<void> {
    const session = this.sessionToken;
    if (!session) return;
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
        await this.withRetry(signal, () =>
          this.client.uploadImage(session, current, image.blob, {
            signal,
            onProgress: (fraction) => (this.progress = { ...this.progress, [current]: fraction }),
          }),
        );
        this.uploaded.add(side);
        this.save('upload');
      }
      side = undefined;
      const answer = await this.withRetry(signal, () => this.client.submit(session, { signal }));
      this.announce(this.t.uploadDone);
      this.releaseImages(); // the proxy has them now
      this.noteStatus(answer.status, isFinalStatus(answer.status));
      if (isFinalStatus(answer.status)) this.showOutcome(answer.status);
      else this.goWaiting();
    } catch (error) {
      if (isAbortError(error)) return;
      if (error instanceof ApiError && error.code === 'upload_rejected' && side) {
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

  /** The flow cannot go on: show why, with the way out, and tell the host page. */
  private fail(error: unknown): void {
    if (isAbortError(error)) return;
    const apiError =
      error instanceof ApiError ? error : new ApiError('server_error', error instanceof Error ? error.message : String(error));
    if (!(error instanceof ApiError)) console.error('[signicat-verify]', error);
    this.statusWatch.stop();
    this.requests.abort();
    if (apiError.code === 'session_expired' || apiError.code === 'redirect_mismatch') {
      this.store?.clear();
      this.sessionToken = undefined;
    }
    this.busy = false;
    this.errorCode = apiError.code;
    this.step = 'error';
    this.announce(this.t.errors[apiError.code]);
    this.emitError(apiError.code, apiError.message, false);
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
    this.requirements = undefined;
    this.boundDocumentType = undefined;
    this.uploaded.clear();
    this.skipped.clear();
    this.lastStatus = undefined;
    this.status = null;
    this.errorCode = null;
    this.notice = '';
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
    if (this.mode === 'capture' && !this.documentType) await this.goDocumentType();
    else await this.createSession(this.documentType);
  };

  private async goDocumentType(): Promise<void> {
    this.step = 'document-type';
    if (this.documentKinds) return;
    const signal = this.requests.next();
    try {
      const list = await this.client.documentTypes(this.provider, { signal });
      const found = new Set(list.map((entry) => kindOf(String(entry.type))).filter(Boolean));
      const kinds = DOCUMENT_KINDS.filter((kind) => found.has(kind));
      this.documentKinds = kinds.length ? kinds : [...DOCUMENT_KINDS];
    } catch (error) {
      if (isAbortError(error)) return;
      this.documentKinds = [...DOCUMENT_KINDS]; // session creation validates the choice anyway
    }
  }

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
    const code = this.errorCode;
    if ((code === 'network' || code === 'server_error') && this.sessionToken) {
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
      case 'document-type':
        return this.renderDocumentType(t);
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
      <div class="actions">
        <button type="button" part="button button-primary" class="btn btn--primary" ?disabled=${this.busy} @click=${this.handleStart}>
          ${t.start}
        </button>
      </div>`;
  }

  private renderDocumentType(t: Strings): TemplateResult {
    const kinds = this.documentKinds;
    return html`${heading(t.documentTypeHeading)}
      <p class="hint">${t.documentTypeHint}</p>
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
    const retrySame = (code === 'network' || code === 'server_error') && !!this.sessionToken;
    return html`${heading(t.errorHeading)}
      <p class="notice" role="alert">${t.errors[code]}</p>
      <div class="actions">
        <button type="button" part="button button-primary" class="btn btn--primary" @click=${this.handleErrorAction}>
          ${retrySame ? t.retry : t.startOver}
        </button>
      </div>`;
  }

  override render(): TemplateResult {
    return html`<div part="base" class="base" aria-busy=${this.busy || this.step === 'loading' ? 'true' : 'false'}>
        ${this.renderStep(this.t)}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }
}
