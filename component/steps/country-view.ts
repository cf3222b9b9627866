/**
 * @module
 * The issuing-country step: a text box that filters a listbox of countries (combobox pattern:
 * `aria-expanded`, `aria-controls`, `aria-activedescendant`; arrow keys, Enter, Escape), then Continue.
 * A pure function of its props; the state lives in {@link CountryPicker}.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { StateOf } from '../flow/types.js';
import type { Strings } from '../i18n/en.js';
import type { CountryPicker } from './country-picker.js';
import { heading, notice, spinner, type Act } from './heading.js';

const optionId = (code: string) => `country-${code}`;

/**
 * Keeps the active option in sight inside the scrolling list, without scrolling the page. Runs on the
 * next frame, after the element has rendered the move. (No Lit directive: it would land in the chunk the
 * first screen shares with this one.)
 */
function keepInView(from: EventTarget | null): void {
  const root = (from as Node | null)?.getRootNode() as ShadowRoot | Document | undefined;
  requestAnimationFrame(() => {
    const option = root?.querySelector<HTMLElement>('.option--active');
    const list = option?.parentElement;
    if (!option || !list) return;
    scrollWithin(list, option);
  });
}

function scrollWithin(list: HTMLElement, option: HTMLElement): void {
  if (option.offsetTop < list.scrollTop) list.scrollTop = option.offsetTop;
  else if (option.offsetTop + option.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = option.offsetTop + option.offsetHeight - list.clientHeight;
  }
}

/** `picker` holds the combobox's own state; `lang` is the language of the country names. */
export function renderCountry(
  s: StateOf<'country'>,
  t: Strings,
  act: Act,
  picker: CountryPicker,
  lang: string,
): TemplateResult {
  const busy = !!s.pending;
  const invalid = s.notice?.key === 'countryMissing';
  const options = picker.visible(lang);
  const active = picker.expanded ? options[picker.active] : undefined;
  const onKeydown = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    if (picker.keydown(e.key, lang, e.altKey)) {
      keepInView(e.currentTarget);
      e.preventDefault();
      e.stopPropagation(); // an Escape we used must not also close a dialog around the element
    }
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    // The chosen country, or the only match of what was typed (then shown as chosen).
    const code = picker.resolve(lang);
    if (code && picker.selected !== code) picker.choose(code);
    act({ type: 'country-continue', ...(code && { code }) });
  };
  return html`${heading(t.countryHeading)}
    <form class="country" novalidate @submit=${onSubmit}>
      <label class="field-label" for="country-input">${t.countryLabel}</label>
      <p class="hint" id="country-hint">${t.countryHint}</p>
      <div class="combobox">
        <input
          id="country-input"
          class="combobox__input"
          type="text"
          role="combobox"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          aria-autocomplete="list"
          aria-expanded=${picker.expanded ? 'true' : 'false'}
          aria-controls="country-listbox"
          aria-activedescendant=${active ? optionId(active.code) : nothing}
          aria-describedby="country-hint"
          aria-invalid=${invalid ? 'true' : 'false'}
          ?disabled=${busy}
          .value=${picker.text(lang)}
          @input=${(e: Event) => {
            picker.input((e.target as HTMLInputElement).value, lang);
            keepInView(e.currentTarget);
          }}
          @keydown=${onKeydown}
          @blur=${() => picker.close()}
        />
        <button
          type="button"
          class="combobox__toggle"
          tabindex="-1"
          aria-label=${t.countryShowAll}
          aria-expanded=${picker.expanded ? 'true' : 'false'}
          aria-controls="country-listbox"
          ?disabled=${busy}
          @mousedown=${(e: Event) => e.preventDefault()}
          @click=${(e: Event) => {
            picker.toggle(lang);
            keepInView(e.currentTarget);
            (
              (e.currentTarget as HTMLElement).previousElementSibling as HTMLElement | null
            )?.focus();
          }}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 9l6 6 6-6" />
          </svg>
        </button>
      </div>
      <ul
        id="country-listbox"
        class="listbox"
        role="listbox"
        aria-label=${t.countryListLabel}
        ?hidden=${!picker.expanded || !options.length}
      >
        ${options.map(
          (option) =>
            html`<li
              id=${optionId(option.code)}
              class="option ${option === active ? 'option--active' : ''}"
              role="option"
              aria-selected=${option === active ? 'true' : 'false'}
              data-code=${option.code}
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => picker.choose(option.code)}
            >
              ${option.name}${option.code === picker.selected ? html`<span class="option__check" aria-hidden="true">✓</span>` : nothing}
            </li>`,
        )}
      </ul>
      ${picker.expanded && !options.length ? html`<p class="muted">${t.countryNoMatch}</p>` : nothing}
      ${notice(t, s.notice)}
      <div class="actions">
        <button
          type="submit"
          part="button button-primary"
          class="btn btn--primary"
          ?disabled=${busy}
        >
          ${busy ? spinner : nothing} ${t.continue}
        </button>
      </div>
    </form>`;
}
