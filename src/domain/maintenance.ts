/**
 * Whole-database operations for the PBOC administrator: upgrade, backup, restore. The file work itself is
 * the store's; this layer decides who may do it and records it in the audit log.
 */
import { audit, authorize, type Actor } from './actor.js';
import { hasTable, migrate, openStore, type Store } from '../store/db.js';
import { backupStore, inspectBackup, restoreStore, type BackupInfo } from '../store/maintenance.js';
import { loadProfile } from './actor.js';

/** The administrator acting on a database that may have pending migrations (none to check before accounts existed). */
export async function maintainer(store: Store, base: Omit<Actor, 'profile'>): Promise<Actor> {
  if (!hasTable(store, 'app_user')) return base;
  const who: Actor = { ...base, profile: await loadProfile(store.db, base.login) };
  authorize(who, 'db.admin');
  return who;
}

export async function migrateDatabase(store: Store, who: Actor): Promise<string[]> {
  if (who.profile) authorize(who, 'db.admin');
  return migrate(store);
}

export async function backupDatabase(store: Store, who: Actor, target: string): Promise<{ path: string; bytes: number }> {
  authorize(who, 'db.admin');
  return backupStore(store, target);
}

/** What a backup holds, checked before the user is asked to confirm the restore. */
export async function describeBackup(path: string): Promise<BackupInfo> {
  return inspectBackup(path);
}

/**
 * Replaces the database by a backup. Only an administrator of the database being replaced may do it (a
 * missing database has none); the restore is the first entry the restored database's log gains.
 */
export async function restoreDatabase(dbPath: string, backup: string, who: Actor, stamp: string): Promise<{ kept: string | null }> {
  if (who.profile) authorize(who, 'db.admin');
  const { kept } = await restoreStore(dbPath, backup, stamp);
  const store = openStore(dbPath, { allowPending: true });
  try {
    await store.write((tx) => audit(tx, who, [{ entity: 'database', after: { restored_from: backup, kept } }]));
  } finally {
    await store.close();
  }
  return { kept };
}
