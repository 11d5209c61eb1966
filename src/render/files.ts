/**
 * Files are written atomically: a temporary file in the same directory, renamed over the target only on
 * success. Every file holds personal or enterprise data, so it is created 0600 (owner only) from the first
 * byte, like the database. A missing directory is a data error (exit 3), not a crash.
 */
import { closeSync, existsSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { sweepStaleTemps, tempPathFor } from '../util/tempfiles.js';

export function checkOutputPath(path: string, allowed?: string[]): string {
  const full = resolve(path);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(`输出目录 ${dir} 不存在，请先创建`);
  if (existsSync(full) && statSync(full).isDirectory()) throw new DataError(`${path} 是一个目录，请给出文件名`);
  if (allowed) {
    const ext = extname(full).toLowerCase();
    if (!allowed.includes(ext)) throw new UsageError(`不支持的输出格式${ext ? ` ${ext}` : '（没有扩展名）'}：可用 ${allowed.join('、')}`);
  }
  return full;
}

/**
 * `write` fills the temporary file it is given (already created with mode 0600; writers that truncate an
 * existing file keep its mode). The leftovers of a killed earlier run in that directory are removed first.
 */
export async function writeFileAtomic(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const full = checkOutputPath(path);
  sweepStaleTemps(dirname(full));
  const tmp = tempPathFor(full);
  try {
    closeSync(openSync(tmp, 'wx', 0o600));
    await write(tmp);
    renameSync(tmp, full);
  } catch (e) {
    rmSync(tmp, { force: true });
    // A disk-full or permission error names the file the user asked for, not the temporary one (a failed
    // write carries no path at all).
    const err = e as { path?: string; code?: unknown };
    if (err.path === tmp || (err.path === undefined && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code))) err.path = full;
    throw e;
  }
}

/**
 * Several files written all or none (collect make's workbooks): each is written to its temporary file first,
 * then all are renamed into place, then `commit` runs (e.g. recording them in the database). A failure while
 * writing removes the temporary files and leaves the directory as it was; a rename or `commit` failing puts
 * back what the renames replaced (kept aside as hard links) and removes the files they added.
 */
export async function writeFilesAtomic(files: { path: string; write: (tmp: string) => Promise<void> }[], commit?: () => Promise<void>): Promise<void> {
  const full = files.map((f) => checkOutputPath(f.path));
  for (const dir of new Set(full.map((f) => dirname(f)))) sweepStaleTemps(dir);
  const temps: string[] = [];
  const undo: (() => void)[] = [];
  try {
    for (const [i, f] of files.entries()) {
      const tmp = tempPathFor(full[i]!);
      temps.push(tmp);
      closeSync(openSync(tmp, 'wx', 0o600));
      await f.write(tmp);
    }
    for (const [i, target] of full.entries()) {
      const aside = existsSync(target) ? tempPathFor(target) : undefined;
      if (aside) {
        linkSync(target, aside);
        temps.push(aside); // removed once all is done
      }
      renameSync(temps[i]!, target);
      undo.push(() => (aside ? renameSync(aside, target) : rmSync(target, { force: true })));
    }
    await commit?.();
    undo.length = 0;
  } catch (e) {
    for (const u of undo.reverse()) {
      try {
        u();
      } catch {
        // leave what cannot be put back; the error below is what the user sees
      }
    }
    const err = e as { path?: string; code?: unknown };
    const i = temps.indexOf(err.path ?? '');
    if (i >= 0 && i < full.length) err.path = full[i];
    throw e;
  } finally {
    for (const t of temps) rmSync(t, { force: true });
  }
}
