/**
 * Hand-off link codes: 128 random bits (22 base64url characters), so a link cannot be guessed in its
 * lifetime however many clients try, which a short code could only promise with rate limits that a
 * botnet spreads thin. Only the code's SHA-256 is stored: a store dump holds no working link.
 */
import { createHash, randomBytes } from 'node:crypto';

/** What a code looks like; anything else is refused before the store is asked. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newCode(): string {
  return randomBytes(16).toString('base64url');
}

/** The id a code is stored under. */
export function codeId(code: string): string {
  return createHash('sha256').update(code).digest('base64url');
}
