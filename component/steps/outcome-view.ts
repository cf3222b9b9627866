/**
 * @module
 * The outcome: an icon, the verdict and, unless accepted, "Try again" (a new session). Pure: state,
 * strings and `act` in, template out.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, type Act } from './heading.js';

export function renderOutcome(s: StateOf<'outcome'>, t: Strings, act: Act): TemplateResult {
  const { status } = s;
  const ok = status === 'accepted';
  return html`<div part="outcome" class="outcome outcome--${status}">
    <svg class="outcome__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      ${
        ok
          ? svg`<path d="M4 12.5l5 5L20 6.5" />`
          : status === 'canceled' || status === 'inconclusive'
            ? svg`<path d="M12 7v6M12 16.5v.5" />`
            : svg`<path d="M6 6l12 12M18 6L6 18" />`
      }
    </svg>
    ${heading(t.outcomeHeading[status])}
    <p>${t.outcomeText[status]}</p>
    ${
      ok
        ? nothing
        : html`<div class="actions">
            <button
              type="button"
              part="button button-primary"
              class="btn btn--primary"
              @click=${() => act({ type: 'restart' })}
            >
              ${t.tryAgain}
            </button>
          </div>`
    }
  </div>`;
}
