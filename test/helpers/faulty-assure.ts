/**
 * A fault-injecting AssureClient for `app.request()`-style tests: wraps a real client (usually one
 * talking to the emulator) and, per method, fails the next N calls with a given error, delays them or
 * lets them hang until aborted, and counts every call. Rules can be changed while the test runs.
 *
 * @example
 * ```ts
 * const faulty = faultyAssure(createAssureClient(...), { startVerification: { fail: 1, error: faults.unavailable } });
 * const app = createProxy({ ..., assure: faulty.client });
 * // … first submit gets 502, the retry passes …
 * assert.equal(faulty.calls.startVerification, 2);
 * faulty.set('getProcess', { fail: Infinity, error: faults.timeout }); // a lasting outage from now on
 * ```
 */
import { AssureError, type AssureClient } from '../../server/assure/types.ts';

export type AssureMethod = keyof AssureClient;

/** What the next calls of one method do. */
export interface FaultRule {
  /** How many of the next calls fail (`Infinity`: every call until the rule changes). @default 0 */
  fail?: number;
  /** The error those calls reject with: a fresh one from a factory, or this one. @default faults.unavailable */
  error?: AssureError | (() => Error);
  /**
   * Wait before each call (failing or passing) in ms; `Infinity` hangs until the call's `signal` aborts.
   * Applies to every call while the rule is set.
   */
  delayMs?: number;
}

export type FaultRules = Partial<Record<AssureMethod, FaultRule>>;

export interface CallRecord {
  method: AssureMethod;
  outcome: 'passed' | 'failed' | 'injected';
}

export interface FaultyAssure {
  /** The wrapped client to hand to the code under test. */
  client: AssureClient;
  /** Calls per method so far (injected failures included). */
  readonly calls: Readonly<Record<AssureMethod, number>>;
  /** Every call in order, with how it ended: `injected` (a rule failed it), `passed` or `failed` (the real one). */
  readonly history: readonly CallRecord[];
  /** Replaces one method's rule (undefined removes it). */
  set(method: AssureMethod, rule: FaultRule | undefined): void;
  /** Shorthand: the next `times` calls of `method` reject with `error`. */
  failNext(method: AssureMethod, times?: number, error?: FaultRule['error']): void;
  /** Injected failures still to come for `method`. */
  pending(method: AssureMethod): number;
  /** Removes every rule (counts and history stay). */
  clear(): void;
}

/** Fresh AssureErrors shaped like the real client's, for `FaultRule.error`. */
export const faults = {
  unavailable: () => new AssureError('upstream_unavailable', 'Assure answered HTTP 502', 502, 502),
  serverError: () => new AssureError('upstream_unavailable', 'Assure answered HTTP 500', 502, 500),
  timeout: () => new AssureError('upstream_timeout', 'Assure did not answer within 10000 ms', 504),
  network: () => new AssureError('upstream_unavailable', 'Could not reach Assure', 502),
  rateLimited:
    (retryAfterSeconds = 1) =>
    () =>
      new AssureError(
        'upstream_rate_limited',
        'Assure is rate limiting',
        503,
        429,
        undefined,
        retryAfterSeconds,
      ),
  rejected: () =>
    new AssureError('upstream_rejected', 'Assure rejected the request (HTTP 400)', 422, 400),
  notFound: () => new AssureError('upstream_not_found', 'Assure: not found', 404, 404),
  conflict: () => new AssureError('upstream_conflict', 'Assure: conflict', 409, 409),
  unauthorized: () =>
    new AssureError('upstream_unauthorized', 'Assure refused the access token', 502, 401),
} as const;

export function faultyAssure(real: AssureClient, rules: FaultRules = {}): FaultyAssure {
  const active = new Map<AssureMethod, Required<Pick<FaultRule, 'fail'>> & FaultRule>();
  const calls = {} as Record<AssureMethod, number>;
  const history: CallRecord[] = [];

  const set = (method: AssureMethod, rule: FaultRule | undefined) => {
    if (rule === undefined) active.delete(method);
    else active.set(method, { ...rule, fail: rule.fail ?? 0 });
  };
  for (const [method, rule] of Object.entries(rules) as Array<[AssureMethod, FaultRule]>)
    set(method, rule);

  async function invoke(method: AssureMethod, args: unknown[]): Promise<unknown> {
    calls[method] = (calls[method] ?? 0) + 1;
    const rule = active.get(method);
    if (rule?.delayMs) await wait(rule.delayMs, signalOf(args));
    // Read again: the test may have changed the rule while this call waited.
    const current = active.get(method);
    if (current && current.fail > 0) {
      current.fail--;
      history.push({ method, outcome: 'injected' });
      throw makeError(current.error);
    }
    const fn = real[method] as (...a: unknown[]) => Promise<unknown>;
    try {
      const value = await fn.apply(real, args);
      history.push({ method, outcome: 'passed' });
      return value;
    } catch (error) {
      history.push({ method, outcome: 'failed' });
      throw error;
    }
  }

  const client = new Proxy(real, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => invoke(key as AssureMethod, args);
    },
  });

  return {
    client,
    calls: new Proxy(calls, { get: (target, key: AssureMethod) => target[key] ?? 0 }),
    history,
    set,
    failNext(method, times = 1, error) {
      set(method, {
        ...active.get(method),
        fail: times,
        error: error ?? active.get(method)?.error,
      });
    },
    pending: (method) => active.get(method)?.fail ?? 0,
    clear: () => active.clear(),
  };
}

function makeError(error: FaultRule['error']): Error {
  if (error === undefined) return faults.unavailable();
  return typeof error === 'function' ? error() : error;
}

/** Every AssureClient method takes `CallOptions` last; find its signal, if any. */
function signalOf(args: unknown[]): AbortSignal | undefined {
  const last = args.at(-1);
  if (typeof last !== 'object' || last === null || !('signal' in last)) return undefined;
  const { signal } = last as { signal?: unknown };
  return signal instanceof AbortSignal ? signal : undefined;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
