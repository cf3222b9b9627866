import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import '../../component/define.js';
import { registerTranslation, type SignicatVerifyElement } from '../../component/index.js';
import { watchedCount } from '../../component/i18n/lang-observer.js';
import { FakeProxy } from './fake-proxy.js';
import { click, fastTiming, findButton, root, waitForHeading } from './helpers.js';

/** Replaces `navigator.languages` until the returned function is called. */
function stubLanguages(languages: string[]): () => void {
  const own = Object.getOwnPropertyDescriptor(navigator, 'languages');
  Object.defineProperty(navigator, 'languages', { configurable: true, get: () => languages });
  dispatchEvent(new Event('languagechange'));
  return () => {
    if (own) Object.defineProperty(navigator, 'languages', own);
    else delete (navigator as { languages?: unknown }).languages; // back to the prototype's getter
  };
}

function base(el: HTMLElement): HTMLElement {
  return root(el).querySelector<HTMLElement>('.base')!;
}

/** Where the primary button sits in its row: distance from the row's left and right edges. */
function primaryOffsets(el: HTMLElement): { left: number; right: number } {
  const button = root(el).querySelector('.btn--primary')!.getBoundingClientRect();
  const row = root(el).querySelector('.actions')!.getBoundingClientRect();
  return { left: button.left - row.left, right: row.right - button.right };
}

