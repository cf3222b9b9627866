/**
 * The one error a shared store throws when it cannot do its job (Redis down, unreachable, read-only,
 * out of memory, too slow). The proxy answers it with `503 store_unavailable` and `Retry-After`
 * (app.ts, `toErrorResponse`); background work logs it and retries later. Its message never carries
 * the store's URL or credentials.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'store_unavailable';
  /** Seconds a client should wait before trying again. */
  readonly retryAfterSeconds = 2;

  constructor(operation: string, cause?: unknown) {
    super(`The session store could not ${operation}: ${describeCause(cause)}`, { cause });
  }
}

/** A short, credential-free reason: the client's error class and message, cut short. */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return 'unknown error';
  // Redis URLs may carry a password (redis://:secret@host); no client message should, but be sure.
  const message = cause.message.replace(/rediss?:\/\/[^\s]*/gi, 'redis://…').slice(0, 160);
  return `${cause.name}: ${message}`;
}
