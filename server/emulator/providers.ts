/** Provider names and what each allows (reference §4.3, §7 and §12). */

/** Providers a process may be created for. */
export const PROVIDERS = [
  'onfido',
  'eid',
  'readid',
  'signicatpaper',
  'signicatvideoid',
  'signicatpictureid',
  'facetec',
  'webid',
] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Providers the hosted capture flow supports. */
export const CAPTURE_PROVIDERS = ['onfido', 'signicatpaper', 'signicatpictureid', 'signicatvideoid'] as const;

/** Names shown on the hosted capture page. */
export const PROVIDER_NAMES: Record<Provider, string> = {
  onfido: 'Onfido',
  eid: 'EID',
  readid: 'ReadID',
  signicatpaper: 'Signicat Paper',
  signicatvideoid: 'Signicat VideoID',
  signicatpictureid: 'Signicat PictureID',
  facetec: 'FaceTec',
  webid: 'WebID',
};

/** `documentType` values accepted in requests (C1 and C2's enum in the reference, §8). */
export const DOCUMENT_TYPES = [
  'passport',
  'identityCard',
  'driversLicense',
  'residencePermit',
  'workPermit',
  'voterId',
  'postalIdCard',
  'professionalQualificationCard',
  'socialSecurity',
  'panCard',
  'passportCard',
  'stateId',
  'visa',
  'asylumRegistrationCard',
  'nationalHealthInsuranceCard',
  'aadharCard',
] as const;

export const isProvider = (value: string): value is Provider => (PROVIDERS as readonly string[]).includes(value);

/** Set images through the API (path D2): Signicat Paper, and Onfido for document(+selfie) processes only. */
export function allowsDirectUpload(process: { provider: string; processType?: string }): boolean {
  if (process.provider === 'signicatpaper') return true;
  if (process.provider === 'onfido') {
    return process.processType === undefined || ['document', 'documentSelfie'].includes(process.processType);
  }
  return false;
}

/** Providers that start verifying on their own once their SDK has uploaded (reference §1: step E is skipped). */
export function startsByItself(process: { provider: string; processType?: string }): boolean {
  return process.provider === 'readid' || (process.provider === 'eid' && process.processType === 'attended');
}
