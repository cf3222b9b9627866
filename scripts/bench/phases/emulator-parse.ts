/**
 * The emulator's Set images parse (server/emulator/images.ts, `parseImage`): one regex over the whole
 * dataURL, against the change proposed in the performance review: a regex over the short prefix only
 * and a table scan of the base64 characters. Same answers on every input tried here (checked before
 * timing); only the emulator runs this code, so it speeds up sandbox mode, tests and load tests, not a
 * production proxy. The proposal below is what to put into images.ts.
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

// ---- the proposal (drop-in for parseImage's first lines) ----
const DATA_URL_PREFIX = /^data:(image\/[a-z0-9.+-]+);base64,/;
const BASE64_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_CHAR[c.charCodeAt(0)] = 1;

/** `[A-Za-z0-9+/]*={0,2}` from `start` to the end, without a regex over megabytes. */
function isBase64Tail(value: string, start: number): boolean {
  let end = value.length;
  if (end > start && value.charCodeAt(end - 1) === 61) end--;
  if (end > start && value.charCodeAt(end - 1) === 61) end--;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code > 127 || BASE64_CHAR[code] === 0) return false;
  }
  return true;
}

class Refused extends Error {}

/** parseImage with the proposed match; the checks after it are unchanged (images.ts). */
export function parseImageProposed(depiction: string, value: unknown) {
  const refuse = (reason: string) => new Refused(`The ${depiction} image is invalid: ${reason}.`);
  if (typeof value !== 'string') throw refuse('expected a dataURL string');
  const prefix = DATA_URL_PREFIX.exec(value);
  if (!prefix || !isBase64Tail(value, prefix[0].length))
    throw refuse('expected a base64 dataURL such as data:image/jpeg;base64,...');
  const declared = prefix[1]!;
  if (declared !== 'image/png' && declared !== 'image/jpeg')
    throw refuse(`${declared} is not supported, only image/png and image/jpeg`);
  const base64 = value.slice(prefix[0].length);
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
// ---- end of the proposal ----

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
  current: number;
  proposed: number;
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
    (value) => answer(parseImage, value) === answer(parseImageProposed, value),
  );
  for (let i = 0; i < 20; i++) {
    parseImage('front', good);
    parseImageProposed('front', good);
  }
  const runs: ParseRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    const current: number[] = [];
    const proposed: number[] = [];
    for (let i = 0; i < options.n; i++) {
      // Fresh flat strings, as JSON.parse makes from a request body (made before the clock starts).
      const one = Buffer.from(good, 'latin1').toString('latin1');
      const two = Buffer.from(good, 'latin1').toString('latin1');
      let t0 = performance.now();
      parseImage('front', one);
      current.push(performance.now() - t0);
      t0 = performance.now();
      parseImageProposed('front', two);
      proposed.push(performance.now() - t0);
    }
    runs.push({ current: percentile(current, 50), proposed: percentile(proposed, 50) });
    options.log(
      `  emulator parse run ${run + 1}: regex ${runs.at(-1)!.current.toFixed(2)} ms, prefix + scan ${runs.at(-1)!.proposed.toFixed(2)} ms`,
    );
  }
  return { runs, equivalent, cases: cases.length, dataUrlBytes: good.length };
}
