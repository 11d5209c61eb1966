/**
 * The schema as a portable description: what the migrations make of tables, columns, keys and indexes,
 * in words both engines share (an `integer` is SQLite's integer and PostgreSQL's bigint; `text` is text
 * compared byte by byte), plus what exists on one engine alone. `npm run schema` writes it to
 * src/store/schema.json and docs/schema.md from a fresh database of each engine; a test compares a fresh
 * database of its engine with that file, so the two engines cannot drift apart unnoticed.
 */
import { sql } from 'kysely';
import type Database from 'better-sqlite3';
import { sqliteOf, type Store } from './engine.js';
import { SCHEMA } from './pg/constants.js';

export interface ColumnShape {
  name: string;
  /** integer, text, boolean (PostgreSQL bookkeeping only); anything else as the engine names it. */
  type: string;
  nullable: boolean;
  /** The default as SQL, without PostgreSQL's casts (`'[]'`, `10`); null when there is none. */
  default: string | null;
  /**
   * Ids given by the database and never given twice (SQLite autoincrement, PostgreSQL identity). In the
   * description, 'sqlite' for a column the history made differently on purpose (ID_KEPT_DIFFERENTLY).
   */
  generated: boolean | 'sqlite';
}

export interface IndexShape {
  name: string;
  columns: string[];
  unique: boolean;
  /** Covers only the rows matching a condition (`create index … where …`). */
  partial: boolean;
}

export interface ForeignKeyShape {
  columns: string[];
  table: string;
  references: string[];
  onDelete: string;
}

export interface TableShape {
  name: string;
  columns: ColumnShape[];
  primaryKey: string[];
  /** Unique constraints (a column's `unique`), by their columns; unique indexes are under indexes. */
  unique: string[][];
  foreignKeys: ForeignKeyShape[];
  indexes: IndexShape[];
}

/** One engine's schema: its tables, and its other objects (triggers, functions, policies, views …) as "kind name". */
export interface EngineShape {
  tables: TableShape[];
  objects: string[];
}

/** What one engine has beyond the shared tables. */
export interface EngineOnly {
  tables: TableShape[];
  /** Indexes on shared tables that this engine alone has. */
  indexes: (IndexShape & { table: string })[];
  objects: string[];
}

export interface SchemaDescription {
  $comment: string;
  /** The schema version each engine's plan makes (the number of its last migration). */
  versions: { sqlite: number; server: number };
  /** Tables both engines have, alike. */
  tables: TableShape[];
  sqlite: EngineOnly;
  server: EngineOnly;
}

export const DESCRIPTION_COMMENT = 'Written by `npm run schema` from a fresh database of each engine; do not edit. See docs/migrations.md.';

/** The engines' and the migrator's own tables: not part of the described schema. */
const BOOKKEEPING = /^(sqlite_|kysely_migration)/;

/**
 * Ids the frozen history keeps differently on each engine, on purpose: an audit entry's id is covered by
 * its hash and given by appendAudit on a server (its highest kept in audit_log_counter), by autoincrement
 * in a file (its highest in sqlite_sequence). Any other difference between the engines is refused.
 */
const ID_KEPT_DIFFERENTLY = ['audit_log.id'];

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sqliteType(declared: string): string {
  const t = declared.toLowerCase();
  return t === 'integer' || t === 'text' ? t : t || 'any';
}

