/** What the proxy delivers to the integrator's backend when a verification reaches a final status. */
import type { AssureProcess } from '../assure/types.ts';
import type { Mode } from '../../component/contract/index.ts';
import type { FinalStatus } from '../statuses.ts';

export interface ResultPayload {
  event: 'verification.completed';
  /** Idempotency key: the same for every delivery attempt of this result, across restarts. */
  deliveryId: string;
  dossierId: string;
  processId: string;
  /** The integrator's own reference, as given when the verification was started. */
  reference?: string;
  mode: Mode;
  status: FinalStatus;
  /** ISO 8601 UTC. */
  completedAt: string;
  /** The full Assure Get process body (includes `finalResult`: personal data). */
  result: AssureProcess;
  /** Present (true) only when the emulator produced the result: receivers must reject it in production. */
  sandbox?: true;
}

/** Receives a final result; resolves once it is safely handed over, rejects if it could not be. */
export type ResultSink = (payload: ResultPayload) => Promise<void>;
