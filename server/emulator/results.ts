/**
 * Synthetic results for final processes: `finalResult` (`FinalResultDetails` field names and formats)
 * and `providerSpecific` (per-provider checks, shaped after the spec's Get process examples).
 * The identity is fixed and obviously fake so that no test ever handles real personal data.
 */
import type { FinalStatus } from '../statuses.ts';
import type { FailReason } from './state.ts';

interface ProcessFacts {
  provider: string;
  documentType?: string;
}

export interface ProcessResult {
  finalResult?: Record<string, unknown>;
  providerSpecific?: Record<string, unknown>;
  failReason?: FailReason;
}

/** `failReason` of a sandbox `failed` outcome (the spec's examples: `{type, message}`). */
export const SANDBOX_FAIL_REASON: FailReason = {
  type: 'upload_failed',
  message: 'The provider could not process the images (sandbox outcome).',
};

/** The fixed synthetic identity. Exported so tests (here and in the proxy) can assert on it. */
export const SANDBOX_IDENTITY = {
  firstName: 'Kari',
  lastName: 'Sandbox Nordmann',
  dateOfBirth: '1990-04-29',
  dateOfExpiry: '2031-07-08',
  gender: 'F',
  nationality: 'NOR',
  documentNumber: 'SB1234567',
  issuingCountry: 'NOR',
  personalIdentificationNumber: '29049012345',
} as const;

const identity = (facts: ProcessFacts) => ({
  ...SANDBOX_IDENTITY,
  documentType: facts.documentType ?? 'passport',
});

const REJECTION = { code: 'DOCUMENT_NUMBER_CHECKSUM_INVALID', message: 'The document number does not match its check digit.' };
const INCONCLUSIVE = { code: 'MRZ_NOT_FOUND', message: 'The document was read, but its MRZ is missing or unreadable.' };

/** Per-provider checks; `verdict` is the final status being produced. */
function providerSpecific(facts: ProcessFacts, verdict: 'accepted' | 'rejected' | 'inconclusive'): Record<string, unknown> {
  const id = identity(facts);
  const ok = verdict === 'accepted';
  const errors = verdict === 'rejected' ? [REJECTION] : verdict === 'inconclusive' ? [INCONCLUSIVE] : undefined;
  switch (facts.provider) {
    case 'signicatpaper':
      return {
        verification: { type: 'MRZ_FEATURE_COMPARISON', status: ok ? 'true' : 'false' },
        features: {
          firstName: id.firstName,
          lastName: id.lastName,
          personalNumber: id.personalIdentificationNumber,
          dateOfIssue: '2021-07-09',
          issuingAuthority: 'SANDBOX POLICE',
        },
        ...(verdict === 'inconclusive'
          ? {}
          : {
              mrz: {
                nationality: id.nationality,
                documentType: id.documentType,
                issuingCountry: id.issuingCountry,
                documentNumber: id.documentNumber,
                dateOfBirth: id.dateOfBirth,
                dateOfExpiry: id.dateOfExpiry,
              },
              mrzChecksum: {
                dateOfExpiry: 'VALID',
                documentNumber: ok ? 'VALID' : 'INVALID',
                dateOfBirth: 'VALID',
                personalNumber: 'VALID',
              },
              mrzVerification: ok ? 'VALID' : 'INVALID',
            }),
        ...(errors ? { errors } : {}),
      };
    case 'onfido':
      return {
        documentVerification: {
          result: ok ? 'clear' : 'consider',
          subResult: ok ? 'clear' : verdict === 'rejected' ? 'rejected' : 'caution',
          breakdown: {
            imageIntegrity: 'clear',
            visualAuthenticity: ok ? 'clear' : 'consider',
            dataValidation: ok ? 'clear' : 'consider',
          },
        },
        facialSimilarity: { result: ok ? 'clear' : 'consider', score: ok ? 0.93 : 0.41 },
        ...(errors ? { errors } : {}),
      };
    case 'signicatvideoid':
      return {
        ocr: {
          similarityScore: ok ? 'high' : 'low',
          livenessDetected: 'true',
          features: [{ name: 'Header', found: ok, bbox: { x: 84, y: 28, width: 248, height: 32 }, side: 'data' }],
        },
        ...(errors ? { rejectionReasons: errors } : {}),
      };
    case 'readid':
      return {
        consolidatedIdentityData: {
          chipVerification: verdict === 'rejected' ? 'FAILED' : 'SUCCEEDED',
          chipCloneDetection: verdict === 'inconclusive' ? 'FAILED' : 'SUCCEEDED',
          dateOfBirth: id.dateOfBirth,
          dateOfExpiry: id.dateOfExpiry,
          documentCode: 'P',
        },
      };
    default:
      return {
        verification: { documentAuthentic: ok ? 'true' : 'false', faceMatch: ok ? 'true' : 'false', livenessDetected: 'true' },
        ...(errors ? { errors } : {}),
      };
  }
}

/**
 * What a final process shows, by status. `finalResult` is "only present if the verification was
 * accepted" (Process.finalResult); the spec's own Signicat Paper rejected example has one too, so a
 * rejected signicatpaper process keeps it. `failReason` overrides the default one of `failed`.
 */
export function finalResult(facts: ProcessFacts, status: FinalStatus, failReason?: FailReason): ProcessResult {
  switch (status) {
    case 'accepted':
      return { finalResult: identity(facts), providerSpecific: providerSpecific(facts, status) };
    case 'rejected':
    case 'inconclusive': {
      // The document was read; the checks decide the status.
      const paperRejected = status === 'rejected' && facts.provider === 'signicatpaper';
      return { ...(paperRejected && { finalResult: identity(facts) }), providerSpecific: providerSpecific(facts, status) };
    }
    case 'failed':
      return { failReason: failReason ?? SANDBOX_FAIL_REASON };
    case 'canceled':
      return {};
  }
}

/** Partial data while `processing` (only with `partialResultsWhileProcessing`). */
export function partialResult(facts: ProcessFacts): ProcessResult {
  return { providerSpecific: { ocr: { status: 'in_progress', documentType: facts.documentType ?? 'passport' } } };
}
