/**
 * Provider-SDK stand-in (docs/emulator.md, path D1): `POST /provider-sdk/{provider}/images` attaches
 * images the way a provider's own SDK would, authorised by the process's `authorization` token
 * (single use). Unlike Set images it has no direct-upload restriction; that is the point of path D1.
 * Only processes whose Create process answer carried an `authorization` token can use it (not
 * signicatpaper or webid). ReadID processes then start verifying by themselves, as the real ones do.
 * `GET /provider-sdk/sdk.js` serves a tiny browser SDK that uses it.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { readJson } from './body.ts';
import type { EmulatorDeps } from './context.ts';
import { problem } from './problem.ts';
import { requirePending, storeImages } from './processes.ts';
import { isProvider, startsByItself } from './providers.ts';
import { PROVIDER_SDK_SCRIPT } from './sdk-script.ts';

export function createProviderSdkRouter(deps: EmulatorDeps): Hono {
  const { state } = deps;
  const router = new Hono();
  // Real provider SDKs upload cross-origin from the integrator's page. Bearer-token auth, no cookies,
  // so any origin may call (this is the sandbox emulator, not the proxy).
  router.use(
    '*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    }),
  );

  router.get('/sdk.js', (c) =>
    c.body(PROVIDER_SDK_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    }),
  );

  router.post('/:provider/images', async (c) => {
    const provider = c.req.param('provider');
    if (!isProvider(provider)) throw problem(404, 'Not found.', `Provider ${provider} is unknown.`);
    const unauthorized = () =>
      problem(
        401,
        'Invalid authorization token.',
        'Use the authorization token of a pending process; it is valid for one upload.',
        {
          'WWW-Authenticate': 'Bearer error="invalid_token"',
        },
      );
    const token = /^Bearer (\S+)$/.exec(c.req.header('Authorization')?.trim() ?? '')?.[1];
    const process =
      token === undefined ? undefined : state.processes.get(state.sdkTokens.get(token) ?? '');
    if (!token || !process) throw unauthorized();
    if (process.provider !== provider) {
      throw problem(
        400,
        'Provider mismatch.',
        `The token belongs to a ${process.provider} process, not ${provider}.`,
      );
    }
    requirePending(process, 409);
    storeImages(await readJson(c), process, deps, 'sdk');
    state.sdkTokens.delete(token); // spent only after a successful upload, so a bad image can be retried
    if (startsByItself(process)) deps.engine.startProcessing(process);
    return c.body(null, 204);
  });

  return router;
}
