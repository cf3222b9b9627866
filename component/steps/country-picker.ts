/**
 * @module
 * State of the issuing-country combobox (WAI-ARIA APG "combobox with listbox popup", list autocomplete):
 * the text typed, whether the list is open, the active option and the chosen country. Names come from
 * `Intl.DisplayNames` in the element's language, with the proxy's English name as the fallback. No DOM:
 * the view (`country-view.ts`) renders it, the element calls {@link CountryPicker.keydown} and friends.
 */
import type { CountryOffer } from '../document-choice.js';

export interface CountryOption {
  code: string;
  name: string;
}

/** Lower case without accents, so "aland" finds "Åland" and "cote" finds "Côte d'Ivoire". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function displayNames(lang: string): ((code: string) => string | undefined) | undefined {
  try {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    // An unknown region comes back as the code itself: treat it as no name.
    return (code) => {
      const name = names.of(code);
      return name && name !== code ? name : undefined;
    };
  } catch {
    return undefined;
  }
}

export class CountryPicker {
  /** The text the user typed; `null` shows the chosen country's name and filters nothing. */
  query: string | null = null;
  expanded = false;
  /** Index in {@link CountryPicker.visible} of the option under the virtual cursor; -1 for none. */
  active = -1;
  selected?: string;
  private sorted: CountryOption[] = [];
  private lang = '';

  constructor(
    private readonly offers: readonly CountryOffer[],
    selected: string | undefined,
    private readonly changed: () => void,
  ) {
    this.selected = offers.some((o) => o.code === selected) ? selected : undefined;
  }

  /** Every offer, named and sorted in `lang` (cached until the language changes). */
  options(lang: string): CountryOption[] {
    if (lang !== this.lang || !this.sorted.length) {
      const named = displayNames(lang);
      const collator = new Intl.Collator(lang);
      this.sorted = this.offers
        .map((o) => ({ code: o.code, name: named?.(o.code) ?? o.apiName }))
        .sort((a, b) => collator.compare(a.name, b.name));
      this.lang = lang;
    }
    return this.sorted;
  }

  /** The options the list shows: all, or those matching the query (names starting with it first). */
  visible(lang: string): CountryOption[] {
    const all = this.options(lang);
    const q = this.query === null ? '' : fold(this.query.trim());
    if (!q) return all;
    const starts: CountryOption[] = [];
    const contains: CountryOption[] = [];
    for (const option of all) {
      const name = fold(option.name);
      const api = fold(this.offers.find((o) => o.code === option.code)?.apiName ?? '');
      if (name.startsWith(q) || api.startsWith(q) || option.code.toLowerCase() === q)
        starts.push(option);
      else if (name.includes(q) || api.includes(q)) contains.push(option);
    }
    return [...starts, ...contains];
  }

  nameOf(code: string | undefined, lang: string): string {
    return this.options(lang).find((o) => o.code === code)?.name ?? '';
  }

  /** What the text box shows. */
  text(lang: string): string {
    return this.query ?? this.nameOf(this.selected, lang);
  }

  /** The country to go on with: the chosen one, or the only match of what was typed. */
  resolve(lang: string): string | undefined {
    if (this.selected) return this.selected;
    const matches = this.query?.trim() ? this.visible(lang) : [];
    return matches.length === 1 ? matches[0]!.code : undefined;
  }

  input(value: string, lang: string): void {
    this.query = value;
    const q = fold(value.trim());
    // Typing a full name chooses it; anything else waits for a choice from the list.
    this.selected = this.options(lang).find((o) => fold(o.name) === q)?.code;
    this.expanded = true;
    this.active = this.visible(lang).length ? 0 : -1;
    this.changed();
  }

  choose(code: string): void {
    this.selected = code;
    this.query = null;
    this.expanded = false;
    this.active = -1;
    this.changed();
  }

  open(lang: string): void {
    if (this.expanded) return;
    const list = this.visible(lang);
    this.expanded = true;
    const current = list.findIndex((o) => o.code === this.selected);
    this.active = current >= 0 ? current : list.length ? 0 : -1;
    this.changed();
  }

  close(): void {
    if (!this.expanded) return;
    this.expanded = false;
    this.active = -1;
    this.changed();
  }

  toggle(lang: string): void {
    if (this.expanded) this.close();
    else this.open(lang);
  }

  /** Keyboard of the text box; returns true when the key was handled (the caller then prevents its default). */
  keydown(key: string, lang: string, altKey = false): boolean {
    const list = this.visible(lang);
    switch (key) {
      case 'ArrowDown':
        if (!this.expanded || altKey) this.open(lang);
        else this.move(Math.min(this.active + 1, list.length - 1));
        return true;
      case 'ArrowUp':
        if (!this.expanded) {
          this.open(lang);
          if (this.selected === undefined) this.move(list.length - 1);
        } else this.move(Math.max(this.active - 1, 0));
        return true;
      case 'Enter': {
        const option = this.expanded ? list[this.active] : undefined;
        if (!option) return false; // a closed list: Enter submits the form
        this.choose(option.code);
        return true;
      }
      case 'Escape':
        // APG: the first Escape closes the list, a second one clears the box.
        if (this.expanded) {
          this.expanded = false;
          this.active = -1;
        } else if (this.query || this.selected) {
          this.query = '';
          this.selected = undefined;
        } else return false;
        this.changed();
        return true;
      default:
        return false;
    }
  }

  private move(index: number): void {
    this.active = index;
    this.changed();
  }
}
