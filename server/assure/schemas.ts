/**
 * Shapes of the Assure responses, checked only where the proxy relies on them: ids (they become URL
 * paths), a non-empty `status` (any string: the enum may grow), `finalResult` (its fields are exposed),
 * the capture URL (the browser is sent there). Everything else is loose: real Assure may add fields,
 * and a metadata field of an unexpected type is dropped rather than failing the call.
 *
 * @module
 */
import { z } from 'zod';
import { isAssureId } from './paths.ts';
import type { DocumentType, ListedProcess, SlimProcess } from './types.ts';

const assureId = z.string().refine(isAssureId, 'not an Assure id');
const status = z.string().min(1);
/** A string the proxy only passes on: anything else becomes undefined instead of an error. */
const passString = z.string().min(1).optional().catch(undefined);

/** `createDossier` 201 `DossierResponse`: only the id is used. */
export const dossierSchema = z.looseObject({ dossierId: assureId });

/** `getDossiers` 200: a list whose items are checked one by one. */
export const dossierListSchema = z.array(z.unknown());

/** `getDossier` 200 `DossierResponse`; its `processes[]` items are checked one by one (slimProcess). */
export const dossierResponseSchema = z.looseObject({
  dossierId: assureId,
  externalReference: passString,
  createdAt: passString,
  processes: z.array(z.unknown()).optional(),
});

const slimProcessSchema = z.looseObject({
  processId: assureId,
  provider: passString,
  processType: passString,
  status: passString,
  createdAt: passString,
  updatedAt: passString,
});

/** A `SlimProcess`, or undefined when it has no usable process id (it could not be addressed anyway). */
export function slimProcess(value: unknown): SlimProcess | undefined {
  const parsed = slimProcessSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { processId, provider, processType, status, createdAt, updatedAt } = parsed.data;
  return dropUndefined({ processId, provider, processType, status, createdAt, updatedAt });
}

/** `getProcess` 200 `Process`. `failReason` is schemaless in the spec (objects in every example). */
export const processSchema = z.looseObject({
  processId: assureId,
  status,
  provider: passString,
  processType: passString,
  documentType: passString,
  createdAt: passString,
  updatedAt: passString,
  finalResult: z.record(z.string(), z.unknown()).optional(),
  providerSpecific: z.record(z.string(), z.unknown()).optional().catch(undefined),
  failReason: z.unknown().optional(),
});

/**
 * `createProcess` 201 `ProcessResponse`. `authorization` comes only for providers whose SDK uploads
 * (none for signicatpaper or webid); `status` is optional because only the id is needed.
 */
export const createdProcessSchema = z.looseObject({
  processId: assureId,
  status: passString,
  authorization: passString,
});

/** `startVerification` 200 `VerifyResponse {processId, status}`; anything unreadable is ignored. */
export const verifyResponseSchema = z.looseObject({ status: passString });

/** `createArtifact` 201 `WebURL {url}`: nothing else is promised, so nothing else is read. */
export const captureFlowSchema = z.looseObject({
  // The end-user's browser is sent here: only http(s), never `javascript:` or `data:`.
  url: z.url({ protocol: /^https?$/ }),
});

const documentTypeSchema = z.looseObject({
  country: z.string().min(1),
  type: z.string().min(1),
  countryName: passString,
  subType: passString,
  // An integer in the spec, and only for signicatvideoid.
  id: z.number().int().optional().catch(undefined),
});

/**
 * One `EidCountryAndDocumentType`, or undefined when it lacks `country` or `type` (the list is still
 * useful without it). A missing `countryName` falls back to the country code.
 */
export function documentType(value: unknown): DocumentType | undefined {
  const parsed = documentTypeSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { country, type, countryName, subType, id } = parsed.data;
  return dropUndefined({ country, countryName: countryName ?? country, type, subType, id });
}

/** `getAllProcess` 200 `ListAllProcesses`; items are checked one by one (listedProcess). */
export const processListSchema = z.looseObject({
  processes: z.array(z.unknown()),
  totalResults: z.number().int().nonnegative().optional().catch(undefined),
});

const listedProcessSchema = z.looseObject({
  processId: assureId,
  status,
  provider: passString,
  createdAt: passString,
  dossier: z.looseObject({ dossierId: assureId, externalReference: passString }),
});

/** One `ProcessWithDossierNode`, or undefined when its ids or status are unusable. */
export function listedProcess(value: unknown): ListedProcess | undefined {
  const parsed = listedProcessSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { processId, status, provider, createdAt, dossier } = parsed.data;
  return dropUndefined({
    processId,
    status,
    provider,
    createdAt,
    dossier: dropUndefined({
      dossierId: dossier.dossierId,
      externalReference: dossier.externalReference,
    }),
  });
}

/** Removes undefined-valued keys, so results compare and serialise cleanly. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
