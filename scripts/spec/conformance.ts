/**
 * The whole conformance check: load the spec, start an emulator of our own, drive the Assure client
 * and then the proxy's flows through it with every exchange recorded, and validate each exchange.
 * `scripts/check-assure-spec.ts` prints the result; the conformance test asserts on it.
 */
import { startEmulator } from '../../server/emulator/index.ts';
import { loadSpec, type SpecDocument } from './document.ts';
import { driveClient } from './drive-client.ts';
import { driveProxy } from './drive-proxy.ts';
import { createRecorder, type RecordedExchange } from './record.ts';
import type { FlowProblem } from './steps.ts';
import { createSpecValidator, type ExchangeVerdict } from './validate.ts';

/** Every Assure operation the proxy uses: each must be exercised at least once. */
export const OPERATIONS_USED = [
  'token',
  'createDossier',
  'getDossier',
  'getDossiers',
  'deleteDossier',
  'createProcess',
  'setImages',
  'startVerification',
  'getProcess',
  'setFailedProcess',
  'getAllProcess',
  'getZipFile',
  'createArtifact',
  'getDocumentTypes',
] as const;

export interface ConformanceResult {
  spec: SpecDocument;
  exchanges: RecordedExchange[];
  verdicts: ExchangeVerdict[];
  /** Steps of the drivers that failed (a broken flow makes the check meaningless, so it fails too). */
  problems: FlowProblem[];
  ok: boolean;
}

export async function runConformance(specFile: string): Promise<ConformanceResult> {
  const spec = await loadSpec(specFile);
  const validator = createSpecValidator(spec);
  const emulator = await startEmulator({ port: 0, processingDelayMs: 0 });
  try {
    const clientRecorder = createRecorder();
    const clientSteps = await driveClient({ emulatorUrl: emulator.url, recorder: clientRecorder });
    const proxyRecorder = createRecorder();
    const proxySteps = await driveProxy({ emulatorUrl: emulator.url, recorder: proxyRecorder });
    const exchanges = [
      ...(await clientRecorder.exchanges()),
      ...(await proxyRecorder.exchanges()).map((e) => ({
        ...e,
        label: e.label ?? 'proxy (background)',
      })),
    ];
    return assess(
      spec,
      exchanges,
      exchanges.map((e) => validator.check(e)),
      [...clientSteps.problems, ...proxySteps.problems],
    );
  } finally {
    await emulator.close();
  }
}

/** Adds coverage problems and decides the outcome. */
export function assess(
  spec: SpecDocument,
  exchanges: RecordedExchange[],
  verdicts: ExchangeVerdict[],
  problems: FlowProblem[],
): ConformanceResult {
  const seen = new Set(verdicts.map((v) => v.operation));
  const all = [...problems];
  for (const operation of OPERATIONS_USED) {
    if (!seen.has(operation))
      all.push({ step: 'coverage', problem: `${operation} was never called` });
  }
  const ok = all.length === 0 && verdicts.every((v) => v.requestOk && v.responseOk);
  return { spec, exchanges, verdicts, problems: all, ok };
}
