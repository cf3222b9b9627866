/**
 * @module
 * The capture-quality parts of the capture and review steps (lazily loaded with them): the live hint
 * in a polite live region, the guide's colour, the retake prompt for a poor still, and each photo's
 * verdict. The measuring is ../image/quality.ts, in the image worker.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CapturedImage, StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import type { Act } from './heading.js';

/** The guide's `data-quality`: `ok` (green), `warn` (amber) or none (white) before the first hint. */
export function guideQuality(s: StateOf<'capture'>): 'ok' | 'warn' | typeof nothing {
  if (!s.hint) return nothing;
  return s.hint === 'ok' ? 'ok' : 'warn';
}

/**
 * The live hint. The region is always there while the preview shows, so a screen reader announces
 * each change (a live region added together with its text is often not read).
 */
export function liveHint(s: StateOf<'capture'>, t: Strings): TemplateResult {
  return html`<p
    part="quality-hint"
    class="quality-hint"
    role="status"
    aria-live="polite"
    data-quality=${guideQuality(s)}
  >
    ${s.hint ? t.qualityHint[s.hint] : nothing}
  </p>`;
}

/**
 * A still's buttons: "Use this photo" and "Retake". An obviously blurred or tiny still gets the reason,
 * "Retake" as the primary action and "Use it anyway" beside it; glare or poor light only the live
 * hint's advice (the document may still be readable).
 */
export function stillActions(image: CapturedImage, t: Strings, act: Act): TemplateResult {
  const poor = image.quality && image.quality !== 'ok' ? image.quality : undefined;
  const retakeFirst = poor === 'blurry' || poor === 'small';
  const use = html`<button
    type="button"
    part=${retakeFirst ? 'button' : 'button button-primary'}
    class=${retakeFirst ? 'btn' : 'btn btn--primary'}
    @click=${() => act({ type: 'accept' })}
  >
    ${retakeFirst ? t.useAnyway : t.usePhoto}
  </button>`;
  const retake = html`<button
    type="button"
    part=${retakeFirst ? 'button button-primary' : 'button'}
    class=${retakeFirst ? 'btn btn--primary' : 'btn'}
    @click=${() => act({ type: 'retake' })}
  >
    ${t.retake}
  </button>`;
  return html`${
      poor
        ? html`<p
            part="quality-prompt"
            class="quality-prompt ${retakeFirst ? 'notice' : 'hint'}"
            role="status"
          >
            ${poor === 'blurry' || poor === 'small' ? t.qualityStill[poor] : t.qualityHint[poor]}
          </p>`
        : nothing
    }
    <div class="actions">${retakeFirst ? html`${retake}${use}` : html`${use}${retake}`}</div>`;
}

/** A photo's verdict on the review step (nothing when it was not analysed). */
export function verdictBadge(image: CapturedImage, t: Strings): TemplateResult | typeof nothing {
  if (!image.quality) return nothing;
  return html`<span
    part="quality-verdict"
    class="quality-verdict"
    data-quality=${image.quality === 'ok' ? 'ok' : 'warn'}
    >${t.qualityVerdict[image.quality]}</span
  >`;
}
