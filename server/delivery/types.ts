/** What the proxy delivers to the integrator's backend when a verification reaches a final status. */
import type { AssureProcess } from '../assure/types.ts';
import type { FinalStatus } from '../statuses.ts';

export interface ResultPayload {
  event: 'verification.completed';
  dossierId: string;
  processId: string;
  /** The integrator's own reference, as given when the verification was started. */
  reference?: string;
  mode: 'capture' | 'redirect' | 'provider-sdk';
  status: FinalStatus;
  /** ISO 8601 UTC. */
  completedAt: string;
  /** The full Assure Get process body (includes `finalResult`: personal data). */
  result: AssureProcess;
}

/** Receives a final result; resolves once it is safely handed over, rejects if it could not be. */
export type ResultSink = (payload: ResultPayload) => Promise<void>;
