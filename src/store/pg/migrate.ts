/** Applying the PostgreSQL migrations inside a write (kysely's migrator, without a transaction of its own). */
import { Migrator, type Kysely, type Migration } from 'kysely';
import { migrationResult, type Tx } from '../engine.js';
import { grantAccess } from './access.js';
import { PG_MIGRATIONS } from './migrations/index.js';

/**
 * Runs the pending migrations in `schema` (the first of the search path); returns their names. A failure
 * is reported as the migration's own error: without a transaction of its own, kysely's migrator ends by
 * releasing its lock in the aborted transaction, and that error ("current transaction is aborted") would
 * hide the cause.
 */
export async function runMigrations(tx: Tx, schema: string, names = Object.keys(PG_MIGRATIONS)): Promise<string[]> {
  let failed: { name: string; error: unknown } | undefined;
  const watched = (name: string, m: Migration): Migration => ({
    up: async (db) => {
      try {
        await m.up(db);
      } catch (error) {
        failed = { name, error };
        throw error;
      }
    },
  });
  const picked = Object.fromEntries(names.filter((n) => PG_MIGRATIONS[n]).map((n) => [n, watched(n, PG_MIGRATIONS[n]!)]));
  const migrator = new Migrator({
    db: tx as Kysely<unknown>,
    provider: { getMigrations: async () => picked },
    migrationTableSchema: schema,
    disableTransactions: true, // the caller's write is the transaction
  });
  const outcome = await migrator.migrateToLatest();
  if (outcome.error && failed) return migrationResult({ error: failed.error, results: [{ migrationName: failed.name, direction: 'Up', status: 'Error' }] });
  return migrationResult(outcome);
}

/** The xypz schema brought to this version: migrations, then the groups' access to every table. */
export async function applyMigrations(tx: Tx, schema: string): Promise<string[]> {
  const applied = await runMigrations(tx, schema);
  await grantAccess(tx, schema);
  return applied;
}
