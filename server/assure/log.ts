/**
 * Structured log events of the Assure client. They carry methods, paths (with ids), statuses and
 * timings only: never tokens, the client secret, headers, images or results.
 *
 * @module
 */
import type { AssureError } from './types.ts';

export type AssureErrorCode = AssureError['code'];

export type LogEvent =
  | {
      event: 'assure.request';
      method: string;
      path: string;
      /** Upstream HTTP status; absent when no response arrived. */
      status?: number;
      /** Set when the call failed. */
      error?: AssureErrorCode | 'aborted';
      /** 1 for the first try; counts up over the retry after a 401 and the retries of idempotent calls. */
      attempt: number;
      ms: number;
    }
  | {
      /** A transient failure of an idempotent request (GET, DELETE, token) is about to be retried. */
      event: 'assure.retry';
      method: string;
      /** Assure path, or the token endpoint's path for the token request. */
      path: string;
      /** The try about to start (2 for the first retry). */
      attempt: number;
      delayMs: number;
      error: AssureErrorCode;
      status?: number;
      /** Set when the wait came from the upstream's Retry-After. */
      retryAfterSeconds?: number;
    }
  | {
      event: 'assure.token';
      status?: number;
      error?: AssureErrorCode;
      /** Lifetime granted by the token endpoint, in seconds. */
      expiresIn?: number;
      ms: number;
    }
  | { event: 'assure.token_rejected'; method: string; path: string }
  /** List items left out because their ids, status or country/type were unusable (content never logged). */
  | { event: 'assure.skipped_items'; path: string; count: number };

export type Logger = (event: LogEvent) => void;
