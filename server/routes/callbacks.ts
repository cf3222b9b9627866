/**
 * Receives Assure's legacy per-process `notificationUrl` callbacks (absent from the OpenAPI file, still
 * in the integration guide; docs/assure-compatibility.md). Authentic ones carry the per-dossier secret
 * the proxy set as `authorizationHeader`; anything else gets 401 and changes nothing. The answer is
 * immediate (Assure wants 200 within 10 s); the status itself is then read from Assure, so a replayed
 * or forged body can at most cause one extra Get process. A process this instance never saw (restart,
 * another instance) is adopted from its dossier.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { ProxyContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { jsonBodyLimit } from '../middleware/body-limit.ts';
import { constantTimeEqual } from '../security.ts';

const callbackBody = z.object({
  dossierId: z.string().min(1).max(64),
  processId: z.string().min(1).max(64),
  status: z.string().max(32).optional(),
});

export function callbackRoutes(ctx: ProxyContext) {
  const app = new Hono();

  app.post(
    '/assure',
    // From the header (a chunked body is read up to the limit): no web stream on the hot path.
    jsonBodyLimit(16 * 1024, {
      refuse: () => {
        throw new ApiError(
          413,
          'payload_too_large',
          'Callback bodies are small; this one is not.',
          {
            headers: { Connection: 'close' },
          },
        );
      },
    }),
    async (c) => {
      const unauthenticated = () =>
        new ApiError(401, 'callback_unauthenticated', 'This callback is not authentic.');
      const header = c.req.header('Authorization');
      if (!header) throw unauthenticated();
      let parsed;
      try {
        parsed = callbackBody.safeParse(await c.req.json());
      } catch {
        throw unauthenticated();
      }
      if (!parsed.success) throw unauthenticated();
      const { dossierId, processId } = parsed.data;
      if (!constantTimeEqual(header, `Bearer ${ctx.tokens.callbackSecret(dossierId)}`)) {
        ctx.log('warn', 'callback.rejected', {});
        throw unauthenticated();
      }
      ctx.log('info', 'callback.received', {});
      void ctx.lifecycle.notified(dossierId, processId, 'callback').then(
        (record) => {
          if (!record) ctx.log('warn', 'callback.unknown_process', {});
          else if (record.submitted) ctx.lifecycle.watch(record.sessionId);
        },
        (error: unknown) => ctx.log('warn', 'callback.refresh_failed', { error: String(error) }),
      );
      return c.json({ ok: true });
    },
  );

  return app;
}
