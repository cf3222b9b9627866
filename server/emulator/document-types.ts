/**
 * getDocumentTypes: `GET /assure/{providerName}/document-types` answers `EidCountryAndDocumentType[]`
 * (`country` alpha-3, `countryName`, `type` from the spec's camelCase enum, optional `subType` and
 * `icao`; `id` "only applies to the 'signicatvideoid' provider"), or 204 when the provider has none.
 */
import { Hono } from 'hono';
import { DOCUMENT_KINDS, type DocumentKind } from '../../component/contract/index.ts';
import type { EmulatorDeps } from './context.ts';
import { problem } from './problem.ts';
import {
  DOCUMENT_TYPE_PROVIDERS,
  isDocumentTypeProvider,
  type DocumentTypeProvider,
} from './providers.ts';

/** One entry as the emulator serves it (`EidCountryAndDocumentType`). */
export interface DocumentTypeEntry {
  /** ISO 3166 alpha-3. */
  country: string;
  countryName: string;
  type: string;
  subType?: string;
  /** ICAO 9303 format (TD3 for passports). */
  icao?: string;
  /** Only for signicatvideoid. */
  id?: number;
}

const [PASSPORT, IDENTITY_CARD, DRIVERS_LICENSE, RESIDENCE_PERMIT] = DOCUMENT_KINDS;
const KINDS: Record<string, DocumentKind> = {
  P: PASSPORT,
  I: IDENTITY_CARD,
  D: DRIVERS_LICENSE,
  R: RESIDENCE_PERMIT,
};

/** alpha-3, English name, document kinds (P, I, D, R), optional sub-types per kind. */
const COUNTRIES: [string, string, string, Partial<Record<DocumentKind, string>>?][] = [
  ['NOR', 'Norway', 'PIDR', { identityCard: 'National ID card (2020)' }],
  ['SWE', 'Sweden', 'PIDR', { identityCard: 'National ID card' }],
  ['DNK', 'Denmark', 'PDR'],
  ['FIN', 'Finland', 'PIDR', { identityCard: 'Identity card (2017)' }],
  ['ISL', 'Iceland', 'PID'],
  ['DEU', 'Germany', 'PIDR', { identityCard: 'Personalausweis' }],
  ['FRA', 'France', 'PIDR', { identityCard: "Carte nationale d'identité (2021)" }],
  ['NLD', 'Netherlands', 'PIDR'],
  ['BEL', 'Belgium', 'PIDR'],
  ['LUX', 'Luxembourg', 'PID'],
  ['ESP', 'Spain', 'PIDR', { identityCard: 'DNI' }],
  ['PRT', 'Portugal', 'PIDR', { identityCard: 'Cartão de Cidadão' }],
  ['ITA', 'Italy', 'PIDR', { identityCard: "Carta d'identità elettronica" }],
  ['AUT', 'Austria', 'PIDR'],
  ['CHE', 'Switzerland', 'PIDR'],
  ['POL', 'Poland', 'PIDR', { identityCard: 'Dowód osobisty' }],
  ['CZE', 'Czechia', 'PID'],
  ['EST', 'Estonia', 'PIDR', { identityCard: 'ID-kaart' }],
  ['LVA', 'Latvia', 'PID', { identityCard: 'eID karte' }],
  ['LTU', 'Lithuania', 'PID'],
  [
    'GBR',
    'United Kingdom',
    'PDR',
    { driversLicense: 'Photocard', residencePermit: 'Biometric Residence Permit' },
  ],
  ['IRL', 'Ireland', 'PID', { identityCard: 'Passport Card' }],
  ['USA', 'United States', 'PD', { driversLicense: 'State driver license' }],
];

/** The built-in list, the same for every provider (without `id`, which only signicatvideoid gets). */
export const DOCUMENT_TYPES_FIXTURE: readonly DocumentTypeEntry[] = COUNTRIES.flatMap(
  ([country, countryName, kinds, subTypes]) =>
    [...kinds].map((letter): DocumentTypeEntry => {
      const type = KINDS[letter]!;
      const subType = subTypes?.[type];
      return {
        country,
        countryName,
        type,
        ...(subType !== undefined && { subType }),
        ...(type === PASSPORT && { icao: 'TD3' }),
      };
    }),
);

/** What getDocumentTypes answers for `provider`: the override from the options, else the fixture. */
export function documentTypesFor(
  provider: DocumentTypeProvider,
  overrides: Partial<Record<DocumentTypeProvider, readonly DocumentTypeEntry[]>> = {},
): DocumentTypeEntry[] {
  const override = overrides[provider];
  if (override) return [...override];
  // Stable integers in the role of Signicat VideoID's document ids (`allowedIdTypes`).
  return provider === 'signicatvideoid'
    ? DOCUMENT_TYPES_FIXTURE.map((entry, index) => ({ ...entry, id: 1000 + index }))
    : [...DOCUMENT_TYPES_FIXTURE];
}

/** Mounted at `/assure`. */
export function createDocumentTypesRouter({ faults, options }: EmulatorDeps): Hono {
  const router = new Hono();
  // getDocumentTypes: Get document types
  router.get('/:providerName/document-types', faults.middleware('documentTypes'), (c) => {
    const provider = c.req.param('providerName');
    if (!isDocumentTypeProvider(provider)) {
      throw problem(
        400,
        'Bad Request.',
        `providerName must be one of ${DOCUMENT_TYPE_PROVIDERS.join(', ')}.`,
      );
    }
    const entries = documentTypesFor(provider, options.documentTypes);
    // "No document types were found for the requested provider."
    if (entries.length === 0) return c.body(null, 204);
    return c.json(entries);
  });
  return router;
}
