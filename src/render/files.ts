/**
 * Files are written atomically: a temporary file in the same directory, renamed over the target only on
 * success. A missing directory is a data error (exit 3), not a crash.
 */
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';

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

export async function writeFileAtomic(path: string, write: (tmp: string) => Promise<void>, mode = 0o600): Promise<void> {
  const full = checkOutputPath(path);
  const tmp = join(dirname(full), `.${basename(full)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    await write(tmp);
    chmodSync(tmp, mode);
    renameSync(tmp, full);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
