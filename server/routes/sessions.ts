/**
 * The browser-facing session API (interfaces.md §3): create, upload, submit, status, events, and the
 * return from the hosted capture flow. Each handler checks the session's mode and state before it
 * touches Assure, so bad input never reaches Signicat and never leaves a half-made session behind.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { DOCUMENT_TYPE_IDS, MODES, type DocumentTypeId, type Mode } from '../config.ts';
import type { ProxyContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { inspectImage, isImageProblem, MAX_IMAGE_SIDE } from '../images/inspect.ts';
import { jsonBody, requireJson } from '../middleware/json-body.ts';
import { resolveSession } from '../session/resolve.ts';
import type { SessionRecord } from '../state/store.ts';
import { DEPICTIONS, TWO_SIDED_DOCUMENT_TYPES, isFinal, type Depiction } from '../statuses.ts';

/** Providers that start verifying by themselves once their SDK has uploaded (Assure step E is skipped). */
const SELF_STARTING_PROVIDERS = new Set(['readid']);
const PROVIDER = /^[a-z][a-z0-9]{1,31}$/;

const createSessionBody = z.strictObject({
  mode: z.enum(MODES as [Mode, ...Mode[]]).default('capture'),
  provider: z.string().regex(PROVIDER, 'not a provider name').optional(),
  documentType: z.enum(DOCUMENT_TYPE_IDS).optional(),
  redirectUrl: z.string().max(2048).optional(),
  reference: z.string().min(1).max(256).optional(),
});

const returnBody = z.strictObject({
  dossierId: z.string().max(64),
  processId: z.string().max(64),
  status: z.string().max(32),
});

export function imagesFor(mode: Mode, documentType: DocumentTypeId | undefined) {
  if (mode !== 'capture') return { required: [] as Depiction[], optional: [] as Depiction[] };
  const twoSided = documentType !== undefined && TWO_SIDED_DOCUMENT_TYPES.has(documentType);
  return { required: (twoSided ? ['front', 'back', 'selfie'] : ['front', 'selfie']) as Depiction[], optional: [] as Depiction[] };
}

