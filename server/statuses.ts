/** Assure process statuses, as the proxy API passes them on unchanged. */
export const FINAL_STATUSES = ['accepted', 'rejected', 'inconclusive', 'failed', 'canceled'] as const;
export const STATUSES = ['pending', 'processing', ...FINAL_STATUSES] as const;

export type FinalStatus = (typeof FINAL_STATUSES)[number];
export type Status = (typeof STATUSES)[number];

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export function isFinal(status: Status): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** The image sides Assure accepts on a process (`portrait` is extracted by providers, never uploaded). */
export const DEPICTIONS = ['front', 'back', 'selfie'] as const;
export type Depiction = (typeof DEPICTIONS)[number];

/** Document types whose back side must be captured too. */
export const TWO_SIDED_DOCUMENT_TYPES: ReadonlySet<string> = new Set([
  'identityCard',
  'driversLicense',
  'residencePermit',
]);
