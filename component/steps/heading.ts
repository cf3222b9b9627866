/**
 * @module
 * What every step's view uses: the heading, the busy indicator and the text of a flow message. Both the
 * first screen and the lazily loaded capture chunk import it, so the build keeps it in the chunk they
 * share (vite.config.ts), never in the entry.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { FlowEvent, Message } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';

/** What a view calls when the user acts. */
export type Act = (event: FlowEvent) => void;

/** The step heading: it receives focus on step changes (`tabindex="-1"` makes it focusable by script only). */
export function heading(text: string): TemplateResult {
  return html`<h2 id="heading" part="heading" class="heading" tabindex="-1">${text}</h2>`;
}

/** Only web, mail and phone links: `support-url` is the integrator's, but never a `javascript:` URL. */
const SAFE_URL = /^(https?:|mailto:|tel:|\/(?!\/))/i;

/**
 * The support link of the outcome and error steps: the `support` slot when the page fills it, else a
 * link to `support-url`, else nothing.
 */
export function support(t: Strings, url: string | undefined): TemplateResult {
  const href = url && SAFE_URL.test(url.trim()) ? url.trim() : undefined;
  return html`<p class="support">
    <slot name="support"
      >${
        href
          ? html`<a part="support-link" class="link" href=${href} target="_blank" rel="noopener"
              >${t.supportLink}</a
            >`
          : nothing
      }</slot
    >
  </p>`;
}

/** A small, decorative busy indicator (motion is off under `prefers-reduced-motion`). */
export const spinner = html`<span class="spinner" aria-hidden="true"></span>`;

/** A step still loading (the session read, or a lazily loaded view). */
export function renderLoading(t: Strings): TemplateResult {
  return html`<p class="muted">${spinner} ${t.loading}</p>`;
}

/** The words of a flow message in the element's language. */
export function messageText(t: Strings, m: Message): string {
  switch (m.key) {
    case 'error':
      return t.errors[m.code];
    case 'busyTryLater':
    case 'busyRetrying':
      return t[m.key](m.seconds);
    case 'uploadRetrying':
      return t.uploadRetrying(m.attempt, m.of);
    case 'status':
      return t.status[m.status] ?? m.status;
    case 'photosNotKept':
      return t.photosNotKept(t.sideName[m.side]);
    case 'handoffCaptured':
      return t.handoffCaptured(t.sideName[m.side]);
    case 'phoneDone':
      return t.phoneDoneHeading;
    case 'handoffRefused':
      return t.handoffRefusedLead;
    default:
      return t[m.key];
  }
}

/** A step's notice line (an alert), or nothing. */
export function notice(
  t: Strings,
  m: Message | undefined,
  id?: string,
): TemplateResult | typeof nothing {
  return m
    ? html`<p class="notice" id=${id ?? nothing} role="alert">${messageText(t, m)}</p>`
    : nothing;
}
