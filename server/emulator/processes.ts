/**
 * `/assure/dossiers/{dossierId}/processes`: createProcess, getProcess, deleteProcess, startVerification,
 * setImages, getImages, setFailedProcess and getZipFile, as the OpenAPI description states them.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { type Depiction } from '../statuses.ts';
import { readJson, readJsonObject, validate } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { newId, opaqueToken } from './ids.ts';
import { parseImageSet } from './images.ts';
import { requireDossier, requireProcess } from './lookup.ts';
import { problem } from './problem.ts';
import {
  allowsDirectUpload,
  DOCUMENT_TYPES,
  issuesSdkAuthorization,
  PROCESS_TYPES,
  PROVIDERS,
  verifiesWithoutBody,
} from './providers.ts';
import {
  checkDocumentCountry,
  checkFacetecVerifyRequest,
  checkOnfidoParameters,
  isAlpha3Country,
  missingImages,
} from './requirements.ts';
import { legacyCallbackFields } from './schemas.ts';
import type { FailReason, ProcessRecord } from './state.ts';
import { processResponse, processView } from './views.ts';
import { resultZip } from './zip.ts';

const object = z.record(z.string(), z.unknown());

/**
 * `ProcessRequest`. Only the fields the emulator acts on are checked; any other field (including the
 * legacy `notificationUrl`/`authorizationHeader`) is accepted and ignored, as a Spring API does.
 */
const createProcessSchema = z.object({
  provider: z.enum(PROVIDERS),
  processType: z.enum(PROCESS_TYPES).optional(),
  documentType: z.enum(DOCUMENT_TYPES).optional(),
  documentCountry: z.unknown().optional(),
  processParameters: z
    .object({
      referrer: z.string().max(2048).optional(),
      location: z
        .object({
          ipAddress: z.string().max(64).optional(),
          countryOfResidence: z
            .string()
            .refine(isAlpha3Country, 'must be an ISO 3166 alpha-3 country code (e.g. NOR)')
            .optional(),
        })
        .optional(),
      consents: z.object({ privacy: z.boolean().optional() }).optional(),
      webid: z
        .object({ user: object, idDocument: object, userActionParameters: object })
        .optional(),
    })
    .optional(),
  redact: z.array(z.string().max(64)).max(32).optional(),
  eventTags: z.array(z.string().max(256)).max(50).optional(),
  documentId: z.number().int().optional(),
});

/** Jackson treats an explicit `null` like an absent field. */
const withoutNulls = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));

/** The `failReason` of a process failed through setFailedProcess (its answer's `reason`, as `{type, message}`). */
export const FAILED_BY_REQUEST: FailReason = {
  type: 'failed_by_request',
  message: 'Failed by request.',
};

/** Attaches checked images; the last upload of a depiction wins. Shared with the provider-SDK stand-in. */
export function storeImages(
  body: unknown,
  process: ProcessRecord,
  deps: EmulatorDeps,
  via: 'api' | 'sdk',
): void {
  const images = parseImageSet(body);
  for (const depiction of Object.keys(images) as Depiction[]) {
    const { mime, bytes } = images[depiction]!;
    process.images[depiction] = { mime, bytes };
  }
  process.imagesVia = via;
  deps.engine.touch(process);
}

/** Refuses a call that needs a pending process (setImages and startVerification list only 400). */
export function requirePending(process: ProcessRecord, status: ContentfulStatusCode = 400): void {
  if (process.status !== 'pending') {
    throw problem(
      status,
      status === 409 ? 'Conflict.' : 'Bad Request.',
      `The process is ${process.status}; this needs a pending process.`,
    );
  }
}

export function createProcess(
  deps: EmulatorDeps,
  dossierId: string,
  fields: Omit<
    ProcessRecord,
    'processId' | 'dossierId' | 'status' | 'createdAt' | 'updatedAt' | 'images' | 'sequence'
  >,
): ProcessRecord {
  const dossier = requireDossier(deps.state, dossierId);
  const now = deps.options.now();
  const process: ProcessRecord = {
    processId: newId(),
    dossierId,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
    sequence: deps.state.nextSequence(),
    images: {},
    ...fields,
  };
  deps.state.processes.set(process.processId, process);
  dossier.processIds.add(process.processId);
  dossier.updatedAt = now;
  deps.options.log({
    type: 'process.created',
    dossierId,
    processId: process.processId,
    provider: process.provider,
  });
  return process;
}

/** A provider-SDK `authorization` token for the process, when its provider uploads through an SDK. */
export function issueSdkToken(deps: EmulatorDeps, process: ProcessRecord): string | undefined {
  if (!issuesSdkAuthorization(process.provider)) return undefined;
  const token = opaqueToken();
  deps.state.sdkTokens.set(token, process.processId);
  return token;
}

