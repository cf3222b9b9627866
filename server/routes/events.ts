/**
 * Receives Signicat Events (Dashboard → Events → webhook subscription) at `POST /api/signicat/events`:
 * the way Signicat's current docs tell integrators to hear that an Assure process completed. Only
 * mounted when SIGNICAT_EVENTS_SECRET is set. The payload signature is checked over the raw body
 * (server/events/signature.ts), each event id is acted on once, and the event is only a hint: the
 * process is read with Get process, as for callbacks.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { ProxyContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { PROCESS_COMPLETE_EVENT, verifyEventSignature } from '../events/signature.ts';

const MAX_EVENT_BYTES = 64 * 1024;
/** Signicat retries until `expiresAt`; a week covers any redelivery. */
const DEDUP_MS = 7 * 86_400_000;

const envelope = z.looseObject({
  id: z.string().min(1).max(128),
  eventName: z.string().min(1).max(128),
  eventData: z.looseObject({}).optional(),
});

const processData = z.looseObject({
  dossierId: z.string().min(1).max(64),
  processId: z.string().min(1).max(64),
});

export function eventRoutes(ctx: ProxyContext, secret: string) {
  const app = new Hono();

  app.post('/events', async (c) => {
    const unauthenticated = () =>
      new ApiError(
        401,
        'event_unauthenticated',
        'This event is not signed with the events secret.',
      );
    if (Number(c.req.header('Content-Length') ?? 0) > MAX_EVENT_BYTES) {
      throw new ApiError(413, 'payload_too_large', 'Event bodies are small; this one is not.');
    }
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.byteLength > MAX_EVENT_BYTES)
      throw new ApiError(413, 'payload_too_large', 'Event bodies are small; this one is not.');
    if (!verifyEventSignature(secret, raw, (name) => c.req.header(name))) {
      ctx.log('warn', 'event.rejected', {});
      throw unauthenticated();
    }
    let parsed;
    try {
      parsed = envelope.safeParse(JSON.parse(Buffer.from(raw).toString('utf8')));
    } catch {
      throw new ApiError(400, 'invalid_json', 'The event body is not valid JSON.');
    }
    if (!parsed.success)
      throw new ApiError(400, 'invalid_event', 'The event is not a Signicat event envelope.');
    const event = parsed.data;
    if (!(await ctx.store.claim(`event:${event.id}`, DEDUP_MS))) {
      ctx.log('info', 'event.duplicate', {});
      return c.json({ ok: true, duplicate: true });
    }
    const data = processData.safeParse(event.eventData);
    if (event.eventName !== PROCESS_COMPLETE_EVENT || !data.success) {
      ctx.log('info', 'event.ignored', { eventName: event.eventName.slice(0, 64) });
      return c.json({ ok: true });
    }
    ctx.log('info', 'event.received', {});
    try {
      // Acted on before answering: if Signicat cannot be read now, a 503 makes Signicat send it again.
      const record = await ctx.lifecycle.notified(
        data.data.dossierId,
        data.data.processId,
        'event',
      );
      if (!record) ctx.log('warn', 'event.unknown_process', {});
      else if (record.submitted) ctx.lifecycle.watch(record.sessionId);
    } catch (error) {
      await ctx.store.release(`event:${event.id}`);
      ctx.log('warn', 'event.refresh_failed', { error: String(error) });
      throw new ApiError(
        503,
        'upstream_unavailable',
        'Signicat could not be read; send the event again later.',
        {
          headers: { 'Retry-After': '5' },
        },
      );
    }
    return c.json({ ok: true });
  });

  return app;
}
