/**
 * @module
 * The cross-device hand-off views (in the lazily loaded capture chunk): on the desktop, the link as a
 * QR code and as text with the phone's live progress; on the phone, its last screen. The QR code's
 * modules come from the proxy as an SVG path (server/handoff/qr.ts), so the element ships no encoder
 * and draws it through an attribute binding, never as markup.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { SIDES } from '../contract/index.js';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, notice, spinner, type Act } from './heading.js';

/** The "Continue on my phone" button of the capture step. */
export function handoffButton(t: Strings, act: Act, primary = false): TemplateResult {
  return html`<button
    type="button"
    part=${primary ? 'button button-primary' : 'button'}
    class=${primary ? 'btn btn--primary' : 'btn'}
    data-handoff
    @click=${() => act({ type: 'handoff-start' })}
  >
    ${t.handoffOffer}
  </button>`;
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export function renderHandoff(s: StateOf<'handoff'>, t: Strings, act: Act): TemplateResult {
  const { link, progress, phase } = s;
  const claimed = progress?.state === 'claimed';
  const cancel = html`<button
    type="button"
    part="button"
    class="btn"
    data-handoff-cancel
    ?disabled=${phase === 'canceling'}
    @click=${() => act({ type: 'handoff-cancel' })}
  >
    ${claimed ? t.handoffCancelVerification : t.handoffStayHere}
  </button>`;
  if (phase === 'creating' || !link || phase === 'failed' || phase === 'expired') {
    const again = phase === 'failed' || phase === 'expired';
    return html`${heading(t.handoffHeading)} ${notice(t, s.notice)}
      ${phase === 'expired' ? html`<p class="notice" role="alert">${t.handoffExpired}</p>` : nothing}
      ${again ? nothing : html`<p class="status">${spinner} ${t.handoffCreating}</p>`}
      <div class="actions">
        ${
          again
            ? html`<button
                type="button"
                part="button button-primary"
                class="btn btn--primary"
                @click=${() => act({ type: 'handoff-start' })}
              >
                ${t.handoffNewLink}
              </button>`
            : nothing
        }
        ${cancel}
      </div>`;
  }
  const { size, path } = link.qr;
  const uploaded = progress?.uploaded ?? [];
  return html`${heading(t.handoffHeading)}
    <p class="hint">${t.handoffLead}</p>
    ${
      claimed
        ? nothing
        : html`<svg
              class="qr"
              part="qr"
              viewBox="0 0 ${size} ${size}"
              width="200"
              height="200"
              role="img"
              aria-label=${t.handoffQrLabel}
              shape-rendering="crispEdges"
            >
              <rect width=${size} height=${size} fill="#fff"></rect>
              <path d=${path} fill="#000"></path>
            </svg>
            <p class="hint">
              ${t.handoffLinkLabel}<br /><a class="link" data-handoff-link href=${link.url}
                >${link.url}</a
              >
            </p>
            <p class="hint">${t.handoffExpires(time(link.expiresAt))}</p>`
    }
    <ul part="status" class="status" role="list" data-handoff-progress>
      <li>${claimed ? t.handoffConnected : html`${spinner} ${t.handoffWaiting}`}</li>
      ${SIDES.filter((side) => uploaded.includes(side)).map(
        (side) => html`<li>✓ ${t.handoffCaptured(t.sideName[side])}</li>`,
      )}
    </ul>
    <div class="actions">${cancel}</div>`;
}

/** The phone's last step: sent, or the link could not be used. */
export function renderPhoneDone(s: StateOf<'phone-done'>, t: Strings): TemplateResult {
  const refused = s.refused;
  if (refused) {
    const key = refused in t.handoffRefusedHeading ? refused : 'handoff_used';
    return html`${heading(t.handoffRefusedHeading[key as keyof Strings['handoffRefusedHeading']])}
      <p class="hint">${t.handoffRefusedLead}</p>`;
  }
  return html`${heading(t.phoneDoneHeading)}
    <p class="hint">${t.phoneDoneLead}</p>`;
}
