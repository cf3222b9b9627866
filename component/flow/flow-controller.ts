/**
 * @module
 * Runs the flow for a Lit host: feeds events to the pure machine (./machine-core.ts, with the later
 * steps of ./machine.ts once the lazily loaded steps/late-views.ts is here), keeps its state, and
 * carries out the effects it returns through the existing controllers: `ProxyClient` calls on one
 * cancellable lane (RequestController), the status stream (StatusController), the camera
 * (CameraController, in the lazily loaded capture chunk), `sessionStorage`, timers and host events.
 * Every result comes back as an event. Requests abort and the camera and stream stop when the host
 * leaves the document; coming back resumes where the flow stood.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError, isAbortError, ProxyClient } from '../api.js';
import type { Mode, ReturnRequest, Side } from '../contract/index.js';
import {
  SignicatVerifyCompleteEvent,
  SignicatVerifyErrorEvent,
  SignicatVerifyProviderSdkEvent,
  SignicatVerifyRestartRequestedEvent,
  SignicatVerifyStatusEvent,
} from '../events.js';
import type { Strings } from '../i18n/en.js';
import { encodeOptions } from '../image-options.js';
import { RequestController } from '../request-controller.js';
import { SessionStore } from '../session-store.js';
import { StatusController, type StatusTiming } from '../status-controller.js';
import { messageText } from '../steps/heading.js';
import type { CountryPicker } from '../steps/country-picker.js';
import type { DocumentChoice } from '../document-choice.js';
import { initialState, reduceWith } from './machine-core.js';
import type {
  Effect,
  FlowConfig,
  FlowError,
  FlowEvent,
  FlowState,
  HostEvent,
  RetryTiming,
} from './types.js';

type CaptureKit = typeof import('../capture-kit.js');
/** The views and transitions after the first screen. */
export type LateChunk = typeof import('../steps/late-views.js');
type CameraController = InstanceType<CaptureKit['CameraController']>;
type QualityFollower = InstanceType<CaptureKit['QualityFollower']>;

/** The element as the flow sees it: its inputs and where it renders. */
export interface FlowHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  endpoint: string;
  mode: Mode;
  provider?: string;
  documentType?: string;
  documentCountry?: string;
  session?: string;
  /** The code of the hand-off link this (phone) page captures for. */
  handoff?: string;
  allowSelfieUpload: boolean;
  maxImageEdge: number;
  jpegQuality: number;
  /** `off`: live hints only, no auto-capture. */
  autoCapture?: string;
  /** Capture-quality limits over the defaults (a JSON string or an object; ../image/quality.ts). */
  qualityThresholds?: unknown;
}

export interface FlowOptions {
  /** The strings of the element's current language (for announcements). */
  strings(): Strings;
  timing(): StatusTiming & RetryTiming;
  /** Leaves the page for the hosted capture flow. */
  navigate(url: string): void;
  /** The capture chunk has loaded (the host adopts its styles). */
  kitLoaded(kit: CaptureKit): void;
}

const RETURN_PARAMS = ['dossierId', 'processId', 'status'] as const;

/** The hosted flow's parameters in the address bar, when any is there. */
function readReturnParams(): ReturnRequest | undefined {
  const query = new URLSearchParams(location.search);
  const params: ReturnRequest = {};
  for (const name of RETURN_PARAMS) {
    const value = query.get(name);
    if (value) params[name] = value;
  }
  return Object.keys(params).length ? params : undefined;
}

function withoutReturnParams(href: string): string {
  const url = new URL(href);
  for (const name of RETURN_PARAMS) url.searchParams.delete(name);
  return url.href;
}

