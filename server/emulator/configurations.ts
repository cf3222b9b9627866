/**
 * Capture configurations, kept as opaque JSON objects under a client-chosen ID:
 * getAllConfigurations_1, getConfiguration_1, setConfiguration_1 (409 if it exists),
 * updateConfiguration_1 (creates or replaces: a choice, the spec lists no 404) and deleteConfiguration_1.
 */
import { Hono, type Context } from 'hono';
import { readJson } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { timestamp } from './ids.ts';
import { notFound, problem } from './problem.ts';

// CaptureConfigurationSlimResponse.id: maxLength 100.
const CONFIGURATION_ID = /^[A-Za-z0-9._~-]{1,100}$/;

export function createConfigurationsRouter({ state, options }: EmulatorDeps): Hono {
  const router = new Hono();

  const configurationId = (id: string): string => {
    if (!CONFIGURATION_ID.test(id)) {
      throw problem(
        400,
        'Invalid configuration ID.',
        'Use 1 to 100 letters, digits, ".", "_", "~" or "-".',
      );
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

  // getAllConfigurations_1: Get all available capture configuration IDs (CaptureConfigurationSlimResponse[])
  router.get('/', (c) =>
    c.json(
      [...state.configurations].map(([id, record]) => ({
        id,
        createdAt: timestamp(record.createdAt),
        updatedAt: timestamp(record.updatedAt),
      })),
    ),
  );

  // getConfiguration_1: Get capture configuration
  router.get('/:configurationId', (c) => {
    const record = state.configurations.get(c.req.param('configurationId'));
    if (!record) throw notFound(`Capture configuration ${c.req.param('configurationId')}`);
    return c.json(record.body);
  });

  // setConfiguration_1: Create capture configuration
  router.post('/:configurationId', async (c) => {
    const id = configurationId(c.req.param('configurationId'));
    const body = await objectBody(c);
    if (state.configurations.has(id))
      throw problem(409, 'Conflict.', `Capture configuration ${id} already exists; use PUT.`);
    const now = options.now();
    state.configurations.set(id, { body, createdAt: now, updatedAt: now });
    return c.json(body, 201);
  });

  // updateConfiguration_1: Update capture configuration
  router.put('/:configurationId', async (c) => {
    const id = configurationId(c.req.param('configurationId'));
    const body = await objectBody(c);
    const now = options.now();
    state.configurations.set(id, {
      body,
      createdAt: state.configurations.get(id)?.createdAt ?? now,
      updatedAt: now,
    });
    return c.json(body);
  });

  // deleteConfiguration_1: Delete capture configuration
  router.delete('/:configurationId', (c) => {
    const id = c.req.param('configurationId');
    if (!state.configurations.delete(id)) throw notFound(`Capture configuration ${id}`);
    return c.body(null, 204);
  });

  return router;
}
