/**
 * Files are written atomically: a temporary file in the same directory, renamed over the target only on
 * success. Every file holds personal or enterprise data, so it is created 0600 (owner only) from the first
 * byte, like the database. A missing directory is a data error (exit 3), not a crash.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
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
