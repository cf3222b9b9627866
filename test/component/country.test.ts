import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../component/define.js';
import type { SignicatVerifyElement } from '../../component/index.js';
import { DOCUMENT_TYPES, FakeProxy } from './fake-proxy.js';
import {
  click,
  COUNTRY_HEADING,
  countryInput,
  fastTiming,
  findButton,
  root,
  waitForHeading,
} from './helpers.js';

function listbox(el: SignicatVerifyElement): HTMLElement {
  return root(el).querySelector<HTMLElement>('[role=listbox]')!;
}

/** The option names the list shows (only while it is open). */
function shownOptions(el: SignicatVerifyElement): string[] {
  if (listbox(el).hidden) return [];
  return [...listbox(el).querySelectorAll('[role=option]')].map((o) =>
    o.textContent!.replace('✓', '').trim(),
  );
}

function activeOption(el: SignicatVerifyElement): string {
  const id = countryInput(el).getAttribute('aria-activedescendant');
  return id ? root(el).getElementById(id)!.textContent!.replace('✓', '').trim() : '';
}

function kindsOffered(el: SignicatVerifyElement): string[] {
  return [...root(el).querySelectorAll('[data-kind]')].map((b) => b.getAttribute('data-kind')!);
}

async function openCountryStep(el: SignicatVerifyElement): Promise<void> {
  await click(el, 'Start');
  await waitForHeading(el, COUNTRY_HEADING);
  await waitUntil(() => countryInput(el), 'country box');
}

/** Pretends the browser's language is `tag` while `run` runs. */
async function withLanguage(tag: string, run: () => Promise<void>): Promise<void> {
  Object.defineProperty(navigator, 'language', { value: tag, configurable: true });
  try {
    await run();
  } finally {
    delete (navigator as unknown as Record<string, unknown>).language; // the prototype's getter again
  }
}

