/**
 * Session tokens: what the browser holds instead of any Signicat identifier or credential. A compact
 * JWE (dir + A256GCM, via `jose`), so everything inside (session id, dossier and process ids, uploaded
 * sides, the integrator's reference) is neither readable nor forgeable, and it always expires. Because
 * the token carries the whole session, a restarted proxy with an empty store can rebuild the record
 * from it. The key is derived from SESSION_SECRET with HKDF, separately from the callback secrets and
 * the external-reference key derived from the same root.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { EncryptJWT, errors as joseErrors, jwtDecrypt } from 'jose';
import {
  isDocumentKind,
  MODES,
  SIDES,
  type DocumentKind,
  type Mode,
  type Side,
} from '../../component/contract/index.ts';

export interface SessionClaims {
  sessionId: string;
  mode: Mode;
  provider: string;
  documentType?: DocumentKind;
  documentCountry?: string;
  reference?: string;
  consent?: boolean;
  dossierId?: string;
  processId?: string;
  uploaded?: Side[];
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

export type SessionTokenFailure = 'expired' | 'invalid';

export interface SessionTokens {
  /** A new token for `claims`, expiring at `expiresAt` (default: now + TTL). */
  issue(claims: SessionClaims, expiresAt?: Date): Promise<IssuedSession>;
  verify(token: string): Promise<(SessionClaims & { expiresAt: number }) | SessionTokenFailure>;
  /** The secret Assure sends back in the callback's Authorization header for this dossier. */
  callbackSecret(dossierId: string): string;
}

const ISSUER = 'signicat-verify';
const MAX_TOKEN_LENGTH = 4096;

export function deriveKey(root: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, 'signicat-verify', purpose, 32));
}

const str = (value: unknown, max = 256): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

export function createSessionTokens(options: { secret: string; ttlSeconds: number; now?: () => number }): SessionTokens {
  const encryptionKey = deriveKey(options.secret, 'session-token-v1');
  const callbackKey = deriveKey(options.secret, 'callback-secret-v1');
  const now = options.now ?? Date.now;

  return {
    async issue(claims, expiresAt) {
      const issuedAt = Math.floor(now() / 1000);
      const exp = expiresAt ? Math.floor(expiresAt.getTime() / 1000) : issuedAt + options.ttlSeconds;
      // Short claim names keep the token small enough for a URL.
      const payload: Record<string, unknown> = { s: claims.sessionId, m: claims.mode, v: claims.provider };
      if (claims.documentType) payload.t = claims.documentType;
      if (claims.documentCountry) payload.c = claims.documentCountry;
      if (claims.reference !== undefined) payload.r = claims.reference;
      if (claims.consent) payload.k = 1;
      if (claims.dossierId) payload.d = claims.dossierId;
      if (claims.processId) payload.p = claims.processId;
      if (claims.uploaded?.length) payload.u = claims.uploaded;
      const token = await new EncryptJWT(payload)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuer(ISSUER)
        .setIssuedAt(issuedAt)
        .setExpirationTime(exp)
        .encrypt(encryptionKey);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token) {
      if (!token || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_.-]+$/.test(token)) return 'invalid';
      try {
        const { payload } = await jwtDecrypt(token, encryptionKey, {
          issuer: ISSUER,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          // A token without expiry would be a bearer credential for ever.
          requiredClaims: ['exp', 'iat'],
          currentDate: new Date(now()),
        });
        const { s, m, v, t, c, r, k, d, p, u, exp } = payload as Record<string, unknown>;
        if (!str(s, 64) || !(MODES as readonly unknown[]).includes(m) || !str(v, 40) || typeof exp !== 'number') {
          return 'invalid';
        }
        if (t !== undefined && !isDocumentKind(t)) return 'invalid';
        if (u !== undefined && !(Array.isArray(u) && u.every((side) => (SIDES as readonly unknown[]).includes(side)))) {
          return 'invalid';
        }
        return {
          sessionId: s,
          mode: m as Mode,
          provider: v,
          ...(t !== undefined && { documentType: t as DocumentKind }),
          ...(str(c, 8) && { documentCountry: c }),
          ...(str(r) && { reference: r }),
          ...(k === 1 && { consent: true }),
          ...(str(d, 64) && { dossierId: d }),
          ...(str(p, 64) && { processId: p }),
          ...(Array.isArray(u) && { uploaded: u as Side[] }),
          expiresAt: exp * 1000,
        };
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