function sqliteTable(raw: Database.Database, name: string, tableSql: string): TableShape {
  const cols = raw.prepare('select name, type, "notnull" as nn, dflt_value as dflt, pk from pragma_table_info(?) order by cid').all(name) as {
    name: string;
    type: string;
    nn: number;
    dflt: string | null;
    pk: number;
  }[];
  const autoincrement = /\bautoincrement\b/i.test(tableSql);
  const fks = raw.prepare('select id, seq, "table" as ref, "from" as col, "to" as refcol, on_delete as del from pragma_foreign_key_list(?) order by id, seq').all(name) as {
    id: number;
    ref: string;
    col: string;
    refcol: string | null;
    del: string;
  }[];
  const foreignKeys = new Map<number, ForeignKeyShape>();
  for (const f of fks) {
    let fk = foreignKeys.get(f.id);
    if (!fk) foreignKeys.set(f.id, (fk = { columns: [], table: f.ref, references: [], onDelete: f.del }));
    fk.columns.push(f.col);
    // a reference without columns names the referred table's primary key
    fk.references.push(f.refcol ?? (raw.prepare('select name from pragma_table_info(?) where pk = 1').get(f.ref) as { name: string }).name);
  }
  const unique: string[][] = [];
  const indexes: IndexShape[] = [];
  const list = raw.prepare('select name, "unique" as u, origin, partial from pragma_index_list(?)').all(name) as { name: string; u: number; origin: string; partial: number }[];
  for (const ix of list) {
    const columns = (raw.prepare('select name from pragma_index_info(?) order by seqno').all(ix.name) as { name: string | null }[]).map((c) => c.name ?? '(expression)');
    if (ix.origin === 'u') unique.push(columns);
    else if (ix.origin === 'c') indexes.push({ name: ix.name, columns, unique: ix.u === 1, partial: ix.partial === 1 });
  }
  const primaryKey = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  return {
    name,
    columns: cols.map((c) => ({
      name: c.name,
      type: sqliteType(c.type),
      nullable: c.nn === 0 && c.pk === 0,
      default: c.dflt,
      generated: autoincrement && c.pk > 0 && primaryKey.length === 1,
    })),
    primaryKey,
    unique: unique.sort(),
    foreignKeys: [...foreignKeys.values()].sort(compareFk),
    indexes: indexes.sort(byName),
  };
}

