/**
 * Nothing lost across restarts and outages (issue 9, Deliver 3): each row of the issue's measurements
 * as a child-process scenario. The proxy runs in real mode as its own process (`server/index.ts`), the
 * emulator on its own (`server/emulator/main.ts`, one for all scenarios, reset before each), the
 * integrator's webhook receiver in this process.
 * A crash is SIGKILL; the restart uses the same environment and port, with an empty in-memory store,
 * so only what Signicat holds (sealed externalReference) and what the browser's token carries survive.
 *
 * Every scenario asserts: the true final status, exactly one accepted delivery per verification,
 * carrying the integrator's `reference` and a stable delivery id, the dossier still there when its
 * result arrived and deleted afterwards, and no dossier left at the emulator.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { Hono } from 'hono';
import { verifyWebhookSignature, type ResultPayload } from '../../server/delivery/index.ts';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type FaultRule,
} from '../../server/emulator/index.ts';
import { listen, type Listening } from '../../server/http/listen.ts';
import { startChild, type Child } from '../helpers/child.ts';
import { eventually, realModeEnv } from '../helpers/sandbox.ts';
import { createDriver, type Driver, type FlowMode } from '../helpers/verify-flows.ts';

const WEBHOOK_SECRET = 'wH7kP2xQ9vL4mZ8cR3tY6bN1dF5gJ0sA';
const API_KEY = 'pK9rT2vX7mQ4wZ8nB3cL6yH1dF5gJ0sA';
const FINAL = new Set(['accepted', 'rejected', 'inconclusive', 'failed', 'canceled']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Delivery {
  payload: ResultPayload;
  deliveryId: string;
  /** Whether Signicat still held the dossier when the result arrived. */
  dossierExisted: boolean;
}

/** One scenario's world: the shared emulator, its own proxy (restartable) and integrator's receiver. */
class World {
  emulator!: Child;
  proxy!: Child;
  receiver!: Listening;
  port = 0;
  proxyEnv: Record<string, string> = {};
  /** Every webhook attempt, refused or not. */
  attempts: Array<{ processId: string; deliveryId: string; answered: number }> = [];
  accepted: Delivery[] = [];
  /** The receiver answers 503 to the first this-many attempts of each process. */
  refuseFirst = 0;
  #token?: { value: string; until: number };

  /** Dossiers at the (shared) emulator before this scenario, and where its log stood. */
  #before = new Set<string>();
  #logFrom = 0;
  #proxyLogFrom = 0;