describe('<signicat-verify> issuing country', () => {
  let proxy: FakeProxy;
  let restoreTiming: () => void;

  beforeEach(() => {
    sessionStorage.clear();
    proxy = new FakeProxy();
    restoreTiming = fastTiming();
  });

  afterEach(() => {
    proxy.restore();
    restoreTiming();
    sessionStorage.clear();
  });

  describe('default country', () => {
    it('should preselect the document-country attribute', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-country="se"></signicat-verify>`,
      );
      await openCountryStep(el);
      expect(countryInput(el).value).to.equal('Sweden');
      await expect(el).to.be.accessible();
    });

    it("should preselect the proxy's default country when the attribute is absent", async () => {
      proxy.settings.defaultCountry = 'DK';
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await openCountryStep(el);
      expect(countryInput(el).value).to.equal('Denmark');
    });

    it("should fall back to the region of the browser's language, when offered", async () => {
      proxy.settings.defaultCountry = null;
      await withLanguage('de-DE', async () => {
        const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
        await openCountryStep(el);
        expect(countryInput(el).value).to.equal('Germany');
      });
    });

    it('should preselect nothing when no candidate is offered, and ask for a choice', async () => {
      proxy.settings.defaultCountry = 'JP';
      await withLanguage('fr-FR', async () => {
        const el = await fixture<SignicatVerifyElement>(
          html`<signicat-verify document-country="US"></signicat-verify>`,
        );
        await openCountryStep(el);
        expect(countryInput(el).value).to.equal('');
        await click(el, 'Continue');
        await waitUntil(() => root(el).querySelector('.notice'), 'notice');
        expect(root(el).querySelector('.notice')!.textContent).to.contain('Choose the country');
        expect(countryInput(el).getAttribute('aria-invalid')).to.equal('true');
        expect(proxy.calls('POST', '/sessions')).to.have.length(0);
        await expect(el).to.be.accessible();
      });
    });
  });

  describe('search and keyboard', () => {
    it('should filter the list as the user types and choose with the arrow keys and Enter', async () => {
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await openCountryStep(el);
      const input = countryInput(el);
      expect(input.getAttribute('aria-expanded')).to.equal('false');
      expect(input.getAttribute('aria-controls')).to.equal(listbox(el).id);
      input.focus();
      input.select();
      await sendKeys({ type: 'an' });
      await waitUntil(() => input.getAttribute('aria-expanded') === 'true', 'list open');
      // "an" is inside two names (accents ignored): Åland Islands and Germany.
      expect(shownOptions(el)).to.deep.equal(['Åland Islands', 'Germany']);
      // The step's styles come with the capture chunk: the list scrolls instead of growing the page.
      expect(getComputedStyle(listbox(el)).overflowY).to.equal('auto');
      expect(activeOption(el)).to.equal('Åland Islands');
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'ArrowDown' });
      await waitUntil(() => activeOption(el) === 'Germany', 'Germany active');
      await sendKeys({ press: 'ArrowDown' }); // stays on the last
      await sendKeys({ press: 'ArrowUp' });
      await waitUntil(() => activeOption(el) === 'Åland Islands', 'back up');
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => input.getAttribute('aria-expanded') === 'false', 'list closed');
      expect(input.value).to.equal('Germany');
      expect(input.hasAttribute('aria-activedescendant')).to.equal(false);
      expect(root(el).activeElement === input, 'focus in the box').to.equal(true);
      await sendKeys({ press: 'Enter' }); // a closed list: Enter continues
      await waitForHeading(el, 'Which document will you use?');
      // Only what Assure lists for Germany.
      expect(kindsOffered(el)).to.deep.equal(['passport', 'identityCard', 'residencePermit']);
      expect(root(el).textContent).to.contain('Issued in Germany.');
    });

    it('should close the list with Escape, then clear the box with a second Escape', async () => {
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await openCountryStep(el);
      const input = countryInput(el);
      input.focus();
      await sendKeys({ press: 'ArrowDown' }); // opens the whole list on the chosen country
      await waitUntil(() => input.getAttribute('aria-expanded') === 'true', 'list open');
      expect(shownOptions(el)).to.have.length(6);
      expect(activeOption(el)).to.equal('Norway');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => input.getAttribute('aria-expanded') === 'false', 'closed');
      expect(input.value).to.equal('Norway');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => input.value === '', 'cleared');
    });

    it('should say when nothing matches, and take a single match on Continue', async () => {
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await openCountryStep(el);
      const input = countryInput(el);
      input.focus();
      input.select();
      await sendKeys({ type: 'xyz' });
      await waitUntil(() => root(el).textContent!.includes('No country matches'), 'no match');
      expect(listbox(el).hidden).to.equal(true);
      input.select();
      await sendKeys({ type: 'swe' });
      await waitUntil(() => shownOptions(el).join() === 'Sweden', 'Sweden only');
      await click(el, 'Continue');
      await waitForHeading(el, 'Which document will you use?');
      await click(el, 'National identity card');
      await waitForHeading(el, 'Front of your document');
      expect(proxy.calls('POST', '/sessions')[0]!.body).to.deep.equal({
        mode: 'capture',
        pageUrl: location.href,
        documentType: 'identityCard',
        documentCountry: 'SE',
      });
    });

    it('should keep the active option in sight in a long list', async () => {
      const codes =
        'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO IS CH'.split(
          ' ',
        );
      const entries = codes.map((code) => ({
        country: code,
        countryCode: code,
        countryName: code,
        type: 'passport',
      }));
      proxy.on('GET', '/document-types', () => ({ status: 200, body: entries }));
      proxy.settings.defaultCountry = 'AT';
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await openCountryStep(el);
      countryInput(el).focus();
      for (let i = 0; i < 25; i++) await sendKeys({ press: 'ArrowDown' });
      const list = listbox(el);
      const active = root(el).getElementById(
        countryInput(el).getAttribute('aria-activedescendant')!,
      )!;
      await waitUntil(() => list.scrollTop > 0, 'list scrolled');
      const [box, item] = [list.getBoundingClientRect(), active.getBoundingClientRect()];
      expect(
        item.top >= box.top - 1 && item.bottom <= box.bottom + 1,
        'active option visible',
      ).to.equal(true);
      expect(list.scrollHeight).to.be.above(list.clientHeight);
    });

    it('should choose a country with the pointer', async () => {
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await openCountryStep(el);
      findButton(el, 'Show all countries')!.click();
      await waitUntil(() => shownOptions(el).length === 6, 'list open');
      root(el).querySelector<HTMLElement>('[data-code=GB]')!.click();
      await waitUntil(() => countryInput(el).value === 'United Kingdom', 'chosen');
      await click(el, 'Continue');
      await waitForHeading(el, 'Which document will you use?');
      expect(kindsOffered(el)).to.deep.equal(['passport', 'driversLicense']);
      await click(el, 'Change country');
      await waitForHeading(el, COUNTRY_HEADING);
      expect(countryInput(el).value).to.equal('United Kingdom');
    });

    it('should name the countries in the language of the element', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify lang="nb"></signicat-verify>`,
      );
      await waitForHeading(el, 'Bekreft identiteten din');
      await click(el, 'Start');
      await waitForHeading(el, 'Hvilket land har utstedt dokumentet ditt?');
      expect(countryInput(el).value).to.equal('Norge'); // Intl.DisplayNames, not the proxy's English name
      const input = countryInput(el);
      input.focus();
      input.select();
      await sendKeys({ type: 'tysk' });
      await waitUntil(() => shownOptions(el).join() === 'Tyskland', 'Tyskland');
    });
  });

  describe('what is offered', () => {
    it('should offer only countries that issue a preset document type, then create the session directly', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="residencePermit"></signicat-verify>`,
      );
      await openCountryStep(el);
      findButton(el, 'Show all countries')!.click();
      await waitUntil(() => shownOptions(el).length > 0, 'list open');
      expect(shownOptions(el)).to.deep.equal(['Germany']);
      expect(countryInput(el).value).to.equal(''); // the default (Norway) issues none
      root(el).querySelector<HTMLElement>('[data-code=DE]')!.click();
      await click(el, 'Continue');
      await waitForHeading(el, 'Front of your document');
      expect(proxy.calls('POST', '/sessions')[0]!.body).to.include({
        documentType: 'residencePermit',
        documentCountry: 'DE',
      });
    });

    it('should keep the kinds within what the proxy allows', async () => {
      proxy.settings.documentTypes = ['passport', 'driversLicense'];
      // Even when the list says more (the config is the operator's word).
      proxy.on('GET', '/document-types', () => ({ status: 200, body: DOCUMENT_TYPES }));
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await openCountryStep(el);
      await click(el, 'Continue');
      await waitForHeading(el, 'Which document will you use?');
      expect(kindsOffered(el)).to.deep.equal(['passport', 'driversLicense']);
    });

    it('should not ask for a country when the provider does not need one', async () => {
      proxy.settings.providers.capture = ['fakeprovider'];
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify
          provider="fakeprovider"
          document-type="passport"
          document-country="NO"
        ></signicat-verify>`,
      );
      await click(el, 'Start');
      await waitForHeading(el, 'Front of your document');
      expect(proxy.calls('GET', '/document-types')).to.have.length(0);
      expect(proxy.calls('POST', '/sessions')[0]!.body).not.to.have.property('documentCountry');
    });

    it("should keep today's flow when the proxy has no /config", async () => {
      proxy.on('GET', '/config', () => ({
        status: 404,
        body: { error: { code: 'not_found', message: 'No such route.' } },
      }));
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await click(el, 'Start');
      await waitForHeading(el, 'Which document will you use?');
      await click(el, 'Passport');
      await waitForHeading(el, 'Front of your document');
      const body = proxy.calls('POST', '/sessions')[0]!.body as Record<string, unknown>;
      expect(body).to.deep.equal({
        mode: 'capture',
        pageUrl: location.href,
        documentType: 'passport',
      });
    });
  });
});
