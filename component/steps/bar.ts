/**
 * @module
 * The bar above a step: Back, "Step 2 of 4" and Cancel, where the state offers them (flow/machine.ts
 * decides; step-indicator.ts numbers). Lazily loaded with the views after the intro (late-views.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { canCancel, canGoBack } from '../flow/machine.js';
import type { FlowState } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import type { Act } from './heading.js';
import { stepPosition } from './step-indicator.js';

export function renderBar(s: FlowState, t: Strings, act: Act): TemplateResult | typeof nothing {
  const position = stepPosition(s);
  const back = canGoBack(s);
  const cancel = canCancel(s);
  if (!position && !back && !cancel) return nothing;
  return html`<div class="bar">
    ${
      back
        ? html`<button
            type="button"
            part="button back"
            class="btn btn--link bar__back"
            @click=${() => act({ type: 'back' })}
          >
            ${t.back}
          </button>`
        : nothing
    }
    ${
      position
        ? html`<p part="step" class="bar__step">${t.stepOf(position.step, position.of)}</p>`
        : nothing
    }
    ${
      cancel
        ? html`<button
            type="button"
            part="button cancel"
            class="btn btn--link bar__cancel"
            @click=${() => act({ type: 'cancel' })}
          >
            ${t.cancel}
          </button>`
        : nothing
    }
  </div>`;
}
