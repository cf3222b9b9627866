/**
 * Legacy notificationUrl callbacks (the older integration guide; absent from the OpenAPI description):
 * POST `{dossierId, processId, status}` with the process's `authorizationHeader` replayed verbatim as
 * `Authorization`. Delivered means HTTP 200 within the timeout; otherwise retried after base × 2^n ms,
 * up to the retry limit, then dropped and logged.
 */
import type { DeliveryJob } from './delivery.ts';
import type { ResolvedOptions } from './options.ts';
import type { ProcessRecord } from './state.ts';

type CallbackOptions = Pick<ResolvedOptions, 'callbackRetryBaseMs' | 'callbackMaxRetries'>;

/** The callback delivery of a final process, or undefined when it has no usable notificationUrl. */
export function callbackJob(
  process: ProcessRecord,
  options: CallbackOptions,
): DeliveryJob | undefined {
  if (process.notificationUrl === undefined) return undefined;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (process.authorizationHeader !== undefined)
    headers['Authorization'] = process.authorizationHeader;
  return {
    kind: 'callback',
    processId: process.processId,
    url: process.notificationUrl,
    headers,
    body: JSON.stringify({
      dossierId: process.dossierId,
      processId: process.processId,
      status: process.status,
    }),
    delivered: (status) => status === 200,
    retryIn: (attempt) =>
      attempt >= options.callbackMaxRetries
        ? undefined
        : options.callbackRetryBaseMs * 2 ** attempt,
  };
}
