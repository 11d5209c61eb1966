/**
 * The tables of a database as its engine's catalog describes them (name, columns, primary key, the tables
 * each refers to), for copying a whole database between engines without a list to maintain: a table a
 * new migration adds is copied too.
 */
import { sql } from 'kysely';
import type { Store, Tx } from './engine.js';
import { SCHEMA } from './pg/constants.js';
import { sqliteOf } from './engine.js';
import type Database from 'better-sqlite3';
import description from './schema.json' with { type: 'json' };

export interface TableInfo {
  name: string;
  columns: string[];
  /** PostgreSQL types of the columns (for typed arrays); empty on SQLite. */
  types: string[];
  primaryKey: string[];
  references: string[];
}

/**
 * The engines' and the migrator's own tables, and the tables of one engine alone (src/store/schema.json,
 * e.g. the server's audit_log_counter): never copied, each database has its own.
 */
const ENGINE_ONLY = new Set([...description.sqlite.tables, ...description.server.tables].map((t) => t.name));
const BOOKKEEPING = { test: (name: string) => /^(sqlite_|kysely_migration)/.test(name) || ENGINE_ONLY.has(name) };

export function sqliteTables(raw: Database.Database): TableInfo[] {
  const names = (raw.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !BOOKKEEPING.test(n));
  return names.map((name) => {
    const cols = raw.prepare(`select name, pk from pragma_table_info(?) order by cid`).all(name) as { name: string; pk: number }[];
    const refs = raw.prepare(`select distinct "table" as t from pragma_foreign_key_list(?)`).all(name) as { t: string }[];
    return {
      name,
      columns: cols.map((c) => c.name),
      types: [],
      primaryKey: cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      references: refs.map((r) => r.t).filter((t) => t !== name),
    };
  });
}

export async function pgTables(db: Tx, schema: string): Promise<TableInfo[]> {
  const cols = await sql<{ tab: string; col: string; type: string; pk: number | null }>`
    select c.relname as tab, a.attname as col, format_type(a.atttypid, a.atttypmod) as type,
           array_position(pk.conkey, a.attnum) as pk
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_constraint pk on pk.conrelid = c.oid and pk.contype = 'p'
     where c.relnamespace = ${schema}::regnamespace and c.relkind = 'r'
     order by c.relname, a.attnum`.execute(db);
  const refs = await sql<{ tab: string; ref: string }>`
    select distinct c.relname as tab, r.relname as ref
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
     where k.contype = 'f' and c.relnamespace = ${schema}::regnamespace`.execute(db);
  const byName = new Map<string, TableInfo & { pkAt: [number, string][] }>();
  for (const r of cols.rows) {
    if (BOOKKEEPING.test(r.tab)) continue;
    let t = byName.get(r.tab);
    if (!t) byName.set(r.tab, (t = { name: r.tab, columns: [], types: [], primaryKey: [], references: [], pkAt: [] }));
    t.columns.push(r.col);
    t.types.push(r.type);
    if (r.pk !== null) t.pkAt.push([r.pk, r.col]);
  }
  for (const r of refs.rows) if (r.ref !== r.tab) byName.get(r.tab)?.references.push(r.ref);
  return [...byName.values()].map(({ pkAt, ...t }) => ({ ...t, primaryKey: pkAt.sort((a, b) => a[0] - b[0]).map((p) => p[1]) }));
}

export async function tablesOf(store: Store): Promise<TableInfo[]> {
  if (store.engine === 'postgres') return pgTables(store.db, SCHEMA);
  return sqliteTables(sqliteOf(store));
}

/** Tables in an order where each comes after the tables it refers to (names break ties, for a stable order). */
export function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const left = new Map(tables.map((t) => [t.name, t]));
  const done: TableInfo[] = [];
  while (left.size > 0) {
    const ready = [...left.values()].filter((t) => t.references.every((r) => !left.has(r))).sort((a, b) => a.name.localeCompare(b.name));
    if (ready.length === 0) throw new Error(`tables refer to each other in a cycle: ${[...left.keys()].join(', ')}`);
    for (const t of ready) {
      done.push(t);
      left.delete(t.name);
    }
  }
  return done;
}
