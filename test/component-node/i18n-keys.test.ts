/**
 * Every shipped language has exactly English's keys (deep), the same kinds of values, functions with
 * English's arity that use the values English interpolates, and no empty or untranslated strings. Also
 * the deep merge that overrides rely on.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { en } from '../../component/i18n/en.js';
import {
  LANGUAGES,
  deepMerge,
  loadDictionary,
  matchLanguage,
  registerTranslation,
} from '../../component/i18n/index.js';

const DIR = new URL('../../component/i18n/', import.meta.url);
/** Language modules: a BCP 47-looking file name (`sv.ts`, `pt-BR.ts`); index, en and helpers excluded. */
const FILES = readdirSync(DIR)
  .map((f) => /^([a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?)\.ts$/.exec(f)?.[1])
  .filter((lang): lang is string => !!lang && lang !== 'en');

type Tree = Record<string, unknown>;

/** Sample arguments: strings a translation must show verbatim, numbers too. */
const sample = (arity: number): (string | number)[] =>
  Array.from({ length: arity }, (_, i) => (i % 2 ? 7 + i : `«ARG${i}»`));

/** Every problem of `tree` against `ref` (English), as readable lines with the key path. */
function problems(tree: Tree, ref: Tree, path = '', copies = true): string[] {
  const out: string[] = [];
  for (const key of Object.keys(ref)) if (!(key in tree)) out.push(`missing ${path}${key}`);
  for (const [key, value] of Object.entries(tree)) {
    const at = `${path}${key}`;
    // A dictionary's writing direction: the one key English does not have.
    if (!path && key === 'dir' && !('dir' in ref)) {
      if (value !== 'rtl' && value !== 'ltr') out.push(`dir: ${String(value)}`);
      continue;
    }
    const want = ref[key];
    if (!(key in ref)) out.push(`extra ${at}`);
    else if (typeof value !== typeof want)
      out.push(`${at}: ${typeof value}, English has ${typeof want}`);
    else if (typeof value === 'string') {
      if (!value.trim()) out.push(`${at}: empty`);
      // A long string identical to English was most likely not translated.
      else if (copies && value === want && value.length > 24) out.push(`${at}: still English`);
    } else if (typeof value === 'function') {
      const fn = value as (...args: unknown[]) => unknown;
      const ref = want as (...args: unknown[]) => unknown;
      if (fn.length !== ref.length)
        out.push(`${at}: ${fn.length} parameters, English has ${ref.length}`);
      const args = sample(ref.length);
      const text = fn(...args);
      const english = String(ref(...args));
      if (typeof text !== 'string' || !text.trim()) out.push(`${at}(): not a non-empty string`);
      else
        for (const arg of args)
          if (english.includes(String(arg)) && !text.includes(String(arg)))
            out.push(`${at}(): does not show ${String(arg)}`);
      // Numbers too (counts, seconds, steps), where English takes them: plural rules must give text
      // for every form.
      for (const n of [0, 1, 2, 3, 11, 100, 1.5]) {
        const numbers = args.map(() => n);
        try {
          ref(...numbers);
        } catch {
          break; // a string parameter (English indexes into it)
        }
        const numeric = fn(...numbers);
        if (typeof numeric !== 'string' || !numeric.trim()) out.push(`${at}(${n}): empty`);
        else if (/undefined|NaN|\[object/.test(numeric)) out.push(`${at}(${n}): ${numeric}`);
      }
    } else if (value && typeof value === 'object')
      out.push(...problems(value as Tree, want as Tree, `${at}.`, copies));
  }
  return out;
}

describe('i18n dictionaries', () => {
  it('should ship at least the ten languages the issue asks for, each in LANGUAGES', () => {
    for (const lang of ['en', 'nb', 'sv', 'da', 'fi', 'de', 'nl', 'fr', 'es', 'pl'])
      assert.ok(LANGUAGES.includes(lang), `${lang} in LANGUAGES`);
    assert.deepEqual([...FILES].sort(), LANGUAGES.filter((l) => l !== 'en').sort());
  });

  it('should have no empty English string (the reference itself)', () => {
    assert.deepEqual(problems(en as unknown as Tree, en as unknown as Tree, '', false), []);
  });

  for (const lang of FILES) {
    it(`${lang}: every English key, no extra, none empty, functions alike`, async () => {
      const mod = (await import(new URL(`${lang}.ts`, DIR).href)) as Record<string, unknown>;
      const dict = mod[lang.replace('-', '')] ?? mod.default;
      assert.ok(dict && typeof dict === 'object', `${lang}.ts exports \`${lang}\``);
      assert.deepEqual(problems(dict as Tree, en as unknown as Tree), []);
    });
  }
});

describe('i18n overrides', () => {
  it('should deep-merge a nested override and keep its siblings', () => {
    const merged = deepMerge(en, { errors: { network: 'Offline.' }, start: 'Go' });
    assert.equal(merged.errors.network, 'Offline.');
    assert.equal(merged.errors.camera_denied, en.errors.camera_denied);
    assert.equal(merged.start, 'Go');
    assert.equal(merged.retake, en.retake);
    assert.equal(
      en.errors.network,
      'We cannot reach the server. Check your connection and try again.',
    );
  });

  it('should skip empty, undefined and __proto__ entries', () => {
    const over = JSON.parse('{"start":"","__proto__":{"polluted":1},"errors":{"network":null}}');
    const merged = deepMerge(en, over) as typeof en & { polluted?: number };
    assert.equal(merged.start, en.start);
    assert.equal(merged.errors.network, en.errors.network);
    assert.equal(merged.polluted, undefined);
    assert.equal(({} as { polluted?: number }).polluted, undefined);
  });

  it('should match registered languages and lay them over English and the shipped dictionary', async () => {
    assert.equal(matchLanguage('xx-YY'), 'en');
    registerTranslation('xx', { start: 'Xstart', errors: { network: 'Xnet' } });
    assert.equal(matchLanguage('xx-YY'), 'xx');
    const xx = await loadDictionary('xx');
    assert.equal(xx.start, 'Xstart');
    assert.equal(xx.errors.network, 'Xnet');
    assert.equal(xx.errors.camera_denied, en.errors.camera_denied);
    registerTranslation('de-CH', { start: 'Los' });
    assert.equal(matchLanguage('de-ch'), 'de-ch');
    const ch = await loadDictionary('de-ch');
    assert.equal(ch.start, 'Los');
    assert.equal(ch.retake, 'Neu aufnehmen'); // from the shipped German underneath
    assert.equal(matchLanguage('no'), 'nb');
  });
});

describe('styles for right-to-left languages', () => {
  /** Every component file with a `css` template: its CSS, comments removed. */
  const sources = readdirSync(new URL('../../component/', import.meta.url), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({
      f,
      text: readFileSync(new URL(`../../component/${f}`, import.meta.url), 'utf8'),
    }))
    .filter(({ text }) => text.includes('css`'));

  it('should use logical properties, never left or right', () => {
    assert.ok(sources.some(({ f }) => f.endsWith('signicat-verify.styles.ts')));
    const physical =
      /(?:^|[\s;{])(?:(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)|left|right|(?:border-(?:top|bottom)-(?:left|right)-radius))\s*:|(?:text-align|float|clear)\s*:\s*(?:left|right)\b/;
    for (const bad of ['margin-left: 0;', '  right: 0;', 'text-align: left;', '{float:right}'])
      assert.ok(physical.test(bad), bad); // the check itself catches what it should
    for (const good of ['padding-inline-start: 1rem;', 'inset-inline: 0;', 'text-align: start;'])
      assert.ok(!physical.test(good), good);
    const found: string[] = [];
    for (const { f, text } of sources)
      for (const css of text.matchAll(/css`([^`]*)`/g))
        css[1]!
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .split('\n')
          .forEach((line) => physical.test(line) && found.push(`${f}: ${line.trim()}`));
    assert.deepEqual(found, []);
  });
});
