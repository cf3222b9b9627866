/** `/assure/dossiers`: create, list, get (with processes), delete (reference §3.1, §12). */
import { Hono } from 'hono';
import { readJsonObject } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { newId } from './ids.ts';
import { requireDossier } from './lookup.ts';
import { dossierSummary, dossierView } from './views.ts';

export function createDossiersRouter({ state, engine, options }: EmulatorDeps): Hono {
  const router = new Hono();

  router.post('/', async (c) => {
    await readJsonObject(c); // empty or any JSON object; unknown fields are ignored
    const now = options.now();
    const dossier = { dossierId: newId(), createdAt: now, updatedAt: now, processIds: new Set<string>() };
    state.dossiers.set(dossier.dossierId, dossier);
    options.log({ type: 'dossier.created', dossierId: dossier.dossierId });
    return c.json(dossierSummary(dossier), 201);
  });

  router.get('/', (c) => c.json([...state.dossiers.values()].map(dossierSummary)));

  router.get('/:dossierId', (c) => c.json(dossierView(requireDossier(state, c.req.param('dossierId')), state, options)));

  router.delete('/:dossierId', (c) => {
    const dossier = requireDossier(state, c.req.param('dossierId'));
    engine.deleteDossier(dossier);
    options.log({ type: 'dossier.deleted', dossierId: dossier.dossierId });
    return c.body(null, 204);
  });

  return router;
}
