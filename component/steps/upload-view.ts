/**
 * @module
 * The upload step: a progress bar per photo, the automatic retries, then a retry button when they are
 * used up (the photos are kept). Pure: state, strings and `act` in, template out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { UPLOAD_RETRIES } from '../flow/retry.js';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, spinner, type Act } from './heading.js';

export function renderUpload(s: StateOf<'upload'>, t: Strings, act: Act): TemplateResult {
  const { session, images } = s.work;
  const sides = session.sides.filter((side) => images[side] || session.uploaded.includes(side));
  return html`${heading(t.uploadHeading)}
    <ul class="progress-list" role="list">
      ${sides.map((side) => {
        const value = session.uploaded.includes(side) ? 1 : (s.progress[side] ?? 0);
        return html`<li>
          <label for="progress-${side}">${t.uploadSide(t.sideName[side])}</label>
          <progress id="progress-${side}" max="1" .value=${value}></progress>
        </li>`;
      })}
    </ul>
    ${
      s.phase === 'retrying'
        ? html`<p class="muted">
            ${spinner} ${t.uploadRetrying(s.attempt, UPLOAD_RETRIES.transient)}
          </p>`
        : nothing
    }
    ${
      s.phase === 'failed'
        ? html`<p class="notice" role="alert">${t.uploadFailed}</p>
            <div class="actions">
              <button
                type="button"
                part="button button-primary"
                class="btn btn--primary"
                @click=${() => act({ type: 'retry-upload' })}
              >
                ${t.retry}
              </button>
            </div>`
        : nothing
    }`;
}