function compareFk(a: ForeignKeyShape, b: ForeignKeyShape): number {
  const x = JSON.stringify([a.columns, a.table]);
  const y = JSON.stringify([b.columns, b.table]);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sqliteShape(raw: Database.Database): EngineShape {
  const rows = raw.prepare("select type, name, sql from sqlite_master where name not like 'sqlite_autoindex_%' order by type, name").all() as { type: string; name: string; sql: string | null }[];
  const tables = rows.filter((r) => r.type === 'table' && !BOOKKEEPING.test(r.name)).map((r) => sqliteTable(raw, r.name, r.sql ?? ''));
  const objects = rows.filter((r) => r.type === 'trigger' || r.type === 'view').map((r) => `${r.type} ${r.name}`);
  return { tables: tables.sort(byName), objects: objects.sort() };
}

const PG_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

function pgType(type: string, collation: string | null): string {
  if (type === 'bigint') return 'integer';
  if (type === 'text') return collation === 'C' ? 'text' : `text collate ${collation ?? 'default'}`;
  return type;
}

/** A default as PostgreSQL prints it, without the cast it adds to a literal: '[]'::text → '[]'. */
function pgDefault(expr: string | null): string | null {
  return expr === null ? null : expr.replace(/::[a-z ]+$/i, '');
}

export async function pgShape(db: Store['db'], schema = SCHEMA): Promise<EngineShape> {
  const cols = await sql<{ tab: string; col: string; type: string; coll: string | null; nn: boolean; identity: boolean; dflt: string | null }>`
    select c.relname as tab, a.attname as col, format_type(a.atttypid, a.atttypmod) as type, co.collname as coll,
           a.attnotnull as nn, a.attidentity <> '' as identity, pg_get_expr(d.adbin, d.adrelid) as dflt
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_collation co on co.oid = a.attcollation
      left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
     where c.relnamespace = ${schema}::regnamespace and c.relkind in ('r', 'p')
     order by c.relname, a.attnum`.execute(db);
  const cons = await sql<{ tab: string; kind: string; cols: string[]; ref: string | null; refcols: string[] | null; del: string }>`
    select t.relname as tab, k.contype as kind,
           array(select a.attname from unnest(k.conkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i)::text[] as cols,
           r.relname as ref,
           array(select a.attname from unnest(k.confkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i)::text[] as refcols,
           k.confdeltype as del
      from pg_constraint k join pg_class t on t.oid = k.conrelid left join pg_class r on r.oid = k.confrelid
     where t.relnamespace = ${schema}::regnamespace and k.contype in ('p', 'u', 'f')`.execute(db);
  const idx = await sql<{ tab: string; name: string; cols: string[]; uniq: boolean; partial: boolean }>`
    select t.relname as tab, c.relname as name, i.indisunique as uniq, i.indpred is not null as partial,
           array(select coalesce(a.attname, '(expression)') from unnest(i.indkey) with ordinality u(n, k)
                   left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.n and u.n > 0 order by u.k)::text[] as cols
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
     where t.relnamespace = ${schema}::regnamespace
       and not exists (select from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)`.execute(db);
  const objs = await sql<{ obj: string }>`
    with ns as (select ${schema}::regnamespace as oid)
    select 'view ' || c.relname as obj from pg_class c join ns on c.relnamespace = ns.oid where c.relkind in ('v', 'm')
    union all
    select 'sequence ' || c.relname from pg_class c join ns on c.relnamespace = ns.oid
     where c.relkind = 'S' and not exists (select from pg_depend dp where dp.objid = c.oid and dp.deptype = 'i')
    union all
    select 'trigger ' || t.relname || '.' || g.tgname from pg_trigger g join pg_class t on t.oid = g.tgrelid join ns on t.relnamespace = ns.oid where not g.tgisinternal
    union all
    select 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' from pg_proc p join ns on p.pronamespace = ns.oid
    union all
    select 'policy ' || t.relname || '.' || p.polname from pg_policy p join pg_class t on t.oid = p.polrelid join ns on t.relnamespace = ns.oid
    union all
    select 'rule ' || t.relname || '.' || w.rulename from pg_rewrite w join pg_class t on t.oid = w.ev_class join ns on t.relnamespace = ns.oid where w.rulename <> '_RETURN'
    union all
    select 'row level security ' || c.relname from pg_class c join ns on c.relnamespace = ns.oid where c.relrowsecurity
    union all
    select 'forced row level security ' || c.relname from pg_class c join ns on c.relnamespace = ns.oid where c.relforcerowsecurity`.execute(db);

  const tables = new Map<string, TableShape>();
  for (const c of cols.rows) {
    if (BOOKKEEPING.test(c.tab)) continue;
    let t = tables.get(c.tab);
    if (!t) tables.set(c.tab, (t = { name: c.tab, columns: [], primaryKey: [], unique: [], foreignKeys: [], indexes: [] }));
    t.columns.push({ name: c.col, type: pgType(c.type, c.coll), nullable: !c.nn, default: pgDefault(c.dflt), generated: c.identity });
  }
  for (const k of cons.rows) {
    const t = tables.get(k.tab);
    if (!t) continue;
    if (k.kind === 'p') t.primaryKey = k.cols;
    else if (k.kind === 'u') t.unique.push(k.cols);
    else t.foreignKeys.push({ columns: k.cols, table: k.ref!, references: k.refcols ?? [], onDelete: PG_DELETE[k.del] ?? k.del });
  }
  for (const i of idx.rows) tables.get(i.tab)?.indexes.push({ name: i.name, columns: i.cols, unique: i.uniq, partial: i.partial });
  for (const t of tables.values()) {
    // SQLite reports a primary key column as nullable unless declared otherwise; both say "not null" here
    for (const c of t.columns) if (t.primaryKey.includes(c.name)) c.nullable = false;
    t.unique.sort();
    t.foreignKeys.sort(compareFk);
    t.indexes.sort(byName);
  }
  return { tables: [...tables.values()].sort(byName), objects: objs.rows.map((o) => o.obj).sort() };
}

/** The shape of a store's schema, whichever engine holds it. */
export async function shapeOf(store: Store): Promise<EngineShape> {
  return store.engine === 'postgres' ? pgShape(store.db) : sqliteShape(sqliteOf(store));
}

/**
 * The description made of both engines' shapes: tables both have (they must be alike, column for column),
 * then what each has alone. Throws, naming every difference, when a table both have differs.
 */
export function describeSchema(lite: EngineShape, server: EngineShape, versions: SchemaDescription['versions']): SchemaDescription {
  const problems: string[] = [];
  const serverTables = new Map(server.tables.map((t) => [t.name, t]));
  const liteNames = new Set(lite.tables.map((t) => t.name));
  const shared: TableShape[] = [];
  const only = (tables: TableShape[], objects: string[]): EngineOnly => ({ tables, indexes: [], objects });
  const sqlite = only(lite.tables.filter((t) => !serverTables.has(t.name)), lite.objects);
  const srv = only(server.tables.filter((t) => !liteNames.has(t.name)), server.objects);
  for (const a of lite.tables) {
    const b = serverTables.get(a.name);
    if (!b) continue;
    const columns = a.columns.map((c, i) => {
      const s = b.columns[i];
      const differently = ID_KEPT_DIFFERENTLY.includes(`${a.name}.${c.name}`) && s !== undefined && c.generated === true && s.generated === false;
      return differently && JSON.stringify({ ...c, generated: false }) === JSON.stringify(s) ? { ...c, generated: 'sqlite' as const } : c;
    });
    const liteCols = JSON.stringify(columns.map((c) => ({ ...c, generated: c.generated === 'sqlite' ? false : c.generated })));
    if (liteCols !== JSON.stringify(b.columns)) problems.push(`table ${a.name}: columns differ\n  sqlite: ${JSON.stringify(a.columns)}\n  server: ${JSON.stringify(b.columns)}`);
    for (const key of ['primaryKey', 'unique', 'foreignKeys'] as const) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) problems.push(`table ${a.name}: ${key} differ\n  sqlite: ${JSON.stringify(a[key])}\n  server: ${JSON.stringify(b[key])}`);
    }
    const bIndexes = new Map(b.indexes.map((i) => [i.name, i]));
    const aNames = new Set(a.indexes.map((i) => i.name));
    const indexes: IndexShape[] = [];
    for (const i of a.indexes) {
      const j = bIndexes.get(i.name);
      if (!j) sqlite.indexes.push({ table: a.name, ...i });
      else if (JSON.stringify(i) !== JSON.stringify(j)) problems.push(`index ${i.name}: sqlite ${JSON.stringify(i)}, server ${JSON.stringify(j)}`);
      else indexes.push(i);
    }
    for (const j of b.indexes) if (!aNames.has(j.name)) srv.indexes.push({ table: b.name, ...j });
    shared.push({ ...a, columns, indexes });
  }
  if (problems.length > 0) throw new Error(`the engines' schemas differ where they must be alike:\n${problems.join('\n')}`);
  return { $comment: DESCRIPTION_COMMENT, versions, tables: shared, sqlite, server: srv };
}

