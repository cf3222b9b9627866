/**
 * Assure JSON bodies built from the in-memory records, one function per spec schema. Fields that do
 * not apply are omitted, never `null`. None contains `authorizationHeader`, tokens or image bytes.
 */
import { DEPICTIONS } from '../statuses.ts';
import { timestamp } from './ids.ts';
import { partialResult } from './results.ts';
import type { DossierRecord, EmulatorState, ProcessRecord } from './state.ts';

export interface ViewOptions {
  partialResultsWhileProcessing: boolean;
}

type Body = Record<string, unknown>;

const times = (record: { createdAt: number; updatedAt: number }) => ({
  createdAt: timestamp(record.createdAt),
  updatedAt: timestamp(record.updatedAt),
});

/** `Process` (getProcess). */
export function processView(process: ProcessRecord, options: ViewOptions): Body {
  const partial =
    process.status === 'processing' && options.partialResultsWhileProcessing
      ? partialResult(process)
      : {};
  const depictions = DEPICTIONS.filter((depiction) => process.images[depiction] !== undefined);
  const providerSpecific = process.providerSpecific ?? partial.providerSpecific;
  return {
    processId: process.processId,
    provider: process.provider,
    ...(process.processType !== undefined && { processType: process.processType }),
    status: process.status,
    ...(process.failReason !== undefined && { failReason: process.failReason }),
    ...(depictions.length > 0 && { depictions }),
    ...(process.finalResult !== undefined && { finalResult: process.finalResult }),
    ...(providerSpecific !== undefined && { providerSpecific }),
    // "This field only applies to the 'signicatpaper' provider."
    ...(process.provider === 'signicatpaper' && {
      redactionRequested: (process.redact?.length ?? 0) > 0,
    }),
    ...times(process),
  };
}

/** `ProcessResponse` (createProcess); `authorization` only when the provider's SDK needs one. */
export function processResponse(process: ProcessRecord, authorization: string | undefined): Body {
  return {
    processId: process.processId,
    provider: process.provider,
    ...(process.processType !== undefined && { processType: process.processType }),
    status: process.status,
    ...(authorization !== undefined && { authorization }),
    ...times(process),
  };
}

/** `SlimProcess` (getDossier's `processes[]`). */
export function slimProcess(process: ProcessRecord): Body {
  return {
    processId: process.processId,
    provider: process.provider,
    ...(process.processType !== undefined && { processType: process.processType }),
    status: process.status,
    ...times(process),
  };
}

/** `Dossier` (createDossier, getDossiers, and the `dossier` of a listed process). */
export function dossierSummary(dossier: DossierRecord): Body {
  return {
    dossierId: dossier.dossierId,
    ...(dossier.externalReference !== undefined && {
      externalReference: dossier.externalReference,
    }),
    ...times(dossier),
  };
}

/** `DossierResponse` (getDossier): the dossier with a summary of each of its processes, oldest first. */
export function dossierView(dossier: DossierRecord, state: EmulatorState): Body {
  const processes = [...dossier.processIds].flatMap((id) => {
    const process = state.processes.get(id);
    return process ? [slimProcess(process)] : [];
  });
  return { ...dossierSummary(dossier), processes };
}

/** `ProcessWithDossierNode` (getAllProcess). */
export function processWithDossier(
  process: ProcessRecord,
  dossier: DossierRecord | undefined,
): Body {
  return {
    processId: process.processId,
    ...(dossier && { dossier: dossierSummary(dossier) }),
    provider: process.provider,
    status: process.status,
    ...(process.processType !== undefined && { processType: process.processType }),
    ...times(process),
    ...(process.failReason !== undefined && { failReason: process.failReason }),
  };
}
