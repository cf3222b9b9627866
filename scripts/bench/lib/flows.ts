/**
 * One whole verification, the way each side does it:
 * - project: the element's calls to the proxy: create a capture session, upload each side (raw
 *   JPEG), submit, then read the status until it is final (every 50 ms);
 * - direct (the baseline): what an integrator calling Assure itself would do: create dossier and
 *   process, Set images per side (dataURL JSON), Start verification, Get process until final (every
 *   50 ms), delete the dossier.
 * Both wait the same way; the proxy's own clean-up (webhook, delete) runs after the user sees the result.
 */
import { requiredSides } from '../../../component/contract/index.ts';
import { FINAL_STATUSES } from '../../../component/contract/index.ts';
import { FlowError, jsonOf, send, type Tally } from './client.ts';
import { sleep } from './processes.ts';

export type Kind = 'passport' | 'identityCard';
/** The sides each kind needs: the contract's one rule. */
export const SIDES: Record<Kind, readonly string[]> = {
  passport: requiredSides('capture', 'passport'),
  identityCard: requiredSides('capture', 'identityCard'),
};
const COUNTRY: Record<Kind, string> = { passport: 'UNIV', identityCard: 'NO' };
const POLL_MS = 50;
const FINAL_WITHIN_MS = 60_000;
const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

export interface Outcome {
  ok: boolean;
  ms: number;
  retries: number;
  networkRetries: number;
  error?: string;
}

async function timed(run: (tally: Tally) => Promise<void>): Promise<Outcome> {
  const tally: Tally = { retries: 0, networkRetries: 0 };
  const t0 = performance.now();
  try {
    await run(tally);
    return { ok: true, ms: performance.now() - t0, ...tally };
  } catch (error) {
    const detail = error instanceof FlowError ? error.message : String(error);
    return { ok: false, ms: performance.now() - t0, ...tally, error: detail };
  }
}

async function untilFinal(read: () => Promise<string>): Promise<void> {
  const until = performance.now() + FINAL_WITHIN_MS;
  for (;;) {
    if (isFinal(await read())) return;
    if (performance.now() > until)
      throw new FlowError('status', `not final within ${FINAL_WITHIN_MS} ms`);
    await sleep(POLL_MS);
  }
}

/** `api` gives the proxy's /api base for each request (round robin over instances when scaling). */
export function projectVerification(
  api: () => string,
  image: Uint8Array<ArrayBuffer>,
  kind: Kind = 'passport',
): Promise<Outcome> {
  return timed(async (tally) => {
    const body = JSON.stringify({
      mode: 'capture',
      documentType: kind,
      documentCountry: COUNTRY[kind],
    });
    const created = await send(
      'create',
      () => `${api()}/sessions`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body },
      [201],
      tally,
    );
    let token = (await jsonOf<{ session: string }>(created)).session;
    for (const side of SIDES[kind]) {
      const uploaded = await send(
        `upload ${side}`,
        () => `${api()}/sessions/${token}/images/${side}`,
        { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: image },
        [200],
        tally,
      );
      token = (await jsonOf<{ session: string }>(uploaded)).session;
    }
    await (
      await send(
        'submit',
        () => `${api()}/sessions/${token}/submit`,
        { method: 'POST' },
        [202],
        tally,
      )
    ).body?.cancel();
    await untilFinal(
      async () =>
        (
          await jsonOf<{ status: string }>(
            await send('status', () => `${api()}/sessions/${token}`, {}, [200], tally),
          )
        ).status,
    );
  });
}

export function directVerification(
  emulatorUrl: string,
  bearer: () => Promise<string>,
  imageJson: (side: string) => string,
  kind: Kind = 'passport',
): Promise<Outcome> {
  return timed(async (tally) => {
    const base = `${emulatorUrl}/assure/dossiers`;
    const call = async (
      step: string,
      url: string,
      method: string,
      body: string | undefined,
      ok: number[],
    ) =>
      send(
        step,
        url,
        {
          method,
          headers: {
            Authorization: `Bearer ${await bearer()}`,
            ...(body !== undefined && { 'Content-Type': 'application/json' }),
          },
          body,
        },
        ok,
        tally,
      );
    const { dossierId } = await jsonOf<{ dossierId: string }>(
      await call('create dossier', base, 'POST', '{}', [201]),
    );
    const processes = `${base}/${dossierId}/processes`;
    const processBody = JSON.stringify({
      provider: 'signicatpaper',
      documentType: kind,
      documentCountry: COUNTRY[kind],
    });
    const { processId } = await jsonOf<{ processId: string }>(
      await call('create process', processes, 'POST', processBody, [201]),
    );
    const process = `${processes}/${processId}`;
    for (const side of SIDES[kind])
      await (
        await call(`set images ${side}`, `${process}/images`, 'POST', imageJson(side), [200, 201])
      ).body?.cancel();
    await (await call('start', process, 'POST', '{}', [200, 204])).body?.cancel();
    await untilFinal(
      async () =>
        (
          await jsonOf<{ status: string }>(
            await call('get process', process, 'GET', undefined, [200]),
          )
        ).status,
    );
    await (
      await call('delete', `${base}/${dossierId}`, 'DELETE', undefined, [204, 404])
    ).body?.cancel();
  });
}

export interface LoadResult {
  outcomes: Outcome[];
  wallMs: number;
}

/**
 * Closed loop: `concurrency` workers run `one()` back to back until `total` have started, or no new
 * one starts after `maxMs` (the bench's time bound; those in flight still finish).
 */
export async function closedLoop(
  concurrency: number,
  total: number,
  one: () => Promise<Outcome>,
  maxMs = Infinity,
): Promise<LoadResult> {
  const outcomes: Outcome[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total && (started < concurrency || performance.now() - t0 < maxMs)) {
        started++;
        outcomes.push(await one());
      }
    }),
  );
  return { outcomes, wallMs: performance.now() - t0 };
}
