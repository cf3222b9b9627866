/**
 * Webhook signatures: `Signicat-Verify-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * (the Stripe scheme). The timestamp is signed too, so a captured request cannot be replayed later;
 * several `v1=` entries let a sender sign with the old and new secret while a secret is rotated.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Signicat-Verify-Signature';
export const DELIVERY_HEADER = 'Signicat-Verify-Delivery';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export interface VerifyOptions {
  /** Largest accepted distance between the signed timestamp and now. @default 300 */
  toleranceSeconds?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

function hmac(secret: string, timestamp: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
}

/**
 * The `Signicat-Verify-Signature` header value for `body` sent at `timestamp` (unix seconds).
 * Pass several secrets during a rotation; each gets its own `v1=` entry.
 */
export function signWebhook(
  secret: string | readonly string[],
  body: string,
  timestamp: number,
): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new TypeError('timestamp must be unix seconds');
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((s) => s.length === 0))
    throw new TypeError('secret must not be empty');
  const t = String(timestamp);
  return [`t=${t}`, ...secrets.map((s) => `v1=${hmac(s, t, body).toString('hex')}`)].join(',');
}

/**
 * Whether `header` is a valid, fresh signature of `body` (the raw request body, exactly as received)
 * by `secret` (or any of several secrets, while rotating).
 */
export function verifyWebhookSignature(
  secret: string | readonly string[],
  body: string,
  header: string | null | undefined,
  { toleranceSeconds = 300, now = Date.now }: VerifyOptions = {},
): boolean {
  if (!header) return false;
  let t: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') t = value;
    else if (key === 'v1' && HEX_SHA256.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (t === undefined || !/^\d{1,12}$/.test(t) || signatures.length === 0) return false;
  if (Math.abs(now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  return secrets.some((s) => {
    if (!s) return false;
    const expected = hmac(s, t, body);
    // Constant-time comparison: timing must not reveal how much of a guessed signature matched.
    return signatures.some((signature) => timingSafeEqual(signature, expected));
  });
}
