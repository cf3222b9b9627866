/**
 * @module
 * The outcome: its own icon and colour per status (component/steps/outcome-icons.ts), the verdict, what
 * to do next, a support link, and unless accepted "Try again" (a new session). Pure: state, strings,
 * `act` and the `support-url` in, template out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, support, type Act } from './heading.js';
import { OUTCOME_ICONS } from './outcome-icons.js';

export function renderOutcome(
  s: StateOf<'outcome'>,
  t: Strings,
  act: Act,
  supportUrl?: string,
): TemplateResult {
  const { status } = s;
  const ok = status === 'accepted';
  return html`<div part="outcome" class="outcome outcome--${status}">
    <svg class="outcome__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      ${OUTCOME_ICONS[status]}
    </svg>
    ${heading(t.outcomeHeading[status])}
    <p>${t.outcomeText[status]}</p>
    ${ok ? nothing : support(t, supportUrl)}
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
