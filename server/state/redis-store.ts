/**
 * The SessionStore on Redis, for several proxy instances behind one load balancer (docs/scale-out.md).
 * Keys, under `prefix`:
 * - `session:<id>`: the record as JSON, expiring a while after the session (longer while work is unfinished);
 * - `process:<processId>`: the session id owning a Signicat process (callbacks and events name processes);
 * - `inflight`: a set of session ids whose verification runs or whose delivery is unfinished;
 * - `expiry`: a sorted set of session ids by `expiresAt`, so `sweep` reads only what is due;
 * - `claim:<key>` (SET NX PX) and `rate:<key>` (fixed-window counters);
 * - `handoff:<id>`: the session id a hand-off link belongs to (SET PX); its claim is an `update`.
 * Every record write is one Lua script: the record, its indexes and the PUBLISH that fans the record
 * out to every instance's SSE listeners commit together, in commit order. `update` is optimistic:
 * read, apply, write only if the record is still what was read, else read again (one connection
 * serves every caller, so WATCH, which is per connection, cannot be used). Redis Cluster is not
 * supported (the scripts touch several keys); a single primary with replicas or Sentinel is.
 * Any Redis failure surfaces as StoreUnavailableError (503 `store_unavailable`), never as a hang:
 * commands fail fast while the connection is down and time out after `commandTimeoutMs`.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log.ts';
import { isFinal } from '../statuses.ts';
import type { RecordUpdate, SessionRecord, SessionStore } from './store.ts';
import { describeCause as describe, StoreUnavailableError } from './unavailable.ts';

export interface RedisStoreOptions {
  /** `redis://[:password@]host[:port][/db]` or `rediss://…` (TLS). */
  url: string;
  /** Prepended to every key and channel. @default 'signicat-verify:' */
  prefix?: string;
  /** A command unanswered after this long fails (a hung Redis must not hang requests). @default 2000 */
  commandTimeoutMs?: number;
  log?: Logger;
}

export interface RedisStore extends SessionStore {
  /** Resolves once both connections are up; rejects with StoreUnavailableError after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /** Closes both connections; listeners hear nothing more. */
  close(): Promise<void>;
}

type Listener = (record: SessionRecord) => void;

/** Unfinished work outlives its session by this much (polling and delivery give up after a day). */
const UNFINISHED_KEEP_MS = 7 * 86_400_000;
/** Finished records are kept a day past their session (the sweeper removes them an hour after). */
const FINISHED_KEEP_MS = 86_400_000;
/** Optimistic `update` attempts before giving up on a record that keeps changing under it. */
const MAX_UPDATE_ATTEMPTS = 50;

/** KEYS: session, inflight, expiry, process. ARGV: check, expected, json, ttlMs, id, inflight, expiresAt, channel, hasProcess. */
const WRITE = `
if ARGV[1] == '1' and redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
if ARGV[9] == '1' then redis.call('SET', KEYS[4], ARGV[5], 'PX', ARGV[4]) end
if ARGV[6] == '1' then redis.call('SADD', KEYS[2], ARGV[5]) else redis.call('SREM', KEYS[2], ARGV[5]) end
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[5])
redis.call('PUBLISH', ARGV[8], ARGV[3])
return 1`;

/**
 * Removes a record and its index entries if it is still exactly `expected` (ARGV[1]); with an empty
 * `expected`, only the index entries of a record that no longer exists.
 * KEYS: session, inflight, expiry, process. ARGV: expected, id, hasProcess.
 */
const REMOVE = `
if ARGV[1] ~= '' then
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
  redis.call('DEL', KEYS[1])
  if ARGV[3] == '1' and redis.call('GET', KEYS[4]) == ARGV[2] then redis.call('DEL', KEYS[4]) end
elseif redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('SREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
return 1`;

