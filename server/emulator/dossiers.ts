/** `/assure/dossiers`: createDossier, getDossiers, getDossier, deleteDossier. */
import { Hono } from 'hono';
import { readJsonObject } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { newId } from './ids.ts';
import { requireDossier } from './lookup.ts';
import { problem } from './problem.ts';
import type { DossierRecord } from './state.ts';
import { dossierSummary, dossierView } from './views.ts';

/** getDossiers: "the last 100 dossiers you have created". */
const DOSSIER_LIST_LIMIT = 100;

export function createDossiersRouter({ state, engine, faults, options }: EmulatorDeps): Hono {
  const router = new Hono();

  // createDossier: Create dossier
  router.post('/', faults.middleware('createDossier'), async (c) => {
    // DossierRequest {externalReference?}; other fields are ignored, as a Spring API does.
    const body = await readJsonObject(c);
    const reference = body['externalReference'];
    if (reference !== undefined && reference !== null && typeof reference !== 'string') {
      throw problem(400, 'Bad Request.', 'externalReference must be a string.');
    }
    const now = options.now();
    const dossier: DossierRecord = {
      dossierId: newId(),
      ...(typeof reference === 'string' && { externalReference: reference }),
      createdAt: now,
      updatedAt: now,
      sequence: state.nextSequence(),
      processIds: new Set<string>(),
    };
    state.dossiers.set(dossier.dossierId, dossier);
    options.log({ type: 'dossier.created', dossierId: dossier.dossierId });
    return c.json(dossierSummary(dossier), 201);
  });

  // getDossiers: Get all dossiers (newest first)
  router.get('/', (c) => {
    const newest = [...state.dossiers.values()]
      .sort((a, b) => b.sequence - a.sequence)
      .slice(0, DOSSIER_LIST_LIMIT);
    return c.json(newest.map(dossierSummary));
  });

  // getDossier: Get dossier
  router.get('/:dossierId', faults.middleware('getDossier'), (c) =>
    c.json(dossierView(requireDossier(state, c.req.param('dossierId')), state)),
  );

  // deleteDossier: Delete dossier
  router.delete('/:dossierId', faults.middleware('deleteDossier'), (c) => {
    const dossier = requireDossier(state, c.req.param('dossierId'));
    // "For Onfido, you are not allowed to delete a dossier if there are still processes in the processing state."
    const busy = [...dossier.processIds].some((id) => {
      const process = state.processes.get(id);
      return process?.provider === 'onfido' && process.status === 'processing';
    });
    if (busy)
      throw problem(
        409,
        'Conflict.',
        'The dossier has an onfido process that is still processing; delete it once the process is final.',
      );
    engine.deleteDossier(dossier);
    options.log({ type: 'dossier.deleted', dossierId: dossier.dossierId });
    return c.body(null, 204);
  });

  return router;
}
