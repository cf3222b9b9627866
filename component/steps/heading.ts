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

/** A small, decorative busy indicator (motion is off under `prefers-reduced-motion`). */
export const spinner = html`<span class="spinner" aria-hidden="true"></span>`;

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