/**
 * A fixed window: the first hit opens it (PEXPIRE), later hits only count. A MULTI could not make the
 * PEXPIRE depend on the INCR without PEXPIRE NX (Redis 7+); the script works on any Redis. A key that
 * somehow lost its expiry gets one again rather than counting forever.
 * KEYS: counter. ARGV: windowMs. Returns {count, ms left}.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

interface Scripts {
  svWrite(...args: string[]): Promise<number>;
  svRemove(...args: string[]): Promise<number>;
  svHit(key: string, windowMs: string): Promise<[number, number]>;
}

/** The records whose verification runs or whose delivery is unfinished (as memory-store.ts). */
const inFlight = (r: SessionRecord) =>
  (r.submitted && !isFinal(r.status)) || (isFinal(r.status) && r.delivery === 'waiting');
const finished = (r: SessionRecord) => isFinal(r.status) && r.delivery !== 'waiting';

export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const prefix = options.prefix ?? 'signicat-verify:';
  const log = options.log ?? (() => {});
  const connection: RedisOptions = {
    // Fail fast instead of queueing: a command queued while (re)connecting fails with the next failed attempt.
    maxRetriesPerRequest: 0,
    // A command cut off by a dropped connection is rejected, never sent twice (INCR, SET NX are not idempotent).
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 2000,
    // Reconnect for ever, backing off to 2 s.
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    // Subscriptions are renewed on every reconnect below, including ones that failed during an outage.
    autoResubscribe: false,
  };
  const client = new Redis(options.url, connection) as Redis & Scripts;
  client.defineCommand('svWrite', { numberOfKeys: 4, lua: WRITE });
  client.defineCommand('svRemove', { numberOfKeys: 4, lua: REMOVE });
  client.defineCommand('svHit', { numberOfKeys: 1, lua: HIT });
  const subscriber = client.duplicate();
  let closed = false;

  const keys = {
    session: (id: string) => `${prefix}session:${id}`,
    process: (id: string) => `${prefix}process:${id}`,
    claim: (key: string) => `${prefix}claim:${key}`,
    rate: (key: string) => `${prefix}rate:${key}`,
    handoff: (id: string) => `${prefix}handoff:${id}`,
    channel: (id: string) => `${prefix}events:${id}`,
    inflight: `${prefix}inflight`,
    expiry: `${prefix}expiry`,
  };
  const channelPrefix = keys.channel('');
  const listeners = new Map<string, Set<Listener>>();
  /** Per session: resolves once this instance's SUBSCRIBE for it holds (or failed). */
  const subscribed = new Map<string, Promise<void>>();

  const closing = () => closed;
  const health = watchHealth(client, 'commands', log, closing);
  watchHealth(subscriber, 'subscriber', log, closing);

  /** Runs a Redis call; any failure of Redis becomes StoreUnavailableError. */
  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    // Known to be down (it was up before): answer at once rather than wait for the next reconnect attempt.
    if (health.down())
      throw new StoreUnavailableError(
        operation,
        new Error('the connection to Redis is down; reconnecting'),
      );
    try {
      return await run();
    } catch (error) {
      throw new StoreUnavailableError(operation, error);
    }
  }

  const parse = (raw: string) => JSON.parse(raw) as SessionRecord;

  /** Writes a record (only if it is still `expected`, when given); false when it was not. */
  async function write(record: SessionRecord, json: string, expected?: string): Promise<boolean> {
    const ttlMs =
      Math.max(0, record.expiresAt - Date.now()) +
      (finished(record) ? FINISHED_KEEP_MS : UNFINISHED_KEEP_MS);
    const written = await call('save the session', () =>
      client.svWrite(
        keys.session(record.sessionId),
        keys.inflight,
        keys.expiry,
        keys.process(record.processId ?? ''),
        expected === undefined ? '0' : '1',
        expected ?? '',
        json,
        String(Math.ceil(ttlMs)),
        record.sessionId,
        inFlight(record) ? '1' : '0',
        String(record.expiresAt),
        keys.channel(record.sessionId),
        record.processId ? '1' : '0',
      ),
    );
    return written === 1;
  }

  /** Removes a record read as `raw` (or, with raw undefined, the index entries of a vanished one). */
  async function remove(
    id: string,
    raw: string | undefined,
    processId: string | undefined,
  ): Promise<boolean> {
    const removed = await call('remove a session', () =>
      client.svRemove(
        keys.session(id),
        keys.inflight,
        keys.expiry,
        keys.process(processId ?? ''),
        raw ?? '',
        id,
        processId ? '1' : '0',
      ),
    );
    return removed === 1;
  }

  async function get(sessionId: string): Promise<SessionRecord | undefined> {
    const raw = await call('read the session', () => client.get(keys.session(sessionId)));
    return raw === null ? undefined : parse(raw);
  }

  async function getMany(ids: string[]): Promise<Array<{ id: string; raw: string | null }>> {
    const found: Array<{ id: string; raw: string | null }> = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const raws = await call('read sessions', () => client.mget(chunk.map(keys.session)));
      chunk.forEach((id, n) => found.push({ id, raw: raws[n] ?? null }));
    }
    return found;
  }

  function deliver(sessionId: string, raw: string, only?: Listener) {
    const set = listeners.get(sessionId);
    if (!set) return;
    let record: SessionRecord;
    try {
      record = parse(raw);
    } catch {
      return;
    }
    for (const listener of only ? [only] : [...set]) {
      if (!set.has(listener)) continue;
      try {
        listener(structuredClone(record));
      } catch {
        // One broken listener (a closed SSE stream) must not stop the others.
      }
    }
  }

  /** The record as it stands, to listeners that may have missed a change while (re)subscribing. */
  async function catchUp(sessionId: string, only?: Listener) {
    try {
      const raw = await client.get(keys.session(sessionId));
      if (raw !== null) deliver(sessionId, raw, only);
    } catch (error) {
      log('warn', 'store.catch_up_failed', { sessionId, error: describe(error) });
    }
  }

  function listen(sessionId: string): Promise<void> {
    const done = subscriber.subscribe(keys.channel(sessionId)).then(
      () => undefined,
      // Renewed with every other subscription when the subscriber connection is back (below).
      (error: unknown) =>
        log('warn', 'store.subscribe_failed', { sessionId, error: describe(error) }),
    );
    subscribed.set(sessionId, done);
    return done;
  }

  subscriber.on('message', (channel: string, message: string) => {
    if (channel.startsWith(channelPrefix)) deliver(channel.slice(channelPrefix.length), message);
  });
  subscriber.on('ready', () => {
    // (Re)connected: subscribe again (also what failed during an outage) and tell every listener the
    // record as it now stands. Subscribing twice to a channel is harmless.
    const ids = [...listeners.keys()];
    if (!ids.length) return;
    void subscriber
      .subscribe(...ids.map(keys.channel))
      .then(() => Promise.all(ids.map((id) => catchUp(id))))
      .catch((error: unknown) =>
        log('warn', 'store.resubscribe_failed', { count: ids.length, error: describe(error) }),
      );
  });

  return {
    async insert(record) {
      await write(record, JSON.stringify(record));
    },

    get,

    async findByProcess(processId) {
      const sessionId = await call('find the session of a process', () =>
        client.get(keys.process(processId)),
      );
      return sessionId === null ? undefined : get(sessionId);
    },

    async update(sessionId, change: RecordUpdate) {
      for (let attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
        const raw = await call('read the session', () => client.get(keys.session(sessionId)));
        if (raw === null) return undefined;
        const next = change(parse(raw));
        if (!next) return parse(raw);
        if (next.sessionId !== sessionId)
          throw new TypeError('update: a change must keep the sessionId');
        const json = JSON.stringify(next);
        if (await write(next, json, raw)) return parse(json);
        // Another writer (this or another instance) got there first: apply the change to its result.
        if (attempt > 2)
          await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
      }
      throw new StoreUnavailableError(
        'update the session',
        new Error(`it kept changing over ${MAX_UPDATE_ATTEMPTS} attempts`),
      );
    },

    subscribe(sessionId, listener) {
      let set = listeners.get(sessionId);
      if (!set) listeners.set(sessionId, (set = new Set()));
      set.add(listener);
      const holding = subscribed.get(sessionId) ?? listen(sessionId);
      // A change committed between the caller's read and SUBSCRIBE taking effect would be missed:
      // once subscribed, hand this listener the record as it stands (SSE drops what it already sent).
      void holding.then(() => (set.has(listener) ? catchUp(sessionId, listener) : undefined));
      return () => {
        set.delete(listener);
        if (set.size || listeners.get(sessionId) !== set) return;
        listeners.delete(sessionId);
        subscribed.delete(sessionId);
        if (!closed) void subscriber.unsubscribe(keys.channel(sessionId)).catch(() => {});
      };
    },

    async claim(key, ttlMs) {
      const answer = await call('claim', () =>
        client.set(keys.claim(key), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
      );
      return answer === 'OK';
    },

    async release(key) {
      await call('release a claim', () => client.del(keys.claim(key)));
    },

    async putHandoff(id, sessionId, ttlMs) {
      await call('save a hand-off link', () =>
        client.set(keys.handoff(id), sessionId, 'PX', Math.max(1, Math.ceil(ttlMs))),
      );
    },

    async findHandoff(id) {
      const sessionId = await call('find a hand-off link', () => client.get(keys.handoff(id)));
      return sessionId ?? undefined;
    },

    async hit(key, windowMs) {
      const [count, leftMs] = await call('count a request', () =>
        client.svHit(keys.rate(key), String(Math.max(1, Math.ceil(windowMs)))),
      );
      return { count, resetAt: Date.now() + leftMs };
    },

    async listInFlight() {
      const ids = await call('list sessions in flight', () => client.smembers(keys.inflight));
      const records: SessionRecord[] = [];
      for (const { id, raw } of await getMany(ids)) {
        if (raw === null) {
          // Expired by its TTL: drop the dangling index entries (only if it is still gone).
          await remove(id, undefined, undefined);
          continue;
        }
        const record = parse(raw);
        if (inFlight(record)) records.push(record);
      }
      return records;
    },

    async sweep(at, graceMs) {
      const due = await call('list expired sessions', () =>
        client.zrangebyscore(keys.expiry, '-inf', `(${at - graceMs}`),
      );
      const abandoned: SessionRecord[] = [];
      for (const { id, raw } of await getMany(due)) {
        if (raw === null) {
          await remove(id, undefined, undefined);
          continue;
        }
        const record = parse(raw);
        if (record.expiresAt + graceMs >= at) continue; // extended since it was listed
        const done = finished(record);
        if (!done && record.submitted) continue; // still verifying: a poller owns it
        // Only if unchanged since read: of several instances sweeping at once, one removes it and
        // only that one returns it (its dossier is deleted once).
        if (!(await remove(id, raw, record.processId))) continue;
        if (!done && record.dossierId && !record.cleanedUp) abandoned.push(record);
      }
      return abandoned;
    },

    async ready(timeoutMs = 10_000) {
      await Promise.all([untilReady(client, timeoutMs), untilReady(subscriber, timeoutMs)]);
    },

    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      subscribed.clear();
      await Promise.all(
        [client, subscriber].map(async (connection) => {
          await connection.quit().catch(() => {});
          connection.disconnect();
        }),
      );
    },
  };
}

/**
 * Whether a connection that was up has gone down; logs an outage once when it starts and once when it
 * ends, not at every reconnect attempt. Before the first connection nothing counts as down: commands
 * wait for it (bounded by the command timeout).
 */
function watchHealth(
  connection: Redis,
  role: string,
  log: Logger,
  closing: () => boolean,
): { down(): boolean } {
  let wasUp = false;
  let down = false;
  const lost = (error?: unknown) => {
    if (!wasUp || down || closing()) return;
    down = true;
    log('warn', 'store.redis_unavailable', {
      role,
      error: error === undefined ? 'connection closed' : describe(error),
    });
  };
  connection.on('error', lost);
  connection.on('close', () => lost());
  connection.on('ready', () => {
    wasUp = true;
    if (!down) return;
    down = false;
    log('info', 'store.redis_available', { role });
  });
  return { down: () => down };
}

function untilReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let last: unknown;
    const onError = (error: unknown) => (last = error);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new StoreUnavailableError(
          'connect to Redis',
          last ?? new Error(`no connection within ${timeoutMs} ms`),
        ),
      );
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      connection.off('ready', onReady);
      connection.off('error', onError);
    }
    connection.on('ready', onReady);
    connection.on('error', onError);
  });
}
