/**
 * Atomic writes: data goes to a temporary file in the target's folder, is flushed to disk, and only
 * then renamed over the target, so a crash never leaves a half-written file under the real name.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Runs `write(tempPath)`, fsyncs the result and renames it to `target`; cleans up on failure. */
export async function writeAtomically(target: string, write: (tmp: string) => void | Promise<void>): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    await write(tmp);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export async function writeFileAtomically(target: string, bytes: Uint8Array | string): Promise<void> {
  await writeAtomically(target, (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    } finally {
      closeSync(fd);
    }
  });
}
