/**
 * Caps on open event streams (SSE): per session token, per client and in total. Each stream holds a
 * socket and a file descriptor for as long as it is open, so without caps one token could take every
 * descriptor the process has. `acquire` either grants a slot and returns its release function
 * (idempotent: call it from every close path), or refuses with undefined.
 */
export interface StreamLimits {
  perSession: number;
  perClient: number;
  total: number;
}

export type StreamRefusal = 'session' | 'client' | 'total';

export interface StreamLimiter {
  /** A slot for one stream, or undefined when a cap is reached (see `refusal` for which). */
  acquire(sessionKey: string, clientKey: string): (() => void) | undefined;
  /** Which cap would refuse a new stream now, if any. */
  refusal(sessionKey: string, clientKey: string): StreamRefusal | undefined;
  /** Streams open now: in total, and for one session or client. */
  open(): number;
  openFor(kind: 'session' | 'client', key: string): number;
}

export function createStreamLimiter(limits: StreamLimits): StreamLimiter {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`createStreamLimiter: ${name} must be a positive integer`);
  }
  const perSession = new Map<string, number>();
  const perClient = new Map<string, number>();
  let total = 0;

  const change = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next > 0) map.set(key, next);
    else map.delete(key);
  };

  function refusal(sessionKey: string, clientKey: string): StreamRefusal | undefined {
    if (total >= limits.total) return 'total';
    if ((perClient.get(clientKey) ?? 0) >= limits.perClient) return 'client';
    if ((perSession.get(sessionKey) ?? 0) >= limits.perSession) return 'session';
    return undefined;
  }

  return {
    acquire(sessionKey, clientKey) {
      if (refusal(sessionKey, clientKey)) return undefined;
      total++;
      change(perSession, sessionKey, 1);
      change(perClient, clientKey, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        change(perSession, sessionKey, -1);
        change(perClient, clientKey, -1);
      };
    },
    refusal,
    open: () => total,
    openFor: (kind, key) => (kind === 'session' ? perSession : perClient).get(key) ?? 0,
  };
}
