/**
 * The store: what the rest of the program sees of the database, whichever engine holds it — an embedded
 * SQLite file (src/store/sqlite.ts) or a shared PostgreSQL server (src/store/pg/). Callers get a kysely
 * query builder and transactions, never a driver handle; everything engine-specific stays in src/store/.
 * The interface is in engine.ts, which the engines share; this file picks and loads an engine.
 */
import { isServerUrl, type MigrationState, type OpenOptions, type Store } from './engine.js';

export * from './engine.js';

/** Opens an existing xypz database: a file, or the xypz schema on a server. */
export async function openStore(target: string, opts: OpenOptions = {}): Promise<Store> {
  if (isServerUrl(target)) return (await import('./pg/store.js')).openPgStore(target, opts);
  return (await import('./sqlite.js')).openSqliteStore(target, opts);
}

/** Whether an xypz database is there already (a file, or a server database holding the xypz schema). */
export async function databaseExists(target: string, opts: OpenOptions = {}): Promise<boolean> {
  if (isServerUrl(target)) return (await import('./pg/store.js')).pgDatabaseExists(target, opts);
  const { existsSync } = await import('node:fs');
  return existsSync(target);
}

/**
 * Creates a new database and fills it, all or nothing: a SQLite file is built under a temporary name and
 * linked into place; on a server, the schema, its tables and `fill`'s records are one transaction.
 */
export async function createDatabase(target: string, fill: (store: Store) => Promise<void>, opts: OpenOptions = {}): Promise<void> {
  if (isServerUrl(target)) return (await import('./pg/store.js')).createPgDatabase(target, fill, opts);
  return (await import('./sqlite.js')).createSqliteDatabase(target, fill, opts);
}

/** Applies pending migrations in one write transaction; returns their names. */
export async function migrate(store: Store): Promise<string[]> {
  if (store.engine === 'postgres') return (await import('./pg/store.js')).migratePg(store);
  return (await import('./sqlite.js')).migrateSqlite(store);
}

export async function migrationState(store: Store): Promise<MigrationState> {
  if (store.engine === 'postgres') return (await import('./pg/store.js')).pgMigrationState(store.db);
  const m = await import('./sqlite.js');
  return m.migrationState(m.sqliteOf(store));
}

export async function hasTable(store: Store, name: string): Promise<boolean> {
  if (store.engine === 'postgres') return (await import('./pg/store.js')).pgHasTable(store.db, name);
  const m = await import('./sqlite.js');
  return m.hasTable(store, name);
}
