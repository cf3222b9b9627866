/**
 * @module
 * Tells elements when the language they should speak may have changed: a `lang` attribute anywhere up
 * their tree (also inside the shadow roots they sit in), the browser's languages (`languagechange`), or a
 * translation registered after they rendered. One MutationObserver per page, shared by every element,
 * disconnected when the last one leaves.
 */

/** Fired on `window` by `registerTranslation`, so that every copy of the element on the page hears it. */
export const TRANSLATIONS_EVENT = 'signicat-verify-translations';

const watchers = new Map<Element, () => void>();
let observer: MutationObserver | undefined;

function notify(): void {
  for (const listener of watchers.values()) listener();
}

/** Observes the document and every shadow root the watched elements sit in (a document observer does not see into them). */
function observeAll(): void {
  observer ??= new MutationObserver(notify);
  if (observer.takeRecords().length) queueMicrotask(notify);
  observer.disconnect();
  const roots = new Set<Node>([document.documentElement]);
  for (const el of watchers.keys())
    for (let root = el.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode())
      roots.add(root);
  for (const root of roots)
    observer.observe(root, { subtree: true, attributes: true, attributeFilter: ['lang'] });
}

/** Calls `listener` on every possible language change until the returned function is called. */
export function watchLang(el: Element, listener: () => void): () => void {
  if (!watchers.size) {
    addEventListener('languagechange', notify);
    addEventListener(TRANSLATIONS_EVENT, notify);
  }
  watchers.set(el, listener);
  observeAll();
  return () => {
    if (!watchers.delete(el)) return;
    if (watchers.size) return observeAll();
    observer?.disconnect();
    removeEventListener('languagechange', notify);
    removeEventListener(TRANSLATIONS_EVENT, notify);
  };
}

/** How many elements are watched (tests check that the observer is released). */
export function watchedCount(): number {
  return watchers.size;
}
