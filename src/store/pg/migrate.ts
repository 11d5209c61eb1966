/** Applying the PostgreSQL migrations inside a write (kysely's migrator, without a transaction of its own). */
import { Migrator, type Kysely } from 'kysely';
import { migrationResult, type Tx } from '../engine.js';
import { ensureGroups, grantAccess } from './access.js';
import { PG_MIGRATIONS } from './migrations/index.js';

/** Runs the pending migrations in `schema` (the first of the search path); returns their names. */
export async function runMigrations(tx: Tx, schema: string, names = Object.keys(PG_MIGRATIONS)): Promise<string[]> {
  const picked = Object.fromEntries(names.filter((n) => PG_MIGRATIONS[n]).map((n) => [n, PG_MIGRATIONS[n]!]));
  const migrator = new Migrator({
    db: tx as Kysely<unknown>,
    provider: { getMigrations: async () => picked },
    migrationTableSchema: schema,
    disableTransactions: true, // the caller's write is the transaction
  });
  return migrationResult(await migrator.migrateToLatest());
}

/** The xypz schema brought to this version: migrations, then the groups' access to every table. */
export async function applyMigrations(tx: Tx, schema: string): Promise<string[]> {
  await ensureGroups(tx); // the policies name them
  const applied = await runMigrations(tx, schema);
  await grantAccess(tx, schema);
  return applied;
}
