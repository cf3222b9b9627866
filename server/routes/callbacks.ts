/**
 * Receives Assure's notificationUrl callbacks. Authentic ones carry the per-dossier secret the proxy
 * set as `authorizationHeader` when it created the process; anything else gets 401 and changes nothing.
 * The answer is immediate (Assure wants 200 within 10 s); the status itself is then read from Assure,
 * so a replayed or forged body can at most cause one extra Get process.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { ProxyContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { constantTimeEqual } from './sessions.ts';

const callbackBody = z.object({
  dossierId: z.string().min(1).max(64),
  processId: z.string().min(1).max(64),
  status: z.string().max(32).optional(),
});

export function callbackRoutes(ctx: ProxyContext) {
  const app = new Hono();

  app.post(
    '/assure',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', 'Callback bodies are small; this one is not.');
      },
    }),
    async (c) => {
      const unauthenticated = () => new ApiError(401, 'callback_unauthenticated', 'This callback is not authentic.');
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
        ctx.log('warn', 'callback.rejected', { processId });
        throw unauthenticated();
      }

      const record = await ctx.store.get(processId);
      if (!record || record.dossierId !== dossierId) {
        ctx.log('warn', 'callback.unknown_process', { processId });
        return c.json({ ok: true });
      }
      ctx.log('info', 'callback.received', { processId });
      void ctx.lifecycle.refresh(processId).catch((error: unknown) => {
        ctx.log('warn', 'callback.refresh_failed', { processId, error: String(error) });
        ctx.lifecycle.watch(processId); // fall back to polling
      });
      return c.json({ ok: true });
    },
  );

  return app;
}
