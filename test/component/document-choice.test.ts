import { expect } from '@open-wc/testing';
import { localeRegion, planDocumentChoice } from '../../component/document-choice.js';
import type { ClientConfigResponse } from '../../component/contract/index.js';
import { DOCUMENT_TYPES } from './fake-proxy.js';

const paper: ClientConfigResponse = {
  mode: 'capture',
  provider: 'signicatpaper',
  documentTypes: ['passport', 'identityCard', 'driversLicense', 'residencePermit'],
  countryRequired: true,
  defaultCountry: 'NO',
};

describe('planDocumentChoice', () => {
  it('should offer every listed country with its kinds, and pick the default in order attribute, proxy, locale', () => {
    const plan = planDocumentChoice(paper, DOCUMENT_TYPES, {
      documentCountry: 'se',
      language: 'de-DE',
    });
    expect(plan.askCountry).to.equal(true);
    expect(plan.countries.map((c) => c.code).sort()).to.deep.equal([
      'AX',
      'DE',
      'DK',
      'GB',
      'NO',
      'SE',
    ]);
    expect(plan.countries.find((c) => c.code === 'DK')!.kinds).to.deep.equal([
      'passport',
      'driversLicense',
    ]);
    expect(plan.defaultCountry).to.equal('SE');
    expect(
      planDocumentChoice(paper, DOCUMENT_TYPES, { documentCountry: 'US', language: 'de-DE' })
        .defaultCountry,
    ).to.equal('NO');
    const noDefault = { ...paper, defaultCountry: null };
    expect(
      planDocumentChoice(noDefault, DOCUMENT_TYPES, { language: 'de-DE' }).defaultCountry,
    ).to.equal('DE');
    expect(
      planDocumentChoice(noDefault, DOCUMENT_TYPES, { language: 'ja' }).defaultCountry,
    ).to.equal(undefined);
  });

  it("should narrow the countries' kinds to what the proxy allows and to a preset type", () => {
    const narrowed = planDocumentChoice(
      { ...paper, documentTypes: ['passport'] },
      DOCUMENT_TYPES,
      {},
    );
    expect(narrowed.countries.every((c) => c.kinds.join() === 'passport')).to.equal(true);
    const preset = planDocumentChoice(paper, DOCUMENT_TYPES, { documentType: 'residencePermit' });
    expect(preset.countries.map((c) => c.code)).to.deep.equal(['DE']);
    expect(preset.defaultCountry).to.equal(undefined); // Norway issues none
  });

  it('should fix UNIV to a passport without asking', () => {
    expect(planDocumentChoice(paper, DOCUMENT_TYPES, { documentCountry: 'univ' })).to.deep.include({
      askCountry: false,
      fixedCountry: 'UNIV',
      kinds: ['passport'],
    });
  });

  it("should keep today's flow without a config, without countryRequired, or without a list", () => {
    for (const plan of [
      planDocumentChoice(undefined, DOCUMENT_TYPES, {}),
      planDocumentChoice({ ...paper, countryRequired: false }, DOCUMENT_TYPES, {}),
      planDocumentChoice(paper, [], {}),
    ]) {
      expect(plan.askCountry).to.equal(false);
      expect(plan.fixedCountry).to.equal(undefined);
      expect(plan.kinds).to.deep.equal([
        'passport',
        'identityCard',
        'driversLicense',
        'residencePermit',
      ]);
    }
  });

  it('should ignore entries that are not an alpha-2 country or a known kind', () => {
    const plan = planDocumentChoice(
      paper,
      [
        ...DOCUMENT_TYPES.slice(0, 1),
        { country: 'XXX', countryCode: 'UNIV', countryName: 'Any', type: 'passport' },
        { country: 'NOR', countryCode: 'NO', countryName: 'Norway', type: 'visa' },
      ],
      {},
    );
    expect(plan.countries).to.deep.equal([{ code: 'NO', apiName: 'Norway', kinds: ['passport'] }]);
  });

  it('should read the region of a language tag', () => {
    expect(localeRegion('nb')).to.equal('NO');
    expect(localeRegion('en-GB')).to.equal('GB');
    expect(localeRegion('not a tag')).to.equal(undefined);
    expect(localeRegion(undefined)).to.equal(undefined);
  });
});
