/**
 * Hosted capture flow. createArtifact (`POST /assure/dossiers/{id}/capture`) creates a pending process
 * and answers `201 WebURL {url}`, nothing else: the process id reaches the integrator through Get
 * dossier or the redirect. The URL opens the emulator's capture page, addressed by a one-time token.
 * The page completes (→ processing → final), cancels (→ canceled) or fails (→ failed) the process and
 * sends the browser back to `redirectUrl` with `dossierId`, `processId` and `status` appended.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { readJsonObject, validate } from './body.ts';
import { CAPTURE_PAGE_CSS, captureMessagePage, capturePage } from './capture-page.ts';
import { emulatorUrl, type EmulatorDeps } from './context.ts';
import { opaqueToken } from './ids.ts';
import { requireDossier } from './lookup.ts';
import { problem } from './problem.ts';
import { createProcess } from './processes.ts';
import {
  CAPTURE_PROCESS_TYPES,
  CAPTURE_PROVIDERS,
  PROVIDER_NAMES,
  type Provider,
} from './providers.ts';
import { isAlpha3Country } from './requirements.ts';
import { httpUrl, legacyCallbackFields } from './schemas.ts';
import type { FailReason } from './state.ts';

/** `CaptureRequest` (providers, redirectUrl and sdk required); other fields are accepted and ignored. */
const startCaptureSchema = z.object({
  providers: z
    .array(
      z.object({
        provider: z.enum(CAPTURE_PROVIDERS),
        processType: z.enum(CAPTURE_PROCESS_TYPES).optional(),
        webid: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    // "Please, use only one provider per request."
    .length(1, 'use exactly one provider per request'),
  redirectUrl: httpUrl,
  sdk: z.enum(['native', 'capture']),
  captureParameters: z
    .looseObject({
      defaultCountry: z
        .string()
        .refine(isAlpha3Country, 'must be an ISO 3166 alpha-3 country code (e.g. NOR)')
        .optional(),
    })
    .optional(),
  eventTags: z.array(z.string().max(256)).max(50).optional(),
});

/** The `failReason` of the capture page's failure button (modelled on the spec's VideoID example). */
const CAPTURE_FAIL_REASON: FailReason = {
  type: 'system_requirements',
  message: 'The following requirements were not met: camera (sandbox outcome).',
};

/** `POST /` mounted at `/assure/dossiers/:dossierId/capture`. */
export function createCaptureFlowRouter(deps: EmulatorDeps): Hono {
  const router = new Hono();
  // createArtifact: Start capture flow
  router.post('/', deps.faults.middleware('startCapture'), async (c) => {
    const dossierId = c.req.param('dossierId') ?? '';
    requireDossier(deps.state, dossierId);
    const body = await readJsonObject(c);
    const input = validate(startCaptureSchema, body);
    const { provider, processType, webid } = input.providers[0]!;
    if (provider === 'readid' && processType !== 'ready') {
      throw problem(
        400,
        'Bad Request.',
        "providers[0].processType is required for readid and must be 'ready'.",
      );
    }
    if (provider === 'webid' && webid === undefined) {
      throw problem(400, 'Bad Request.', 'providers[0].webid is required for the webid provider.');
    }
    const process = createProcess(deps, dossierId, {
      provider,
      ...(processType !== undefined && { processType }),
      ...(input.eventTags !== undefined && { eventTags: input.eventTags }),
      ...legacyCallbackFields(body),
      capture: {
        redirectUrl: input.redirectUrl,
        sdk: input.sdk,
        ...(input.captureParameters !== undefined && {
          captureParameters: input.captureParameters,
        }),
      },
    });
    const token = opaqueToken();
    deps.state.captureTokens.set(token, process.processId);
    return c.json({ url: emulatorUrl(c, `/capture/${token}`) }, 201);
  });
  return router;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; base-uri 'none'",
  // The URL carries the one-time token: keep it out of Referer headers and caches.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const page = (c: Context, status: ContentfulStatusCode, html: string) =>
  c.body(html, status, PAGE_HEADERS);

const ACTIONS = ['complete', 'cancel', 'fail'] as const;

/** The capture page and its stylesheet, mounted at `/capture`. */
export function createCapturePageRouter({ state, engine }: EmulatorDeps): Hono {
  const router = new Hono();

  router.get('/style.css', (c) =>
    c.body(CAPTURE_PAGE_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );

  /** The pending capture process of a token, or an HTML answer explaining why there is none. */
  const lookup = (c: Context, token: string) => {
    const process = state.processes.get(state.captureTokens.get(token) ?? '');
    if (!process?.capture) {
      return page(
        c,
        404,
        captureMessagePage(
          'Link not valid',
          'This capture link is unknown, expired or was already used.',
        ),
      );
    }
    if (process.status !== 'pending') {
      state.captureTokens.delete(token);
      return page(
        c,
        409,
        captureMessagePage('Capture finished', 'This capture has already ended.'),
      );
    }
    return { process, capture: process.capture };
  };

  router.get('/:token', (c) => {
    const found = lookup(c, c.req.param('token'));
    if (found instanceof Response) return found;
    const { process, capture } = found;
    return page(
      c,
      200,
      capturePage({
        providerName: PROVIDER_NAMES[process.provider as Provider] ?? process.provider,
        ...(process.processType !== undefined && { processType: process.processType }),
        returnHost: new URL(capture.redirectUrl).host,
      }),
    );
  });

  router.post('/:token', async (c) => {
    const token = c.req.param('token');
    const found = lookup(c, token);
    if (found instanceof Response) return found;
    const { process, capture } = found;
    const form = await c.req.parseBody();
    const action = ACTIONS.find((known) => known === form['action']);
    if (!action)
      return page(
        c,
        400,
        captureMessagePage('Unknown choice', 'Choose Submit, Cancel or Simulate a failure.'),
      );

    state.captureTokens.delete(token); // one use only
    if (action === 'complete') engine.startProcessing(process);
    else if (action === 'cancel') engine.finish(process, 'canceled');
    else engine.finish(process, 'failed', CAPTURE_FAIL_REASON);

    const target = new URL(capture.redirectUrl);
    target.searchParams.set('dossierId', process.dossierId);
    target.searchParams.set('processId', process.processId);
    target.searchParams.set('status', process.status);
    return c.body(null, 303, {
      Location: target.href,
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
  });

  return router;
}
