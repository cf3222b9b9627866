/**
 * Assure Events (the Dashboard webhook subscription Signicat's current docs recommend): a
 * `process.complete` event in Signicat's event envelope, signed with the subscription secret the way
 * server/events/signature.ts describes, retried with backoff until a 2xx or until the event expires.
 */
import { randomBytes } from 'node:crypto';
import {
  EVENT_SIGNATURE_HEADER,
  PROCESS_COMPLETE_EVENT,
  signEventBody,
  type SignicatEvent,
} from '../events/signature.ts';
import type { DeliveryJob } from './delivery.ts';
import type { EventsTarget, ResolvedOptions } from './options.ts';
import type { DossierRecord, ProcessRecord } from './state.ts';

/** The `accountId` of every emulated event. */
export const SANDBOX_ACCOUNT_ID = 'a-sandbox-emulator';

type EventOptions = Pick<ResolvedOptions, 'now' | 'eventRetryBaseMs' | 'eventTtlMs'>;

export function processCompleteEvent(
  process: ProcessRecord,
  dossier: DossierRecord | undefined,
  options: EventOptions,
): SignicatEvent {
  const now = options.now();
  return {
    id: randomBytes(16).toString('hex'),
    timestamp: new Date(now).toISOString(),
    sender: 'assure-api',
    eventName: PROCESS_COMPLETE_EVENT,
    eventData: {
      dossierId: process.dossierId,
      processId: process.processId,
      status: process.status,
      provider: process.provider,
      ...(dossier?.externalReference !== undefined && {
        externalReference: dossier.externalReference,
      }),
    },
    accountId: SANDBOX_ACCOUNT_ID,
    organizationId: null,
    expiresAt: new Date(now + options.eventTtlMs).toISOString(),
    // ProcessRequest.eventTags: "List of tags to be used on events API".
    tags: process.eventTags ?? [],
  };
}

/** The delivery of one event to `target`; the body is signed as sent, byte for byte. */
export function eventJob(
  event: SignicatEvent,
  processId: string,
  target: EventsTarget,
  options: EventOptions,
): DeliveryJob {
  const body = JSON.stringify(event);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (target.secret !== undefined)
    headers[EVENT_SIGNATURE_HEADER] = signEventBody(target.secret, body);
  const expiresAt = Date.parse(event.expiresAt!);
  return {
    kind: 'event',
    processId,
    url: target.url,
    headers,
    body,
    delivered: (status) => status >= 200 && status < 300,
    retryIn: (attempt) => {
      const wait = options.eventRetryBaseMs * 2 ** attempt;
      return options.now() + wait < expiresAt ? wait : undefined;
    },
  };
}
