/**
 * @module
 * The provider's privacy consent, asked before the first photo when the session says `consentRequired`
 * (Onfido, for users in the USA or whose location is unknown). The answer travels with the first upload.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, notice, type Act } from './heading.js';

/** Onfido's privacy notice, as Onfido's own web SDK links it. */
export const ONFIDO_PRIVACY_URL = 'https://onfido.com/privacy/';

export function renderConsent(s: StateOf<'consent'>, t: Strings, act: Act): TemplateResult {
  const invalid = !!s.notice;
  return html`${heading(t.consentHeading)}
    <p>${t.consentText}</p>
    <p>
      <a class="link" href=${ONFIDO_PRIVACY_URL} target="_blank" rel="noopener noreferrer"
        >${t.consentLink}</a
      >
    </p>
    <div class="check">
      <input
        id="consent"
        type="checkbox"
        .checked=${s.work.session.consentGiven}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? 'consent-notice' : nothing}
        @change=${(e: Event) => act({ type: 'consent-toggle', checked: (e.target as HTMLInputElement).checked })}
      />
      <label for="consent">${t.consentLabel}</label>
    </div>
    ${notice(t, s.notice, 'consent-notice')}
    <div class="actions">
      <button
        type="button"
        part="button button-primary"
        class="btn btn--primary"
        @click=${() => act({ type: 'consent-continue' })}
      >
        ${t.continue}
      </button>
    </div>`;
}
