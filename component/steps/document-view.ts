/**
 * @module
 * The document-type step: the kinds offered for the issuing country, with "Change country" when the
 * country was asked. Pure: state, strings, `act` and the chosen country's name in, template out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, notice, type Act } from './heading.js';

/** `countryName`: the chosen issuing country in the element's language ('' when none was asked). */
export function renderDocument(
  s: StateOf<'document'>,
  t: Strings,
  act: Act,
  countryName: string,
): TemplateResult {
  const busy = !!s.pending;
  return html`${heading(t.documentTypeHeading)}
    ${
      countryName
        ? html`<p class="hint">
            ${t.countryChosen(countryName)}
            <button
              type="button"
              part="button"
              class="btn btn--link"
              ?disabled=${busy}
              @click=${() => act({ type: 'change-country' })}
            >
              ${t.changeCountry}
            </button>
          </p>`
        : nothing
    }
    <p class="hint">${t.documentTypeHint}</p>
    ${notice(t, s.notice)}
    <ul class="choices" role="list">
      ${s.kinds.map(
        (kind) =>
          html`<li>
            <button
              type="button"
              part="button"
              class="btn btn--choice"
              data-kind=${kind}
              ?disabled=${busy}
              @click=${() => act({ type: 'choose-document', kind })}
            >
              ${t.documentTypes[kind]}
            </button>
          </li>`,
      )}
    </ul>`;
}
