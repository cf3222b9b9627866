/** Assure JSON bodies built from the in-memory records. Non-applicable fields are omitted, never `null`. */
import type { AssureProcess } from '../assure/types.ts';
import { timestamp } from './ids.ts';
import { partialResult } from './results.ts';
import type { DossierRecord, EmulatorState, ProcessRecord } from './state.ts';

export interface ViewOptions {
  partialResultsWhileProcessing: boolean;
}

/** The Get process body. Never contains `authorizationHeader`, tokens or images. */
export function processView(process: ProcessRecord, options: ViewOptions): AssureProcess {
  const partial =
    process.status === 'processing' && options.partialResultsWhileProcessing ? partialResult(process) : {};
  const body: AssureProcess = {
    processId: process.processId,
    provider: process.provider,
    status: process.status,
    createdAt: timestamp(process.createdAt),
    updatedAt: timestamp(process.updatedAt),
  };
  if (process.processType !== undefined) body.processType = process.processType;
  if (process.documentType !== undefined) body.documentType = process.documentType;
  if (process.notificationUrl !== undefined) body['notificationUrl'] = process.notificationUrl;
  const providerSpecific = process.providerSpecific ?? partial.providerSpecific;
  if (providerSpecific !== undefined) body.providerSpecific = providerSpecific;
  if (process.finalResult !== undefined) body.finalResult = process.finalResult;
  if (process.failReason !== undefined) body.failReason = process.failReason;
  return body;
}

export function dossierSummary(dossier: DossierRecord) {
  return { dossierId: dossier.dossierId, createdAt: timestamp(dossier.createdAt), updatedAt: timestamp(dossier.updatedAt) };
}

export function dossierView(dossier: DossierRecord, state: EmulatorState, options: ViewOptions) {
  const processes = [...dossier.processIds].flatMap((id) => {
    const process = state.processes.get(id);
    return process ? [processView(process, options)] : [];
  });
  return { ...dossierSummary(dossier), processes };
}
