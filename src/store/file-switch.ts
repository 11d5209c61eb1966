/**
 * Putting a checked SQLite file in place of a database (a restore, a copy onto a file, the demo), the
 * current file kept aside. Apart from maintenance.ts so that transfer.ts, which maintenance.ts loads for a
 * server's backup, can use it without an import circle.
 */
import Database from 'better-sqlite3';
import { constants, copyFileSync, existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { RuleError } from '../errors.js';
import { sqliteOptions } from './sqlite-binding.js';

/**
 * Keeps the current database as `<db>.replaced-<stamp>` (`-2`, `-3`… when that name exists: an existing
 * file is never replaced) without the database path ever being missing: a hard link, or a copy on a file
 * system without links.
 */
function keepAside(dbPath: string, stamp: string): string {
  for (let i = 1; ; i++) {
    const kept = `${dbPath}.replaced-${stamp}${i === 1 ? '' : `-${i}`}`;
    try {
      linkSync(dbPath, kept);
      return kept;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw e;
    }
    try {
      copyFileSync(dbPath, kept, constants.COPYFILE_EXCL);
      return kept;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Puts the checked file `tmp` at `dbPath`, keeping the current database aside first (returns its name).
 * The current file stays at `dbPath` until the single rename that replaces it: a crash or failure at any
 * step leaves a complete database there (the old one, or the new one).
 */
export function switchDatabase(tmp: string, dbPath: string, stamp: string): string | null {
  let kept: string | null = null;
  if (existsSync(dbPath)) {
    const cur = new Database(dbPath, sqliteOptions({ fileMustExist: true }));
    try {
      cur.pragma('busy_timeout = 10000');
      const r = cur.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (r[0]?.busy) throw new RuleError('数据库正被其他进程使用，无法恢复；请先停止其他 xypz 进程');
    } finally {
      cur.close();
    }
    kept = keepAside(dbPath, stamp);
    for (const s of ['-wal', '-shm']) rmSync(dbPath + s, { force: true }); // empty after the checkpoint
  }
  renameSync(tmp, dbPath);
  return kept;
}
