/**
 * Whole-database operations for the PBOC administrator: upgrade, backup, restore, copy. The work itself is
 * the store's; this layer decides who may do it and records it in the audit log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit, authorize, loadProfile, type Actor } from '../core/index.js';
import { NotFoundError, RuleError, UsageError } from '../../errors.js';
import type { CopySummary } from '../../store/copy.js';
import { databaseExists, displayTarget, hasTable, isServerUrl, migrate, migrationState, openStore, type OpenOptions, type Store, type Tx } from '../../store/db.js';
import { backupStore, copyPrivate, inspectBackup, restoreStore, type BackupInfo } from '../../store/maintenance.js';
import { copyIntoEmpty, copyToNew, isEmpty, replaceByCopy } from '../../store/transfer.js';

/** The administrator acting on a database that may have pending migrations (none to check before accounts existed). */
export async function maintainer(store: Store, base: Omit<Actor, 'profile'>): Promise<Actor> {
  if (!(await hasTable(store, 'app_user'))) return base;
  // Copy, backup and restore name two databases: say which one lacks the account.
  const profile = await loadProfile(store.db, base.login).catch((e: unknown) => {
    if (!(e instanceof NotFoundError)) throw e;
    throw new NotFoundError(`操作人「${base.login}」不是数据库 ${store.path} 中的账号：请用 XYPZ_ACTOR 或写在命令之前的 --actor 指定该数据库的人民银行管理员（复制到已有数据的数据库时，两边都要有这个管理员）`);
  });
  const who: Actor = { ...base, profile };
  authorize(who, 'db.admin');
  return who;
}

/** Applies the pending migrations; returns their names and the schema version the database now has. */
export async function migrateDatabase(store: Store, who: Actor): Promise<{ applied: string[]; version: number }> {
  if (who.profile) authorize(who, 'db.admin');
  const applied = await migrate(store);
  return { applied, version: (await migrationState(store)).version };
}

export async function backupDatabase(store: Store, who: Actor, target: string): Promise<{ path: string; bytes: number }> {
  authorize(who, 'db.admin');
  return backupStore(store, target);
}

/** What a backup holds, checked before the user is asked to confirm the restore. */
export async function describeBackup(path: string): Promise<BackupInfo> {
  return inspectBackup(path);
}

function recordRestore(tx: Tx, who: Actor, backup: string, kept: string | null): Promise<void> {
  return audit(tx, who, [{ entity: 'database', after: { restored_from: backup, kept } }]);
}

/**
 * Replaces the database by a backup. Only an administrator of the database being replaced may do it (a
 * missing database has none); the restore is the first entry the restored database's log gains. On a
 * server, a private copy of the backup file is checked like any backup, and its records replace the
 * schema's in one transaction (the replaced schema is kept under another name).
 */
export async function restoreDatabase(target: string, backup: string, who: Actor, stamp: string, opts: OpenOptions = {}): Promise<{ kept: string | null }> {
  if (who.profile) authorize(who, 'db.admin');
  if (isServerUrl(target)) return restoreServer(target, backup, who, stamp, opts);
  const { kept } = await restoreStore(target, backup, stamp);
  const store = await openStore(target, { allowPending: true });
  try {
    await store.write((tx) => recordRestore(tx, who, backup, kept));
  } finally {
    await store.close();
  }
  return { kept };
}

/**
 * A backup made by an older version has the tables of that version: its private copy is migrated, as
 * db migrate would migrate the file, so that its records fit the server's tables. The file named by the
 * user is left as it was.
 */
async function bringUpToDate(copy: string): Promise<void> {
  const store = await openStore(copy, { allowPending: true });
  try {
    if ((await migrationState(store)).pending.length > 0) await migrate(store);
  } finally {
    await store.close();
  }
}

async function restoreServer(target: string, backup: string, who: Actor, stamp: string, opts: OpenOptions): Promise<{ kept: string | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'xypz-restore-'));
  const copy = join(dir, 'backup.db');
  try {
    copyPrivate(backup, copy); // what is checked is what is read, whatever happens to the file meanwhile
    await inspectBackup(copy, backup);
    await bringUpToDate(copy);
    const from = await openStore(copy, { readonly: true });
    try {
      if (!(await databaseExists(target, opts))) {
        await copyToNew(from, target, opts, (tx) => recordRestore(tx, who, backup, null));
        return { kept: null };
      }
      const { kept } = await replaceByCopy(from, target, stamp, opts, (tx, k) => recordRestore(tx, who, backup, k));
      return { kept };
    } finally {
      await from.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CopyOutcome {
  from: string;
  to: string;
  /** The target did not exist and was created. */
  created: boolean;
  /** Where the target's earlier data was kept (null: it had none). */
  kept: string | null;
  summary: CopySummary;
}

/** What `db copy` is about to do to its target, for the confirmation a non-empty one needs. */
export type CopyPlan = { kind: 'create' } | { kind: 'fill' } | { kind: 'replace'; who: Actor };

/**
 * Looks at the target: missing (created), empty and current (filled), or holding records (replaced, which
 * only an administrator of the target may do, like a restore).
 */
export async function planCopy(from: Store, to: string, opts: OpenOptions, actorOn: (store: Store) => Promise<Actor>): Promise<CopyPlan> {
  if (displayTarget(to) === from.path || to === from.path) throw new UsageError('来源和目标是同一个数据库');
  if (!(await databaseExists(to, opts))) return { kind: 'create' };
  const target = await openStore(to, { ...opts, allowPending: true });
  try {
    if ((await isEmpty(target)) && (await migrationState(target)).pending.length === 0) return { kind: 'fill' };
    const who = await maintainer(target, await actorOn(target));
    if (!who.profile) throw new RuleError(`目标数据库 ${target.path} 没有账号，无法确认由谁替换；请换一个目标`);
    return { kind: 'replace', who };
  } finally {
    await target.close();
  }
}

/** Copies every record of `from` (whose administrator `who` is) to `to`, as planned. */
export async function copyDatabase(from: Store, who: Actor, to: string, plan: CopyPlan, stamp: string, opts: OpenOptions): Promise<CopyOutcome> {
  authorize(who, 'db.admin');
  const base = { from: from.path, to: displayTarget(to) };
  if (plan.kind === 'create') return { ...base, created: true, kept: null, summary: await copyToNew(from, to, opts) };
  if (plan.kind === 'fill') {
    const target = await openStore(to, opts);
    try {
      return { ...base, created: false, kept: null, summary: await copyIntoEmpty(from, target) };
    } finally {
      await target.close();
    }
  }
  const { kept, summary } = await replaceByCopy(from, to, stamp, opts);
  return { ...base, created: false, kept, summary };
}
