/**
 * @module
 * Localisation: `lang` + translation modules, the Shoelace-style approach.
 *
 * Why not `@lit/localize`: its runtime mode is configured once per page through a global
 * (`configureLocalization` throws when called twice, lit/lit#1661). This element runs on third-party pages
 * that may already use `@lit/localize` for their own components, and may be included twice (npm + script
 * tag); a page-global locale would clash with the host app. Here each element resolves its own language
 * (see {@link pickLanguage}) and loads that dictionary lazily. English is built in; adding a language is
 * one file plus one line in {@link LOADERS}, or {@link registerTranslation} from the host page.
 */
import { en, type Strings } from './en.js';
import { TRANSLATIONS_EVENT } from './lang-observer.js';
import { deepMerge, type DeepPartial } from './merge.js';

export type { Strings } from './en.js';
export { en } from './en.js';
export { deepMerge, type DeepPartial } from './merge.js';
export { watchLang } from './lang-observer.js';

/** Writing direction of a language. */
export type Direction = 'ltr' | 'rtl';

/** A complete dictionary, with the direction of its language when that is not derivable from the tag. */
export type Dictionary = Strings & { dir?: Direction };

/** What a host page may register or override: any subset of the strings, nested records too. */
export type Translation = DeepPartial<Strings> & { dir?: Direction };

/** Lazily loaded dictionaries, by primary language subtag. */
const LOADERS: Record<string, () => Promise<Dictionary>> = {
  ar: () => import('./ar.js').then((m) => m.ar),
  nb: () => import('./nb.js').then((m) => m.nb),
  sv: () => import('./sv.js').then((m) => m.sv),
  da: () => import('./da.js').then((m) => m.da),
  fi: () => import('./fi.js').then((m) => m.fi),
  de: () => import('./de.js').then((m) => m.de),
  nl: () => import('./nl.js').then((m) => m.nl),
  fr: () => import('./fr.js').then((m) => m.fr),
  es: () => import('./es.js').then((m) => m.es),
  pl: () => import('./pl.js').then((m) => m.pl),
};

/** Other tags that should use one of the dictionaries. */
const ALIASES: Record<string, string> = { no: 'nb', nn: 'nb' };

/** The languages the element ships (registered ones come on top). */
export const LANGUAGES: readonly string[] = ['en', ...Object.keys(LOADERS)];

/**
 * Registered translations, by lower-case tag. Kept on `globalThis` so that two copies of the element on one
 * page (npm build and script tag) share them: only the first copy's class is registered as the element.
 */
const registry: Map<string, Translation> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('signicat-verify.translations')
] ??= new Map()) as Map<string, Translation>;

/**
 * Adds a language, or overrides strings of one (`'en'`, `'nb'`, `'ar'`, `'pt-BR'` …), for every element on
 * the page, also those already shown. Deep merge: only the strings named change, the rest come from the
 * language's own dictionary (if it ships one) and English underneath. Registering twice merges again.
 * Right-to-left: pass `dir: 'rtl'` when the browser cannot derive it from the tag.
 */
export function registerTranslation(lang: string, translation: Translation): void {
  const key = normalize(lang);
  if (!key) throw new TypeError('registerTranslation: a language tag is required');
  registry.set(key, deepMerge<Translation>(registry.get(key) ?? {}, translation));
  if (typeof dispatchEvent === 'function') dispatchEvent(new Event(TRANSLATIONS_EVENT));
}

/** The `translations` attribute's JSON, or the property's object; invalid JSON is ignored with a warning. */
export function parseTranslations(raw: string | Translation | undefined): Translation | undefined {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as Translation;
  } catch {
    console.warn(
      '[signicat-verify] the `translations` attribute is not valid JSON; it is ignored.',
    );
    return undefined;
  }
}

const normalize = (tag: string): string => tag.trim().toLowerCase().replace(/_/g, '-');

/** The language the element can show for a BCP 47 tag, or `''`: full tag, then primary subtag, then alias. */
function supported(tag: string): string {
  const full = normalize(tag);
  const primary = full.split('-')[0]!;
  for (const key of [full, primary, ALIASES[primary] ?? ''])
    if (key && (LANGUAGES.includes(key) || registry.has(key))) return key;
  return '';
}

/** The supported language for a BCP 47 tag (`nb-NO` → `nb`, `no` → `nb`, unknown → `en`). */
export function matchLanguage(tag: string): string {
  return supported(tag) || 'en';
}

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

/**
 * The language `el` speaks: its own `lang`, else the nearest one up the tree (an unsupported one means
 * English: the page said which language it is in), else the first supported of the browser's languages,
 * else English.
 */
export function pickLanguage(el: Element): string {
  const tag = resolveLang(el);
  if (tag) return matchLanguage(tag);
  for (const lang of globalThis.navigator?.languages ?? []) {
    const match = supported(lang);
    if (match) return match;
  }
  return 'en';
}

const cache = new Map<string, Promise<Dictionary>>();

/** A shipped dictionary over English (a key missing at run time shows English, never `undefined`). */
function loadShipped(lang: string): Promise<Dictionary> {
  const loader = LOADERS[lang];
  if (!loader) return Promise.resolve(en);
  let pending = cache.get(lang);
  if (!pending) {
    pending = loader().then(
      (strings) => deepMerge<Dictionary>(en, strings),
      () => {
        cache.delete(lang); // a failed chunk load is retried next time
        return en;
      },
    );
    cache.set(lang, pending);
  }
  return pending;
}

/**
 * The dictionary for a language from {@link matchLanguage}: English, under the shipped dictionary of its
 * primary subtag, under what was registered for the primary subtag and then for the full tag.
 */
export async function loadDictionary(lang: string): Promise<Dictionary> {
  const primary = lang.split('-')[0]!;
  let dictionary: Dictionary = await loadShipped(primary);
  for (const key of new Set([primary, lang]))
    dictionary = deepMerge<Dictionary>(dictionary, registry.get(key));
  return dictionary;
}

const RTL = /^(ar|arc|ckb|dv|fa|he|iw|ps|sd|ug|ur|yi)$/;

/** The writing direction: the dictionary's `dir`, else what `Intl.Locale` knows, else a short list. */
export function direction(lang: string, dictionary?: Dictionary): Direction {
  if (dictionary?.dir) return dictionary.dir;
  try {
    const locale = new Intl.Locale(lang) as Intl.Locale & {
      getTextInfo?: () => { direction?: string };
      textInfo?: { direction?: string };
    };
    const dir = (locale.getTextInfo?.() ?? locale.textInfo)?.direction;
    if (dir === 'rtl' || dir === 'ltr') return dir;
  } catch {
    // An invalid tag: fall through to the list.
  }
  return RTL.test(lang.split('-')[0]!) ? 'rtl' : 'ltr';
}
