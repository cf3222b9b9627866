/**
 * The browser-facing session API (docs/api.md): create, upload, submit, cancel, status, events and the
 * return from the hosted capture flow. Each handler validates, calls the verification service and
 * answers; the flow itself lives in server/verification/.
 */
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import {
  CONSENT_HEADER,
  DOCUMENT_KINDS,
  MODES,
  requiredSides,
  SIDES,
  type Side,
  type SessionStatusResponse,
} from '../../component/contract/index.ts';
import type { ProxyContext } from '../context.ts';
import { handoffEvents, handoffField } from '../handoff/progress.ts';
import { ApiError } from '../errors.ts';
import { inspectImage, isImageProblem, MAX_IMAGE_SIDE } from '../images/inspect.ts';
import { readUpload, UploadTooLarge } from '../images/read-upload.ts';
import { jsonBody, requireJson } from '../middleware/json-body.ts';
import { constantTimeEqual } from '../security.ts';
import { isFinal } from '../statuses.ts';
import type { SessionRecord } from '../state/store.ts';

const PROVIDER = /^[a-z][a-z0-9]{1,31}$/;

const createSessionBody = z.strictObject({
  mode: z.enum(MODES).default('capture'),
  provider: z.string().regex(PROVIDER, 'not a provider name').optional(),
  documentType: z.enum(DOCUMENT_KINDS).optional(),
  documentCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$|^UNIV$/, 'an ISO 3166-1 alpha-2 code or UNIV')
    .optional(),
  redirectUrl: z.string().max(2048).optional(),
  pageUrl: z.string().max(2048).optional(),
  consent: z.boolean().optional(),
  reference: z.string().min(1).max(256).optional(),
});

// Any of them may be missing: the hosted flow's parameters on cancel or failure are not documented.
const returnBody = z.strictObject({
  dossierId: z.string().max(64).optional(),
  processId: z.string().max(64).optional(),
  status: z.string().max(32).optional(),
});

