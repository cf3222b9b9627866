/**
 * The emulator's Set images parse (server/emulator/images.ts, `parseImage`): a regex over the short
 * prefix and a table scan of the base64 characters, against the one regex over the whole dataURL it
 * replaced (kept below as `parseImageRegex`, the before). Same answers on every input tried here
 * (checked before timing); only the emulator runs this code, so it speeds up sandbox mode, tests and
 * load tests, not a production proxy.
 */
import { parseImage } from '../../../server/emulator/images.ts';
import {
  inspectImage,
  isImageProblem,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_SIDE,
} from '../../../server/images/inspect.ts';
import { jpeg } from '../lib/client.ts';
import { percentile } from '../lib/stats.ts';

// ---- the before: one regex over the whole dataURL ----
const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/;

class Refused extends Error {}

/** parseImage as it was: the whole dataURL matched by one regex; the checks after it are the same. */
export function parseImageRegex(depiction: string, value: unknown) {
  const refuse = (reason: string) => new Refused(`The ${depiction} image is invalid: ${reason}.`);
  if (typeof value !== 'string') throw refuse('expected a dataURL string');
  const match = DATA_URL.exec(value);
  if (!match) throw refuse('expected a base64 dataURL such as data:image/jpeg;base64,...');
  const declared = match[1]!;
  if (declared !== 'image/png' && declared !== 'image/jpeg')
    throw refuse(`${declared} is not supported, only image/png and image/jpeg`);
  const base64 = match[2]!;
  if (base64.length % 4 !== 0) throw refuse('the base64 data is malformed');
  const decodedLength =
    (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  if (decodedLength > MAX_IMAGE_BYTES)
    throw refuse(`it is larger than ${MAX_IMAGE_BYTES} bytes (4 MiB)`);
  if (decodedLength === 0) throw refuse('it is empty');
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const info = inspectImage(bytes);
  if (isImageProblem(info)) throw refuse(info.reason);
  if (info.mime !== declared)
    throw refuse(`it is declared as ${declared} but the data is ${info.mime}`);
  if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE)
    throw refuse(
      `it is ${info.width}×${info.height} px; at most ${MAX_IMAGE_SIDE} px a side are allowed`,
    );
  return { ...info, bytes };
}
// ---- end of the before ----

/** 'ok:<w>x<h>:<bytes>' or 'refused:<detail>', comparable across both implementations. */
function answer(
  parse: (d: string, v: unknown) => { width: number; height: number; bytes: Uint8Array },
  value: unknown,
): string {
  try {
    const parsed = parse('front', value);
    return `ok:${parsed.width}x${parsed.height}:${Buffer.from(parsed.bytes).toString('base64').slice(0, 64)}:${parsed.bytes.byteLength}`;
  } catch (error) {
    const detail =
      (error as { detail?: string; message?: string }).detail ?? (error as Error).message;
    return `refused:${detail}`;
  }
}

export interface ParseRun {
  /** p50 of the whole-dataURL regex (before), ms. */
  regex: number;
  /** p50 of the prefix regex and table scan (parseImage now), ms. */
  scan: number;
}

export function emulatorParse(options: { runs: number; n: number; log: (line: string) => void }): {
  runs: ParseRun[];
  equivalent: boolean;
  cases: number;
  dataUrlBytes: number;
} {
  const image = jpeg(4000, 3000, 1_000_000);
  const b64 = Buffer.from(image).toString('base64');
  const good = `data:image/jpeg;base64,${b64}`;
  const cases: unknown[] = [
    good,
    `data:image/jpeg;base64,${Buffer.from(jpeg(10, 10, 301)).toString('base64')}`,
    `data:image/png;base64,${b64}`,
    `data:image/gif;base64,${b64}`,
    `data:image/jpeg;base64,${b64.slice(0, -4)}A===`,
    `data:image/jpeg;base64,${b64.slice(0, 1000)}*${b64.slice(1001)}`,
    `data:image/jpeg;base64,${b64.slice(0, 1000)}é${b64.slice(1001)}`,
    `data:image/jpeg;base64,${b64}\n`,
    `data:image/jpeg;base64,`,
    `data:image/jpeg;base64,=`,
    `data:image/jpeg;base64,${b64.slice(0, -1)}`,
    `data:text/plain;base64,${b64}`,
    `data:image/jpeg,${b64}`,
    ` ${good}`,
    42,
    null,
  ];
  const equivalent = cases.every(
    (value) => answer(parseImageRegex, value) === answer(parseImage, value),
  );
  for (let i = 0; i < 20; i++) {
    parseImageRegex('front', good);
    parseImage('front', good);
  }
  const runs: ParseRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    const regex: number[] = [];
    const scan: number[] = [];
    for (let i = 0; i < options.n; i++) {
      // Fresh flat strings, as JSON.parse makes from a request body (made before the clock starts).
      const one = Buffer.from(good, 'latin1').toString('latin1');
      const two = Buffer.from(good, 'latin1').toString('latin1');
      let t0 = performance.now();
      parseImageRegex('front', one);
      regex.push(performance.now() - t0);
      t0 = performance.now();
      parseImage('front', two);
      scan.push(performance.now() - t0);
    }
    runs.push({ regex: percentile(regex, 50), scan: percentile(scan, 50) });
    options.log(
      `  emulator parse run ${run + 1}: regex ${runs.at(-1)!.regex.toFixed(2)} ms, prefix + scan ${runs.at(-1)!.scan.toFixed(2)} ms`,
    );
  }
  return { runs, equivalent, cases: cases.length, dataUrlBytes: good.length };
}
