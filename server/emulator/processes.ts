/**
 * `/assure/dossiers/{dossierId}/processes`: create, get, delete, Set images, Get image, Start
 * verification and Download full result (reference §3.2, §12).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { DEPICTIONS, isFinal, TWO_SIDED_DOCUMENT_TYPES, type Depiction } from '../statuses.ts';
import { readJson, readJsonObject, validate } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { newId, opaqueToken } from './ids.ts';
import { parseImageSet, toDataUrl } from './images.ts';
import { requireDossier, requireProcess } from './lookup.ts';
import { problem } from './problem.ts';
import { allowsDirectUpload, DOCUMENT_TYPES, PROVIDERS } from './providers.ts';
import { headerValue, httpUrl } from './schemas.ts';
import type { ProcessRecord } from './state.ts';
import { processView } from './views.ts';
import { resultZip } from './zip.ts';

/** Known fields are checked; others (Onfido location/consent, `redact`, `processParameters`, …) are ignored. */
const createProcessSchema = z.object({
  provider: z.enum(PROVIDERS),
  documentType: z.enum(DOCUMENT_TYPES).optional(),
  processType: z.string().min(1).max(64).optional(),
  notificationUrl: httpUrl.optional(),
  authorizationHeader: headerValue.optional(),
});

/** Images needed before Start verification. */
export function missingImages(process: ProcessRecord): Depiction[] {
  const needed: Depiction[] = ['front', 'selfie'];
  if (process.documentType !== undefined && TWO_SIDED_DOCUMENT_TYPES.has(process.documentType)) needed.splice(1, 0, 'back');
  return needed.filter((depiction) => !process.images[depiction]);
}

/** Attaches checked images; the last upload of a depiction wins. Shared with the provider-SDK stand-in. */
export function storeImages(body: unknown, process: ProcessRecord, deps: EmulatorDeps): void {
  const images = parseImageSet(body);
  for (const depiction of Object.keys(images) as Depiction[]) {
    const { mime, bytes } = images[depiction]!;
    process.images[depiction] = { mime, bytes };
  }
  deps.engine.touch(process);
}

export const requirePending = (process: ProcessRecord): void => {
  if (process.status !== 'pending') {
    throw problem(409, 'Conflict.', `The process is ${process.status}; this needs a pending process.`);
  }
};

export function createProcess(
  deps: EmulatorDeps,
  dossierId: string,
  fields: Omit<ProcessRecord, 'processId' | 'dossierId' | 'status' | 'createdAt' | 'updatedAt' | 'images'>,
): ProcessRecord {
  const dossier = requireDossier(deps.state, dossierId);
  const now = deps.options.now();
  const process: ProcessRecord = {
    processId: newId(),
    dossierId,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
    images: {},
    ...fields,
  };
  deps.state.processes.set(process.processId, process);
  dossier.processIds.add(process.processId);
  dossier.updatedAt = now;
  deps.options.log({ type: 'process.created', dossierId, processId: process.processId, provider: process.provider });
  return process;
}

export function createProcessesRouter(deps: EmulatorDeps): Hono {
  const { state, engine, options } = deps;
  const router = new Hono();
  const find = (c: { req: { param(name: string): string | undefined } }) =>
    requireProcess(state, c.req.param('dossierId') ?? '', c.req.param('processId') ?? '');

  router.post('/', async (c) => {
    const dossierId = c.req.param('dossierId') ?? '';
    requireDossier(state, dossierId);
    const input = validate(createProcessSchema, await readJsonObject(c));
    const process = createProcess(deps, dossierId, input);
    const authorization = opaqueToken();
    state.sdkTokens.set(authorization, process.processId);
    return c.json({ ...processView(process, options), authorization }, 201);
  });

  router.get('/:processId', (c) => c.json(processView(find(c), options)));

  router.delete('/:processId', (c) => {
    engine.deleteProcess(find(c));
    return c.body(null, 204);
  });

  // Start verification.
  router.post('/:processId', async (c) => {
    const process = find(c);
    await readJson(c); // empty or any JSON; the content is not used
    requirePending(process);
    const missing = missingImages(process);
    if (missing.length > 0) {
      throw problem(400, 'Missing images.', `Upload ${missing.join(', ')} before starting verification.`);
    }
    engine.startProcessing(process);
    return c.json(processView(process, options));
  });

  router.post('/:processId/images', async (c) => {
    const process = find(c);
    if (!allowsDirectUpload(process)) {
      const kind = process.processType === undefined ? process.provider : `${process.provider} (${process.processType})`;
      throw problem(400, 'Direct upload not supported.', `${kind} does not accept images through the API.`);
    }
    if (process.documentType === undefined) {
      throw problem(400, 'Missing documentType.', 'Images can only be set on a process created with a documentType.');
    }
    requirePending(process);
    storeImages(await readJson(c), process, deps);
    return c.body(null, 204);
  });

  router.get('/:processId/images/:depiction', (c) => {
    const process = find(c);
    const depiction = c.req.param('depiction');
    const image = (DEPICTIONS as readonly string[]).includes(depiction) ? process.images[depiction as Depiction] : undefined;
    if (!image) {
      throw problem(404, 'Not found.', `The process has no ${depiction} image.`);
    }
    return c.json({ [depiction]: toDataUrl(image) });
  });

  router.get('/:processId/download', (c) => {
    const process = find(c);
    if (!isFinal(process.status)) {
      throw problem(409, 'Conflict.', `The process is ${process.status}; the result can be downloaded once it is final.`);
    }
    const zip = resultZip(process, processView(process, options));
    return c.body(zip as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${process.processId}.zip"`,
    });
  });

  return router;
}