describe('<signicat-verify> languages', () => {
  let proxy: FakeProxy;
  let restoreTiming: () => void;
  const pageLang = document.documentElement.getAttribute('lang');

  beforeEach(() => {
    sessionStorage.clear();
    proxy = new FakeProxy();
    restoreTiming = fastTiming();
    document.documentElement.setAttribute('lang', 'en');
  });

  afterEach(() => {
    fixtureCleanup();
    proxy.restore();
    restoreTiming();
    sessionStorage.clear();
    if (pageLang === null) document.documentElement.removeAttribute('lang');
    else document.documentElement.setAttribute('lang', pageLang);
  });

  it('should speak a registered language, over English, and English for an unknown one', async () => {
    registerTranslation('eo', { introHeading: 'Kontrolu vian identecon', start: 'Komenci' });
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify lang="eo"></signicat-verify>`,
    );
    await waitForHeading(el, 'Kontrolu vian identecon');
    expect(findButton(el, 'Komenci')).to.exist;
    expect(root(el).textContent).to.contain('We will ask you for:'); // not registered: English
    // Registered after render: the element shows it at once.
    registerTranslation('eo', { introLead: 'Ni petos vin pri:' });
    await waitUntil(() => root(el).textContent!.includes('Ni petos vin pri:'), 'late registration');
    expect(findButton(el, 'Komenci')).to.exist; // the earlier registration stays
    const unknown = await fixture<SignicatVerifyElement>(
      html`<signicat-verify lang="it-IT"></signicat-verify>`,
    );
    await waitForHeading(unknown, 'Verify your identity');
  });

  it('should keep the siblings of a nested override, with every button named', async () => {
    proxy.settings.providers.capture = ['fakeprovider'];
    proxy.settings.documentTypes = [
      'passport',
      'identityCard',
      'driversLicense',
      'residencePermit',
    ];
    registerTranslation('nb', { documentTypes: { identityCard: 'Norsk ID-kort' } });
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify
        provider="fakeprovider"
        lang="nb"
        .translations=${{ documentTypes: { passport: 'Pass (alle land)' } }}
      ></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Hvilket dokument vil du bruke?');
    await waitUntil(() => findButton(el, 'Pass (alle land)'), 'overridden passport');
    expect(findButton(el, 'Norsk ID-kort'), 'registered override').to.exist;
    expect(findButton(el, 'Førerkort'), 'shipped sibling').to.exist;
    expect(findButton(el, 'Oppholdskort'), 'shipped sibling').to.exist;
    for (const button of root(el).querySelectorAll('button'))
      expect(button.textContent!.trim() || button.getAttribute('aria-label'), 'button name').to.be
        .ok;
    await expect(el).to.be.accessible();
  });

  it('should take overrides from the translations attribute as JSON, ignoring invalid JSON', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify
        lang="sv"
        translations='{"start": "Sätt igång", "errors": {"network": "Offline"}}'
      ></signicat-verify>`,
    );
    await waitForHeading(el, 'Bekräfta din identitet');
    await waitUntil(() => findButton(el, 'Sätt igång'), 'overridden start');
    el.setAttribute('translations', '{"start": ');
    await waitUntil(() => findButton(el, 'Starta'), 'invalid JSON: the shipped string');
  });

  it('should follow a lang change up the tree after render, also across shadow roots', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en"><signicat-verify></signicat-verify></div>`,
    );
    const el = wrapper.querySelector('signicat-verify')!;
    await waitForHeading(el, 'Verify your identity');
    wrapper.setAttribute('lang', 'de');
    await waitForHeading(el, 'Identität bestätigen');
    wrapper.removeAttribute('lang'); // now <html lang="en"> is the nearest
    await waitForHeading(el, 'Verify your identity');
    document.documentElement.setAttribute('lang', 'fr-FR');
    await waitForHeading(el, 'Vérifiez votre identité');

    // Inside another component's shadow root: the `lang` of an element in that root, then of its host.
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<section lang="sv"><signicat-verify></signicat-verify></section>';
    const inner = shadow.querySelector('signicat-verify')!;
    await waitForHeading(inner, 'Bekräfta din identitet');
    shadow.querySelector('section')!.setAttribute('lang', 'pl');
    await waitForHeading(inner, 'Potwierdź swoją tożsamość');
    shadow.querySelector('section')!.removeAttribute('lang');
    host.setAttribute('lang', 'es');
    await waitForHeading(inner, 'Verifica tu identidad');
  });

  it("should fall back to the browser's languages, then English, and follow languagechange", async () => {
    document.documentElement.removeAttribute('lang');
    let restore = stubLanguages(['it-IT', 'nl-BE', 'en']);
    try {
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await waitForHeading(el, 'Bevestig je identiteit'); // Italian is not shipped: the next one
      restore();
      restore = stubLanguages(['da-DK']);
      await waitForHeading(el, 'Bekræft din identitet');
      restore();
      restore = stubLanguages(['it-IT']);
      await waitForHeading(el, 'Verify your identity');
    } finally {
      restore();
    }
  });

  it('should share one observer between elements and release it when the last one leaves', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><signicat-verify></signicat-verify><signicat-verify></signicat-verify></div>`,
    );
    expect(watchedCount()).to.equal(2);
    const [first, second] = wrapper.querySelectorAll('signicat-verify');
    first!.remove();
    expect(watchedCount()).to.equal(1);
    second!.remove();
    expect(watchedCount()).to.equal(0);
    // A removed element follows nothing; put back, it follows again.
    wrapper.append(second!);
    wrapper.setAttribute('lang', 'fi');
    await waitForHeading(second!, 'Vahvista henkilöllisyytesi');
  });

  describe('right to left', () => {
    it('should mirror the layout for Arabic (shipped) on a right-to-left page', async () => {
      const ltr = await fixture<SignicatVerifyElement>(
        html`<signicat-verify lang="en"></signicat-verify>`,
      );
      await waitForHeading(ltr, 'Verify your identity');
      const rtl = await fixture<SignicatVerifyElement>(
        html`<div lang="ar" dir="rtl"><signicat-verify></signicat-verify></div>`,
      );
      const el = rtl.querySelector('signicat-verify')!;
      await waitForHeading(el, 'تحقق من هويتك');
      expect(base(el).getAttribute('dir')).to.equal('rtl');
      expect(base(ltr).getAttribute('dir')).to.equal('ltr');
      expect(findButton(el, 'بدء'), 'Arabic start button').to.exist;

      // The primary button starts the row: at the left in English, at the right in Arabic.
      const l = primaryOffsets(ltr);
      const r = primaryOffsets(el);
      expect(l.left, 'LTR button at the left').to.be.below(l.right);
      expect(r.right, 'RTL button at the right').to.be.below(r.left);

      // The privacy note's rule and the list's indent sit on the inline-start side.
      const note = (e: HTMLElement) => getComputedStyle(root(e).querySelector('.privacy')!);
      expect(note(ltr).borderLeftWidth).to.equal('3px');
      expect(note(ltr).borderRightWidth).to.equal('0px');
      expect(note(el).borderRightWidth).to.equal('3px');
      expect(note(el).borderLeftWidth).to.equal('0px');
      const list = (e: HTMLElement) => getComputedStyle(root(e).querySelector('.list')!);
      expect(list(el).paddingRight).to.equal(list(ltr).paddingLeft);

      // Text starts at the right edge of the heading.
      const heading = root(el).querySelector('#heading')!;
      const range = document.createRange();
      range.selectNodeContents(heading);
      const text = range.getBoundingClientRect();
      const box = heading.getBoundingClientRect();
      expect(box.right - text.right).to.be.below(text.left - box.left);
      await expect(el).to.be.accessible();
    });

    it('should take the direction from the language, also where the page sets none', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify lang="ar-EG"></signicat-verify>`,
      );
      await waitForHeading(el, 'تحقق من هويتك');
      expect(base(el).getAttribute('dir')).to.equal('rtl');
      const r = primaryOffsets(el);
      expect(r.right).to.be.below(r.left);
      // A registered `dir` wins over what the browser derives from the tag.
      registerTranslation('ar', { dir: 'ltr' });
      await waitUntil(() => base(el).getAttribute('dir') === 'ltr', 'dir from the dictionary');
      registerTranslation('ar', { dir: 'rtl' });
      await waitUntil(() => base(el).getAttribute('dir') === 'rtl', 'dir back to rtl');
      // Hebrew registered without `dir`: Intl.Locale (or the built-in list) says right to left.
      registerTranslation('he', { introHeading: 'אמת את זהותך' });
      el.setAttribute('lang', 'he');
      await waitForHeading(el, 'אמת את זהותך');
      expect(base(el).getAttribute('dir')).to.equal('rtl');
      const h = primaryOffsets(el);
      expect(h.right).to.be.below(h.left);
      expect(findButton(el, 'Start'), 'unregistered strings: English, still right to left').to
        .exist;
    });
  });
});
