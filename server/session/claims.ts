import type { SessionRecord } from '../state/store.ts';
import type { SessionClaims } from './token.ts';

/** What a session token carries for a record as it stands (what an upload refreshes, what a phone claims). */
export function claimsOf(record: SessionRecord): SessionClaims {
  return {
    sessionId: record.sessionId,
    mode: record.mode,
    provider: record.provider,
    ...(record.documentType && { documentType: record.documentType }),
    ...(record.documentCountry && { documentCountry: record.documentCountry }),
    ...(record.reference !== undefined && { reference: record.reference }),
    ...(record.consent && { consent: true }),
    ...(record.dossierId && { dossierId: record.dossierId }),
    ...(record.processId && { processId: record.processId }),
    ...(record.uploaded.length && { uploaded: record.uploaded }),
  };
}
