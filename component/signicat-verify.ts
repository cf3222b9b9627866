/**
 * @license MIT
 * `<signicat-verify>`: identity-document verification through a self-hosted proxy for Signicat's Assure API.
 * This module only declares the class; `define.ts` registers it. The flow itself is flow/machine.ts (the
 * first screen's part: flow/machine-core.ts), run by flow/flow-controller.ts; each step's view is in steps/.
 */
import {
  adoptStyles,
  html,
  LitElement,
  nothing,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Mode } from './contract/index.js';
import { FlowController } from './flow/flow-controller.js';
import { isBusy } from './flow/machine-core.js';
import type { FlowState, RetryTiming } from './flow/types.js';
import {
  deepMerge,
  direction,
  en,
  loadDictionary,
  parseTranslations,
  pickLanguage,
  registerTranslation,
  watchLang,
  type Dictionary,
  type Strings,
  type Translation,
} from './i18n/index.js';
import { DEFAULT_ENCODE_OPTIONS } from './image-options.js';
import type { QualityThresholds } from './image/quality.js';
import { styles } from './signicat-verify.styles.js';
import type { StatusTiming } from './status-controller.js';
import { renderError } from './steps/error-view.js';
import { renderLoading, spinner } from './steps/heading.js';
import { renderIntro } from './steps/intro-view.js';
import { VERSION } from './version.js';

