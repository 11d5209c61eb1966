/**
 * Whole-database operations: integrity check, consistent backup, restore. A SQLite file is checked,
 * copied and replaced as a file; a server database is checked by pg/check.ts, and its backups are SQLite
 * files written and read through the copy (transfer.ts), so a backup is the same kind of file either way.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, linkSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, XypzError } from '../errors.js';
import { sweepStaleTemps, tempPathFor } from '../util/tempfiles.js';
import { verifyChain } from './audit.js';
import type { CheckResult, Store } from './engine.js';
import { migrationState, openSqliteStore, sqliteOf } from './sqlite.js';
import { schemaProblems } from './schema-check.js';
import { sqliteOptions } from './sqlite-binding.js';
import { switchDatabase } from './file-switch.js';

export { switchDatabase };

export async function checkStore(store: Store): Promise<CheckResult> {
  if (store.engine === 'postgres') {
    const { checkPg } = await import('./pg/check.js');
    return checkPg(store as import('./pg/store.js').PgStore);
  }
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
    schema_problems: await schemaProblems(sqliteOf(store), state.applied),
    schema_version: state.version,
    expected_version: state.expected,
    pending: state.pending,
    mode: mode.toString(8).padStart(4, '0'),
    warnings,
  };
}

/**
 * A consistent copy, even while another process writes, as a SQLite file of mode 0600: VACUUM INTO reads
 * one snapshot of a file; a server database is copied from one snapshot into a new file.
 */
export async function backupStore(store: Store, target: string): Promise<{ path: string; bytes: number }> {
  const dir = dirname(target);
  if (!existsSync(dir)) throw new DataError(`备份目录 ${dir} 不存在`);
  if (existsSync(target)) throw new DataError(`${target} 已存在；为免覆盖，请换一个文件名`);
  if (store.engine === 'postgres') {
    const { copyToNew } = await import('./transfer.js');
    try {
      await copyToNew(store, target, {});
    } catch (e) {
      throw backupWriteError(e, '', target);
    }
    return { path: target, bytes: statSync(target).size };
  }
  sweepStaleTemps(dir); // what a killed earlier backup left behind
  const tmp = tempPathFor(target);
  try {
    closeSync(openSync(tmp, 'wx', 0o600)); // VACUUM INTO accepts an empty file, and keeps its mode
    sqliteOf(store).prepare('vacuum into ?').run(tmp);
    linkSync(tmp, target); // never replaces a file created meanwhile
  } catch (e) {
    throw backupWriteError(e, tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { path: target, bytes: statSync(target).size };
}

/** An error writing the backup names the backup file (exit 3), not the temporary one or the database. */
function backupWriteError(e: unknown, tmp: string, target: string): unknown {
  const err = e as { code?: string; path?: string };
  if (err.path === tmp) err.path = target;
  if (err.code === 'SQLITE_FULL') return new DataError(`磁盘空间不足，无法写入备份 ${target}：请清理磁盘或换一个有空间的位置（未完成的副本已删除）`);
  if (err.code === 'SQLITE_CANTOPEN' || err.code?.startsWith('SQLITE_READONLY') || err.code?.startsWith('SQLITE_IOERR')) {
    return new DataError(`无法写入备份 ${target}（${err.code}）：请检查该目录是否可写、磁盘是否正常`);
  }
  return e;
}

export interface BackupInfo {
  schema_version: number;
  audit_entries: number;
}

/**
 * Everything a restore requires of a file: an intact xypz database of a schema this version can open,
 * with exactly the objects the migrations create (no trigger or view of someone else's), its audit log's
 * append-only triggers, and an audit chain that verifies. `label` names the file in messages.
 */
export async function inspectBackup(path: string, label = path): Promise<BackupInfo> {
  const refuse = (why: string) => new DataError(`${label} 不能用于恢复：${why}`);
  let store: Store;
  try {
    store = openSqliteStore(path, { allowPending: true, readonly: true });
  } catch (e) {
    // Messages name the file opened: the user's, not the private copy.
    if (e instanceof XypzError && path !== label) e.message = e.message.replaceAll(path, label);
    throw e;
  }
  try {
    const integrity = sqliteOf(store).pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw refuse(`未通过完整性检查（${String(integrity)}）`);
    if ((sqliteOf(store).pragma('foreign_key_check') as unknown[]).length > 0) throw refuse('有外键错误（记录之间的引用不一致）');
    const state = migrationState(sqliteOf(store));
    const problems = await schemaProblems(sqliteOf(store), state.applied);
    if (problems.length > 0) {
      throw new DataError(`${label} 不能用于恢复：数据库结构与本程序定义的不一致（可能被人改动过）：${problems.slice(0, 5).join('；')}${problems.length > 5 ? `；等 ${problems.length} 处` : ''}`);
    }
    const chain = await verifyChain(store.db);
    if (!chain.ok) throw refuse(`审计日志不完整，第 ${chain.id} 条${chain.reason}`);
    return { schema_version: state.version, audit_entries: chain.count };
  } finally {
    await store.close();
  }
}

/** Copies `from` into a new file `to` created 0600, so the copy is never readable by others, even briefly. */
export function copyPrivate(from: string, to: string): void {
  const src = openSync(from, 'r');
  try {
    const dst = openSync(to, 'wx', 0o600);
    try {
      const buf = Buffer.alloc(1024 * 1024);
      let pos = 0;
      for (let n = readSync(src, buf, 0, buf.length, pos); n > 0; n = readSync(src, buf, 0, buf.length, pos)) {
        let off = 0;
        while (off < n) off += writeSync(dst, buf, off, n - off);
        pos += n;
      }
    } finally {
      closeSync(dst);
    }
  } finally {
    closeSync(src);
  }
}

/**
 * Replaces the database at `dbPath` with `backup`. The backup is first copied next to the database (mode
 * 0600) and the copy — not the file the user named, which could change meanwhile — is checked
 * (inspectBackup). The current file is checkpointed and kept beside it; then the copy is renamed over the
 * database path, so at every instant that path holds either the old or the new database.
 */
export async function restoreStore(dbPath: string, backup: string, stamp: string): Promise<{ kept: string | null }> {
  sweepStaleTemps(dirname(dbPath));
  const tmp = tempPathFor(dbPath);
  try {
    copyPrivate(backup, tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as { path?: string };
    if (err.path === tmp) err.path = dbPath; // a full disk or a read-only directory: where the database is
    throw e;
  }
  try {
    await inspectBackup(tmp, backup);
    const check = new Database(tmp, sqliteOptions({ fileMustExist: true }));
    try {
      check.pragma('journal_mode = WAL');
    } finally {
      check.close();
    }
    return { kept: switchDatabase(tmp, dbPath, stamp) };
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}