export function sessionRoutes(ctx: ProxyContext) {
  const { config, assure, store, tokens, lifecycle } = ctx;
  const app = new Hono();

  app.post('/', requireJson(), jsonBody(createSessionBody), async (c) => {
    const body = c.req.valid('json');
    const integrator = checkApiKey(config.proxyApiKey, c.req.header('Authorization'));
    if (body.reference !== undefined && !integrator) {
      throw new ApiError(401, 'api_key_required', '"reference" is accepted only from your backend, with Authorization: Bearer <PROXY_API_KEY>.');
    }

    const allowedProviders = config.providers[body.mode];
    if (!allowedProviders.length) throw new ApiError(400, 'mode_not_allowed', `Mode "${body.mode}" is not enabled on this server.`);
    const provider = body.provider ?? allowedProviders[0]!;
    if (!allowedProviders.includes(provider)) {
      throw new ApiError(400, 'provider_not_allowed', `Provider "${provider}" is not allowed for mode "${body.mode}".`);
    }
    if (body.documentType !== undefined && !config.documentTypes.includes(body.documentType)) {
      throw new ApiError(400, 'document_type_not_allowed', `Document type "${body.documentType}" is not allowed.`);
    }
    const documentType =
      body.documentType ?? (body.mode === 'capture' ? (config.documentTypes.includes('passport') ? 'passport' : config.documentTypes[0]) : undefined);

    let redirectUrl: string | undefined;
    if (body.mode === 'redirect') {
      if (body.redirectUrl === undefined) throw new ApiError(400, 'redirect_url_required', 'Redirect mode needs "redirectUrl".');
      redirectUrl = checkRedirectUrl(body.redirectUrl, ctx.allowedOrigins);
    } else if (body.redirectUrl !== undefined) {
      throw new ApiError(400, 'invalid_request', '"redirectUrl" is only used in redirect mode.');
    }

    const { dossierId } = await assure.createDossier();
    const callback = {
      notificationUrl: `${ctx.publicUrl}/api/callbacks/assure`,
      authorizationHeader: `Bearer ${tokens.callbackSecret(dossierId)}`,
    };
    let processId: string, captureUrl: string | undefined, providerToken: string | undefined;
    try {
      if (body.mode === 'redirect') {
        const flow = await assure.startCaptureFlow(dossierId, { provider, redirectUrl: redirectUrl!, ...callback });
        processId = flow.processId;
        captureUrl = flow.url;
      } else {
        const process = await assure.createProcess(dossierId, { provider, ...(documentType && { documentType }), ...callback });
        processId = process.processId;
        if (body.mode === 'provider-sdk') providerToken = process.authorization;
      }
    } catch (error) {
      // No half-made sessions: the dossier goes when its process could not be made.
      await assure.deleteDossier(dossierId).catch(() => {});
      throw error;
    }

    const issued = await tokens.issue({ dossierId, processId, mode: body.mode });
    const at = new Date().toISOString();
    await store.insert({
      processId,
      dossierId,
      mode: body.mode,
      provider,
      ...(documentType && { documentType }),
      ...(body.reference !== undefined && { reference: body.reference }),
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      expiresAt: issued.expiresAt.getTime(),
      uploaded: [],
      submitted: false,
      delivery: 'none',
      cleanedUp: false,
    });
    ctx.log('info', 'session.created', { processId, mode: body.mode, provider });

    return c.json(
      {
        session: issued.token,
        mode: body.mode,
        provider,
        documentType: documentType ?? null,
        images: imagesFor(body.mode, documentType),
        ...(captureUrl && { captureUrl }),
        ...(providerToken && { providerToken }),
        expiresAt: issued.expiresAt.toISOString(),
      },
      201,
    );
  });

  app.get('/:session', async (c) => {
    const { record } = await resolveSession(ctx, c.req.param('session'));
    return c.json(publicStatus(record));
  });

  app.put(
    '/:session/images/:side',
    bodyLimit({
      maxSize: config.maxImageBytes,
      onError: () => {
        throw new ApiError(413, 'image_too_large', `Images may be at most ${config.maxImageBytes} bytes.`);
      },
    }),
    async (c) => {
      const side = c.req.param('side') as Depiction;
      if (!(DEPICTIONS as readonly string[]).includes(side)) {
        throw new ApiError(404, 'unknown_side', 'The image side must be front, back or selfie.');
      }
      const { record } = await resolveSession(ctx, c.req.param('session'));
      if (record.mode !== 'capture') throw new ApiError(409, 'wrong_mode', 'Images are uploaded here only in capture mode.');
      if (record.submitted || record.status !== 'pending') {
        throw new ApiError(409, 'already_submitted', 'This session was already submitted; images can no longer change.');
      }
      const expected = imagesFor(record.mode, record.documentType);
      if (![...expected.required, ...expected.optional].includes(side)) {
        throw new ApiError(400, 'side_not_expected', `A ${side} image is not needed for this document type.`);
      }
      const declared = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (declared !== 'image/jpeg' && declared !== 'image/png') {
        throw new ApiError(415, 'unsupported_media_type', 'Upload the image as image/jpeg or image/png.');
      }
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (!bytes.length) throw new ApiError(400, 'empty_image', 'The upload was empty.');
      const info = inspectImage(bytes);
      if (isImageProblem(info)) {
        throw new ApiError(422, 'invalid_image', `The upload is not a usable JPEG or PNG image: ${info.reason}.`);
      }
      if (info.mime !== declared) {
        throw new ApiError(422, 'image_type_mismatch', `The upload is ${info.mime} but was sent as ${declared}.`);
      }
      if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) {
        throw new ApiError(422, 'image_dimensions_too_large', `Images may be at most ${MAX_IMAGE_SIDE} px on each side.`);
      }

      await assure.setImages(record.dossierId, record.processId, { [side]: { mime: info.mime, bytes } });
      await store.update(record.processId, (r) =>
        r.uploaded.includes(side) ? undefined : { ...r, uploaded: [...r.uploaded, side] },
      );
      ctx.log('info', 'image.uploaded', { processId: record.processId, side, bytesLength: bytes.length });
      return c.body(null, 204);
    },
  );

  app.post('/:session/submit', async (c) => {
    const { record } = await resolveSession(ctx, c.req.param('session'));
    if (record.mode === 'redirect') {
      throw new ApiError(409, 'wrong_mode', 'Redirect sessions are submitted by the hosted capture flow.');
    }
    if (record.submitted || record.status !== 'pending') return c.json({ status: record.status }, 202);
    const missing = imagesFor(record.mode, record.documentType).required.filter((side) => !record.uploaded.includes(side));
    if (missing.length) throw new ApiError(409, 'images_missing', `Upload these images first: ${missing.join(', ')}.`);
    // Concurrent submits: the first one starts verification, the others answer with the current status.
    if (!(await store.claim(`submit:${record.processId}`, 30_000))) return c.json({ status: record.status }, 202);

    if (record.mode === 'provider-sdk' && SELF_STARTING_PROVIDERS.has(record.provider)) {
      await store.update(record.processId, (r) => ({ ...r, submitted: true }));
    } else {
      const process = await assure.startVerification(record.dossierId, record.processId);
      await store.update(record.processId, (r) => ({ ...r, submitted: true }));
      await lifecycle.apply(record.processId, process);
    }
    lifecycle.watch(record.processId);
    const current = await store.get(record.processId);
    ctx.log('info', 'session.submitted', { processId: record.processId });
    return c.json({ status: current?.status ?? 'processing' }, 202);
  });

  app.post('/:session/return', requireJson(), jsonBody(returnBody), async (c) => {
    const { record } = await resolveSession(ctx, c.req.param('session'));
    const back = c.req.valid('json');
    if (record.mode !== 'redirect') throw new ApiError(409, 'wrong_mode', 'Only redirect sessions return from the hosted flow.');
    if (back.dossierId !== record.dossierId || back.processId !== record.processId) {
      ctx.log('warn', 'session.redirect_mismatch', { processId: record.processId });
      throw new ApiError(409, 'redirect_mismatch', 'The capture flow returned ids that do not belong to this session.');
    }
    // The status in the address bar is the user's to edit: ask Assure instead.
    await store.update(record.processId, (r) => (r.submitted ? undefined : { ...r, submitted: true }));
    const current = (await lifecycle.refresh(record.processId)) ?? record;
    if (!isFinal(current.status)) lifecycle.watch(record.processId);
    return c.json(publicStatus(current));
  });

  app.get('/:session/events', async (c) => {
    const { record } = await resolveSession(ctx, c.req.param('session'));
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no'); // nginx and friends must not buffer the stream
    return streamSSE(c, async (stream) => {
      let lastSent = '';
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => (done = resolve));
      const send = async (r: SessionRecord) => {
        const data = JSON.stringify({ status: r.status, final: isFinal(r.status) });
        if (data === lastSent) return;
        lastSent = data;
        await stream.writeSSE({ event: 'status', data, id: r.updatedAt, retry: 3000 });
        if (isFinal(r.status)) done();
      };
      const unsubscribe = store.subscribe(record.processId, (r) => void send(r).catch(done));
      stream.onAbort(done);
      const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n').catch(done), 15_000);
      heartbeat.unref();
      try {
        await send((await store.get(record.processId)) ?? record);
        await finished;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  });

  return app;
}

export function publicStatus(record: SessionRecord) {
  return {
    status: record.status,
    final: isFinal(record.status),
    updatedAt: record.updatedAt,
    ...(record.exposedResult && { result: record.exposedResult }),
    // Beyond interfaces.md, additive: lets an element given only a session token resume at the right side.
    mode: record.mode,
    documentType: record.documentType ?? null,
    images: { ...imagesFor(record.mode, record.documentType), uploaded: record.uploaded },
  };
}

/** True for a valid integrator key; throws for a wrong one; false when none was sent. */
function checkApiKey(configured: string | undefined, header: string | undefined): boolean {
  if (header === undefined) return false;
  const presented = /^Bearer (.+)$/.exec(header)?.[1];
  if (!configured || !presented || !constantTimeEqual(presented, configured)) {
    throw new ApiError(401, 'invalid_api_key', 'The Authorization header does not carry a valid PROXY_API_KEY.');
  }
  return true;
}

export function constantTimeEqual(a: string, b: string): boolean {
  // Hash first so lengths match and the comparison time says nothing about either value.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function checkRedirectUrl(raw: string, allowedOrigins: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw); // no base: relative and protocol-relative URLs fail here
  } catch {
    throw new ApiError(400, 'redirect_url_not_allowed', '"redirectUrl" must be an absolute http(s) URL on an allowed origin.');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !allowedOrigins.includes(url.origin)) {
    throw new ApiError(400, 'redirect_url_not_allowed', '"redirectUrl" must be an absolute http(s) URL on an allowed origin.');
  }
  return url.href;
}
