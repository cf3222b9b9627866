/**
 * The public module (`component/index.ts`) registers nothing and sets no globals: this file runs in its
 * own page and never imports `define.js`, so the element is undefined until this test defines it.
 */
import { expect } from '@open-wc/testing';

describe('index module', () => {
  it('should have no side effects: no tag, no globals, no styles, until define() is called', async () => {
    const globals = new Set(Object.keys(window));
    const sheets = document.adoptedStyleSheets.length + document.styleSheets.length;
    expect(customElements.get('signicat-verify'), 'defined before the import').to.equal(undefined);

    const mod = await import('../../component/index.js');

    expect(customElements.get('signicat-verify'), 'the import registered the tag').to.equal(
      undefined,
    );
    expect(
      Object.keys(window).filter((key) => !globals.has(key)),
      'new globals',
    ).to.deep.equal([]);
    expect(
      document.adoptedStyleSheets.length + document.styleSheets.length,
      'styles added to the page',
    ).to.equal(sheets);
    const plain = document.createElement('signicat-verify');
    expect(plain).not.to.be.instanceOf(mod.SignicatVerifyElement);

    mod.SignicatVerifyElement.define();
    expect(customElements.get('signicat-verify')).to.equal(mod.SignicatVerifyElement);
    expect(document.createElement('signicat-verify')).to.be.instanceOf(mod.SignicatVerifyElement);
  });
});
