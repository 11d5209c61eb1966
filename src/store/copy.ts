/**
 * A whole database copied record for record between engines (SQLite ↔ PostgreSQL, or the same engine):
 * every table in the order of their references, ids as they are, the audit chain byte for byte together
 * with the highest audit id ever given (so a deleted tail still shows on the copy). The source is read in
 * one snapshot; the target is written in one transaction.
 */
import { sql } from 'kysely';
import type Database from 'better-sqlite3';
import { verifyChain, type ChainResult } from './audit.js';
import { bulkInsertValues } from './bulk.js';
import { RuleError } from '../errors.js';
import { SQLITE_PLAN } from './migrations/index.js';
import { versionOf } from './migrations/plan.js';
import type { DB } from './schema.js';
import { SCHEMA } from './pg/constants.js';
import { rawOf, sqliteOf, type Engine, type Store, type Tx } from './engine.js';
import { SERVER_PLAN } from './pg/migrations/index.js';
import { suspendRowAudit } from './pg/row-audit.js';
import { STAMPED } from './recording.js';
import { dependencyOrder, pgTables, sqliteTables, type TableInfo } from './tables.js';

/**
 * Work done in the target's transaction once the records are in (a restore records itself there), told
 * where the replaced data was kept (null: nothing was replaced).
 */
export type AfterCopy = (tx: Tx, kept: string | null) => Promise<void>;

export interface CopySummary {
  /** Rows copied per table, in copy order. */
  tables: Record<string, number>;
  /** The audit chain as verified on the target, inside the copy's transaction. */
  audit: ChainResult;
}

const BATCH = 5000;

type Rows = AsyncGenerator<unknown[][]> | Generator<unknown[][]>;

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function selectAll(t: TableInfo, cols: string[]): string {
  const order = t.primaryKey.length > 0 ? t.primaryKey.map(quoted).join(', ') : cols.map(quoted).join(', ');
  return `select ${cols.map(quoted).join(', ')} from ${quoted(t.name)} order by ${order}`;
}