function toFlowError(error: unknown): FlowError {
  if (error instanceof ApiError) {
    const { code, message, retryable, serverCode, retryAfterMs } = error;
    return {
      code,
      message,
      retryable,
      ...(serverCode && { serverCode }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
  console.error('[signicat-verify]', error);
  return {
    code: 'server_error',
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
  };
}

function hostEvent(e: HostEvent): Event {
  switch (e.name) {
    case 'status':
      return new SignicatVerifyStatusEvent(e.detail);
    case 'complete':
      return new SignicatVerifyCompleteEvent(e.detail);
    case 'error':
      return new SignicatVerifyErrorEvent(e.detail);
    case 'provider-sdk':
      return new SignicatVerifyProviderSdkEvent(e.detail);
    case 'restart-requested':
      return new SignicatVerifyRestartRequestedEvent(e.detail);
  }
}

export class FlowController implements ReactiveController {
  /** What the screen reader's polite live region says. */
  announcement = '';
  /** The user has acted (clicked, typed): from then on, focus follows the step. */
  userActed = false;
  private current: FlowState;
  private client = new ProxyClient();
  private store?: SessionStore;
  private readonly requests: RequestController;
  private readonly statusWatch: StatusController;
  /** The views and transitions after the first screen, once loaded. */
  late?: LateChunk;
  private lateLoading?: Promise<void>;
  private kit?: CaptureKit;
  private kitLoading?: Promise<CaptureKit>;
  private camera?: CameraController;
  /** The live capture-quality loop (capture chunk). */
  private quality?: QualityFollower;
  private wantCamera: Extract<Effect, { type: 'camera' }>['want'] = null;
  private picker?: { choice: DocumentChoice; picker: CountryPicker };
  private timer?: ReturnType<typeof setTimeout>;
  private handoffTimer?: ReturnType<typeof setTimeout>;
  private queue: FlowEvent[] = [];
  private waiters: Array<{ done: (s: FlowState) => boolean; resolve: () => void }> = [];
  private booted = false;
  private bootRun = 0;

  constructor(
    private readonly host: FlowHost,
    private readonly options: FlowOptions,
  ) {
    host.addController(this);
    this.requests = new RequestController(host);
    this.statusWatch = new StatusController(
      host,
      {
        onStatus: (status, final) => this.dispatch({ type: 'status', status, final }),
        onHandoff: (progress) => this.dispatch({ type: 'handoff-progress', progress }),
        onError: (error) => this.dispatch({ type: 'status-failed', error: toFlowError(error) }),
      },
      options.timing,
    );
    this.current = initialState(this.config());
  }

  /** The flow's state: what the host renders. */
  get state(): FlowState {
    return this.current;
  }

  /** The capture chunk, once loaded. */
  get captureKit(): CaptureKit | undefined {
    return this.kit;
  }

  /** A user action: handled like any event, and from now on focus follows the step. */
  readonly act = (event: FlowEvent): void => {
    this.userActed = true;
    this.dispatch(event);
  };

  /** Feeds one event to the machine and runs the effects (events raised meanwhile queue up). */
  dispatch(event: FlowEvent): void {
    this.queue.push(event);
    if (this.queue.length === 1) this.drain();
  }

  /**
   * Runs the queued events in order. One that needs the later steps before their chunk is here waits
   * for it, and the events after it wait too.
   */
  private drain(): void {
    while (this.queue.length) {
      const next = reduceWith(this.late, this.current, this.queue[0]!);
      if (!next) return this.loadLate();
      const { state, effects } = next;
      const changed = state !== this.current;
      this.current = state;
      for (const effect of effects) this.run(effect);
      if (changed) this.host.requestUpdate();
      this.queue.shift();
    }
    const settled = this.waiters.filter((w) => w.done(this.current));
    this.waiters = this.waiters.filter((w) => !settled.includes(w));
    for (const waiter of settled) waiter.resolve();
  }

  /** Resolves once `done` holds for the state (or the host leaves the document). */
  until(done: (s: FlowState) => boolean): Promise<void> {
    if (done(this.current)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, resolve }));
  }

  /** Starts (again) from the element's inputs, the stored snapshot and the address bar. */
  async boot(): Promise<void> {
    const run = ++this.bootRun;
    await this.host.updateComplete; // the inputs set with the element are in place
    if (run !== this.bootRun || !this.host.isConnected) return;
    const { endpoint, mode, id } = this.host;
    this.client = new ProxyClient(endpoint);
    this.store = new SessionStore(endpoint, mode, id);
    const stored = this.store.load();
    const returned = readReturnParams();
    this.dispatch({
      type: 'boot',
      cfg: this.config(),
      ...(stored && { stored }),
      ...(returned && { returned }),
    });
  }

  /** The element's inputs changed in a way that does not start over. */
  configure(): void {
    this.dispatch({ type: 'configure', cfg: this.config() });
  }

  /** The issuing-country combobox for the choice the state offers (created once the chunk is there). */
  countryPicker(
    choice: DocumentChoice,
    selected: string | undefined,
    create = true,
  ): CountryPicker | undefined {
    if (this.picker?.choice === choice) return this.picker.picker;
    if (!create || !this.kit) return undefined;
    const picker = new this.kit.CountryPicker(choice.countries, selected, () =>
      this.host.requestUpdate(),
    );
    this.picker = { choice, picker };
    return picker;
  }

  hostConnected(): void {
    if (!this.booted) {
      this.booted = true;
      void this.boot();
    } else {
      this.dispatch({ type: 'reconnected' });
    }
  }

  hostDisconnected(): void {
    // RequestController, StatusController and CameraController stop their own work.
    clearTimeout(this.timer);
    this.quality?.stop();
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  /** After each render: the camera follows the state (the preview's <video> exists only now). */
  hostUpdated(): void {
    this.loadLate(); // from the first render on: there long before the user needs it
    if (this.kit && this.host.isConnected)
      (this.quality ??= new this.kit.QualityFollower((e) => this.dispatch(e))).follow(
        this.current,
        this.host.renderRoot,
        !!this.camera?.stream,
        this.host,
      );
    const want = this.wantCamera;
    const video = this.host.renderRoot.querySelector('video');
    if (!want || !this.host.isConnected || !this.kit || !video) {
      if (this.camera?.key) this.camera.stop();
      return;
    }
    if (this.camera?.key !== want.side) void this.startCamera(video, want.side, want.facing);
  }

  private config(): FlowConfig {
    const { mode, provider, documentType, documentCountry, session, allowSelfieUpload, handoff } =
      this.host;
    const { retryBaseMs, retryAfterCapMs, rateLimitDefaultMs } = this.options.timing();
    return {
      mode,
      ...(provider && { provider }),
      ...(documentType && { documentType }),
      ...(documentCountry && { documentCountry }),
      ...(session && { session }),
      ...(allowSelfieUpload && { allowSelfieUpload }),
      ...(handoff && { handoff }),
      ...(typeof navigator !== 'undefined' && { language: navigator.language }),
      timing: { retryBaseMs, retryAfterCapMs, rateLimitDefaultMs },
    };
  }

  /** The later chunk (a failed load is tried again at the next render, or the next event that needs it). */
  private loadLate(): void {
    this.lateLoading ??= import('../steps/late-views.js').then(
      (late) => {
        this.late = late;
        this.host.requestUpdate();
        this.drain();
      },
      () => {
        this.lateLoading = undefined;
        if (!this.queue.length) return;
        this.queue[0] = { type: 'late-failed' }; // instead of the event that needed it
        this.drain();
      },
    );
  }

  private loadKit(): Promise<CaptureKit> {
    this.kitLoading ??= import('../capture-kit.js').then(
      (kit) => {
        this.kit = kit;
        this.options.kitLoaded(kit);
        this.host.requestUpdate();
        return kit;
      },
      (error: unknown) => {
        this.kitLoading = undefined; // a later step may try again
        throw error;
      },
    );
    return this.kitLoading;
  }

  private async startCamera(
    video: HTMLVideoElement,
    side: Side,
    facing: 'environment' | 'user',
  ): Promise<void> {
    const kit = this.kit!;
    const camera = (this.camera ??= new kit.CameraController(this.host));
    try {
      if (await camera.start(video, facing, side)) this.dispatch({ type: 'camera-ready', side });
    } catch (error) {
      if (!(error instanceof kit.CameraError)) throw error;
      this.dispatch({ type: 'camera-failed', side, code: error.code, message: error.message });
    }
  }

  /** A hand-off call (docs/api.md), on the single lane; the client comes with the capture chunk. */
  private handoffCall(
    effect: Extract<Effect, { type: 'create-handoff' | 'cancel-handoff' | 'claim-handoff' }>,
  ): void {
    const endpoint = this.client.endpoint;
    const api = () => this.loadKit().then((kit) => kit.handoffApi(endpoint));
    switch (effect.type) {
      case 'create-handoff':
        return this.call(
          (signal) => api().then((h) => h.create(effect.token, signal)),
          (link) => ({ type: 'handoff-created', link }),
          (error) => ({ type: 'handoff-failed', error }),
        );
      case 'cancel-handoff':
        return this.call(
          (signal) => api().then((h) => h.cancel(effect.token, signal)),
          (answer) => ({ type: 'handoff-canceled', progress: answer.handoff }),
          // Nothing left to cancel is as good as canceled.
          (error) =>
            error.serverCode === 'handoff_not_found'
              ? { type: 'handoff-canceled' }
              : { type: 'handoff-failed', error },
        );
      case 'claim-handoff':
        return this.call(
          (signal) => api().then((h) => h.claim(effect.code, signal)),
          (claimed) => ({ type: 'handoff-claimed', claimed }),
          (error) => ({ type: 'handoff-failed', error }),
        );
    }
  }

  /** One proxy call on the single lane: it aborts the call (and the retry timer) before it. */
  private call<T>(
    work: (signal: AbortSignal) => Promise<T>,
    ok: (value: T) => FlowEvent,
    failed: (e: FlowError) => FlowEvent,
  ): void {
    clearTimeout(this.timer);
    const signal = this.requests.next();
    work(signal).then(
      (value) => {
        if (!signal.aborted) this.dispatch(ok(value));
      },
      (error: unknown) => {
        if (!signal.aborted && !isAbortError(error)) this.dispatch(failed(toFlowError(error)));
      },
    );
  }

  private run(effect: Effect): void {
    const client = this.client;
    switch (effect.type) {
      case 'read-config':
        return this.call(
          (signal) => client.config('capture', effect.provider, { signal }),
          (config) => ({ type: 'config-read', config }),
          (error) => ({ type: 'config-failed', error }),
        );
      case 'read-document-types':
        return this.call(
          (signal) => client.documentTypes(effect.provider, { signal }),
          (entries) => ({ type: 'types-read', entries: Array.isArray(entries) ? entries : [] }),
          (error) => ({ type: 'types-failed', error }),
        );
      case 'create-session': {
        const { input } = effect;
        const page = {
          pageUrl: location.href,
          ...(input.mode === 'redirect' && { redirectUrl: withoutReturnParams(location.href) }),
        };
        return this.call(
          (signal) => client.createSession({ ...input, ...page }, { signal }),
          (created) => ({ type: 'session-created', created, input }),
          (error) => ({ type: 'create-failed', error }),
        );
      }
      case 'read-session':
      case 'return':
        return this.call(
          (signal) =>
            effect.type === 'return'
              ? client.returnFromCapture(effect.token, effect.params, { signal })
              : client.getSession(effect.token, { signal }),
          (state) => ({ type: 'read-ok', state }),
          (error) => ({ type: 'read-failed', error }),
        );
      case 'upload': {
        const { token, side, image, consent } = effect;
        const onProgress = (fraction: number) =>
          this.dispatch({ type: 'upload-progress', side, fraction });
        return this.call(
          (signal) => client.uploadImage(token, side, image, { signal, consent, onProgress }),
          (answer) => ({
            type: 'uploaded',
            side,
            ...(answer?.session && { token: answer.session }),
          }),
          (error) => ({ type: 'upload-failed', side, error }),
        );
      }
      case 'submit':
        return this.call(
          (signal) => client.submit(effect.token, { signal }),
          (answer) => ({ type: 'submitted', status: answer.status }),
          (error) => ({ type: 'submit-failed', error }),
        );
      case 'cancel-session': {
        const { token } = effect;
        if (!effect.wait) {
          // A session left behind by a new document choice: off the call lane, nobody waits for it.
          client.cancel(token).catch(() => {});
          return;
        }
        return this.call(
          (signal) => client.cancel(token, { signal }),
          (answer) => ({ type: 'cancel-done', status: answer.status }),
          (error) => ({ type: 'cancel-failed', error }),
        );
      }
      case 'create-handoff':
      case 'cancel-handoff':
      case 'claim-handoff':
        return this.handoffCall(effect);
      case 'handoff-timer':
        clearTimeout(this.handoffTimer);
        this.handoffTimer = setTimeout(
          () => this.dispatch({ type: 'handoff-expired' }),
          Math.max(0, Date.parse(effect.at) - Date.now()),
        );
        return;
      case 'abort':
        clearTimeout(this.timer);
        return this.requests.abort();
      case 'retry-in':
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.dispatch({ type: 'retry-due' }), effect.ms);
        return;
      case 'watch':
        if (effect.token) this.statusWatch.watch(client, effect.token);
        else this.statusWatch.stop();
        return;
      case 'camera':
        this.wantCamera = effect.want; // applied after the render that shows (or hides) the preview
        return;
      case 'persist':
        return this.store?.save(effect.snapshot);
      case 'load-kit':
        this.loadKit().catch(() => {
          if (effect.required) this.dispatch({ type: 'kit-failed' });
        });
        return;
      case 'grab-frame': {
        const { side } = effect;
        const camera = this.camera;
        if (!camera) return this.dispatch({ type: 'frame-failed', side });
        camera.grab().then(
          (frame) => this.dispatch({ type: 'frame', side, frame }),
          () => this.dispatch({ type: 'frame-failed', side }),
        );
        return;
      }
      case 'process-image': {
        const { side, source } = effect;
        const options = encodeOptions(this.host.maxImageEdge, this.host.jpegQuality);
        this.loadKit()
          .then(async (kit) => {
            const image = await kit.processImage(source, options);
            const quality = await kit.judgeStill(image, this.host, options.maxEdge);
            return { ...image, ...(quality && { quality }) };
          })
          .then(
            (image) =>
              this.dispatch({
                type: 'image-ready',
                side,
                image: { ...image, url: URL.createObjectURL(image.blob) },
              }),
            () => this.dispatch({ type: 'image-failed', side }),
          );
        return;
      }
      case 'release':
        for (const image of effect.images) URL.revokeObjectURL(image.url);
        return;
      case 'navigate':
        return this.options.navigate(effect.url);
      case 'clean-address':
        history.replaceState(history.state, '', withoutReturnParams(location.href));
        return;
      case 'emit':
        this.host.dispatchEvent(hostEvent(effect.event));
        return;
      case 'announce':
        this.announcement = messageText(this.options.strings(), effect.message);
        return this.host.requestUpdate();
      case 'log':
        console[effect.level]('[signicat-verify]', effect.message);
        return;
    }
  }
}
