/**
 * The proxy's one table between ISO 3166-1 alpha-2 (what `documentCountry` takes, what browsers know)
 * and alpha-3 (what Assure's document-types list and Onfido's `countryOfResidence` use). The codes come
 * from `i18n-iso-countries`; English names from Node's ICU.
 */
import countries from 'i18n-iso-countries';
import { ANY_PASSPORT_COUNTRY } from '../component/contract/index.ts';

const names = new Intl.DisplayNames(['en'], { type: 'region' });

/** `NO` → `NOR`; undefined for anything that is not an assigned alpha-2 code. */
export function toAlpha3(alpha2: string): string | undefined {
  return /^[A-Z]{2}$/.test(alpha2) ? countries.alpha2ToAlpha3(alpha2) : undefined;
}

/** `NOR` → `NO`; undefined for anything that is not an assigned alpha-3 code. */
export function toAlpha2(alpha3: string): string | undefined {
  return /^[A-Z]{3}$/.test(alpha3) ? countries.alpha3ToAlpha2(alpha3) : undefined;
}

/** An assigned alpha-2 code, or `UNIV` (any ICAO passport). */
export function isDocumentCountry(value: string): boolean {
  return value === ANY_PASSPORT_COUNTRY || toAlpha3(value) !== undefined;
}

export function countryName(alpha2: string): string {
  try {
    return names.of(alpha2) ?? alpha2;
  } catch {
    return alpha2;
  }
}

/** `documentCountry` as Signicat is told it (the format is assumed; docs/assure-compatibility.md). */
export function documentCountryFor(alpha2OrUniv: string, format: 'alpha2' | 'alpha3'): string {
  if (alpha2OrUniv === ANY_PASSPORT_COUNTRY || format === 'alpha2') return alpha2OrUniv;
  return toAlpha3(alpha2OrUniv) ?? alpha2OrUniv;
}
