/**
 * The only place that knows Assure's URL paths. Every path segment that comes from a caller is checked
 * against a fixed pattern and then percent-encoded, so no input can steer the proxy to another upstream
 * resource (`../`, `?`, `#`, extra segments).
 *
 * @module
 */
import { AssureError } from './types.ts';

/** Assure ids are lowercase UUIDv4 in every example; accept any UUID shape, case-insensitively. */
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Provider names are short lowercase words (`onfido`, `signicatpaper`, …). */
const PROVIDER_PATTERN = /^[a-z][a-z0-9]{1,39}$/;

export function isAssureId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function isProviderName(value: unknown): value is string {
  return typeof value === 'string' && PROVIDER_PATTERN.test(value);
}

// A malformed id cannot name an Assure resource, so it answers like an unknown one (404) without a request.
function id(value: string, what: 'dossierId' | 'processId'): string {
  if (!isAssureId(value)) throw new AssureError('upstream_not_found', `Invalid ${what}`, 404);
  return encodeURIComponent(value);
}

function provider(value: string): string {
  if (!isProviderName(value)) throw new AssureError('upstream_not_found', 'Unknown provider', 404);
  return encodeURIComponent(value);
}

/** Paths under the API base URL; comments name each path's operations (`operationId`s in the spec). */
export const assurePaths = {
  /** `createDossier` (POST). */
  dossiers: () => '/assure/dossiers',
  /** `getDossier` (GET), `deleteDossier` (DELETE). */
  dossier: (dossierId: string) => `/assure/dossiers/${id(dossierId, 'dossierId')}`,
  /** `createProcess` (POST). */
  processes: (dossierId: string) => `${assurePaths.dossier(dossierId)}/processes`,
  /** `getProcess` (GET), `startVerification` (POST). */
  process: (dossierId: string, processId: string) =>
    `${assurePaths.processes(dossierId)}/${id(processId, 'processId')}`,
  /** `setImages` (POST). */
  images: (dossierId: string, processId: string) =>
    `${assurePaths.process(dossierId, processId)}/images`,
  /** `setFailedProcess` (POST). */
  fail: (dossierId: string, processId: string) =>
    `${assurePaths.process(dossierId, processId)}/fail`,
  /** `getZipFile` (GET). */
  download: (dossierId: string, processId: string) =>
    `${assurePaths.process(dossierId, processId)}/download`,
  /** `createArtifact`, "Start capture flow" (POST). */
  capture: (dossierId: string) => `${assurePaths.dossier(dossierId)}/capture`,
  /** `getDocumentTypes` (GET). */
  documentTypes: (providerName: string) => `/assure/${provider(providerName)}/document-types`,
  /** `getAllProcess` (GET); the query is built by the caller from checked values. */
  allProcesses: () => '/assure/processes',
} as const;