/** One engine's whole shape as the description says it should be: the shared tables with its own indexes, its own tables and objects. */
export function expectedShape(d: SchemaDescription, engine: 'sqlite' | 'server'): EngineShape {
  const own = d[engine];
  const tables = [...d.tables, ...own.tables].map((t) => ({
    ...t,
    columns: t.columns.map((c) => (c.generated === 'sqlite' ? { ...c, generated: engine === 'sqlite' } : c)),
    indexes: [...t.indexes, ...own.indexes.filter((i) => i.table === t.name).map(({ table: _t, ...i }) => i)].sort(byName),
  }));
  return { tables: tables.sort(byName), objects: [...own.objects].sort() };
}

/** Every difference between a database's shape and the expected one, one line each (empty: alike). */
export function shapeDifferences(actual: EngineShape, expected: EngineShape): string[] {
  const out: string[] = [];
  const want = new Map(expected.tables.map((t) => [t.name, t]));
  const have = new Map(actual.tables.map((t) => [t.name, t]));
  for (const t of actual.tables) if (!want.has(t.name)) out.push(`table ${t.name}: in the database, not in the description`);
  for (const t of expected.tables) if (!have.has(t.name)) out.push(`table ${t.name}: in the description, not in the database`);
  for (const [name, a] of have) {
    const e = want.get(name);
    if (!e) continue;
    const cols = new Map(e.columns.map((c) => [c.name, c]));
    for (const c of a.columns) {
      const w = cols.get(c.name);
      if (!w) out.push(`column ${name}.${c.name}: in the database, not in the description`);
      else if (JSON.stringify(w) !== JSON.stringify(c)) out.push(`column ${name}.${c.name}: database ${JSON.stringify(c)}, description ${JSON.stringify(w)}`);
    }
    for (const c of e.columns) if (!a.columns.some((x) => x.name === c.name)) out.push(`column ${name}.${c.name}: in the description, not in the database`);
    if (JSON.stringify(a.columns.map((c) => c.name)) !== JSON.stringify(e.columns.map((c) => c.name)) && out.length === 0) out.push(`table ${name}: columns in another order`);
    for (const key of ['primaryKey', 'unique', 'foreignKeys', 'indexes'] as const) {
      if (JSON.stringify(a[key]) !== JSON.stringify(e[key])) out.push(`table ${name}: ${key}: database ${JSON.stringify(a[key])}, description ${JSON.stringify(e[key])}`);
    }
  }
  for (const o of actual.objects) if (!expected.objects.includes(o)) out.push(`${o}: in the database, not in the description`);
  for (const o of expected.objects) if (!actual.objects.includes(o)) out.push(`${o}: in the description, not in the database`);
  return out;
}
