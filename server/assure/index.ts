/** The Assure API client and its contract. */
export { createAssureClient, type AssureClientOptions } from './client.ts';
export type { RetryOptions } from './retry.ts';
export { probeToken, type ProbeResult, type TokenAuth } from './token.ts';
export type { LogEvent, Logger } from './log.ts';
export { isAssureId, isProviderName } from './paths.ts';
export * from './types.ts';
