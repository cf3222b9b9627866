import { css } from 'lit';

/**
 * Styles of `<signicat-verify>`. Colours come from `--signicat-verify-*` custom properties; the defaults
 * follow the page's `color-scheme` (system colours `Canvas`/`CanvasText`, `light-dark()` where supported), so
 * a dark page gets a dark element without configuration. No inline styles anywhere (strict CSP friendly).
 */
export const styles = css`
  :host {
    --_accent: var(--signicat-verify-accent, #1d4ed8);
    --_accent-fg: var(--signicat-verify-accent-fg, #fff);
    --_bg: var(--signicat-verify-bg, Canvas);
    --_fg: var(--signicat-verify-fg, CanvasText);
    --_muted: var(--signicat-verify-muted, #4b5563);
    --_border: var(--signicat-verify-border, #8b93a1);
    --_radius: var(--signicat-verify-radius, 0.75rem);
    --_success: var(--signicat-verify-success, #15803d);
    --_danger: var(--signicat-verify-danger, #b91c1c);
    --_inconclusive: var(--signicat-verify-inconclusive, #b45309);
    --_failed: var(--signicat-verify-failed, #6d28d9);
    display: block;
    max-inline-size: var(--signicat-verify-max-width, 36rem);
    color: var(--_fg);
    background: var(--_bg);
    font-family: var(--signicat-verify-font, inherit);
    line-height: 1.5;
    border-radius: var(--_radius);
  }
  /* On the proxy's own hand-off page there is no host font to inherit. */
  :host([handoff]) {
    font-family: var(--signicat-verify-font, system-ui, sans-serif);
  }
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_accent: var(--signicat-verify-accent, light-dark(#1d4ed8, #9db8ff));
      --_accent-fg: var(--signicat-verify-accent-fg, light-dark(#fff, #0b1020));
      --_muted: var(--signicat-verify-muted, light-dark(#4b5563, #b8bfca));
      --_success: var(--signicat-verify-success, light-dark(#15803d, #6ee7a0));
      --_danger: var(--signicat-verify-danger, light-dark(#b91c1c, #fca5a5));
      --_inconclusive: var(--signicat-verify-inconclusive, light-dark(#b45309, #fcd34d));
      --_failed: var(--signicat-verify-failed, light-dark(#6d28d9, #c4b5fd));
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .base {
    padding: 1.25rem;
  }
  .heading {
    margin: 0 0 0.75rem;
    font-size: 1.375rem;
    line-height: 1.3;
  }
  .heading:focus {
    outline: none;
  }
  .heading:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 3px;
  }
  p {
    margin: 0 0 0.75rem;
  }
  .hint,
  .muted,
  .privacy {
    color: var(--_muted);
  }
  .privacy {
    font-size: 0.9375rem;
    border-inline-start: 3px solid var(--_border);
    padding-inline-start: 0.75rem;
  }
  .list {
    margin: 0 0 0.75rem;
    padding-inline-start: 1.25rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    margin-block-start: 1rem;
    /* The primary action stays on screen: stuck to the viewport's bottom while the element is in view. */
    position: sticky;
    inset-block-end: 0;
    z-index: 1;
    padding-block: 0.75rem;
    background: var(--_bg);
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin-block: -0.5rem 0.5rem;
  }
  .bar__step {
    flex: 1;
    margin: 0;
    color: var(--_muted);
    font-size: 0.9375rem;
    font-weight: 600;
    white-space: nowrap;
  }
  .bar .btn {
    /* Link-like: the text lines up with the step's own text. */
    min-width: 0;
    padding-inline: 0;
  }
  .bar__cancel {
    margin-inline-start: auto;
  }
  .support a {
    color: var(--_accent);
    text-underline-offset: 0.2em;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 2.75rem;
    min-width: 2.75rem;
    padding: 0.5rem 1.125rem;
    border: 2px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    background: transparent;
    color: inherit;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .btn:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .btn:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .btn--primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  .btn--link {
    border-color: transparent;
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  .btn--choice {
    width: 100%;
    justify-content: flex-start;
  }
  .choices,
  .review,
  .progress-list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.75rem;
  }
  .notice {
    color: var(--_danger);
    font-weight: 600;
  }
  .status {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    font-weight: 600;
  }
  .progress-list label {
    display: block;
  }
  progress {
    width: 100%;
    height: 0.75rem;
    accent-color: var(--_accent);
  }
  .outcome__icon {
    width: 3rem;
    height: 3rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 2.5;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  /* Each outcome its own colour (and icon, outcome-icons.ts): failed (our side) never looks like rejected. */
  .outcome {
    --_tone: var(--signicat-verify-canceled, var(--_muted));
    border-inline-start: 4px solid var(--_tone);
    padding-inline-start: 1rem;
  }
  .outcome__icon {
    color: var(--_tone);
  }
  .outcome--accepted {
    --_tone: var(--_success);
  }
  .outcome--rejected {
    --_tone: var(--_danger);
  }
  .outcome--inconclusive {
    --_tone: var(--_inconclusive);
  }
  .outcome--failed {
    --_tone: var(--_failed);
  }
  .spinner {
    display: inline-block;
    width: 1em;
    height: 1em;
    flex: none;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    vertical-align: -0.125em;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
      border-inline-end-color: currentColor;
      opacity: 0.6;
    }
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
