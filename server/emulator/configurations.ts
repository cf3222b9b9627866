/**
 * Capture configurations (reference §6, §12): opaque JSON objects under a client-chosen ID.
 * GET unknown → 404; POST creates (409 if it exists); PUT creates or replaces (200).
 */
import { Hono, type Context } from 'hono';
import { readJson } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { notFound, problem } from './problem.ts';

const CONFIGURATION_ID = /^[A-Za-z0-9._~-]{1,128}$/;

export function createConfigurationsRouter({ state }: EmulatorDeps): Hono {
  const router = new Hono();

  const configurationId = (id: string): string => {
    if (!CONFIGURATION_ID.test(id)) {
      throw problem(400, 'Invalid configuration ID.', 'Use 1 to 128 letters, digits, ".", "_", "~" or "-".');
    }
    return id;
  };
  const objectBody = async (c: Context) => {
    const body = await readJson(c);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw problem(400, 'Invalid request body.', 'A capture configuration is a JSON object.');
    }
    return body as Record<string, unknown>;
  };

  /** Each stored configuration, with its ID as `id`. */
  router.get('/', (c) => c.json([...state.configurations].map(([id, configuration]) => ({ ...configuration, id }))));

  router.get('/:configurationId', (c) => {
    const configuration = state.configurations.get(c.req.param('configurationId'));
    if (!configuration) throw notFound(`Capture configuration ${c.req.param('configurationId')}`);
    return c.json(configuration);
  });

  router.post('/:configurationId', async (c) => {
    const id = configurationId(c.req.param('configurationId'));
    const body = await objectBody(c);
    if (state.configurations.has(id)) throw problem(409, 'Conflict.', `Capture configuration ${id} already exists; use PUT.`);
    state.configurations.set(id, body);
    return c.json(body, 201);
  });

  router.put('/:configurationId', async (c) => {
    const id = configurationId(c.req.param('configurationId'));
    const body = await objectBody(c);
    state.configurations.set(id, body);
    return c.json(body);
  });

  return router;
}
