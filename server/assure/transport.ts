/**
 * Small transport helpers shared by the token source and the Assure client: which upstream URLs are
 * acceptable, per-request timeouts, and telling timeouts from caller aborts.
 *
 * @module
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Parses an upstream URL and returns whether it is plain-HTTP loopback. Bearer tokens and client secrets
 * must never cross a network in clear text, so `http:` is accepted only for the local emulator.
 */
export function checkUpstreamUrl(
  value: string,
  name: string,
): { url: URL; insecureLoopback: boolean } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} is not a valid URL`);
  }
  if (url.username || url.password) throw new TypeError(`${name} must not contain credentials`);
  if (url.protocol === 'https:') return { url, insecureLoopback: false };
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
    return { url, insecureLoopback: true };
  throw new TypeError(
    `${name} must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])`,
  );
}

/** One signal per upstream request: the caller's (if any) combined with our own timeout. */
export function requestSignal(timeoutMs: number, caller?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return caller ? AbortSignal.any([caller, timeout]) : timeout;
}

export function isAbortOrTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Rejects as soon as `signal` aborts, without cancelling `promise` (which other callers may share). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Releases an unread response body so the connection is reused (undici keeps it otherwise). */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}
