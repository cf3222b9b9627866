/**
 * Drives the real Assure client through every operation the proxy uses, against an emulator, with its
 * `fetch` recorded. Each call is labelled; what the client could not do becomes a flow problem.
 */
import { createAssureClient } from '../../server/assure/client.ts';
import type { AssureClient, CreateProcessInput, ImageSet } from '../../server/assure/types.ts';
import { FINAL_STATUSES, type FinalStatus } from '../../component/contract/index.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../server/emulator/index.ts';
import { makeJpeg } from '../../test/helpers/images.ts';
import { TOKEN_PATH } from './token.ts';
import { createSteps, waitFor, type Steps } from './steps.ts';
import type { Recorder } from './record.ts';

export interface ClientDriveOptions {
  /** Root of the emulator (its `/assure`, `/auth/...` and `/control` routes). */
  emulatorUrl: string;
  recorder: Recorder;
}

const EXTERNAL_REFERENCE = 'signicat-verify-conformance';
/** Long enough that a process stays `processing` until the driver finishes it. */
const HOLD_MS = 600_000;

/** Two-sided-document images as the proxy sends them. */
function images(sides: Array<keyof ImageSet>): ImageSet {
  const set: ImageSet = {};
  for (const side of sides) set[side] = { mime: 'image/jpeg', bytes: makeJpeg(1200, 800, 2048) };
  return set;
}

/** The Create process bodies the proxy sends, one per provider and path (see server/verification). */
function processInput(provider: 'signicatpaper' | 'onfido'): CreateProcessInput {
  return provider === 'signicatpaper'
    ? { provider, documentType: 'passport', documentCountry: 'NO' }
    : {
        provider,
        processType: 'documentSelfie',
        documentType: 'passport',
        processParameters: {
          location: { ipAddress: '203.0.113.7', countryOfResidence: 'NOR' },
          consents: { privacy: true },
        },
      };
}

export async function driveClient(options: ClientDriveOptions): Promise<Steps> {
  const { emulatorUrl, recorder } = options;
  const steps = createSteps(recorder);
  const assure = createAssureClient({
    apiUrl: emulatorUrl,
    tokenUrl: `${emulatorUrl}${TOKEN_PATH}`,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    timeoutMs: 5000,
    fetch: recorder.fetch,
  });
  const control = async (path: string, body: unknown) => {
    // Sandbox control is not part of the Assure API: plain fetch, not recorded.
    const response = await fetch(`${emulatorUrl}/control${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`emulator control ${path} answered ${response.status}`);
  };

  const dossier = await steps.run('createDossier', () =>
    assure.createDossier({ externalReference: EXTERNAL_REFERENCE }),
  );
  if (!dossier) return steps;
  const { dossierId } = dossier;
  await steps.run('getDossier', () => assure.getDossier(dossierId));
  await steps.run('getDossiers', () => assure.listDossiers());
  for (const provider of ['signicatpaper', 'onfido'] as const) {
    await steps.run(`getDocumentTypes ${provider}`, async () => {
      // The emulator lists types for every provider: an empty result means the client dropped them.
      if ((await assure.getDocumentTypes(provider)).length === 0)
        throw new Error(`the client returned no document types for ${provider}`);
    });
  }

  // One verification per final status; paper and onfido take turns, so both Create process bodies are seen.
  const providers = ['signicatpaper', 'onfido'] as const;
  for (const [i, status] of FINAL_STATUSES.entries()) {
    await verifyTo(steps, assure, control, dossierId, providers[i % 2]!, status, i === 0);
  }

  // Fail process: only a pending process can be failed; a second fail is a 409.
  const pending = await steps.run('createProcess signicatpaper (to fail)', () =>
    assure.createProcess(dossierId, processInput('signicatpaper')),
  );
  if (pending) {
    await steps.run('failProcess (pending)', () =>
      assure.failProcess(dossierId, pending.processId),
    );
    await steps.run('getProcess (failed by request)', () =>
      assure.getProcess(dossierId, pending.processId),
    );
    await steps.expectStatus('failProcess (not pending) → 409', 409, () =>
      assure.failProcess(dossierId, pending.processId),
    );
  }

  const hourAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await steps.run('listProcesses', () =>
    assure.listProcesses({ startCreationDate: hourAgo, limit: 50 }),
  );
  await steps.run('listProcesses (status filter)', () =>
    assure.listProcesses({
      startCreationDate: hourAgo,
      statusList: ['accepted', 'rejected'],
      offset: 0,
      limit: 10,
    }),
  );

  // Start capture flow (redirect mode): 201 {url} only; the process is found through Get dossier.
  const captureDossier = await steps.run('createDossier (capture)', () =>
    assure.createDossier({ externalReference: EXTERNAL_REFERENCE }),
  );
  if (captureDossier) {
    await steps.run('startCaptureFlow signicatpaper', () =>
      assure.startCaptureFlow(captureDossier.dossierId, {
        provider: 'signicatpaper',
        redirectUrl: 'https://shop.example/verify/return?step=2',
        captureParameters: { defaultCountry: 'NOR' },
      }),
    );
    await steps.run('getDossier (after capture flow)', async () => {
      const found = await assure.getDossier(captureDossier.dossierId);
      if (found.processes.length !== 1)
        throw new Error(
          `expected the capture flow's process in Get dossier, found ${found.processes.length}`,
        );
    });
    await steps.run('deleteDossier (capture)', () =>
      assure.deleteDossier(captureDossier.dossierId),
    );
  }

  await steps.run('deleteDossier', () => assure.deleteDossier(dossierId));
  await steps.expectStatus('getDossier (deleted) → 404', 404, () => assure.getDossier(dossierId));
  return steps;
}

