/**
 * @module
 * The error step: why the flow stopped, and the way on: "Try again" (the same session) when the error
 * is recoverable, "Start again" otherwise, nothing when only the host page can mint a new session.
 * Pure: state, strings and `act` in, template out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, type Act } from './heading.js';

export function renderError(s: StateOf<'error'>, t: Strings, act: Act): TemplateResult {
  return html`${heading(t.errorHeading)}
    <p class="notice" role="alert">${s.hostRestart ? t.sessionExpiredHost : t.errors[s.code]}</p>
    ${
      s.hostRestart
        ? nothing
        : html`<div class="actions">
            <button
              type="button"
              part="button button-primary"
              class="btn btn--primary"
              @click=${() => act({ type: 'error-action' })}
            >
              ${s.recoverable ? t.retry : t.startOver}
            </button>
          </div>`
    }`;
}
