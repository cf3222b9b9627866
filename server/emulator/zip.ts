/** The Download full result zip: `result.json` (the Get process body) plus the uploaded images. */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { DEPICTIONS } from '../statuses.ts';
import type { ProcessRecord } from './state.ts';

export function resultZip(process: ProcessRecord, result: unknown): Uint8Array {
  const files: Zippable = { 'result.json': strToU8(JSON.stringify(result, null, 2)) };
  for (const depiction of DEPICTIONS) {
    const image = process.images[depiction];
    // Images are already compressed: store them as they are.
    if (image)
      files[`${depiction}.${image.mime === 'image/png' ? 'png' : 'jpg'}`] = [
        image.bytes,
        { level: 0 },
      ];
  }
  return zipSync(files, { level: 6 });
}
