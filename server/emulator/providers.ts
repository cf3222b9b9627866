/**
 * Provider names and what each allows, from the OpenAPI description's enums and field descriptions
 * (`ProcessRequest.provider`, `CaptureProcessRequest.provider`, `getDocumentTypes` `providerName`,
 * `ProcessResponse.authorization`, `setImages`, `startVerification`).
 */

/** `ProcessRequest.provider` (createProcess). There is no `eid`: Signicat VideoID is `signicatvideoid`. */
export const PROVIDERS = [
  'onfido',
  'readid',
  'signicatpaper',
  'facetec',
  'webid',
  'signicatpictureid',
  'signicatvideoid',
  'connect:idmethod',
] as const;
export type Provider = (typeof PROVIDERS)[number];

/** `CaptureProcessRequest.provider` (createArtifact). */
export const CAPTURE_PROVIDERS = [
  'onfido',
  'signicatpaper',
  'readid',
  'signicatpictureid',
  'signicatvideoid',
  'webid',
] as const;

/** `providerName` of getDocumentTypes. */
export const DOCUMENT_TYPE_PROVIDERS = [
  'onfido',
  'signicatpaper',
  'signicatpictureid',
  'signicatvideoid',
] as const;
export type DocumentTypeProvider = (typeof DOCUMENT_TYPE_PROVIDERS)[number];

/** `ProcessRequest.processType` (createProcess). */
export const PROCESS_TYPES = [
  'substantial',
  'substantialFullyAuto',
  'high',
  'document',
  'documentSelfie',
  'documentVideo',
  'sdk',
  'ready',
  'accountid',
  'videoid',
] as const;

/**
 * `CaptureProcessRequest.processType` (createArtifact). Its enum lacks WebID's `accountid` and
 * `videoid`, which the same field's description lists for 'webid'; both are accepted.
 */
export const CAPTURE_PROCESS_TYPES = [
  'substantial',
  'substantialFullyAuto',
  'high',
  'document',
  'documentSelfie',
  'documentVideo',
  'ready',
  'accountid',
  'videoid',
] as const;

/** `ProcessRequest.documentType` (createProcess). */
export const DOCUMENT_TYPES = [
  'driversLicense',
  'passport',
  'identityCard',
  'residencePermit',
  'workPermit',
  'voterId',
  'postalIdCard',
  'professionalQualificationCard',
  'professionalPermit',
  'socialSecurity',
  'panCard',
  'passportCard',
  'stateId',
  'visa',
  'asylumRegistrationCard',
  'nationalHealthInsuranceCard',
  'aadharCard',
  'immigrationStatusDocument',
  'indigenousCard',
  'municipalityIdentityCard',
  'privateOperatorsCard',
  'certificateOfSponsorship',
  'serviceIdCard',
  'taxId',
] as const;

/** Names shown on the hosted capture page. */
export const PROVIDER_NAMES: Record<Provider, string> = {
  onfido: 'Onfido',
  readid: 'ReadID',
  signicatpaper: 'Signicat Paper',
  signicatvideoid: 'Signicat VideoID',
  signicatpictureid: 'Signicat PictureID',
  facetec: 'FaceTec',
  webid: 'WebID',
  'connect:idmethod': 'Signicat Connect',
};

export const isProvider = (value: string): value is Provider =>
  (PROVIDERS as readonly string[]).includes(value);

export const isDocumentTypeProvider = (value: string): value is DocumentTypeProvider =>
  (DOCUMENT_TYPE_PROVIDERS as readonly string[]).includes(value);

/** setImages: "Direct upload using Assure is only available for Onfido, Signicat Paper and FaceTec". */
export function allowsDirectUpload(process: { provider: string }): boolean {
  return (
    process.provider === 'onfido' ||
    process.provider === 'signicatpaper' ||
    process.provider === 'facetec'
  );
}

/**
 * `ProcessResponse.authorization` is "necessary for uploading images using the provider's SDK"; the
 * spec's Signicat Paper and WebID examples carry none. `connect:idmethod` has no SDK upload either
 * (a choice: the spec is silent).
 */
export function issuesSdkAuthorization(provider: string): boolean {
  return provider !== 'signicatpaper' && provider !== 'webid' && provider !== 'connect:idmethod';
}

/** startVerification answers 204 instead of 200 `VerifyResponse` (only for 'readid' and 'webid'). */
export function verifiesWithoutBody(provider: string): boolean {
  return provider === 'readid' || provider === 'webid';
}

/** Providers whose own SDK starts verification after uploading (ReadID: no Start verification needed). */
export function startsByItself(process: { provider: string }): boolean {
  return process.provider === 'readid';
}
