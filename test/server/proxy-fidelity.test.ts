/**
 * What the proxy asks Signicat for, and how it survives what Signicat answers: recorded requests to
 * the emulator (documentCountry, Onfido's location and consent, externalReference), lazy dossiers in
 * capture mode, unknown statuses, a Download that is not ready yet, and upstream failures partway
 * through a flow (the submit claim that used to stay taken).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { jpegBytes } from '../helpers/images.ts';
import { startHarness, type Harness } from '../helpers/proxy-harness.ts';
import { eventually, json } from '../helpers/sandbox.ts';

let h: Harness;
const archived: Array<{ processId: string; bytes: number }> = [];
const archiveCalls: string[] = [];

before(async () => {
  h = await startHarness({
    archive: async (processId, zip) => {
      archiveCalls.push(processId);
      archived.push({ processId, bytes: zip.byteLength });
      return `${processId}.zip`;
    },
    retry: { baseMs: 20, maxMs: 100 },
  });
});
after(() => h.close());
beforeEach(async () => {
  h.requests.length = 0;
  await h.control('/faults', undefined, 'DELETE');
  await h.control('/outcome', { status: 'accepted', delayMs: 0 });
});

async function create(body: Record<string, unknown>) {
  const answer = await h.api('/sessions', json(body));
  assert.equal(answer.status, 201, await answer.clone().text());
  return (await answer.json()) as {
    session: string;
    images: { required: string[] };
    consentRequired?: boolean;
    documentCountry?: string;
  };
}

async function upload(session: string, side: string, headers: Record<string, string> = {}) {
  return h.api(`/sessions/${session}/images/${side}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/jpeg', ...headers },
    body: jpegBytes(),
  });
}

async function uploadAll(
  session: { session: string; images: { required: string[] } },
  headers: Record<string, string> = {},
) {
  for (const side of session.images.required)
    assert.equal((await upload(session.session, side, headers)).status, 200);
}

const sent = (method: string, pattern: RegExp) =>
  h.requests.filter((r) => r.method === method && pattern.test(r.path));

async function finalOf(session: string) {
  return eventually(
    async () => {
      const state = (await (await h.api(`/sessions/${session}`)).json()) as {
        status: string;
        final: boolean;
      };
      return state.final ? state.status : undefined;
    },
    8000,
    'a final status',
  );
}

describe('what the proxy sends to Signicat', () => {
  it('creates no dossier for a capture session until its first upload', async () => {
    const session = await create({ mode: 'capture', documentType: 'passport' });
    assert.equal(sent('POST', /\/assure\/dossiers$/).length, 0, 'no dossier at session creation');
    assert.equal((await upload(session.session, 'front')).status, 200);
    assert.equal(sent('POST', /\/assure\/dossiers$/).length, 1);
    assert.equal((await upload(session.session, 'selfie')).status, 200);
    assert.equal(
      sent('POST', /\/assure\/dossiers$/).length,
      1,
      'one dossier for the whole session',
    );
  });

  it('sends documentCountry for a Signicat Paper passport (the sandbox default NO) and seals the dossier reference', async () => {
    const session = await create({
      mode: 'capture',
      provider: 'signicatpaper',
      documentType: 'passport',
    });
    assert.equal(session.documentCountry, 'NO');
    await uploadAll(session);
    const [dossier] = sent('POST', /\/assure\/dossiers$/);
    const externalReference = (dossier!.body as { externalReference?: string }).externalReference;
    assert.match(externalReference ?? '', /^sv1\./, 'the proxy marks its dossiers');
    const [process] = sent('POST', /\/processes$/);
    assert.deepEqual(
      {
        provider: (process!.body as Record<string, unknown>).provider,
        documentCountry: (process!.body as Record<string, unknown>).documentCountry,
      },
      { provider: 'signicatpaper', documentCountry: 'NO' },
    );
  });

  it('sends UNIV for a passport when the session names that', async () => {
    const session = await create({
      mode: 'capture',
      provider: 'signicatpaper',
      documentType: 'passport',
      documentCountry: 'UNIV',
    });
    await uploadAll(session);
    assert.equal(
      (sent('POST', /\/processes$/)[0]!.body as Record<string, unknown>).documentCountry,
      'UNIV',
    );
  });

  it('refuses UNIV for other documents and unknown countries, before calling Signicat', async () => {
    for (const body of [
      { documentType: 'identityCard', documentCountry: 'UNIV' },
      { documentType: 'passport', documentCountry: 'XX' },
      { documentType: 'passport', documentCountry: 'NOR' },
    ]) {
      const answer = await h.api(
        '/sessions',
        json({ mode: 'capture', provider: 'signicatpaper', ...body }),
      );
      assert.equal(answer.status, 400, JSON.stringify(body));
    }
    assert.equal(h.requests.length, 0);
  });

  it('asks for Onfido consent, refuses an upload without it, then sends location and consent', async () => {
    const session = await create({ mode: 'capture', provider: 'onfido', documentType: 'passport' });
    assert.equal(session.consentRequired, true);
    const refused = await upload(session.session, 'front');
    assert.equal(refused.status, 400);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'consent_required',
    );
    assert.equal(h.requests.length, 0, 'nothing reached Signicat');
    await uploadAll(session, { 'Signicat-Verify-Consent': 'granted' });
    const body = sent('POST', /\/processes$/)[0]!.body as {
      processParameters?: { location?: { ipAddress?: string }; consents?: { privacy?: boolean } };
    };
    assert.equal(body.processParameters?.location?.ipAddress, '127.0.0.1');
    assert.equal(body.processParameters?.consents?.privacy, true);
    assert.equal(
      (await h.api(`/sessions/${session.session}/submit`, { method: 'POST' })).status,
      202,
    );
    assert.equal(await finalOf(session.session), 'accepted');
  });

  it('sends the page URL as Onfido web SDK referrer in provider-sdk mode', async () => {
    const page = `${h.url}/shop/checkout`;
    const session = await h.api(
      '/sessions',
      json({ mode: 'provider-sdk', provider: 'onfido', pageUrl: page }),
    );
    assert.equal(session.status, 201, await session.clone().text());
    const body = sent('POST', /\/processes$/)[0]!.body as {
      processParameters?: { referrer?: string };
    };
    assert.equal(body.processParameters?.referrer, page);
    const foreign = await h.api(
      '/sessions',
      json({ mode: 'provider-sdk', provider: 'onfido', pageUrl: 'https://evil.example/x' }),
    );
    assert.equal(foreign.status, 400);
  });
});

describe('what Signicat answers', () => {
  it('finds the redirect process from Get dossier, since Start capture flow answers only {url}', async () => {
    const session = await create({ mode: 'redirect', redirectUrl: `${h.url}/done` } as never);
    const answer = session as unknown as { captureUrl: string; session: string };
    assert.ok(answer.captureUrl);
    assert.equal(sent('GET', /\/assure\/dossiers\/[^/]+$/).length, 1);
    const page = await fetch(answer.captureUrl, {
      method: 'POST',
      body: new URLSearchParams({ action: 'complete' }),
      redirect: 'manual',
    });
    const back = new URL(page.headers.get('Location')!);
    // The return may lack parameters (cancel/fail are undocumented): the proxy asks Signicat.
    const returned = await h.api(
      `/sessions/${answer.session}/return`,
      json({ dossierId: back.searchParams.get('dossierId') }),
    );
    assert.equal(returned.status, 200);
    assert.equal(await finalOf(answer.session), 'accepted');
  });

  it('archives only a non-empty zip: a Download answering 204 is retried, and the dossier waits', async () => {
    await h.control('/faults', { rules: [{ operation: 'download', status: 204, times: 2 }] });
    const session = await create({ mode: 'capture', documentType: 'passport' });
    await uploadAll(session);
    await h.api(`/sessions/${session.session}/submit`, { method: 'POST' });
    await finalOf(session.session);
    const processId = sent('POST', /\/images$/)
      .at(-1)!
      .path.split('/')[5]!;
    const of = (method: string, suffix: string) =>
      h.requests.filter(
        (r) => r.method === method && r.path.includes(processId) && r.path.endsWith(suffix),
      );
    await eventually(() => archived.find((a) => a.processId === processId), 8000, 'the archive');
    assert.deepEqual(
      of('GET', '/download').map((d) => d.status),
      [204, 204, 200],
    );
    assert.equal(
      archiveCalls.filter((id) => id === processId).length,
      1,
      'archived once, and only the ready zip',
    );
    assert.ok(
      archived.filter((a) => a.processId === processId).every((a) => a.bytes > 0),
      'never an empty archive',
    );
    const dossierId = sent('POST', /\/images$/)
      .at(-1)!
      .path.split('/')[3]!;
    await eventually(
      () =>
        h.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/dossiers/${dossierId}`)),
      5000,
      'the delete',
    );
    const order = h.requests
      .filter((r) => r.path.includes(dossierId))
      .map((r) => `${r.method} ${r.status}`);
    const lastDownload = order.lastIndexOf('GET 200');
    assert.ok(
      order.indexOf('DELETE 204') > lastDownload,
      `deleted only after the zip was archived: ${order.join(', ')}`,
    );
  });

  it('treats an unknown status as processing, warns, and keeps polling to the final status', async () => {
    const session = await create({ mode: 'capture', documentType: 'passport' });
    await uploadAll(session);
    await h.control('/outcome', { status: 'rejected', delayMs: 400 });
    assert.equal(
      (await h.api(`/sessions/${session.session}/submit`, { method: 'POST' })).status,
      202,
    );
    // The emulator never invents statuses: feed one through the lifecycle as Get process would.
    const running = (await h.proxy.store.listInFlight()).sort((a, b) =>
      b.createdAt.localeCompare(a.createdAt),
    )[0]!;
    await h.store.update(running.sessionId, (r) => ({ ...r, status: 'pending' }));
    await h.proxy.lifecycle.observe(running.sessionId, { status: 'inReview' }, 'poll');
    const state = (await (await h.api(`/sessions/${session.session}`)).json()) as {
      status: string;
    };
    assert.equal(state.status, 'processing');
    assert.ok(h.logs.some((line) => line.includes('assure.unknown_status')));
    assert.equal(await finalOf(session.session), 'rejected');
  });
});

describe('upstream failures partway through a flow', () => {
  it('releases the submit claim when Start verification fails once, so the retry starts it (regression)', async () => {
    const session = await create({ mode: 'capture', documentType: 'passport' });
    await uploadAll(session);
    await h.control('/faults', {
      rules: [{ operation: 'startVerification', status: 502, times: 1 }],
    });
    const first = await h.api(`/sessions/${session.session}/submit`, { method: 'POST' });
    assert.equal(first.status, 502);
    const second = await h.api(`/sessions/${session.session}/submit`, { method: 'POST' });
    assert.equal(second.status, 202);
    assert.notEqual(((await second.json()) as { status: string }).status, 'pending');
    assert.equal(await finalOf(session.session), 'accepted');
  });

  it('answers a lasting Start verification failure with a retryable error and changes nothing', async () => {
    const session = await create({ mode: 'capture', documentType: 'passport' });
    await uploadAll(session);
    await h.control('/faults', {
      rules: [{ operation: 'startVerification', status: 503, retryAfter: 7 }],
    });
    for (let i = 0; i < 2; i++) {
      const answer = await h.api(`/sessions/${session.session}/submit`, { method: 'POST' });
      assert.ok(answer.status === 503 || answer.status === 502, String(answer.status));
      assert.ok(answer.headers.get('Retry-After'));
    }
    const state = (await (await h.api(`/sessions/${session.session}`)).json()) as {
      status: string;
    };
    assert.equal(state.status, 'pending');
  });

  it('deletes the dossier when Create process fails, and answers with a clear error', async () => {
    await h.control('/faults', { rules: [{ operation: 'createProcess', status: 500, times: 1 }] });
    const session = await create({ mode: 'capture', documentType: 'passport' });
    const failed = await upload(session.session, 'front');
    assert.equal(failed.status, 502);
    const [dossier] = sent('POST', /\/assure\/dossiers$/);
    assert.ok(dossier);
    assert.equal(sent('DELETE', /\/assure\/dossiers\/[^/]+$/).length, 1, 'compensated');
    // The user's retry works: a new dossier and process.
    assert.equal((await upload(session.session, 'front')).status, 200);
  });

  it('delivers a result whose first delivery failed, once, with a stable id', async () => {
    let calls = 0;
    const local = await startHarness({
      onResult: async () => {
        calls += 1;
        if (calls === 1) throw new Error('receiver down');
      },
      retry: { baseMs: 20, maxMs: 50 },
    });
    try {
      const created = await local.api(
        '/sessions',
        json({ mode: 'capture', documentType: 'passport' }),
      );
      const session = (await created.json()) as { session: string; images: { required: string[] } };
      for (const side of session.images.required) {
        await local.api(`/sessions/${session.session}/images/${side}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'image/jpeg' },
          body: jpegBytes(),
        });
      }
      await local.api(`/sessions/${session.session}/submit`, { method: 'POST' });
      await eventually(() => calls >= 2, 5000, 'the second delivery');
      await local.proxy.lifecycle.idle();
      assert.equal(calls, 2);
    } finally {
      await local.close();
    }
  });
});
