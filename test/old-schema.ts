/**
 * Database files as an older version of xypz left them, for the migration tests: a file with only the first
 * migrations applied, holding the records of a database made by this version (each table's rows copied
 * column by column; a table or column that did not exist then is left out, as that version never had it).
 */
import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { expect } from 'vitest';
import { MIGRATIONS } from '../src/store/migrations/index.js';

/** An empty xypz database file with the migrations up to `to` applied, as that version's `xypz init` left it. */
export async function schemaUpTo(path: string, to: string): Promise<void> {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateTo(to);
    if (error) throw error;
    expect(results?.map((r) => r.migrationName)).toEqual(Object.keys(MIGRATIONS).filter((name) => name <= to));
  } finally {
    await db.destroy();
  }
  chmodSync(path, 0o600);
}

const dataTables = "select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name";

/** Every row of every data table, in rowid order (the migrator's own bookkeeping left out). */
export function records(path: string): Record<string, unknown[]> {
  const raw = new Database(path, { readonly: true });
  try {
    const tables = raw.prepare(dataTables).all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, raw.prepare(`select * from "${name}" order by rowid`).all()]));
  } finally {
    raw.close();
  }
}

/** A file at schema `to` holding the records of `source` (made by this version), then `adjust` run on it. */
export async function olderCopy(source: string, path: string, to: string, adjust?: (raw: Database.Database) => void): Promise<void> {
  await schemaUpTo(path, to);
  const raw = new Database(path);
  try {
    raw.pragma('foreign_keys = OFF'); // tables are copied in name order, not in reference order
    raw.prepare('attach database ? as src').run(source);
    raw.transaction(() => {
      for (const { name } of raw.prepare(dataTables).all() as { name: string }[]) {
        const cols = (raw.prepare(`select name from pragma_table_info('${name}')`).all() as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
        raw.prepare(`insert into main."${name}" (${cols}) select ${cols} from src."${name}" order by rowid`).run();
      }
      adjust?.(raw);
    })();
    raw.prepare('detach database src').run();
    raw.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    raw.close();
  }
}