/**
 * Verifies a customer's identity document: intro, document type, front, back, selfie, review, upload, then a
 * live status until the outcome. Talks only to your proxy (`endpoint`); never to Signicat directly.
 *
 * @summary Identity-document verification through a self-hosted Signicat Assure proxy.
 * @tagname signicat-verify
 *
 * @attr lang - UI language; when absent, the nearest `lang` up the tree, then the browser's languages, then English.
 *
 * @fires {SignicatVerifyStatusEvent} signicat-verify-status - `{ status, final }` on every status change.
 * @fires {SignicatVerifyCompleteEvent} signicat-verify-complete - `{ status, session }` once per session and page, when the status is final.
 * @fires {SignicatVerifyErrorEvent} signicat-verify-error - `{ code, message, recoverable }`; codes: `camera_denied`, `camera_unavailable`,
 *   `network`, `session_expired`, `upload_rejected`, `invalid_config`, `server_error`, `provider_failed`,
 *   `redirect_mismatch`, `rate_limited`.
 * @fires {SignicatVerifyProviderSdkEvent} signicat-verify-provider-sdk - `{ provider, token, session }` in `provider-sdk` mode.
 * @fires {SignicatVerifyRestartRequestedEvent} signicat-verify-restart-requested - `{ reason, session }` when a `session` your backend created has
 *   expired: mint a new one and set it in `session`.
 *
 * @csspart base - The wrapper of every step.
 * @csspart heading - The step heading.
 * @csspart button - Every button.
 * @csspart button-primary - The main action of a step (also has the `button` part).
 * @csspart preview - The camera preview or captured still.
 * @csspart guide - The document- or face-shaped overlay on the preview.
 * @csspart status - The status line while waiting.
 * @csspart outcome - The outcome panel.
 * @csspart step - The step indicator ("Step 2 of 4").
 * @csspart back - The Back button (also has the `button` part).
 * @csspart cancel - The Cancel button (also has the `button` part).
 * @csspart quality-hint - The live capture guidance under the preview.
 * @csspart quality-prompt - The prompt to retake a blurred or tiny photo.
 * @csspart quality-verdict - Each image's quality verdict on the review step.
 * @csspart support-link - The support link (`support-url`) on the outcome and error steps.
 * @csspart qr - The QR code of the hand-off link to continue on a phone.
 *
 * @slot support - Replaces the support link on the outcome and error steps.
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
 * @cssproperty --signicat-verify-inconclusive - Inconclusive outcome colour. Default `#b45309`.
 * @cssproperty --signicat-verify-failed - Failed outcome colour (the check failed on our side). Default `#6d28d9`.
 * @cssproperty --signicat-verify-canceled - Canceled outcome colour. Default the muted grey.
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
  static timing: StatusTiming & RetryTiming = {
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

  /**
   * Adds a language or overrides strings for every element on the page (deep merge over the language's
   * dictionary and English). Here too for script-tag pages: `SignicatVerifyElement.registerTranslation(…)`.
   */
  static registerTranslation = registerTranslation;

  /** Leaves the page for the hosted capture flow. Replaceable (tests, single-page routers). */
  static redirectTo(url: string): void {
    window.location.assign(url);
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang']; // `lang` stays the native attribute; we only follow it
  }

  private readonly flow = new FlowController(this, {
    strings: () => this.t,
    timing: () => SignicatVerifyElement.timing,
    navigate: (url) => SignicatVerifyElement.redirectTo(url),
    kitLoaded: (kit) => {
      // The chunk's own steps bring their styles; the first screen does not carry them.
      if (this.renderRoot instanceof ShadowRoot)
        adoptStyles(this.renderRoot, [...SignicatVerifyElement.elementStyles, kit.setupStyles]);
    },
  });
  /** The view the heading was last focused for. */
  private focusedKey = '';
  /** Focus was inside the element when the render began. */
  private focusInside = false;

  @state() private dictionary: Dictionary = en;
  @state() private language = 'en';
  /** Stops following `lang` changes up the tree; set while connected. */
  private unwatchLang?: () => void;
  /** The last merge of {@link translations} over the dictionary, reused while neither changes. */
  private merged?: { from: Dictionary; over?: string | Translation; strings: Dictionary };

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

  /**
   * The code of a cross-device hand-off link: set by the proxy's `/h/<code>` page on the phone, which
   * claims the link and captures for the desktop's session. Not for host pages.
   */
  @property() handoff?: string;

  /** Lets a photo file stand in for the live selfie (by default the selfie comes from the camera only). */
  @property({ type: Boolean, attribute: 'allow-selfie-upload' }) allowSelfieUpload = false;

  /** Where users get help: linked from the outcome and error steps (the `support` slot replaces the link). */
  @property({ attribute: 'support-url' }) supportUrl?: string;

  /** Longest image edge in pixels after downscaling. */
  @property({ type: Number, attribute: 'max-image-edge' }) maxImageEdge =
    DEFAULT_ENCODE_OPTIONS.maxEdge;

  /** JPEG quality the encoder starts with (0–1); it steps down only if an image would exceed 1 MB. */
  @property({ type: Number, attribute: 'jpeg-quality' }) jpegQuality =
    DEFAULT_ENCODE_OPTIONS.quality;

  /** `off`: the live preview guides the user but never takes the photo by itself. */
  @property({ attribute: 'auto-capture' }) autoCapture?: string;

  /** Capture-quality limits over the defaults: a JSON object (attribute) or an object (property). */
  @property({ attribute: 'quality-thresholds' }) qualityThresholds?:
    string | Partial<QualityThresholds>;

  /**
   * Overrides on top of the active language, deep-merged: `{ errors: { network: '…' } }` changes one
   * string and keeps the other errors. An object (property) or a JSON object (attribute).
   */
  @property() translations?: string | Translation;

  override connectedCallback(): void {
    super.connectedCallback(); // the flow controller boots, or resumes after a move in the document
    this.unwatchLang = watchLang(this, () => void this.updateLanguage());
    void this.updateLanguage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatchLang?.();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value && this.isConnected) void this.updateLanguage();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated) return;
    // A new endpoint, mode or session after the start means another verification: begin again.
    if (
      changed.has('endpoint') ||
      changed.has('mode') ||
      changed.has('session') ||
      changed.has('handoff')
    )
      void this.flow.boot();
    else if (
      changed.has('provider') ||
      changed.has('documentType') ||
      changed.has('documentCountry') ||
      changed.has('allowSelfieUpload')
    )
      this.flow.configure();
  }

  protected override update(changed: PropertyValues<this>): void {
    this.focusInside = !!(this.renderRoot as ShadowRoot).activeElement;
    super.update(changed);
  }

  protected override updated(): void {
    const s = this.flow.state;
    const key =
      s.step === 'capture'
        ? `capture:${s.side}:${s.work.images[s.side] ? 'still' : s.processing ? 'busy' : s.source}`
        : s.step;
    const root = this.renderRoot as ShadowRoot;
    const target = root.querySelector<HTMLElement>('#heading');
    if (!target) return; // a spinner while a chunk loads: focus moves once the view is there
    if (key !== this.focusedKey) {
      this.focusedKey = key;
      // Only after the user acted: on page load the host page keeps its own focus and scroll position.
      if (this.flow.userActed) target.focus();
    } else if (this.focusInside && !root.activeElement) {
      target.focus(); // the focused control went away (disabled or replaced): never leave focus on <body>
    }
  }

  private get t(): Dictionary {
    const { dictionary: from, translations: over } = this;
    let merged = this.merged;
    if (merged?.from !== from || merged.over !== over)
      this.merged = merged = {
        from,
        over,
        strings: deepMerge<Dictionary>(from, parseTranslations(over)),
      };
    return merged.strings;
  }

  private async updateLanguage(): Promise<void> {
    const lang = pickLanguage(this);
    const dictionary = await loadDictionary(lang);
    if (pickLanguage(this) !== lang) return; // a later change won the race
    this.dictionary = dictionary;
    this.language = lang;
  }

  // ---- public API ----

  /**
   * Provider-SDK mode: the host page calls this when the provider's SDK reports that the capture succeeded.
   * The element submits the session and follows it to the outcome. Ignored in other modes or steps.
   */
  async providerCaptureComplete(): Promise<void> {
    if (this.flow.state.step !== 'provider') {
      console.warn(
        '[signicat-verify] providerCaptureComplete() ignored: no provider-sdk session is waiting.',
      );
      return;
    }
    this.flow.dispatch({ type: 'provider-complete' });
    await this.flow.until((s) => s.step !== 'provider' || !s.submitting);
  }

  /**
   * Provider-SDK mode: the host page calls this when the provider's SDK failed or the user left it. The
   * element fires `signicat-verify-error` with code `provider_failed` and offers a fresh start.
   * @param reason Plain-English reason, passed on in the event's `message`.
   */
  providerCaptureFailed(reason?: string): void {
    this.flow.dispatch({ type: 'provider-failed', ...(reason && { reason }) });
  }

  /**
   * Drops the current session (and its images) and shows the intro again; the next start creates a new
   * session, even when the `session` attribute named one.
   */
  restart(): void {
    this.flow.dispatch({ type: 'restart' });
  }

  // ---- rendering ----

  private renderStep(s: FlowState, t: Strings): TemplateResult {
    const { act, captureKit: kit } = this.flow;
    switch (s.step) {
      case 'loading':
        return renderLoading(t);
      case 'intro':
        return renderIntro(s, t, act);
      case 'error':
        return renderError(s, t, act, this.supportUrl);
    }
    const late = this.flow.late; // fetched by the flow after the first render
    switch (s.step) {
      case 'document': {
        const picker = this.flow.countryPicker(s.choice, s.country, false);
        const country = picker && s.country ? picker.nameOf(s.country, this.language) : '';
        return late ? late.renderDocument(s, t, act, country) : renderLoading(t);
      }
      case 'upload':
        return late ? late.renderUpload(s, t, act) : renderLoading(t);
      case 'waiting':
        return late ? late.renderWaiting(s, t) : renderLoading(t);
      case 'provider':
        return late ? late.renderProvider(t) : renderLoading(t);
      case 'redirecting':
        return late ? late.renderRedirecting(t) : renderLoading(t);
      case 'outcome':
        return late ? late.renderOutcome(s, t, act, this.supportUrl) : renderLoading(t);
      case 'canceling':
        return late ? late.renderCanceling(t) : renderLoading(t);
    }
    // The remaining steps live in the capture chunk: a spinner until it is here.
    if (!kit) return renderLoading(t);
    switch (s.step) {
      case 'country':
        return kit.renderCountry(
          s,
          t,
          act,
          this.flow.countryPicker(s.choice, s.country)!,
          this.language,
        );
      case 'consent':
        return kit.renderConsent(s, t, act);
      case 'capture': {
        const touch = matchMedia('(pointer: coarse)').matches;
        return kit.renderCapture(
          s,
          t,
          act,
          touch ? (s.side === 'selfie' ? 'user' : 'environment') : null,
        );
      }
      case 'review':
        return kit.renderReview(s, t, act);
      case 'handoff':
        return kit.renderHandoff(s, t, act);
      case 'phone-done':
        return kit.renderPhoneDone(s, t);
      case 'claiming':
        return renderLoading(t);
    }
  }

  override render(): TemplateResult {
    const t = this.t;
    const s = this.flow.state;
    return html`<div
        part="base"
        class="base base--${s.step}"
        dir=${direction(this.language, t)}
        aria-busy=${isBusy(s) ? 'true' : 'false'}
      >
        ${this.flow.late?.renderBar(s, t, this.flow.act) ?? nothing} ${this.renderStep(s, t)}
        ${
          s.wait
            ? html`<p part="status" class="status muted">
                ${spinner} ${t.busyRetrying(Math.ceil(s.wait.waitMs / 1000))}
              </p>`
            : nothing
        }
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        ${this.flow.announcement}
      </div>`;
  }
}

declare global {
  // Typed `document.createElement('signicat-verify')`, `querySelector` and framework JSX checks.
  interface HTMLElementTagNameMap {
    'signicat-verify': SignicatVerifyElement;
  }
}
