import { html, type TemplateResult } from 'lit';

/** The step heading: it receives focus on step changes (`tabindex="-1"` makes it focusable by script only). */
export function heading(text: string): TemplateResult {
  return html`<h2 id="heading" part="heading" class="heading" tabindex="-1">${text}</h2>`;
}

/** A small, decorative busy indicator (motion is off under `prefers-reduced-motion`). */
export const spinner = html`<span class="spinner" aria-hidden="true"></span>`;