function* sqliteRows(raw: Database.Database, t: TableInfo, cols: string[]): Generator<unknown[][]> {
  let batch: unknown[][] = [];
  for (const row of raw.prepare(selectAll(t, cols)).raw(true).iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function* pgRows(conn: Tx, t: TableInfo, cols: string[]): AsyncGenerator<unknown[][]> {
  await sql.raw(`declare copy_cursor no scroll cursor for ${selectAll(t, cols)}`).execute(conn);
  try {
    for (;;) {
      const r = await sql.raw<Record<string, unknown>>(`fetch ${BATCH} from copy_cursor`).execute(conn);
      if (r.rows.length === 0) return;
      yield r.rows.map((o) => cols.map((c) => o[c]));
    }
  } finally {
    await sql.raw('close copy_cursor').execute(conn);
  }
}

/** A database's applied migrations that both engines have: its own engine's left out (docs/migrations.md). */
async function sharedApplied(db: Tx, engine: Engine): Promise<string[]> {
  const own = new Set((engine === 'postgres' ? SERVER_PLAN : SQLITE_PLAN).entries.filter((e) => e.scope === 'engine').map((e) => e.name));
  const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return r.rows.map((x) => x.name).filter((n) => !own.has(n));
}

/**
 * Records move only between databases whose shared schema is the same: the same migrations applied,
 * whatever each engine has of its own (a server's policies, a file's triggers).
 */
async function refuseOtherSchema(from: Store, fromTx: Tx, to: CopyTarget): Promise<void> {
  const [a, b] = [await sharedApplied(fromTx, from.engine), await sharedApplied(to.tx, to.engine)];
  if (a.join() === b.join()) return;
  throw new RuleError(
    `${from.path} 与目标数据库的结构版本不同（两种数据库共有的结构：来源 ${versionOf(a)}，目标 ${versionOf(b)}），无法复制；请先对版本较旧的一方运行 xypz db migrate`,
    [],
    [],
    'schema_mismatch',
  );
}

export interface CopyTarget {
  engine: Engine;
  tx: Tx;
}

/**
 * Copies every record of `from` into the empty, current-version database being written by `to.tx`.
 * Table and column lists come from the target's catalog; the source must have the same tables.
 */
export async function copyRecords(from: Store, to: CopyTarget): Promise<CopySummary> {
  const targetTables = dependencyOrder(to.engine === 'postgres' ? await pgTables(to.tx, SCHEMA) : sqliteTables(rawOf(to.tx)!));
  const write = async (t: TableInfo, cols: string[], rows: unknown[][]) =>
    to.engine === 'postgres' ? insertPg(to.tx, t, cols, rows) : bulkInsertValues(to.tx, t.name as keyof DB & string, cols as never, rows);
  const copyAll = async (read: (t: TableInfo, cols: string[]) => Rows, sequences: () => Promise<Map<string, number>>): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    // Secondary indexes are built once at the end rather than row by row (a large copy is several times faster).
    const rebuild = to.engine === 'postgres' ? await dropSecondaryIndexes(to.tx) : [];
    // Likewise the digests of the server's audit triggers: made once at the end (pg/row-audit.ts).
    const resume = to.engine === 'postgres' ? await suspendRowAudit(to.tx) : undefined;
    // The records come with their recorded stamps, which the copy keeps as they are: the server's stamping
    // triggers (a function call per row) are off while they go in. A file's triggers only look at the stamp.
    const restamp = to.engine === 'postgres' ? await suspendStamping(to.tx) : undefined;
    for (const t of targetTables) {
      counts[t.name] = 0;
      // Two batches in flight: the next is read and encoded while the server stores the last.
      const inflight: Promise<void>[] = [];
      for await (const rows of read(t, t.columns)) {
        const p = write(t, t.columns, rows);
        p.catch(() => undefined); // awaited below; a failure ends the copy there
        inflight.push(p);
        counts[t.name] += rows.length;
        if (inflight.length >= 2) await inflight.shift();
      }
      await Promise.all(inflight);
    }
    for (const def of rebuild) await sql.raw(def).execute(to.tx);
    await restamp?.();
    await resume?.();
    await keepSequences(to, await sequences());
    // The planner's statistics of the new rows, before anyone queries them.
    if (to.engine === 'postgres') await sql`analyze ${sql.join(targetTables.map((t) => sql.id(t.name)))}`.execute(to.tx);
    return counts;
  };
  // One snapshot of the source for the whole copy.
  const tables = await from.read(async (conn) => {
    await refuseOtherSchema(from, conn, to);
    if (from.engine === 'postgres') return copyAll((t, cols) => pgRows(conn, t, cols), () => pgSequences(conn));
    const raw = sqliteOf(from);
    return copyAll((t, cols) => sqliteRows(raw, t, cols), async () => sqliteSequences(raw));
  });
  return { tables, audit: await verifyChain(to.tx) };
}

/** Disables the stamping trigger of each stamped table (migration 0018_recorded) in the caller's transaction; returns what enables them again. */
async function suspendStamping(tx: Tx): Promise<() => Promise<void>> {
  const r = await sql<{ tab: string; trigger: string }>`
    select c.relname as tab, g.tgname as trigger from pg_trigger g join pg_class c on c.oid = g.tgrelid
     where c.relnamespace = ${SCHEMA}::regnamespace and g.tgname = c.relname || '_recorded' order by 1`.execute(tx);
  const stamped = r.rows.filter((t) => t.tab in STAMPED);
  for (const t of stamped) await sql`alter table ${sql.id(t.tab)} disable trigger ${sql.id(t.trigger)}`.execute(tx);
  return async () => {
    for (const t of stamped) await sql`alter table ${sql.id(t.tab)} enable trigger ${sql.id(t.trigger)}`.execute(tx);
  };
}

/** Rows into a PostgreSQL table: one typed array per column, unnested (one statement per batch, any size). */
async function insertPg(tx: Tx, t: TableInfo, cols: string[], rows: unknown[][]): Promise<void> {
  const types = cols.map((c) => t.types[t.columns.indexOf(c)]!);
  const arrays = cols.map((_, j) => rows.map((r) => r[j] ?? null));
  const placeholders = types.map((ty, j) => sql`${arrays[j]}::${sql.raw(ty)}[]`);
  await sql`insert into ${sql.id(t.name)} (${sql.join(cols.map((c) => sql.id(c)))}) select * from unnest(${sql.join(placeholders)})`.execute(tx);
}

/** Drops the target's non-unique indexes; returns the statements that make them again. */
async function dropSecondaryIndexes(tx: Tx): Promise<string[]> {
  const r = await sql<{ name: string; def: string }>`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as def
      from pg_index i join pg_class c on c.oid = i.indexrelid
     where c.relnamespace = ${SCHEMA}::regnamespace and not i.indisunique and not i.indisprimary
     order by c.relname`.execute(tx);
  for (const ix of r.rows) await sql`drop index ${sql.id(ix.name)}`.execute(tx);
  return r.rows.map((ix) => ix.def);
}

/**
 * The highest id each table has ever given (SQLite's sqlite_sequence; on PostgreSQL the identity sequences
 * and, for the audit log, audit_log_counter): copied so that the target never gives an id again that the
 * source gave once — a withdrawn loan's, or the audit entries of a deleted tail, which verification must
 * still miss on the copy.
 */
function sqliteSequences(raw: Database.Database): Map<string, number> {
  const rows = raw.prepare('select name, seq from sqlite_sequence').all() as { name: string; seq: number }[];
  return new Map(rows.map((r) => [r.name, r.seq]));
}

async function pgSequences(db: Tx): Promise<Map<string, number>> {
  const r = await sql<{ tab: string; seq: number | null }>`
    select c.relname as tab, pg_sequence_last_value(pg_get_serial_sequence(format('%I.%I', ${SCHEMA}::text, c.relname), a.attname)::regclass) as seq
      from pg_attribute a join pg_class c on c.oid = a.attrelid
     where c.relnamespace = ${SCHEMA}::regnamespace and a.attidentity <> '' and not a.attisdropped`.execute(db);
  const out = new Map(r.rows.filter((x) => x.seq !== null).map((x) => [x.tab, x.seq!]));
  const audit = await sql<{ n: number }>`select last_id as n from audit_log_counter`.execute(db);
  out.set('audit_log', audit.rows[0]?.n ?? 0);
  return out;
}

/** The target's sequences raised to the source's (and past the ids copied). */
async function keepSequences(to: CopyTarget, seqs: Map<string, number>): Promise<void> {
  if (to.engine === 'postgres') {
    await sql`update audit_log_counter set last_id = greatest(last_id, ${seqs.get('audit_log') ?? 0})`.execute(to.tx);
    const ids = await sql<{ tab: string; col: string }>`
      select c.relname as tab, a.attname as col from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.relnamespace = ${SCHEMA}::regnamespace and a.attidentity <> '' and not a.attisdropped`.execute(to.tx);
    for (const { tab, col } of ids.rows) {
      const top = await sql<{ n: number | null }>`select max(${sql.ref(col)}) as n from ${sql.id(tab)}`.execute(to.tx);
      const n = Math.max(top.rows[0]?.n ?? 0, seqs.get(tab) ?? 0);
      const seq = sql`pg_get_serial_sequence(${`${SCHEMA}.${tab}`}, ${col})`;
      await (n > 0 ? sql`select setval(${seq}, ${n}, true)` : sql`select setval(${seq}, 1, false)`).execute(to.tx);
    }
    return;
  }
  const auto = new Set(
    (rawOf(to.tx)!.prepare("select name from sqlite_master where type = 'table' and sql like '%autoincrement%'").all() as { name: string }[]).map((r) => r.name),
  );
  for (const [name, seq] of seqs) {
    if (!auto.has(name) || seq === 0) continue;
    await sql`insert into sqlite_sequence (name, seq) select ${name}, 0 where not exists (select 1 from sqlite_sequence where name = ${name})`.execute(to.tx);
    await sql`update sqlite_sequence set seq = max(seq, ${seq}) where name = ${name}`.execute(to.tx);
  }
}
