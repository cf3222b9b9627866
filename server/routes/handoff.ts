/**
 * Cross-device hand-off routes (docs/api.md): the desktop creates and cancels a single-use link for
 * its session, the phone opens `/h/<code>` (a page, no state change) and claims the code once for a
 * session token. Claims and creations are rate limited per client address: the codes cannot be
 * guessed, but each attempt costs a store round trip.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ProxyContext } from '../context.ts';
import { CODE_PATTERN } from '../handoff/code.ts';
import { handoffPage, pageLanguage } from '../handoff/page.ts';
import { createHandoffService } from '../handoff/service.ts';
import { jsonBody, requireJson } from '../middleware/json-body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { PAGE_CSP } from '../static.ts';

/** Per client address and minute: far above what a person scanning a code needs. */
const CLAIMS_PER_MINUTE = 30;
const CREATES_PER_MINUTE = 20;

const claimBody = z.strictObject({ code: z.string().max(64) });

export function handoffRoutes(ctx: ProxyContext) {
  const handoff = createHandoffService({
    config: ctx.config,
    store: ctx.store,
    tokens: ctx.tokens,
    verification: ctx.verification,
    publicUrl: ctx.publicUrl,
    log: ctx.log,
  });
  const perClient = (name: string, limit: number) =>
    rateLimit({
      name,
      limit,
      windowMs: 60_000,
      key: (c: Context) => ctx.clientKey(c),
      counter: ctx.store,
    });
  const app = new Hono();

  app.post(
    '/api/sessions/:session/handoff',
    perClient('handoff-creates', CREATES_PER_MINUTE),
    async (c) => c.json(await handoff.create(c.req.param('session')), 201),
  );

  app.delete('/api/sessions/:session/handoff', async (c) =>
    c.json({ handoff: await handoff.cancel(c.req.param('session')) }),
  );

  app.post(
    '/api/handoff/claim',
    perClient('handoff-claims', CLAIMS_PER_MINUTE),
    requireJson(),
    jsonBody(claimBody),
    async (c) => c.json(await handoff.claim(c.req.valid('json').code)),
  );

  // A page, not an action: GET never claims (link previews and QR scanners fetch URLs on their own).
  app.get('/h/:code', (c) => {
    const code = c.req.param('code');
    const valid = CODE_PATTERN.test(code);
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Robots-Tag', 'noindex');
    return c.html(
      handoffPage(valid ? code : '-', pageLanguage(c.req.header('Accept-Language'))),
      valid ? 200 : 404,
    );
  });

  return app;
}
