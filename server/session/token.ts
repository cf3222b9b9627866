/**
 * Session tokens: what the browser holds instead of any Signicat identifier or credential. A compact
 * JWE (dir + A256GCM, via `jose`), so everything inside (session id, dossier and process ids, uploaded
 * sides, the integrator's reference) is neither readable nor forgeable, and it always expires. Because
 * the token carries the whole session, a restarted proxy with an empty store can rebuild the record
 * from it. The key is derived from SESSION_SECRET with HKDF, separately from the callback secrets and
 * the external-reference key derived from the same root.
 */
import { createHmac, hkdfSync, webcrypto } from 'node:crypto';
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
  /** The verified-token cache: tokens held, answers served from it, tokens decrypted (tests, metrics). */
  cacheStats(): { entries: number; hits: number; decrypts: number };
}

const ISSUER = 'signicat-verify';
const MAX_TOKEN_LENGTH = 4096;

export function deriveKey(root: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, 'signicat-verify', purpose, 32));
}

const str = (value: unknown, max = 256): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

type VerifiedClaims = SessionClaims & { expiresAt: number };

/** The claims a decrypted payload carries, or 'invalid' when any is malformed. */
function claimsOf(payload: Record<string, unknown>): VerifiedClaims | 'invalid' {
  const { s, m, v, t, c, r, k, d, p, u, exp } = payload;
  if (
    !str(s, 64) ||
    !(MODES as readonly unknown[]).includes(m) ||
    !str(v, 40) ||
    typeof exp !== 'number'
  ) {
    return 'invalid';
  }
  if (t !== undefined && !isDocumentKind(t)) return 'invalid';
  if (
    u !== undefined &&
    !(Array.isArray(u) && u.every((side) => (SIDES as readonly unknown[]).includes(side)))
  ) {
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
    ...(Array.isArray(u) && { uploaded: [...(u as Side[])] }),
    expiresAt: exp * 1000,
  };
}

const DEFAULT_CACHE_ENTRIES = 10_000;

/**
 * Tokens that decrypted and passed every check, so a token used again (status polls, each upload,
 * SSE reconnects) skips the JWE decryption, most of a status GET's proxy overhead when profiled.
 * Keyed by the whole token: a changed byte is another key, so a tampered token is always decrypted
 * (and refused). Bounded by count, least recently used out first, and never past the token's own
 * `exp`: from that millisecond on it answers 'expired', as jose would (exp <= now in whole seconds).
 */
function verifiedTokenCache(maxEntries: number, now: () => number) {
  const entries = new Map<string, VerifiedClaims>();
  return {
    get(token: string): VerifiedClaims | 'expired' | undefined {
      const hit = entries.get(token);
      if (!hit) return undefined;
      entries.delete(token);
      if (now() >= hit.expiresAt) return 'expired';
      entries.set(token, hit); // most recently used last
      // A copy: callers may change what they get without changing what the next caller gets.
      return { ...hit, ...(hit.uploaded && { uploaded: [...hit.uploaded] }) };
    },
    set(token: string, claims: VerifiedClaims): void {
      if (maxEntries <= 0) return;
      entries.delete(token);
      entries.set(token, { ...claims, ...(claims.uploaded && { uploaded: [...claims.uploaded] }) });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    size: () => entries.size,
  };
}

export interface SessionTokenOptions {
  secret: string;
  ttlSeconds: number;
  now?: () => number;
  /** Verified tokens kept to skip decrypting them again (0: none). @default 10000 */
  cacheEntries?: number;
}

export function createSessionTokens(options: SessionTokenOptions): SessionTokens {
  const encryptionKey = deriveKey(options.secret, 'session-token-v1');
  // Imported once: given raw bytes, jose imports the key again on every call (a third of a decrypt's time).
  const cryptoKey = webcrypto.subtle.importKey('raw', encryptionKey, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  const callbackKey = deriveKey(options.secret, 'callback-secret-v1');
  const now = options.now ?? Date.now;
  const verified = verifiedTokenCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES, now);
  let hits = 0;
  let decrypts = 0;

  return {
    async issue(claims, expiresAt) {
      const issuedAt = Math.floor(now() / 1000);
      const exp = expiresAt
        ? Math.floor(expiresAt.getTime() / 1000)
        : issuedAt + options.ttlSeconds;
      // Short claim names keep the token small enough for a URL.
      const payload: Record<string, unknown> = {
        s: claims.sessionId,
        m: claims.mode,
        v: claims.provider,
      };
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
        .encrypt(await cryptoKey);
      // The next request usually carries this token: read back through the same mapping verify uses.
      const claimsBack = claimsOf({ ...payload, exp });
      if (claimsBack !== 'invalid') verified.set(token, claimsBack);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token) {
      if (!token || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_.-]+$/.test(token))
        return 'invalid';
      const cached = verified.get(token);
      if (cached) {
        hits++;
        return cached;
      }
      decrypts++;
      try {
        const { payload } = await jwtDecrypt(token, await cryptoKey, {
          issuer: ISSUER,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          // A token without expiry would be a bearer credential for ever.
          requiredClaims: ['exp', 'iat'],
          currentDate: new Date(now()),
        });
        const claims = claimsOf(payload as Record<string, unknown>);
        if (claims !== 'invalid') verified.set(token, claims);
        return claims;
      } catch (error) {
        return error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
      }
    },

    cacheStats: () => ({ entries: verified.size(), hits, decrypts }),

    callbackSecret(dossierId) {
      // Derived, not stored: a restarted proxy still recognises callbacks for processes it started.
      return createHmac('sha256', callbackKey).update(dossierId).digest('base64url');
    },
  };
}
