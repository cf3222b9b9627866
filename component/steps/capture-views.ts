/**
 * @module
 * Templates of the capture and review steps (lazily loaded with the camera and the image pipeline).
 * Pure functions of (state, strings, act): the camera and the image work run in the flow controller.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { fileAllowed, handoffAllowed } from '../flow/machine.js';
import type { FlowEvent, StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { handoffButton } from './handoff-view.js';
import { heading, notice, spinner, type Act } from './heading.js';
import { guideQuality, liveHint, stillActions, verdictBadge } from './quality-hint.js';

export type { CapturedImage } from '../flow/types.js';

function pickFile(event: Event): void {
  const root = (event.currentTarget as HTMLElement).getRootNode() as ShadowRoot;
  root.querySelector<HTMLInputElement>('input[type=file]')?.click();
}

/**
 * One capture step: live preview with guide and shutter, or the file picker, or the still with retake.
 * `captureHint`: the file input's `capture` hint on touch devices.
 */
export function renderCapture(
  s: StateOf<'capture'>,
  t: Strings,
  act: Act,
  captureHint: 'environment' | 'user' | null,
): TemplateResult {
  const { side } = s;
  const face = side === 'selfie';
  const captured = s.work.images[side];

  if (captured) {
    return html`${heading(t.sideHeading[side])}
      <figure part="preview" class="preview preview--still ${face ? 'preview--face' : ''}">
        <img
          src=${captured.url}
          alt=${t.capturedAlt(t.sideName[side])}
          width=${captured.width}
          height=${captured.height}
        />
      </figure>
      ${stillActions(captured, t, act)}`;
  }

  if (s.source === 'picker' && !s.processing && !fileAllowed(s, side)) {
    // A live selfie only (no `allow-selfie-upload`): no file picker. A phone first (this device has no
    // usable camera), the camera again second (the permission may be granted now).
    const phone = handoffAllowed(s);
    const button = (primary: boolean, event: FlowEvent, label: string) =>
      html`<button
        type="button"
        part=${primary ? 'button button-primary' : 'button'}
        class=${primary ? 'btn btn--primary' : 'btn'}
        @click=${() => act(event)}
      >
        ${label}
      </button>`;
    return html`${heading(t.sideHeading[side])}
      <p class="notice" role="alert">${t.selfieNeedsCamera}</p>
      <div class="actions">
        ${phone ? button(true, { type: 'handoff-start' }, t.handoffOffer) : nothing}
        ${button(!phone, { type: 'use-camera' }, t.tryCameraAgain)}
      </div>`;
  }

  if (s.source === 'picker' || s.processing) {
    const onFile = (event: Event) => {
      const input = event.target as HTMLInputElement;
      const file = input.files?.[0];
      input.value = '';
      if (file) act({ type: 'file-chosen', file });
    };
    return html`${heading(t.sideHeading[side])}
      <p class="hint">${t.sideHint[side]}</p>
      ${notice(t, s.notice)}
      ${
        s.processing
          ? html`<p class="muted">${spinner} ${t.processing}</p>`
          : html`<p class="hint">${t.pickerHint}</p>
              <input
                type="file"
                accept="image/jpeg,image/png,image/*"
                capture=${captureHint ?? nothing}
                hidden
                @change=${onFile}
              />
              <div class="actions">
                <button
                  type="button"
                  part="button button-primary"
                  class="btn btn--primary"
                  @click=${pickFile}
                >
                  ${t.choosePhoto}
                </button>
                ${
                  s.cameraBlocked
                    ? nothing
                    : html`<button
                        type="button"
                        part="button"
                        class="btn"
                        @click=${() => act({ type: 'use-camera' })}
                      >
                        ${t.useCamera}
                      </button>`
                }
                ${handoffAllowed(s) ? handoffButton(t, act) : nothing}
              </div>`
      }`;
  }

  return html`${heading(t.sideHeading[side])}
    <p class="hint" id="capture-hint">${t.sideHint[side]}</p>
    ${notice(t, s.notice)}
    <div part="preview" class="preview ${face ? 'preview--face' : ''}">
      <video
        aria-label=${t.previewLabel(t.sideName[side])}
        aria-describedby="capture-hint"
        autoplay
        muted
        playsinline
      ></video>
      <div
        part="guide"
        class="guide ${face ? 'guide--face' : 'guide--document'}"
        data-quality=${guideQuality(s)}
        aria-hidden="true"
      ></div>
      ${
        s.cameraReady
          ? liveHint(s, t)
          : html`<p class="preview__status">${spinner} ${t.cameraStarting}</p>`
      }
    </div>
    <div class="actions">
      <button
        type="button"
        part="button button-primary"
        class="btn btn--primary btn--shutter"
        ?disabled=${!s.cameraReady}
        @click=${() => act({ type: 'shutter' })}
      >
        ${t.shutter}
      </button>
      ${
        fileAllowed(s, side)
          ? html`<button
              type="button"
              part="button"
              class="btn btn--link"
              @click=${() => act({ type: 'use-picker' })}
            >
              ${t.uploadInstead}
            </button>`
          : nothing
      }
      ${
        // Desktops (no capture hint): a phone's camera is often the better one.
        captureHint === null && handoffAllowed(s) ? handoffButton(t, act) : nothing
      }
    </div>`;
}

/** All captured images, each with a retake button, and the submit button. */
export function renderReview(s: StateOf<'review'>, t: Strings, act: Act): TemplateResult {
  const { session, images } = s.work;
  const shown = session.sides.filter((side) => images[side]);
  return html`${heading(t.reviewHeading)}
    <p class="hint">${t.reviewHint}</p>
    <ul class="review" role="list">
      ${shown.map((side) => {
        const image = images[side]!;
        return html`<li class="review__item">
          <figure class="review__figure">
            <img
              src=${image.url}
              alt=${t.capturedAlt(t.sideName[side])}
              width=${image.width}
              height=${image.height}
            />
            <figcaption>${t.sideHeading[side]} ${verdictBadge(image, t)}</figcaption>
          </figure>
          <!-- Short visible label under each photo; the accessible name starts with it and says which photo. -->
          <button
            type="button"
            part="button"
            class="btn"
            aria-label=${t.retakeSide(t.sideName[side])}
            @click=${() => act({ type: 'retake-side', side })}
          >
            ${t.retake}
          </button>
        </li>`;
      })}
    </ul>
    <div class="actions">
      <button
        type="button"
        part="button button-primary"
        class="btn btn--primary"
        @click=${() => act({ type: 'submit' })}
      >
        ${t.submit}
      </button>
    </div>`;
}
