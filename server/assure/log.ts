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
      /** 1, or 2 for the single retry after a 401. */
      attempt: number;
      ms: number;
    }
  | {
      event: 'assure.token';
      status?: number;
      error?: AssureErrorCode;
      /** Lifetime granted by the token endpoint, in seconds. */
      expiresIn?: number;
      ms: number;
    }
  | { event: 'assure.token_rejected'; method: string; path: string };

export type Logger = (event: LogEvent) => void;