/**
 * Create process, Set images, Start verification, Get process while processing, Download before the
 * zip exists (204), then the final status, Get process again and Download until the zip is there (200).
 */
async function verifyTo(
  steps: Steps,
  assure: AssureClient,
  control: (path: string, body: unknown) => Promise<void>,
  dossierId: string,
  provider: 'signicatpaper' | 'onfido',
  status: FinalStatus,
  withDownload: boolean,
): Promise<void> {
  const tag = `${provider} → ${status}`;
  const created = await steps.run(`createProcess ${provider}`, () =>
    assure.createProcess(dossierId, processInput(provider)),
  );
  if (!created) return;
  const { processId } = created;
  await steps.run(`control: hold ${tag}`, () =>
    control(`/processes/${processId}`, { status, delayMs: HOLD_MS }),
  );
  await steps.run(`setImages ${provider}`, () =>
    assure.setImages(dossierId, processId, images(['front', 'selfie'])),
  );
  await steps.run(`startVerification ${tag}`, () => assure.startVerification(dossierId, processId));
  const processing = await steps.run(`getProcess processing (${tag})`, () =>
    assure.getProcess(dossierId, processId),
  );
  if (processing && processing.status !== 'processing')
    steps.fail(`getProcess processing (${tag})`, `expected processing, got ${processing.status}`);
  if (withDownload) {
    await steps.run('download before final → not ready (204)', async () => {
      const result = await assure.downloadProcess(dossierId, processId);
      if (result.ready) throw new Error('expected 204 (not ready) while processing, got a zip');
    });
  }
  await steps.run(`control: finish ${tag}`, () =>
    control(`/processes/${processId}`, { status, delayMs: 0 }),
  );
  await steps.run(`getProcess final (${tag})`, () =>
    waitFor(
      `${tag}`,
      async () =>
        (await assure.getProcess(dossierId, processId)).status === status ? true : undefined,
      5000,
    ),
  );
  if (withDownload) {
    await steps.run('download when ready → zip (200)', () =>
      waitFor(
        'the zip',
        async () => {
          const result = await assure.downloadProcess(dossierId, processId);
          return result.ready && result.zip.length > 0 ? true : undefined;
        },
        5000,
      ),
    );
  }
}
