/**
 * @module
 * The steps that only wait, with a spinner: waiting for the result, the provider's window, leaving for
 * the hosted capture page, canceling. Lazily loaded (late-views.ts). Pure: state and strings in, template out.
 */
import { html, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import { heading, spinner } from './heading.js';

export function renderWaiting(s: StateOf<'waiting'>, t: Strings): TemplateResult {
  return html`${heading(t.waitingHeading)}
    <p part="status" class="status">${spinner} ${t.status[s.status] ?? t.status.processing}</p>
    <p class="hint">${t.waitingText}</p>`;
}

export function renderProvider(t: Strings): TemplateResult {
  return html`${heading(t.providerHeading)}
    <p class="status">${spinner} ${t.providerText}</p>`;
}

export function renderRedirecting(t: Strings): TemplateResult {
  return html`${heading(t.redirectingHeading)}
    <p class="status">${spinner} ${t.redirectingText}</p>`;
}

export function renderCanceling(t: Strings): TemplateResult {
  return html`${heading(t.canceling)}
    <p class="status">${spinner}</p>`;
}
