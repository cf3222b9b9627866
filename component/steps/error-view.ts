/**
 * @module
 * The error step: a heading that names the problem, why the flow stopped (with the provider SDK's own
 * reason when the host page gave one), a support link, and the way on: "Try again" (the same session)
 * when the error is recoverable, "Start again" otherwise, nothing when only the host page can mint a
 * new session. Pure: state, strings, `act` and the `support-url` in, template out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, support, type Act } from './heading.js';

export function renderError(
  s: StateOf<'error'>,
  t: Strings,
  act: Act,
  supportUrl?: string,
): TemplateResult {
  return html`${heading(t.errorHeadings?.[s.code] ?? t.errorHeading)}
    <p class="notice" role="alert">${s.hostRestart ? t.sessionExpiredHost : t.errors[s.code]}</p>
    ${s.reason ? html`<p class="muted">${t.providerReason(s.reason)}</p>` : nothing}
    ${support(t, supportUrl)}
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
