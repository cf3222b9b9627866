/**
 * Keeps the Assure result zip of each final process on local disk, as `<dir>/<processId>.zip`.
 * Written to a temporary file and renamed, so readers never see a half-written zip; owner-only
 * permissions because the zip holds ID images and personal data.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAssureId } from '../assure/paths.ts';

export interface ArchiveOptions {
  /** Created (with parents) if missing. */
  dir: string;
}

/** Stores a process's zip and resolves with the file's path. */
export type ArchiveWriter = (processId: string, zip: Uint8Array) => Promise<string>;

export function createArchive({ dir }: ArchiveOptions): ArchiveWriter {
  const root = resolve(dir);
  return async function archiveZip(processId, zip) {
    // The id becomes a file name: only a UUID, never `../` or a separator.
    if (!isAssureId(processId)) throw new TypeError('processId must be a UUID');
    await mkdir(root, { recursive: true, mode: 0o700 });
    const target = join(root, `${processId.toLowerCase()}.zip`);
    const temp = join(root, `.${processId.toLowerCase()}.${randomUUID()}.tmp`);
    try {
      await writeFile(temp, zip, { mode: 0o600, flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return target;
  };
}