export function createProcessesRouter(deps: EmulatorDeps): Hono {
  const { state, engine, faults, options } = deps;
  const router = new Hono();
  const find = (c: Context) =>
    requireProcess(state, c.req.param('dossierId') ?? '', c.req.param('processId') ?? '');

  // createProcess: Create process
  router.post('/', faults.middleware('createProcess'), async (c) => {
    const dossierId = c.req.param('dossierId') ?? '';
    requireDossier(state, dossierId);
    const body = await readJsonObject(c);
    const input = validate(createProcessSchema, withoutNulls(body));
    if (input.provider === 'webid' && !input.processParameters?.webid) {
      throw problem(
        400,
        'Bad Request.',
        'processParameters.webid (user, idDocument, userActionParameters) is required for the webid provider.',
      );
    }
    const documentCountry =
      input.provider === 'signicatpaper'
        ? checkDocumentCountry(
            input.documentCountry,
            input.documentType,
            options.documentCountryFormat,
          )
        : undefined;
    const parameters = input.processParameters;
    const process = createProcess(deps, dossierId, {
      provider: input.provider,
      ...(input.processType !== undefined && { processType: input.processType }),
      ...(input.documentType !== undefined && { documentType: input.documentType }),
      ...(documentCountry !== undefined && { documentCountry }),
      ...(parameters !== undefined && {
        processParameters: {
          ...(parameters.location && { location: parameters.location }),
          ...(parameters.consents && { consents: parameters.consents }),
          ...(parameters.referrer !== undefined && { referrer: parameters.referrer }),
        },
      }),
      ...(input.redact !== undefined && { redact: input.redact }),
      ...(input.eventTags !== undefined && { eventTags: input.eventTags }),
      ...legacyCallbackFields(body),
    });
    return c.json(processResponse(process, issueSdkToken(deps, process)), 201);
  });

  // getProcess: Get process
  router.get('/:processId', faults.middleware('getProcess'), (c) =>
    c.json(processView(find(c), options)),
  );

  // deleteProcess: Delete process
  router.delete('/:processId', (c) => {
    engine.deleteProcess(find(c));
    return c.body(null, 204);
  });

  // startVerification: Start verification
  router.post('/:processId', faults.middleware('startVerification'), async (c) => {
    const process = find(c);
    const body = await readJson(c); // VerifyRequest; only FaceTec's fields are used
    requirePending(process);
    const facetecDepiction = checkFacetecVerifyRequest(process, body);
    const missing = missingImages(process, facetecDepiction);
    if (missing.length > 0) {
      throw problem(
        400,
        'Missing images.',
        `Upload ${missing.join(', ')} before starting verification.`,
      );
    }
    checkOnfidoParameters(process);
    engine.startProcessing(process);
    // "204: The request was successfully sent (only applies to the 'readid' and 'webid' providers)".
    if (verifiesWithoutBody(process.provider)) return c.body(null, 204);
    return c.json({ processId: process.processId, status: process.status });
  });

  // setFailedProcess: Fail process
  router.post('/:processId/fail', faults.middleware('failProcess'), (c) => {
    const process = find(c);
    if (process.status !== 'pending') {
      throw problem(
        409,
        'Conflict.',
        `The process status is not pending (it is ${process.status}).`,
      );
    }
    engine.finish(process, 'failed', FAILED_BY_REQUEST);
    return c.json({
      processId: process.processId,
      status: process.status,
      reason: {
        category: 'User.Request',
        reason: 'Process.Failed',
        message: FAILED_BY_REQUEST.message,
      },
    });
  });

  // setImages: Set images to the process
  router.post('/:processId/images', faults.middleware('setImages'), async (c) => {
    const process = find(c);
    if (!allowsDirectUpload(process)) {
      throw problem(
        400,
        'Direct upload not supported.',
        `Set images is only available for onfido, signicatpaper and facetec, not ${process.provider}.`,
      );
    }
    if (process.provider !== 'facetec' && process.documentType === undefined) {
      // ProcessRequest.documentType: "required when images are uploaded via the Assure API".
      throw problem(
        400,
        'Missing documentType.',
        'Images can only be set on a process created with a documentType.',
      );
    }
    requirePending(process);
    storeImages(await readJson(c), process, deps, 'api');
    return c.body(null, 201);
  });

  // getImages: Get image (`?depiction=`), the bytes as application/octet-stream
  router.get('/:processId/images', (c) => {
    const process = find(c);
    const depiction = c.req.query('depiction');
    if (
      depiction !== 'front' &&
      depiction !== 'back' &&
      depiction !== 'selfie' &&
      depiction !== 'portrait'
    ) {
      throw problem(
        400,
        'Bad Request.',
        'The depiction query parameter must be front, back, selfie or portrait.',
      );
    }
    if (
      depiction === 'portrait' &&
      process.provider !== 'signicatvideoid' &&
      process.provider !== 'readid'
    ) {
      throw problem(
        400,
        'Bad Request.',
        'This provider and process type does not provide the requested image type.',
      );
    }
    const image = depiction === 'portrait' ? undefined : process.images[depiction];
    if (!image) throw problem(404, 'Not found.', 'The image was not found.');
    return c.body(image.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/octet-stream',
    });
  });

  // getZipFile: Download full result; 204 "if the process is not completed or the contents of the zip
  // file are not yet available" (completed: accepted, rejected or inconclusive).
  router.get('/:processId/download', faults.middleware('download'), (c) => {
    const process = find(c);
    const completed =
      process.status === 'accepted' ||
      process.status === 'rejected' ||
      process.status === 'inconclusive';
    const ready =
      completed &&
      process.finalizedAt !== undefined &&
      options.now() >= process.finalizedAt + options.zipReadyDelayMs;
    if (!ready) return c.body(null, 204);
    const zip = resultZip(process, processView(process, options));
    return c.body(zip as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${process.processId}.zip"`,
    });
  });

  return router;
}
