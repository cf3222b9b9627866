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

/** `ProviderDetails.errors` is an array of strings (as in the spec's Paper rejected example). */
const REJECTION = 'Invalid document_number: the check digit does not match (sandbox outcome)';
const INCONCLUSIVE =
  'MRZ not found: the document was read, but its MRZ is missing or unreadable (sandbox outcome)';

/**
 * Per-provider checks, typed as the spec's `ProviderDetails` schemas (PaperVerification, PaperMRZ,
 * DocumentVerification, FacialSimilarity, Ocr, ReadIDConsolidatedIdentityData, Facetec…Result);
 * `verdict` is the final status being produced.
 */
function providerSpecific(
  facts: ProcessFacts,
  verdict: 'accepted' | 'rejected' | 'inconclusive',
): Record<string, unknown> {
  const id = identity(facts);
  const ok = verdict === 'accepted';
  const errors =
    verdict === 'rejected' ? [REJECTION] : verdict === 'inconclusive' ? [INCONCLUSIVE] : undefined;
  const valid = (good: boolean) => (good ? 'VALID' : 'INVALID');
  switch (facts.provider) {
    case 'signicatpaper':
      return {
        verification: { type: 'MRZ_FEATURE_COMPARISON', status: ok },
        features: {
          firstName: id.firstName,
          lastName: id.lastName,
          gender: id.gender,
          personalIdentificationNumber: id.personalIdentificationNumber,
          dateOfIssue: '2021-07-09',
          issuingAuthority: 'SANDBOX POLICE',
        },
        ...(verdict === 'inconclusive'
          ? {}
          : {
              mrz: {
                firstName: id.firstName,
                lastName: id.lastName,
                gender: id.gender,
                nationality: id.nationality,
                documentType: id.documentType,
                issuingCountry: id.issuingCountry,
                documentNumber: id.documentNumber,
                dateOfBirth: id.dateOfBirth,
                dateOfExpiry: id.dateOfExpiry,
                personalIdentificationNumber: id.personalIdentificationNumber,
              },
              mrzChecksum: {
                dateOfExpiry: 'VALID',
                documentNumber: valid(ok),
                dateOfBirth: 'VALID',
                personalIdentificationNumber: 'VALID',
              },
              mrzVerification: {
                dateOfExpiry: 'VALID',
                documentType: 'VALID',
                issuingCountry: 'VALID',
                dateOfBirth: 'VALID',
              },
            }),
        ...(errors && { errors }),
      };
    case 'onfido':
      return {
        documentVerification: {
          result: ok ? 'clear' : 'consider',
          subResult: ok ? 'clear' : verdict === 'rejected' ? 'rejected' : 'caution',
          documentType: id.documentType,
          imageIntegrity: 'clear',
          visualAuthenticity: ok ? 'clear' : 'consider',
          dataValidation: ok ? 'clear' : 'consider',
        },
        facialSimilarity: {
          result: ok ? 'clear' : 'consider',
          similarityScore: ok ? 'high' : 'medium',
        },
        ...(errors && { errors }),
      };
    case 'signicatvideoid':
      return {
        ocr: {
          firstName: id.firstName,
          lastName: id.lastName,
          documentNumber: id.documentNumber,
          similarityScore: ok ? 'high' : 'low',
          livenessDetected: 'true',
          features: [
            {
              name: 'Header',
              found: ok,
              bbox: { x: 84, y: 28, width: 248, height: 32 },
              side: 'data',
            },
          ],
        },
        ...(errors && { errors }),
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
    case 'facetec':
      return {
        liveness: { success: verdict !== 'rejected', error: false },
        matching: {
          matchLevel: ok ? 10 : verdict === 'rejected' ? 0 : 3,
          imageProcessing: 'faceFound',
          success: ok,
          error: false,
        },
      };
    default:
      return errors ? { errors } : {};
  }
}

/**
 * What a final process shows, by status. `finalResult` is "only present if the verification was
 * accepted" (Process.finalResult); the spec's own Signicat Paper rejected example has one too, so a
 * rejected signicatpaper process keeps it. `failReason` overrides the default one of `failed`.
 */
export function finalResult(
  facts: ProcessFacts,
  status: FinalStatus,
  failReason?: FailReason,
): ProcessResult {
  switch (status) {
    case 'accepted':
      return { finalResult: identity(facts), providerSpecific: providerSpecific(facts, status) };
    case 'rejected':
    case 'inconclusive': {
      // The document was read; the checks decide the status.
      const paperRejected = status === 'rejected' && facts.provider === 'signicatpaper';
      return {
        ...(paperRejected && { finalResult: identity(facts) }),
        providerSpecific: providerSpecific(facts, status),
      };
    }
    case 'failed':
      return { failReason: failReason ?? SANDBOX_FAIL_REASON };
    case 'canceled':
      return {};
  }
}

/** Partial data while `processing` (only with `partialResultsWhileProcessing`). */
export function partialResult(facts: ProcessFacts): ProcessResult {
  return {
    providerSpecific: {
      ocr: { status: 'in_progress', documentType: facts.documentType ?? 'passport' },
    },
  };
}
