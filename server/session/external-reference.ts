/**
 * What the proxy writes into a dossier's `externalReference` at Signicat: its own marker, the session
 * id and the integrator's reference, sealed with AES-256-GCM under a key derived from SESSION_SECRET.
 * Signicat is the durable record of unfinished work: after a restart, a callback, an event or the
 * reconciliation can recognise this proxy's dossiers by the prefix and recover the reference, which
 * the webhook must carry. Nothing in it is readable at Signicat.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MODES, type Mode } from '../../component/contract/index.ts';
import { deriveKey } from './token.ts';

/** Marks dossiers created by this proxy (any instance sharing SESSION_SECRET can open them). */
export const EXTERNAL_REFERENCE_PREFIX = 'sv1.';
const MAX_SEALED_LENGTH = 1024;

export interface SealedContent {
  sessionId: string;
  mode: Mode;
  reference?: string;
}

export interface ExternalReferences {
  seal(content: SealedContent): string;
  /** The content, or undefined for a foreign, tampered or unreadable value. */
  open(value: string | undefined): SealedContent | undefined;
}

export function createExternalReferences(secret: string): ExternalReferences {
  const key = deriveKey(secret, 'external-reference-v1');
  return {
    seal(content) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = JSON.stringify({
        s: content.sessionId,
        m: content.mode,
        ...(content.reference !== undefined && { r: content.reference }),
      });
      const sealed = Buffer.concat([
        iv,
        cipher.update(plain, 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return EXTERNAL_REFERENCE_PREFIX + sealed.toString('base64url');
    },
    open(value) {
      if (!value?.startsWith(EXTERNAL_REFERENCE_PREFIX) || value.length > MAX_SEALED_LENGTH)
        return undefined;
      try {
        const raw = Buffer.from(value.slice(EXTERNAL_REFERENCE_PREFIX.length), 'base64url');
        if (raw.length < 12 + 16 + 2) return undefined;
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(raw.length - 16));
        const plain = Buffer.concat([
          decipher.update(raw.subarray(12, raw.length - 16)),
          decipher.final(),
        ]).toString('utf8');
        const { s, m, r } = JSON.parse(plain) as { s?: unknown; m?: unknown; r?: unknown };
        if (typeof s !== 'string' || !s || !(MODES as readonly unknown[]).includes(m))
          return undefined;
        return { sessionId: s, mode: m as Mode, ...(typeof r === 'string' && { reference: r }) };
      } catch {
        return undefined;
      }
    },
  };
}
