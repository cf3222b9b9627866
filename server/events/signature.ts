/**
 * How a Signicat Events webhook delivery proves it came from Signicat: an HMAC-SHA256 of the raw request
 * body, keyed with the subscription's secret, hex-encoded in a header. This is what the Events service's
 * "Validating payloads" documentation describes for its webhooks (the Idfy / Signicat Express lineage of
 * the same service names the header `X-Idfy-Signature`); the header Signicat uses for Assure events
 * today is not confirmed, so both names are read. The assumption lives here alone, and
 * docs/assure-compatibility.md records it. The emulator signs its events with `signEventBody`.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the emulator sends and the proxy reads first. */
export const EVENT_SIGNATURE_HEADER = 'X-Signicat-Signature';
/** Also accepted: the name the same Events service used before the Signicat rebrand. */
export const LEGACY_EVENT_SIGNATURE_HEADER = 'X-Idfy-Signature';

const HEX_SHA256 = /^(?:sha256=)?([0-9a-f]{64})$/i;

export function signEventBody(secret: string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** True when one of the signature headers carries the body's HMAC under `secret`. Constant-time. */
export function verifyEventSignature(
  secret: string,
  rawBody: string | Uint8Array,
  header: (name: string) => string | undefined,
): boolean {
  const expected = Buffer.from(signEventBody(secret, rawBody), 'hex');
  for (const name of [EVENT_SIGNATURE_HEADER, LEGACY_EVENT_SIGNATURE_HEADER]) {
    const match = HEX_SHA256.exec(header(name)?.trim() ?? '');
    if (match && timingSafeEqual(Buffer.from(match[1]!.toLowerCase(), 'hex'), expected))
      return true;
  }
  return false;
}

/** The generic Signicat event envelope (docs/assure-compatibility.md); `eventData` is Assure's. */
export interface SignicatEvent {
  id: string;
  timestamp?: string;
  sender?: string;
  eventName: string;
  eventData?: Record<string, unknown>;
  accountId?: string;
  organizationId?: string | null;
  expiresAt?: string;
  tags?: string[];
}

/** The Assure event name for a finished process. */
export const PROCESS_COMPLETE_EVENT = 'process.complete';
