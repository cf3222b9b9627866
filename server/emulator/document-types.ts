/**
 * `GET /assure/{provider}/document-types` (reference §8, §12): the same fixture for every known
 * provider, in the shape public clients parse: `[{id, country, countryName, type, subType?}]`.
 * `type` is free text in Assure; the four values used here contain the words clients classify by
 * ("passport", "driv…", else an identity document), so no extra non-Assure field is added.
 */
import { Hono } from 'hono';
import type { DocumentType } from '../assure/types.ts';
import { notFound } from './problem.ts';
import { isProvider } from './providers.ts';

type Kind = 'Passport' | 'Identity Card' | 'Driving Licence' | 'Residence Permit';
const KINDS: Record<string, Kind> = { P: 'Passport', I: 'Identity Card', D: 'Driving Licence', R: 'Residence Permit' };

/** alpha-3, English name, document kinds (P, I, D, R), optional sub-types per kind. */
const COUNTRIES: [string, string, string, Partial<Record<Kind, string>>?][] = [
  ['NOR', 'Norway', 'PIDR', { 'Identity Card': 'National ID card (2020)' }],
  ['SWE', 'Sweden', 'PIDR', { 'Identity Card': 'National ID card' }],
  ['DNK', 'Denmark', 'PDR'],
  ['FIN', 'Finland', 'PIDR', { 'Identity Card': 'Identity card (2017)' }],
  ['ISL', 'Iceland', 'PID'],
  ['DEU', 'Germany', 'PIDR', { 'Identity Card': 'Personalausweis' }],
  ['FRA', 'France', 'PIDR', { 'Identity Card': "Carte nationale d'identité (2021)" }],
  ['NLD', 'Netherlands', 'PIDR'],
  ['BEL', 'Belgium', 'PIDR'],
  ['LUX', 'Luxembourg', 'PID'],
  ['ESP', 'Spain', 'PIDR', { 'Identity Card': 'DNI' }],
  ['PRT', 'Portugal', 'PIDR', { 'Identity Card': 'Cartão de Cidadão' }],
  ['ITA', 'Italy', 'PIDR', { 'Identity Card': "Carta d'identità elettronica" }],
  ['AUT', 'Austria', 'PIDR'],
  ['CHE', 'Switzerland', 'PIDR'],
  ['POL', 'Poland', 'PIDR', { 'Identity Card': 'Dowód osobisty' }],
  ['CZE', 'Czechia', 'PID'],
  ['EST', 'Estonia', 'PIDR', { 'Identity Card': 'ID-kaart' }],
  ['LVA', 'Latvia', 'PID', { 'Identity Card': 'eID karte' }],
  ['LTU', 'Lithuania', 'PID'],
  ['GBR', 'United Kingdom', 'PDR', { 'Driving Licence': 'Photocard', 'Residence Permit': 'Biometric Residence Permit' }],
  ['IRL', 'Ireland', 'PID', { 'Identity Card': 'Passport Card' }],
  ['USA', 'United States', 'PD', { 'Driving Licence': 'State driver license' }],
];

/** Built once; IDs are stable integers (they play the role of `allowedIdTypes` numbers). */
export const DOCUMENT_TYPES_FIXTURE: readonly DocumentType[] = COUNTRIES.flatMap(([country, countryName, kinds, subTypes], c) =>
  [...kinds].map((letter, k): DocumentType => {
    const type = KINDS[letter]!;
    const subType = subTypes?.[type];
    return { id: 1000 + c * 10 + k, country, countryName, type, ...(subType !== undefined && { subType }) };
  }),
);

/** Mounted at `/assure`. */
export function createDocumentTypesRouter(): Hono {
  const router = new Hono();
  router.get('/:provider/document-types', (c) => {
    const provider = c.req.param('provider');
    if (!isProvider(provider)) throw notFound(`Provider ${provider}`);
    return c.json(DOCUMENT_TYPES_FIXTURE);
  });
  return router;
}
