/**
 * @module
 * Localisation: `lang` + translation modules, the Shoelace-style approach.
 *
 * Why not `@lit/localize`: its runtime mode is configured once per page through a global
 * (`configureLocalization` throws when called twice, lit/lit#1661). This element runs on third-party pages
 * that may already use `@lit/localize` for their own components, and may be included twice (npm + script
 * tag); a page-global locale would clash with the host app. Here each element resolves its own language
 * from its `lang` attribute, the nearest `lang` up the tree (across shadow roots) or `<html lang>`, and
 * loads that dictionary lazily. English is built in; adding a language is one file plus one line in
 * {@link LOADERS}, without touching the element.
 */
import { en, type Strings } from './en.js';

export type { Strings } from './en.js';
export { en } from './en.js';

/** Lazily loaded dictionaries, by primary language subtag. */
const LOADERS: Record<string, () => Promise<Strings>> = {
  nb: () => import('./nb.js').then((m) => m.nb),
};

/** Other tags that should use one of the dictionaries. */
const ALIASES: Record<string, string> = { no: 'nb', nn: 'nb' };

/** The languages the element can show. */
export const LANGUAGES: readonly string[] = ['en', ...Object.keys(LOADERS)];

/** The nearest `lang` from `el` upwards, crossing shadow-root boundaries; `''` when none is set. */
export function resolveLang(el: Element): string {
  let node: Element | null = el;
  while (node) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    if (node.parentElement) node = node.parentElement;
    else {
      const root = node.getRootNode();
      node = root instanceof ShadowRoot ? root.host : null;
    }
  }
  return '';
}

/** The supported language for a BCP 47 tag (`nb-NO` → `nb`, `no` → `nb`, unknown → `en`). */
export function matchLanguage(tag: string): string {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  const lang = ALIASES[primary] ?? primary;
  return LANGUAGES.includes(lang) ? lang : 'en';
}

const cache = new Map<string, Promise<Strings>>();

/** The dictionary for a supported language; English when it cannot be loaded. */
export function loadStrings(lang: string): Promise<Strings> {
  const loader = LOADERS[lang];
  if (!loader) return Promise.resolve(en);
  let pending = cache.get(lang);
  if (!pending) {
    pending = loader().catch(() => {
      cache.delete(lang);
      return en;
    });
    cache.set(lang, pending);
  }
  return pending;
}
