import { expect } from '@open-wc/testing';
import '../../component/define.js';
import { SignicatVerifyElement } from '../../component/index.js';

describe('define', () => {
  it('should register <signicat-verify> with the element class', () => {
    expect(customElements.get('signicat-verify')).to.equal(SignicatVerifyElement);
    expect(window.SignicatVerifyElement).to.equal(SignicatVerifyElement);
  });

  it('should not throw when the registration module runs a second time', async () => {
    // A query string makes the module load and run again, as a second <script> tag would.
    await import(`../../component/define.ts?again=${Date.now()}` as string);
    expect(customElements.get('signicat-verify')).to.equal(SignicatVerifyElement);
  });

  it('should make static define() idempotent and allow another tag name', () => {
    expect(() => SignicatVerifyElement.define()).not.to.throw();
    expect(() => SignicatVerifyElement.define('other-verify')).not.to.throw();
    expect(() => SignicatVerifyElement.define('other-verify')).not.to.throw();
    expect(new (customElements.get('other-verify')!)()).to.be.instanceOf(SignicatVerifyElement);
  });

  // The index module's lack of side effects is checked in index-module.test.ts, a page that never loads this one.
});
