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
    display: block;
    max-width: var(--signicat-verify-max-width, 36rem);
    color: var(--_fg);
    background: var(--_bg);
    font-family: var(--signicat-verify-font, inherit);
    line-height: 1.5;
    border-radius: var(--_radius);
  }
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_accent: var(--signicat-verify-accent, light-dark(#1d4ed8, #9db8ff));
      --_accent-fg: var(--signicat-verify-accent-fg, light-dark(#fff, #0b1020));
      --_muted: var(--signicat-verify-muted, light-dark(#4b5563, #b8bfca));
      --_success: var(--signicat-verify-success, light-dark(#15803d, #6ee7a0));
      --_danger: var(--signicat-verify-danger, light-dark(#b91c1c, #fca5a5));
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
    margin-top: 1rem;
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
  .preview {
    position: relative;
    margin: 0;
    overflow: hidden;
    border-radius: var(--_radius);
    background: #000;
    aspect-ratio: 4 / 3;
  }
  .preview video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .preview--face video {
    transform: scaleX(-1); /* a mirror feels natural for the front camera */
  }
  .preview--still {
    aspect-ratio: auto;
    background: none;
  }
  .preview--still img,
  .review__figure img {
    display: block;
    max-width: 100%;
    height: auto;
    border-radius: var(--_radius);
  }
  .guide {
    position: absolute;
    inset: 0;
    margin: auto;
    border: 3px dashed #fff;
    box-shadow: 0 0 0 100vmax rgb(0 0 0 / 0.45);
    pointer-events: none;
  }
  .guide--document {
    width: 84%;
    height: auto;
    aspect-ratio: 1.586; /* ID-1 card */
    max-height: 84%;
    border-radius: calc(var(--_radius) * 0.75);
  }
  .guide--face {
    width: auto;
    height: 78%;
    aspect-ratio: 3 / 4;
    border-radius: 50%;
  }
  .preview__status {
    position: absolute;
    inset-inline: 0;
    bottom: 0;
    margin: 0;
    padding: 0.5rem;
    color: #fff;
    background: rgb(0 0 0 / 0.7);
    text-align: center;
  }
  .review {
    /* Thumbnails side by side where there is room, so all photos are checked at a glance. */
    grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
  }
  .review__item {
    display: grid;
    gap: 0.5rem;
    align-content: start;
  }
  .review__item .btn {
    width: 100%;
  }
  .review__figure img {
    width: 100%;
    aspect-ratio: 4 / 3;
    object-fit: contain;
    background: #000;
  }
  .review__figure {
    margin: 0;
  }
  .review__figure figcaption {
    color: var(--_muted);
    font-size: 0.9375rem;
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
  .outcome--accepted .outcome__icon {
    color: var(--_success);
  }
  .outcome--rejected .outcome__icon,
  .outcome--failed .outcome__icon {
    color: var(--_danger);
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
