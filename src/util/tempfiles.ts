/**
 * Temporary files written next to their target and renamed into place. Each name carries the writing
 * process's id, so a later run can tell the leftovers of a process that was killed (its id no longer
 * exists) from files another running process is still writing, and remove only the former.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

const TEMP = /^\..+\.xypz-(\d+)-[0-9a-f]{8}\.tmp(?:-wal|-shm|-journal)?$/;

/** `<dir>/.<name>.xypz-<pid>-<random>.tmp`: hidden, unique, and recognisable by sweepStaleTemps. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.xypz-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files of processes that no longer run; returns their names. Never throws. */
export function sweepStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // not ours to worry about: a read-only directory, a file already gone
    }
  }
  return removed;
}
