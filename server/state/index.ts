/**
 * Which session store a server runs on: the embedded in-memory one (one instance), or Redis when
 * REDIS_URL is set (several instances share state; docs/scale-out.md). The Redis client is loaded
 * only when asked for.
 */
import type { Logger } from '../log.ts';
import type { RedisStore } from './redis-store.ts';

export type { SessionStore, SessionRecord } from './store.ts';
export type { RedisStore } from './redis-store.ts';
export { StoreUnavailableError } from './unavailable.ts';

/**
 * The Redis store, connected, for `redisUrl`; undefined without one (the proxy then makes its memory
 * store). Rejects with StoreUnavailableError when Redis cannot be reached within `timeoutMs`.
 */
export async function openSharedStore(
  redisUrl: string | undefined,
  log: Logger,
  timeoutMs = 10_000,
): Promise<RedisStore | undefined> {
  if (!redisUrl) return undefined;
  const { createRedisStore } = await import('./redis-store.ts');
  const store = createRedisStore({ url: redisUrl, log });
  try {
    await store.ready(timeoutMs);
  } catch (error) {
    await store.close();
    throw error;
  }
  log('info', 'store.redis', {
    note: 'session records, status fan-out, claims and rate-limit counters are shared through Redis',
  });
  return store;
}
