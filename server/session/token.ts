/**
 * Session tokens: what the browser holds instead of any Signicat identifier or credential. A compact
 * JWE (dir + A256GCM, via `jose`), so the dossier and process ids inside are neither readable nor
 * forgeable, and it expires. The key is derived from SESSION_SECRET with HKDF, separately from the
 * callback secrets derived from the same root.
 */
import { hkdfSync, createHmac } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, errors as joseErrors } from 'jose';
import type { Mode } from '../config.ts';

export interface SessionClaims {
  dossierId: string;
  processId: string;
  mode: Mode;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

export type SessionTokenFailure = 'expired' | 'invalid';

export interface SessionTokens {
  issue(claims: SessionClaims): Promise<IssuedSession>;
  verify(token: string): Promise<SessionClaims | SessionTokenFailure>;
  /** The secret Assure sends back in the callback's Authorization header for this dossier. */
  callbackSecret(dossierId: string): string;
}

const ISSUER = 'signicat-verify';
const MAX_TOKEN_LENGTH = 2048;

function deriveKey(root: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, 'signicat-verify', purpose, 32));
}

export function createSessionTokens(options: { secret: string; ttlSeconds: number; now?: () => number }): SessionTokens {
  const encryptionKey = deriveKey(options.secret, 'session-token-v1');
  const callbackKey = deriveKey(options.secret, 'callback-secret-v1');
  const now = options.now ?? Date.now;

  return {
    async issue(claims) {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + options.ttlSeconds;
      const token = await new EncryptJWT({ d: claims.dossierId, p: claims.processId, m: claims.mode })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuer(ISSUER)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .encrypt(encryptionKey);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },

    async verify(token) {
      if (!token || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_.-]+$/.test(token)) return 'invalid';
      try {
        const { payload } = await jwtDecrypt(token, encryptionKey, {
          issuer: ISSUER,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          currentDate: new Date(now()),
        });
        const { d, p, m } = payload;
        if (typeof d !== 'string' || typeof p !== 'string' || (m !== 'capture' && m !== 'redirect' && m !== 'provider-sdk')) {
          return 'invalid';
        }
        return { dossierId: d, processId: p, mode: m };
      } catch (error) {
        return error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
      }
    },

    callbackSecret(dossierId) {
      // Derived, not stored: a restarted proxy still recognises callbacks for processes it started.
      return createHmac('sha256', callbackKey).update(dossierId).digest('base64url');
    },
  };
}
