import { css } from 'lit';

/**
 * Styles of the steps in the capture chunk that the first screen never shows (issuing country, consent).
 * Adopted by the element when the chunk loads, so the first screen does not carry them.
 */
export const setupStyles = css`
  .field-label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25rem;
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
  .link:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
`;