  static async start() {
    const world = new World();
    world.emulator = await startChild(
      'server/emulator/main.ts',
      { EMULATOR_DELAY_MS: '50', EMULATOR_LOG: '1' },
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    world.receiver = await listen(world.hooks().fetch, { port: 0, hostname: '127.0.0.1' });
    world.port = await freePort();
    world.proxyEnv = {
      ...realModeEnv(world.emulator.url, world.port),
      RESULT_WEBHOOK_URL: `${world.receiver.url}/hooks`,
      RESULT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PROXY_API_KEY: API_KEY,
      DEFAULT_DOCUMENT_COUNTRY: 'NO',
      POLL_INITIAL_MS: '200',
      POLL_MAX_MS: '800',
      // Every call answers well within this, even on a busy machine; (h) makes Start verification later.
      UPSTREAM_TIMEOUT_MS: '1500',
      DELIVERY_RETRY_BASE_MS: '200',
      // Orphans (dossiers with no process) are removed by the reconciliation at each restart.
      ORPHAN_DOSSIER_GRACE_SECONDS: '0',
      RATE_LIMIT_SESSIONS_PER_MINUTE: '10000',
      RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: '10000',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '10000',
      RATE_LIMIT_SUBMITS_PER_MINUTE: '10000',
      MAX_CONCURRENT_UPLOADS_PER_CLIENT: '100',
      LOG_LEVEL: 'info',
    };
    await world.startProxy();
    return world;
  }

  /** A fresh scenario on the same processes: default controls, empty receiver, its own dossier count. */
  async scenario() {
    // Outcome, delays, callback switches, fault rules: back to the defaults; data is kept.
    await this.control('/reset', undefined, 'POST');
    this.#before = new Set((await this.dossiers()).map((d) => d.dossierId));
    this.#logFrom = this.emulator.output().length;
    this.#proxyLogFrom = this.proxy.output().length;
    this.attempts = [];
    this.accepted = [];
    this.refuseFirst = 0;
    // A failed scenario may have left the proxy down.
    if (this.proxy.process.exitCode !== null || this.proxy.process.signalCode !== null)
      await this.startProxy();
  }

  /** What the proxy logged during this scenario (since its last start). */
  proxyLog(): string {
    return this.proxy.output().slice(this.#proxyLogFrom);
  }

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  async startProxy() {
    this.proxy = await startChild(
      'server/index.ts',
      this.proxyEnv,
      /open (http:\/\/127\.0\.0\.1:\d+)\//,
    );
    this.#proxyLogFrom = 0;
  }

  /** A crash (SIGKILL) and a start with the same environment and port. */
  async crashAndRestart(downMs = 0, whileDown?: () => Promise<void>) {
    await this.proxy.stop({ kill: true });
    await whileDown?.();
    if (downMs) await sleep(downMs);
    await this.startProxy();
  }

  api = (path: string, init?: RequestInit) => fetch(`${this.origin}/api${path}`, init);

  driver(onRefused?: Parameters<typeof createDriver>[0]['onRefused']): Driver {
    return createDriver({ api: this.api, apiKey: API_KEY, ...(onRefused && { onRefused }) });
  }

  where(reference: string) {
    return { origin: this.origin, emulatorUrl: this.emulator.url, body: { reference } };
  }

  async control(path: string, body?: unknown, method = 'PUT') {
    const answer = await fetch(`${this.emulator.url}/control${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    assert.ok(answer.ok, `control ${path}: ${answer.status} ${await answer.clone().text()}`);
  }

  faults(rules: FaultRule[]) {
    return this.control('/faults', { rules });
  }

  /** GET on the emulator's Assure API with a sandbox token; retried while a fault rule answers 429/5xx. */
  async assure(path: string, method = 'GET'): Promise<Response> {
    for (let i = 0; ; i++) {
      if (!this.#token || this.#token.until < Date.now()) {
        const answer = await fetch(`${this.emulator.url}/auth/open/connect/token`, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${SANDBOX_CLIENT_ID}:${SANDBOX_CLIENT_SECRET}`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials&scope=signicat-api',
        });
        if (answer.status !== 200) {
          await sleep(200);
          continue;
        }
        this.#token = {
          value: ((await answer.json()) as { access_token: string }).access_token,
          until: Date.now() + 60_000,
        };
      }
      const answer = await fetch(`${this.emulator.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.#token.value}` },
      });
      if ((answer.status === 429 || answer.status >= 500) && i < 30) {
        await sleep(200);
        continue;
      }
      return answer;
    }
  }

  async dossiers(): Promise<Array<{ dossierId: string }>> {
    const answer = await this.assure('/assure/dossiers');
    assert.equal(answer.status, 200);
    return (await answer.json()) as Array<{ dossierId: string }>;
  }

  /** Dossiers this scenario left at Signicat. */
  async leftovers(): Promise<string[]> {
    return (await this.dossiers()).map((d) => d.dossierId).filter((id) => !this.#before.has(id));
  }

  /** The emulator's processes created since `sinceMs` (GET /processes, as the spec gives it). */
  async processes(sinceMs: number): Promise<Array<{ processId: string; status: string }>> {
    const since = new Date(sinceMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const answer = await this.assure(`/assure/processes?startCreationDate=${since}&limit=2000`);
    assert.equal(answer.status, 200);
    return ((await answer.json()) as { processes: Array<{ processId: string; status: string }> })
      .processes;
  }

  /** How often the emulator applied a fault rule to `operation` (its EMULATOR_LOG lines). */
  faultsApplied(operation: string): number {
    return this.emulator
      .output()
      .slice(this.#logFrom)
      .split('\n')
      .filter(
        (line) => line.includes('"fault.applied"') && line.includes(`"operation":"${operation}"`),
      ).length;
  }

  hooks() {
    const hooks = new Hono();
    hooks.post('/hooks', async (c) => {
      const body = await c.req.text();
      if (
        !verifyWebhookSignature(
          WEBHOOK_SECRET,
          body,
          c.req.header('Signicat-Verify-Signature') ?? '',
        )
      )
        return c.text('bad signature', 401);
      const payload = JSON.parse(body) as ResultPayload;
      const deliveryId = c.req.header('Signicat-Verify-Delivery') ?? '';
      const before = this.attempts.filter((a) => a.processId === payload.processId).length;
      if (before < this.refuseFirst) {
        this.attempts.push({ processId: payload.processId, deliveryId, answered: 503 });
        return c.text('receiver down', 503);
      }
      const dossier = await this.assure(`/assure/dossiers/${payload.dossierId}`);
      this.attempts.push({ processId: payload.processId, deliveryId, answered: 204 });
      this.accepted.push({ payload, deliveryId, dossierExisted: dossier.status === 200 });
      return c.body(null, 204);
    });
    return hooks;
  }

  /**
   * The scenario's promise: `references` each delivered exactly once with `status`, before its dossier
   * went, and no dossier left at Signicat.
   */
  async expectDelivered(
    references: string[],
    status: string | ((reference: string) => string),
    ms = 30_000,
  ) {
    await eventually(
      () => this.accepted.length >= references.length,
      ms,
      `${references.length} deliveries (have ${this.accepted.length})`,
    );
    await eventually(
      async () => (await this.leftovers()).length === 0,
      ms,
      'every dossier deleted',
    ).catch(() => {});
    assert.deepEqual(await this.leftovers(), [], 'no dossier left at Signicat');
    // Anything still on its way (a duplicate) would arrive within a few poll and retry intervals.
    await sleep(800);
    const got = this.accepted.map((d) => d.payload.reference ?? '(none)').sort();
    assert.deepEqual(
      got,
      [...references].sort(),
      'each verification delivered exactly once, with its reference',
    );
    assert.equal(
      new Set(this.accepted.map((d) => d.payload.processId)).size,
      references.length,
      'one delivery per process',
    );
    for (const { payload, deliveryId, dossierExisted } of this.accepted) {
      const expected = typeof status === 'function' ? status(payload.reference!) : status;
      assert.equal(payload.status, expected, `the true final status of ${payload.reference}`);
      assert.equal(deliveryId, payload.deliveryId, 'the delivery id header is the payload one');
      assert.equal(deliveryId, `verification-${payload.processId}`, 'a stable delivery id');
      assert.ok(
        dossierExisted,
        `the dossier of ${payload.reference} was still there when its result arrived`,
      );
      const ids = new Set(
        this.attempts.filter((a) => a.processId === payload.processId).map((a) => a.deliveryId),
      );
      assert.equal(ids.size, 1, 'every attempt carried the same delivery id');
    }
  }

  async finalStatus(token: string) {
    return this.driver().finalStatus(token, 20_000);
  }

  async stop() {
    await this.proxy?.stop({ kill: true });
    await this.emulator?.stop();
    await this.receiver?.close();
  }
}

/**
 * One world for every scenario (a tsx child takes seconds to start on a busy machine): each scenario
 * resets the emulator's controls and the receiver, and counts only its own dossiers and log lines.
 */
let shared: Promise<World> | undefined;
after(async () => {
  await (await shared?.catch(() => undefined))?.stop();
});

async function world(): Promise<World> {
  const w = await (shared ??= World.start());
  await w.scenario();
  return w;
}

/** Ends a scenario: no fault rule of a failed one may hold up the next one's background work. */
async function done(w: World) {
  await w.control('/faults', undefined, 'DELETE');
}

const refs = (scenario: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${scenario}-${i + 1}`);

describe('nothing lost across restarts and outages (child processes)', () => {
  it('(a) verifications that finish while the proxy is down are delivered after its restart, then deleted', async () => {
    const w = await world();
    try {
      // Held at Signicat until the proxy is down: on a busy machine the eight starts take long enough
      // for the first ones to finish (and be delivered) before the crash, which is another scenario.
      await w.control('/outcome', { status: 'rejected', delayMs: 600_000 });
      const references = refs('a', 8);
      const since = Date.now() - 1000;
      const tokens = await Promise.all(
        references.map((reference) => w.driver().start('capture', w.where(reference))),
      );
      await w.crashAndRestart(0, async () => {
        for (const { processId } of await w.processes(since))
          await w.control(`/processes/${processId}`, { status: 'rejected', delayMs: 50 });
        // Down until Signicat has finished all of them (its callbacks to the dead proxy fail).
        await eventually(
          async () => {
            const processes = await w.processes(since);
            return processes.length >= 8 && processes.every((p) => FINAL.has(p.status));
          },
          10_000,
          'all 8 final at Signicat',
        );
      });
      // The users have gone: only Signicat's process list (and late callbacks) lead the new proxy to them.
      await w.expectDelivered(references, 'rejected');
      const statuses = await Promise.all(tokens.map((held) => w.finalStatus(held.at(-1)!)));
      assert.deepEqual(
        statuses,
        references.map(() => 'rejected'),
      );
    } finally {
      await done(w);
    }
  });

  it('(b) verifications still processing across a restart are delivered with their reference', async () => {
    const w = await world();
    try {
      await w.control('/outcome', { status: 'accepted', delayMs: 1500 });
      const references = refs('b', 8);
      const tokens = await Promise.all(
        references.map((reference) => w.driver().start('capture', w.where(reference))),
      );
      await w.crashAndRestart();
      // The browsers keep asking while the restarted proxy reconciles: both paths, one delivery each.
      const statuses = await Promise.all(tokens.map((held) => w.finalStatus(held.at(-1)!)));
      assert.deepEqual(
        statuses,
        references.map(() => 'accepted'),
      );
      await w.expectDelivered(references, 'accepted');
    } finally {
      await done(w);
    }
  });

  it('(c) a restart between uploads keeps the uploaded sides (refreshed token)', async () => {
    const w = await world();
    try {
      await w.control('/outcome', { status: 'inconclusive', delayMs: 100 });
      const references = refs('c', 4);
      const drivers = references.map(() => w.driver());
      const halfway = await Promise.all(
        references.map(async (reference, i) => {
          const created = await drivers[i]!.create({
            mode: 'capture',
            provider: 'signicatpaper',
            documentType: 'identityCard',
            reference,
          });
          assert.deepEqual(created.images.required, ['front', 'back', 'selfie']);
          let token = await drivers[i]!.upload(created.session, 'front');
          token = await drivers[i]!.upload(token, 'back');
          return { first: created.session, token };
        }),
      );
      await w.crashAndRestart();
      await Promise.all(
        halfway.map(async ({ first, token }, i) => {
          const state = (await (await w.api(`/sessions/${token}`)).json()) as {
            images: { uploaded: string[] };
          };
          assert.deepEqual(
            [...state.images.uploaded].sort(),
            ['back', 'front'],
            'the uploaded sides survived',
          );
          const last = await drivers[i]!.upload(token, 'selfie');
          await drivers[i]!.submit(last);
          // The first token the browser held (no dossier in it) keeps working too.
          assert.equal(await w.finalStatus(first), 'inconclusive');
        }),
      );
      await w.expectDelivered(references, 'inconclusive');
    } finally {
      await done(w);
    }
  });

  it('(d) a receiver down for longer than the webhook retries gets every result once when it recovers', async () => {
    const w = await world();
    try {
      // One webhook round is 6 attempts; refusing 9 forces at least one of the lifecycle's later retries.
      w.refuseFirst = 9;
      await w.control('/outcome', { status: 'accepted', delayMs: 100 });
      const references = refs('d', 8);
      const modes: FlowMode[] = ['capture', 'redirect', 'provider-sdk'];
      await Promise.all(
        references.map((reference, i) => w.driver().start(modes[i % 3]!, w.where(reference))),
      );
      await w.expectDelivered(references, 'accepted');
      for (const processId of new Set(w.attempts.map((a) => a.processId))) {
        const mine = w.attempts.filter((a) => a.processId === processId);
        assert.equal(mine.length, 10, 'refused 9 times, then accepted once, and never again');
      }
      assert.match(
        w.proxyLog(),
        /delivery\.retry_later/,
        'the lifecycle retried after the webhook round gave up',
      );
    } finally {
      await done(w);
    }
  });

  it('(e) a failed DELETE dossier is retried until the dossier is gone', async () => {
    const w = await world();
    try {
      await w.control('/outcome', { status: 'failed', delayMs: 50 });
      // More failures than one call's client retries: the lifecycle's own retry must finish the job.
      await w.faults([{ operation: 'deleteDossier', status: 500, times: 12 }]);
      const references = refs('e', 4);
      await Promise.all(
        references.map((reference) => w.driver().start('capture', w.where(reference))),
      );
      await w.expectDelivered(references, 'failed');
      assert.equal(w.faultsApplied('deleteDossier'), 12);
      assert.match(w.proxyLog(), /dossier\.delete_failed/, 'the lifecycle retried the delete');
    } finally {
      await done(w);
    }
  });

  it('(f) a failed clean-up after a Create process error leaves no orphan', async () => {
    const w = await world();
    try {
      await w.control('/outcome', { status: 'accepted', delayMs: 50 });
      // Create process fails; deleting its dossier fails on every client retry of the first call.
      await w.faults([
        { operation: 'createProcess', status: 500, times: 1 },
        { operation: 'deleteDossier', status: 500, times: 3 },
      ]);
      const driver = w.driver(async () => void (await sleep(50)));
      await driver.start('capture', w.where('f-1'));
      assert.equal(
        driver.refusals.length,
        1,
        'the user saw one retryable error, and the retry worked',
      );
      await w.expectDelivered(['f-1'], 'accepted');
      assert.equal(w.faultsApplied('deleteDossier'), 3);
      assert.match(w.proxyLog(), /dossier\.discard_failed/);
    } finally {
      await done(w);
    }
  });

  it('(f′) … also when the proxy crashes before that clean-up is retried', async () => {
    const w = await world();
    try {
      await w.faults([
        { operation: 'createProcess', status: 500, times: 1 },
        { operation: 'deleteDossier', status: 500, times: 3 },
      ]);
      const created = await w.driver().create({
        mode: 'capture',
        provider: 'signicatpaper',
        documentType: 'passport',
        reference: 'f-2',
      });
      const failed = await w.api(`/sessions/${created.session}/images/front`, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: (await import('../helpers/images.ts')).jpegBytes(),
      });
      assert.equal(failed.status, 502);
      await w.crashAndRestart();
      await eventually(
        async () => (await w.leftovers()).length === 0,
        8000,
        'the orphan deleted after the restart',
      ).catch(() => {});
      assert.deepEqual(await w.leftovers(), [], 'no orphan dossier');
    } finally {
      // Not to be counted against the next scenario.
      for (const dossierId of await w.leftovers())
        await w.assure(`/assure/dossiers/${dossierId}`, 'DELETE');
      await done(w);
    }
  });

  it('(g) with 30 % of every operation answering 429, all 16 flows get through', async () => {
    const w = await world();
    try {
      await w.control('/outcome', { status: 'accepted', delayMs: 100 });
      const modes: FlowMode[] = ['capture', 'capture', 'redirect', 'provider-sdk'];
      const references = refs('g', 16);
      // About 30 % of each operation's calls for 16 flows (4 redirect, 4 provider-sdk, 8 capture).
      const share: Array<[FaultRule['operation'], number]> = [
        ['token', 1],
        ['createDossier', 5],
        ['createProcess', 4],
        ['setImages', 5],
        ['startVerification', 4],
        ['startCapture', 2],
        ['getDossier', 3],
        ['getProcess', 10],
        ['deleteDossier', 5],
        ['listProcesses', 1],
      ];
      await w.faults(
        share.map(([operation, times]) => ({ operation, status: 429, retryAfter: 1, times })),
      );
      const drivers = references.map(() => w.driver());
      const tokens = await Promise.all(
        references.map((reference, i) => drivers[i]!.start(modes[i % 4]!, w.where(reference))),
      );
      const statuses = await Promise.all(tokens.map((held) => w.finalStatus(held.at(-1)!)));
      assert.deepEqual(
        statuses,
        references.map(() => 'accepted'),
      );
      await w.expectDelivered(references, 'accepted');
      const applied = share.reduce((sum, [operation]) => sum + w.faultsApplied(operation), 0);
      assert.ok(applied >= 30, `the 429s happened (${applied})`);
      assert.ok(
        drivers.some((d) => d.refusals.length > 0),
        'some reached the user as 503 + Retry-After, and were retried',
      );
    } finally {
      await done(w);
    }
  });

  it('(h) Start verification answering late while callbacks and events are lost: all reach a final status by polling', async () => {
    // The proxy waits 1.5 s (UPSTREAM_TIMEOUT_MS) for each call; Start verification answers after 2.5 s.
    const w = await world();
    try {
      // No events are configured; every legacy callback is lost (as with EMULATOR_LEGACY_CALLBACKS=0).
      await w.control('/callbacks', { drop: true });
      await w.control('/outcome', { status: 'rejected', delayMs: 100 });
      // Every Start verification answers after the proxy stopped waiting (but Signicat does start it).
      await w.faults([{ operation: 'startVerification', delayMs: 2500 }]);
      const references = refs('h', 8);
      const results = await Promise.all(
        references.map(async (reference, i) => {
          const created = await w.driver().create({
            mode: 'capture',
            provider: 'signicatpaper',
            documentType: 'passport',
            reference,
          });
          let token = created.session;
          for (const side of created.images.required) token = await w.driver().upload(token, side);
          const first = await w.api(`/sessions/${token}/submit`, { method: 'POST' });
          assert.equal(first.status, 504, 'the late answer is a timeout');
          assert.ok(first.headers.get('Retry-After'));
          // Half the users retry after Retry-After, like the element; the others have closed the page.
          if (i % 2 === 0) {
            await sleep(Number(first.headers.get('Retry-After')) * 1000);
            const again = await w.api(`/sessions/${token}/submit`, { method: 'POST' });
            assert.equal(again.status, 202, await again.clone().text());
          }
          return token;
        }),
      );
      await w.expectDelivered(references, 'rejected');
      const statuses = await Promise.all(results.map((token) => w.finalStatus(token)));
      assert.deepEqual(
        statuses,
        references.map(() => 'rejected'),
      );
    } finally {
      await done(w);
    }
  });
});