export function sessionRoutes(ctx: ProxyContext) {
  const { verification, store } = ctx;
  const app = new Hono();
  const caller = (c: Context) => ({
    integrator: checkApiKey(ctx.config.proxyApiKey, c.req.header('Authorization')),
    clientAddress: ctx.clientAddress(c),
    origin: c.req.header('Origin'),
  });

  app.post('/', requireJson(), jsonBody(createSessionBody), async (c) => {
    const created = await verification.createSession(c.req.valid('json'), caller(c));
    return c.json(created, 201);
  });

  app.get('/:session', async (c) => {
    const { record } = await verification.resolve(c.req.param('session'));
    return c.json(publicStatus(record));
  });

  app.put('/:session/images/:side', async (c) => {
    const side = c.req.param('side') as Side;
    if (!(SIDES as readonly string[]).includes(side))
      throw new ApiError(404, 'unknown_side', 'The image side must be front, back or selfie.');
    const declared = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (declared !== 'image/jpeg' && declared !== 'image/png') {
      throw new ApiError(
        415,
        'unsupported_media_type',
        'Upload the image as image/jpeg or image/png.',
      );
    }
    const announced = Number(c.req.header('Content-Length') ?? NaN);
    if (announced > ctx.config.maxImageBytes) throw imageTooLarge(ctx.config.maxImageBytes);
    // The session is resolved and checked before a single byte of the body is read.
    const answer = await verification.addImage(
      c.req.param('session'),
      side,
      async () => {
        const bytes = await readUpload(c, ctx.config.maxImageBytes).catch((error: unknown) => {
          // Not drained: the rest of an oversized body is left unread and the connection closed.
          if (error instanceof UploadTooLarge)
            throw imageTooLarge(ctx.config.maxImageBytes, { Connection: 'close' });
          throw error;
        });
        if (!bytes.length) throw new ApiError(400, 'empty_image', 'The upload was empty.');
        const info = inspectImage(bytes);
        if (isImageProblem(info))
          throw new ApiError(
            422,
            'invalid_image',
            `The upload is not a usable JPEG or PNG image: ${info.reason}.`,
          );
        if (info.mime !== declared)
          throw new ApiError(
            422,
            'image_type_mismatch',
            `The upload is ${info.mime} but was sent as ${declared}.`,
          );
        if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) {
          throw new ApiError(
            422,
            'image_dimensions_too_large',
            `Images may be at most ${MAX_IMAGE_SIDE} px on each side.`,
          );
        }
        return { mime: info.mime, bytes };
      },
      { ...caller(c), consent: c.req.header(CONSENT_HEADER)?.trim().toLowerCase() === 'granted' },
    );
    return c.json(answer, 200);
  });

  app.post('/:session/submit', async (c) =>
    c.json(await verification.submit(c.req.param('session')), 202),
  );

  app.post('/:session/cancel', async (c) => {
    const record = await verification.cancel(c.req.param('session'));
    return c.json(publicStatus(record));
  });

  app.post('/:session/return', requireJson(), jsonBody(returnBody), async (c) => {
    const record = await verification.returnFromCapture(
      c.req.param('session'),
      c.req.valid('json'),
    );
    return c.json(publicStatus(record));
  });

  app.get('/:session/events', async (c) => {
    const { record, claims } = await verification.resolve(c.req.param('session'));
    const release = ctx.streams.acquire(record.sessionId, ctx.clientKey(c));
    if (!release)
      throw new ApiError(429, 'too_many_streams', 'Too many open status streams.', {
        headers: { 'Retry-After': '5' },
      });
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no'); // nginx and friends must not buffer the stream
    return streamSSE(c, async (stream) => {
      let lastSent = '';
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => (done = resolve));
      const handoffChange = handoffEvents();
      const send = async (r: SessionRecord) => {
        // Additive: a `handoff` event per hand-off progress change; `status` events stay as they were.
        const progress = handoffChange(r);
        if (progress) await stream.writeSSE(progress);
        const data = JSON.stringify({ status: r.status, final: isFinal(r.status) });
        if (data === lastSent) return;
        lastSent = data;
        await stream.writeSSE({ event: 'status', data, id: r.updatedAt, retry: 3000 });
        if (isFinal(r.status)) done();
      };
      const unsubscribe = store.subscribe(record.sessionId, (r) => void send(r).catch(done));
      stream.onAbort(done);
      const heartbeat = setInterval(
        () => void stream.write(': keep-alive\n\n').catch(done),
        15_000,
      );
      heartbeat.unref();
      // A stream never outlives the token that opened it.
      const expiry = setTimeout(done, Math.max(0, claims.expiresAt - Date.now()));
      expiry.unref();
      try {
        await send((await store.get(record.sessionId)) ?? record);
        await finished;
      } finally {
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe();
        release();
      }
    });
  });

  return app;
}

export function publicStatus(record: SessionRecord): SessionStatusResponse {
  return {
    status: record.status,
    final: isFinal(record.status),
    updatedAt: record.updatedAt,
    ...(record.exposedResult && { result: record.exposedResult }),
    // Beyond the documented contract, additive: lets an element given only a token resume at the right side.
    mode: record.mode,
    ...handoffField(record),
    documentType: record.documentType ?? null,
    images: {
      required: requiredSides(record.mode, record.documentType),
      optional: [],
      uploaded: record.uploaded,
    },
    ...(record.mode === 'capture' &&
      record.provider === 'onfido' &&
      !record.consent &&
      !record.processId && { consentRequired: true }),
  };
}

const imageTooLarge = (max: number, headers?: Record<string, string>) =>
  new ApiError(413, 'image_too_large', `Images may be at most ${max} bytes.`, { headers });

/** True for a valid integrator key; throws for a wrong one; false when none was sent. */
function checkApiKey(configured: string | undefined, header: string | undefined): boolean {
  if (header === undefined) return false;
  const presented = /^Bearer (.+)$/.exec(header)?.[1];
  if (!configured || !presented || !constantTimeEqual(presented, configured)) {
    throw new ApiError(
      401,
      'invalid_api_key',
      'The Authorization header does not carry a valid PROXY_API_KEY.',
    );
  }
  return true;
}
