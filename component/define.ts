/**
 * @module
 * Registers `<signicat-verify>`. Safe to load more than once (two script tags, or the npm build and the
 * script-tag build on one page): the first registration wins, and a different version loaded later only
 * logs one warning. Safe to import where there is no DOM (server rendering): it then does nothing.
 */
import { SignicatVerifyElement } from './signicat-verify.js';

const TAG = 'signicat-verify';

declare global {
  interface Window {
    SignicatVerifyElement?: typeof SignicatVerifyElement;
  }
}

if (typeof window !== 'undefined' && typeof customElements !== 'undefined') {
  const existing = customElements.get(TAG) as
    (CustomElementConstructor & { version?: string }) | undefined;
  if (!existing) {
    SignicatVerifyElement.define(TAG);
  } else if (
    existing !== SignicatVerifyElement &&
    existing.version !== SignicatVerifyElement.version
  ) {
    const flag = '__signicatVerifyVersionWarned';
    const w = window as unknown as Record<string, unknown>;
    if (!w[flag]) {
      w[flag] = true;
      console.warn(
        `[signicat-verify] <${TAG}> is already defined by version ${existing.version ?? 'unknown'}; ` +
          `version ${SignicatVerifyElement.version} was loaded too and is not used. Load the element once.`,
      );
    }
  }
  window.SignicatVerifyElement ??=
    (customElements.get(TAG) as typeof SignicatVerifyElement | undefined) ?? SignicatVerifyElement;
}

export { SignicatVerifyElement };
