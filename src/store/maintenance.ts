/** Whole-file operations: integrity check, consistent backup, restore. SQLite-specific by nature. */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError, RuleError } from '../errors.js';
import { APPLICATION_ID, migrationState, openStore, sqliteOf, type Store } from './db.js';
import { SCHEMA_VERSION } from './migrations/index.js';

export interface CheckResult {
  path: string;
  integrity: string[];
  foreign_key_errors: number;
  schema_version: number;
  expected_version: number;
  pending: string[];
  mode: string;
  warnings: string[];
}

export function checkStore(store: Store): CheckResult {
  const integrity = (sqliteOf(store).pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const fk = sqliteOf(store).pragma('foreign_key_check') as unknown[];
  const state = migrationState(sqliteOf(store));
  const mode = statSync(store.path).mode & 0o777;
  const warnings: string[] = [];
  if (mode & 0o077) {
    warnings.push(`数据库文件权限为 ${mode.toString(8).padStart(4, '0')}，同组或其他用户可读；建议 chmod 600 ${store.path}`);
  }
  if (state.pending.length > 0) warnings.push(`有 ${state.pending.length} 个结构升级未执行：请运行 xypz db migrate`);
  return {
    path: store.path,
    integrity,
    foreign_key_errors: fk.length,
    schema_version: state.applied.length,
    expected_version: SCHEMA_VERSION,
    pending: state.pending,
    mode: mode.toString(8).padStart(4, '0'),
    warnings,
  };
}

/** A consistent copy, even while another process writes (VACUUM INTO reads one snapshot). Mode 0600. */
export function backupStore(store: Store, target: string): { path: string; bytes: number } {
  const dir = dirname(target);
  if (!existsSync(dir)) throw new DataError(`备份目录 ${dir} 不存在`);
  if (existsSync(target)) throw new DataError(`${target} 已存在；为免覆盖，请换一个文件名`);
  const tmp = join(dir, `.${basename(target)}.tmp-${process.pid}`);
  closeSync(openSync(tmp, 'w', 0o600)); // VACUUM INTO accepts an empty file, and keeps its mode
  try {
    sqliteOf(store).prepare('vacuum into ?').run(tmp);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { path: target, bytes: statSync(target).size };
}

export interface BackupInfo {
  schema_version: number;
  audit_entries: number;
}

/** Verifies a backup file: SQLite, xypz, a schema this version can open, intact. */
export function inspectBackup(path: string): BackupInfo {
  const store = openStore(path, { allowPending: true, readonly: true });
  try {
    const integrity = sqliteOf(store).pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new DataError(`${path} 未通过完整性检查（${String(integrity)}），不能用于恢复`);
    const state = migrationState(sqliteOf(store));
    const audit = sqliteOf(store).prepare('select count(*) as n from audit_log').get() as { n: number };
    return { schema_version: state.applied.length, audit_entries: audit.n };
  } finally {
    sqliteOf(store).close();
  }
}

/**
 * Replaces the database at `dbPath` with `backup`. The current file is checkpointed and kept beside it as
 * `<db>.replaced-<stamp>`; the new file is copied in under a temporary name and renamed into place.
 */
export function restoreStore(dbPath: string, backup: string, stamp: string): { kept: string | null } {
  inspectBackup(backup);
  let kept: string | null = null;
  const tmp = join(dirname(dbPath), `.${basename(dbPath)}.restore-${process.pid}`);
  copyFileSync(backup, tmp);
  try {
    chmodSync(tmp, 0o600);
    const check = new Database(tmp, { fileMustExist: true });
    try {
      if ((check.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) throw new DataError('备份文件不是 xypz 数据库');
      check.pragma('journal_mode = WAL');
    } finally {
      check.close();
    }
    if (existsSync(dbPath)) {
      const cur = new Database(dbPath, { fileMustExist: true });
      try {
        cur.pragma('busy_timeout = 10000');
        const r = cur.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (r[0]?.busy) throw new RuleError('数据库正被其他进程使用，无法恢复；请先停止其他 xypz 进程');
      } finally {
        cur.close();
      }
      kept = `${dbPath}.replaced-${stamp}`;
      renameSync(dbPath, kept);
      for (const s of ['-wal', '-shm']) rmSync(dbPath + s, { force: true });
    }
    renameSync(tmp, dbPath);
    return { kept };
  } catch (e) {
    rmSync(tmp, { force: true });
    for (const s of ['-wal', '-shm']) rmSync(tmp + s, { force: true });
    throw e;
  }
}
