/**
 * Shapes of the Assure responses the proxy relies on. Checked where cheap (ids, status, capture URL);
 * everything else passes through unchanged, since real Assure may add fields.
 *
 * @module
 */
import { z } from 'zod';
import { STATUSES } from '../statuses.ts';
import { isAssureId } from './paths.ts';

const assureId = z.string().refine(isAssureId, 'not an Assure id');

export const dossierSchema = z.looseObject({ dossierId: assureId });

export const processSchema = z.looseObject({
  processId: assureId,
  provider: z.string(),
  status: z.enum(STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  processType: z.string().optional(),
  documentType: z.string().optional(),
  finalResult: z.record(z.string(), z.unknown()).optional(),
  providerSpecific: z.record(z.string(), z.unknown()).optional(),
  failReason: z.string().optional(),
});

export const createdProcessSchema = processSchema.extend({ authorization: z.string().min(1) });

export const captureFlowSchema = z.looseObject({
  // The end-user's browser is sent here: only http(s), never `javascript:` or `data:`.
  url: z.url({ protocol: /^https?$/ }),
  dossierId: assureId.optional(),
  processId: assureId.optional(),
  /** Some clients read `id` when `processId` is missing (C1); accept either. */
  id: assureId.optional(),
});

export const documentTypesSchema = z.array(
  z.looseObject({
    id: z.union([z.number(), z.string()]),
    country: z.string(),
    countryName: z.string(),
    type: z.string(),
    subType: z.string().optional(),
  }),
);
