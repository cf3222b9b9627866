/**
 * Request rules the spec's field descriptions state, checked where the real API is said to check them:
 * Signicat Paper's `documentCountry` (createProcess), Onfido's `processParameters.location` and
 * `consents.privacy` (startVerification, for images set through setImages), FaceTec's Start
 * verification body, and the images a process needs before it can be verified (a choice; the spec is silent).
 */
import countries from 'i18n-iso-countries';
import ipaddr from 'ipaddr.js';
import { ANY_PASSPORT_COUNTRY } from '../../component/contract/index.ts';
import { TWO_SIDED_KINDS, type Depiction } from '../statuses.ts';
import { problem } from './problem.ts';
import type { ProcessParametersRecord, ProcessRecord } from './state.ts';

const isCountry = (value: string, letters: 2 | 3): boolean =>
  new RegExp(`^[A-Z]{${letters}}$`).test(value) && countries.isValid(value);

export const isAlpha3Country = (value: string): boolean => isCountry(value, 3);

/**
 * `documentCountry`: "only applies to the 'signicatpaper' provider and is then a required field";
 * ISO 3166-1 alpha-2 by its description (alpha-3 by its example: `format`), or `UNIV` for any ICAO passport.
 */
export function checkDocumentCountry(
  value: unknown,
  documentType: string | undefined,
  format: 'alpha2' | 'alpha3',
): string {
  const refuse = (detail: string) => problem(400, 'Bad Request.', detail);
  if (value === undefined || value === null || value === '') {
    throw refuse('documentCountry is required for the signicatpaper provider.');
  }
  if (typeof value !== 'string') throw refuse('documentCountry must be a string.');
  if (value === ANY_PASSPORT_COUNTRY) {
    if (documentType !== 'passport')
      throw refuse(
        `documentCountry ${ANY_PASSPORT_COUNTRY} is only allowed with documentType passport.`,
      );
    return value;
  }
  const letters = format === 'alpha2' ? 2 : 3;
  if (!isCountry(value, letters)) {
    throw refuse(
      `documentCountry must be an ISO 3166-1 alpha-${letters} country code (e.g. ${letters === 2 ? 'NO' : 'NOR'}) or ${ANY_PASSPORT_COUNTRY} for a passport.`,
    );
  }
  return value;
}

/** No country of residence and no public IP address: Onfido cannot place the user. */
function locationUnknown(location: NonNullable<ProcessParametersRecord['location']>): boolean {
  if (location.countryOfResidence) return false;
  const address = location.ipAddress;
  if (!address || !ipaddr.isValid(address)) return true;
  const range = ipaddr.process(address).range();
  return ['unspecified', 'loopback', 'linkLocal', 'private', 'uniqueLocal'].includes(range);
}

/**
 * Onfido with images from setImages: `processParameters.location` (ipAddress and/or countryOfResidence)
 * is required, "otherwise you will receive an error in the Start verification endpoint"; for
 * `documentSelfie` (the default) and `documentVideo`, `consents.privacy` must be true when the user is in
 * the USA or the location is unknown.
 */
export function checkOnfidoParameters(process: ProcessRecord): void {
  if (process.provider !== 'onfido' || process.imagesVia !== 'api') return;
  const location = process.processParameters?.location;
  if (!location || (!location.ipAddress && !location.countryOfResidence)) {
    throw problem(
      400,
      'Bad Request.',
      'processParameters.location (ipAddress and/or countryOfResidence) is required for onfido processes whose images are uploaded with Set images.',
    );
  }
  const processType = process.processType ?? 'documentSelfie';
  if (processType !== 'documentSelfie' && processType !== 'documentVideo') return;
  const consentNeeded = location.countryOfResidence === 'USA' || locationUnknown(location);
  if (consentNeeded && process.processParameters?.consents?.privacy !== true) {
    throw problem(
      400,
      'Bad Request.',
      "processParameters.consents.privacy must be true: the end-user is in the USA or at an unknown location and has to accept Onfido's privacy notices.",
    );
  }
}

/** FaceTec's VerifyRequest: `facetecEnrollment` and `imageDepiction` (selfie or front) are required. */
export function checkFacetecVerifyRequest(
  process: ProcessRecord,
  body: unknown,
): Depiction | undefined {
  if (process.provider !== 'facetec') return undefined;
  const request = (
    typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}
  ) as Record<string, unknown>;
  const depiction = request['imageDepiction'];
  if (depiction !== 'selfie' && depiction !== 'front') {
    throw problem(
      400,
      'Bad Request.',
      'imageDepiction (selfie or front) is required for the facetec provider.',
    );
  }
  const enrollment = request['facetecEnrollment'];
  if (typeof enrollment !== 'object' || enrollment === null || Array.isArray(enrollment)) {
    throw problem(400, 'Bad Request.', 'facetecEnrollment is required for the facetec provider.');
  }
  return depiction;
}

/** Images needed before Start verification (the spec is silent; docs/emulator.md lists the choice). */
export function missingImages(process: ProcessRecord, facetecDepiction?: Depiction): Depiction[] {
  let needed: Depiction[];
  if (process.provider === 'facetec') needed = [facetecDepiction ?? 'selfie'];
  // WebID verifies in its own video call, ReadID reads the chip: nothing to upload first.
  else if (
    process.provider === 'webid' ||
    process.provider === 'readid' ||
    process.provider === 'connect:idmethod'
  )
    needed = [];
  else {
    const twoSided =
      process.documentType !== undefined &&
      (TWO_SIDED_KINDS as readonly string[]).includes(process.documentType);
    const documentOnly =
      process.provider === 'signicatpaper' ||
      (process.provider === 'onfido' && process.processType === 'document') ||
      (process.provider === 'signicatpictureid' && process.processType === 'document');
    needed = [
      'front',
      ...(twoSided ? (['back'] as const) : []),
      ...(documentOnly ? [] : (['selfie'] as const)),
    ];
  }
  return needed.filter((depiction) => !process.images[depiction]);
}
