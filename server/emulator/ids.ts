/** Identifiers, opaque tokens and timestamps in the formats Assure uses (the spec's examples). */
import { randomBytes, randomUUID } from 'node:crypto';

/** Lowercase UUIDv4, as for `dossierId` and `processId`. */
export const newId = (): string => randomUUID();

/** An unguessable URL-safe token (256 bits). */
export const opaqueToken = (): string => randomBytes(32).toString('base64url');

/** 32 lowercase hex digits, as in Assure's problem bodies. */
export const traceId = (): string => randomBytes(16).toString('hex');

/** `YYYY-MM-DDThh:mm:ssZ`: ISO 8601 UTC without milliseconds. */
export const timestamp = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
