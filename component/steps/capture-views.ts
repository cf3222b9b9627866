/**
 * @module
 * Templates of the capture and review steps (lazily loaded with the camera and the image pipeline).
 * Pure functions of their props: state and camera handling stay in the element.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Side } from '../contract/index.js';
import type { Strings } from '../i18n/en.js';
import { heading, spinner } from './heading.js';

/** A captured, processed image kept in memory until the proxy accepts it. */
export interface CapturedImage {
  blob: Blob;
  /** `blob:` URL for the preview (revoked when the image is dropped). */
  url: string;
  width: number;
  height: number;
}

export interface CaptureViewProps {
  t: Strings;
  side: Side;
  /** The session can go on without this side. */
  optional: boolean;
  /** File picker instead of the live preview. */
  picker: boolean;
  /** The camera may be offered (not denied, not missing). */
  cameraAllowed: boolean;
  cameraReady: boolean;
  busy: boolean;
  captured?: CapturedImage;
  notice: string;
  /** `capture` hint for the file input on touch devices. */
  captureHint: 'environment' | 'user' | null;
  onShutter(): void;
  onRetake(): void;
  onAccept(): void;
  onSkip(): void;
  onPicker(): void;
  onCamera(): void;
  onFile(event: Event): void;
}

function pickFile(event: Event): void {
  const root = (event.currentTarget as HTMLElement).getRootNode() as ShadowRoot;
  root.querySelector<HTMLInputElement>('input[type=file]')?.click();
}

/** One capture step: live preview with guide and shutter, or the file picker, or the still with retake. */
export function renderCapture(p: CaptureViewProps): TemplateResult {
  const { t, side } = p;
  const face = side === 'selfie';
  const notice = p.notice ? html`<p class="notice" role="alert">${p.notice}</p>` : nothing;
  const skip = p.optional
    ? html`<button type="button" part="button" class="btn btn--link" ?disabled=${p.busy} @click=${p.onSkip}>${t.skip}</button>`
    : nothing;

  if (p.captured) {
    return html`${heading(t.sideHeading[side])}
      <figure part="preview" class="preview preview--still ${face ? 'preview--face' : ''}">
        <img src=${p.captured.url} alt=${t.capturedAlt(t.sideName[side])} width=${p.captured.width} height=${p.captured.height} />
      </figure>
      <div class="actions">
        <button type="button" part="button button-primary" class="btn btn--primary" @click=${p.onAccept}>${t.usePhoto}</button>
        <button type="button" part="button" class="btn" @click=${p.onRetake}>${t.retake}</button>
      </div>`;
  }

  const input = html`<input
    type="file"
    accept="image/jpeg,image/png,image/*"
    capture=${p.captureHint ?? nothing}
    hidden
    @change=${p.onFile}
  />`;

  if (p.picker || p.busy) {
    return html`${heading(t.sideHeading[side])}
      <p class="hint">${t.sideHint[side]}</p>
      ${notice}
      ${p.busy
        ? html`<p class="muted">${spinner} ${t.processing}</p>`
        : html`<p class="hint">${t.pickerHint}</p>
            ${input}
            <div class="actions">
              <button type="button" part="button button-primary" class="btn btn--primary" @click=${pickFile}>
                ${t.choosePhoto}
              </button>
              ${p.cameraAllowed
                ? html`<button type="button" part="button" class="btn" @click=${p.onCamera}>${t.useCamera}</button>`
                : nothing}
              ${skip}
            </div>`}`;
  }

  return html`${heading(t.sideHeading[side])}
    <p class="hint" id="capture-hint">${t.sideHint[side]}</p>
    ${notice}
    <div part="preview" class="preview ${face ? 'preview--face' : ''}">
      <video
        aria-label=${t.previewLabel(t.sideName[side])}
        aria-describedby="capture-hint"
        autoplay
        muted
        playsinline
      ></video>
      <div part="guide" class="guide ${face ? 'guide--face' : 'guide--document'}" aria-hidden="true"></div>
      ${p.cameraReady ? nothing : html`<p class="preview__status">${spinner} ${t.cameraStarting}</p>`}
    </div>
    <div class="actions">
      <button
        type="button"
        part="button button-primary"
        class="btn btn--primary btn--shutter"
        ?disabled=${!p.cameraReady}
        @click=${p.onShutter}
      >
        ${t.shutter}
      </button>
      <button type="button" part="button" class="btn btn--link" @click=${p.onPicker}>${t.uploadInstead}</button>
      ${skip}
    </div>`;
}

export interface ReviewViewProps {
  t: Strings;
  sides: Side[];
  images: ReadonlyMap<Side, CapturedImage>;
  busy: boolean;
  onRetake(side: Side): void;
  onSubmit(): void;
}

/** All captured images, each with a retake button, and the submit button. */
export function renderReview(p: ReviewViewProps): TemplateResult {
  const { t } = p;
  const shown = p.sides.filter((side) => p.images.has(side));
  return html`${heading(t.reviewHeading)}
    <p class="hint">${t.reviewHint}</p>
    <ul class="review" role="list">
      ${shown.map((side) => {
        const image = p.images.get(side)!;
        return html`<li class="review__item">
          <figure class="review__figure">
            <img src=${image.url} alt=${t.capturedAlt(t.sideName[side])} width=${image.width} height=${image.height} />
            <figcaption>${t.sideHeading[side]}</figcaption>
          </figure>
          <!-- Short visible label under each photo; the accessible name starts with it and says which photo. -->
          <button
            type="button"
            part="button"
            class="btn"
            aria-label=${t.retakeSide(t.sideName[side])}
            ?disabled=${p.busy}
            @click=${() => p.onRetake(side)}
          >
            ${t.retake}
          </button>
        </li>`;
      })}
    </ul>
    <div class="actions">
      <button type="button" part="button button-primary" class="btn btn--primary" ?disabled=${p.busy} @click=${p.onSubmit}>
        ${t.submit}
      </button>
    </div>`;
}
