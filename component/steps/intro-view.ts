/**
 * @module
 * The intro: what will be asked, a privacy note, and Start. Pure: state, strings and `act` in, template out.
 */
import { html, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, notice, type Act } from './heading.js';

export function renderIntro(s: StateOf<'intro'>, t: Strings, act: Act): TemplateResult {
  const mode = s.cfg.mode;
  const detail =
    mode === 'capture'
      ? html`<p>${t.introLead}</p>
          <ul class="list">
            <li>${t.introDocument}</li>
            <li>${t.introSelfie}</li>
          </ul>`
      : html`<p>${mode === 'redirect' ? t.introRedirect : t.introProvider}</p>`;
  return html`${heading(t.introHeading)} ${detail}
    <p class="privacy">${t.introPrivacy}</p>
    ${notice(t, s.notice)}
    <div class="actions">
      <button
        type="button"
        part="button button-primary"
        class="btn btn--primary"
        ?disabled=${!!s.pending}
        @click=${() => act({ type: 'start' })}
      >
        ${t.start}
      </button>
    </div>`;
}
