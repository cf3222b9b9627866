import { css } from 'lit';

/**
 * Styles of the steps in the capture chunk that the first screen never shows (issuing country, consent,
 * capture, review), with the phone-first capture layout.
 * Adopted by the element when the chunk loads, so the first screen does not carry them.
 */
export const setupStyles = css`
  .field-label {
    display: block;
    font-weight: 600;
    margin-block-end: 0.25rem;
  }
  .combobox {
    display: flex;
    align-items: stretch;
    border: 2px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_bg);
  }
  .combobox:focus-within {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .combobox__input {
    flex: 1;
    min-width: 0;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 0;
    background: transparent;
    color: inherit;
    font: inherit;
    outline: none;
  }
  .combobox__toggle {
    width: 2.75rem;
    border: 0;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .combobox__toggle svg {
    width: 1.25rem;
    height: 1.25rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
  }
  .listbox {
    position: relative; /* offsetTop of the options is measured from here */
    list-style: none;
    margin: 0.25rem 0 0;
    padding: 0.25rem 0;
    max-height: 15rem;
    overflow-y: auto;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
  }
  .option {
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    cursor: pointer;
  }
  .option--active {
    background: var(--_accent);
    color: var(--_accent-fg);
  }
  @media (forced-colors: active) {
    .option--active {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
  }
  .check {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
  }
  .check input {
    width: 1.5rem;
    height: 1.5rem;
    margin: 0;
    flex: none;
    accent-color: var(--_accent);
  }
  .link {
    color: var(--_accent);
    text-underline-offset: 0.2em;
  }
  /* The hand-off QR code: black on white whatever the theme (scanners need the contrast). */
  .qr {
    display: block;
    width: min(200px, 60vw);
    height: auto;
    margin: 0.5rem auto;
  }
  [data-handoff-link] {
    overflow-wrap: anywhere;
  }
  [data-handoff-progress] {
    flex-direction: column;
    align-items: flex-start;
    list-style: none;
    padding-inline-start: 0;
  }
  .link:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  /* Capture and review (moved from the first screen's styles: only the capture chunk shows them). */
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
  .preview__status,
  .quality-hint {
    position: absolute;
    inset-inline: 0;
    inset-block-end: 0;
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
    /* The Retake buttons line up even when one caption wraps. */
    grid-template-rows: 1fr auto;
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
  /* Desktop: the preview leaves room for the actions above an 800 px fold. */
  .preview {
    max-height: 55vh;
  }
  /*
   * Phones (below 600 px): capture fills the screen, the preview takes the height left in the screen's own
   * orientation, edge to edge, with the document guide at 90 % of the viewport's width.
   */
  @media (max-width: 599.98px) {
    .base--capture {
      position: fixed;
      inset: 0;
      z-index: 2147483000;
      display: flex;
      flex-direction: column;
      overflow-y: auto;
      padding: 0.75rem;
      background: var(--_bg);
    }
    .base--capture .heading {
      margin-block-end: 0.25rem;
      font-size: 1.125rem;
    }
    .base--capture .hint {
      margin-block-end: 0.5rem;
      font-size: 0.9375rem;
    }
    .base--capture .preview {
      flex: 1 1 auto;
      min-height: 14rem;
      max-height: none;
      aspect-ratio: auto;
      margin-inline: -0.75rem;
      border-radius: 0;
    }
    .base--capture .preview--still {
      display: flex;
      align-items: center;
      justify-content: center;
      min-height: 0;
    }
    .base--capture .preview--still img {
      max-height: 100%;
      object-fit: contain;
    }
    .base--capture .guide--document {
      width: 90%;
      max-height: 90%;
    }
    .base--capture .guide--face {
      width: 72%;
      height: auto;
      max-height: 85%;
    }
    .base--capture .actions {
      margin-block-start: 0.5rem;
      padding-block-end: max(0.75rem, env(safe-area-inset-bottom));
    }
  }
  /* Capture quality (quality-hint.ts): the guide's colour follows the live hint, which says the same in words. */
  .guide[data-quality='ok'] {
    border-style: solid;
    border-color: var(--signicat-verify-guide-ok, #4ade80);
  }
  .guide[data-quality='warn'] {
    border-color: var(--signicat-verify-guide-warn, #fbbf24);
  }
  .quality-hint {
    font-weight: 600;
  }
  .quality-hint:not([data-quality]) {
    background: none;
  }
  .quality-verdict {
    display: inline-block;
    margin-inline-start: 0.25rem;
    padding: 0 0.5rem;
    border: 2px solid currentColor;
    border-radius: 1rem;
    font-weight: 600;
    color: var(--_success);
  }
  .quality-verdict[data-quality='warn'] {
    color: var(--_danger);
  }
`;
