/** Finding records from path parameters, with the 404 problem bodies Assure would send. */
import { notFound } from './problem.ts';
import type { DossierRecord, EmulatorState, ProcessRecord } from './state.ts';

export function requireDossier(state: EmulatorState, dossierId: string): DossierRecord {
  const dossier = state.dossiers.get(dossierId);
  if (!dossier) throw notFound(`Dossier ${dossierId}`);
  return dossier;
}

/** A process under another dossier is treated as unknown. */
export function requireProcess(
  state: EmulatorState,
  dossierId: string,
  processId: string,
): ProcessRecord {
  requireDossier(state, dossierId);
  const process = state.process(dossierId, processId);
  if (!process) throw notFound(`Process ${processId}`);
  return process;
}
