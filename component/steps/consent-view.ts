/**
 * @module
 * The provider's privacy consent, asked before the first photo when the session says `consentRequired`
 * (Onfido, for users in the USA or whose location is unknown). The answer travels with the first upload.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../i18n/en.js';
import { heading } from './heading.js';

/** Onfido's privacy notice, as Onfido's own web SDK links it. */
export const ONFIDO_PRIVACY_URL = 'https://onfido.com/privacy/';

export interface ConsentViewProps {
  t: Strings;
  checked: boolean;
  notice: string;
  onToggle(checked: boolean): void;
  onContinue(): void;
}

export function renderConsent(p: ConsentViewProps): TemplateResult {
  const { t } = p;
  return html`${heading(t.consentHeading)}
    <p>${t.consentText}</p>
    <p>
      <a class="link" href=${ONFIDO_PRIVACY_URL} target="_blank" rel="noopener noreferrer">${t.consentLink}</a>
    </p>
    <div class="check">
      <input
        id="consent"
        type="checkbox"
        .checked=${p.checked}
        aria-invalid=${p.notice ? 'true' : 'false'}
        aria-describedby=${p.notice ? 'consent-notice' : nothing}
        @change=${(e: Event) => p.onToggle((e.target as HTMLInputElement).checked)}
      />
      <label for="consent">${t.consentLabel}</label>
    </div>
    ${p.notice ? html`<p class="notice" id="consent-notice" role="alert">${p.notice}</p>` : nothing}
    <div class="actions">
      <button type="button" part="button button-primary" class="btn btn--primary" @click=${p.onContinue}>${t.continue}</button>
    </div>`;
}
