/**
 * Bulk inserts for large imports: rows go in chunks of one multi-row INSERT whose SQL kysely compiles once
 * per table, columns and chunk size and which is then reused with new parameters (compiling 100,000 rows'
 * worth of query nodes cost more than SQLite's own work). On SQLite the statement is also prepared once
 * per connection (preparing a 400-row INSERT of a dozen columns costs more than running it).
 */
import type Database from 'better-sqlite3';
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { engineOf, rawOf } from './engine.js';
import type { DB } from './schema.js';

/** Compiled SQL by engine (placeholders differ: ? on SQLite, $1 on PostgreSQL), table, columns and row count. */
const compiledSql = new Map<string, string>();
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The statement for `sql` on this connection, prepared the first time it is asked for. */
function preparedOn(raw: Database.Database, key: string, sql: string): Database.Statement {
  let mine = prepared.get(raw);
  if (!mine) prepared.set(raw, (mine = new Map()));
  let stmt = mine.get(key);
  if (!stmt) mine.set(key, (stmt = raw.prepare(sql)));
  return stmt;
}

export async function bulkInsert<T extends keyof DB & string>(tx: Kysely<DB>, table: T, rows: Insertable<DB[T]>[], chunk = 400): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!) as (keyof Insertable<DB[T]> & string)[];
  await bulkInsertValues(tx, table, cols, rows.map((r) => cols.map((c) => (r as Record<string, unknown>)[c] ?? null)), chunk);
}

/**
 * The sizes a batch of rows is written in, in row order: `chunk` rows while there are that many, then the rest.
 * On SQLite (`split`) the rest goes as the binary digits of its count (a rest of 37 rows: 32, 4 and 1), so that a
 * batch of any size uses the same few statements, each prepared once per connection; on PostgreSQL, where nothing
 * is kept prepared, in one statement.
 */
function chunkSizes(total: number, chunk: number, split: boolean): number[] {
  const sizes: number[] = [];
  let left = total;
  for (; left >= chunk; left -= chunk) sizes.push(chunk);
  if (!split) return left > 0 ? [...sizes, left] : sizes;
  for (let bit = 1 << 30; bit >= 1; bit >>>= 1) if (left & bit) sizes.push(bit);
  return sizes;
}

interface Insert {
  sql: string;
  run?: (params: unknown[]) => unknown;
}

/** The INSERT of `n` rows of `cols` into `table`: its SQL compiled once per engine and shape, prepared once per SQLite connection. */
function insertOf<T extends keyof DB & string>(tx: Kysely<DB>, table: T, cols: (keyof Insertable<DB[T]> & string)[], n: number): Insert {
  const key = `${engineOf(tx)}|${table}|${cols.join(',')}|${n}`;
  let sql = compiledSql.get(key);
  if (sql === undefined) {
    const objects = Array.from({ length: n }, () => Object.fromEntries(cols.map((c) => [c, null])));
    const q = tx.insertInto(table).values(objects as Insertable<DB[T]>[]).compile();
    if (q.parameters.length !== n * cols.length) throw new Error(`bulkInsert(${table}): unexpected parameter count`);
    sql = q.sql;
    compiledSql.set(key, sql);
  }
  const raw = rawOf(tx);
  const stmt = raw ? preparedOn(raw, key, sql) : undefined;
  return { sql, run: stmt ? (p) => stmt.run(p) : undefined };
}

/** The parameters of rows[from, from + n): each row's values in column order. */
function paramsOf(rows: unknown[][], from: number, n: number, width: number): unknown[] {
  const params: unknown[] = new Array(n * width);
  let k = 0;
  for (let i = from; i < from + n; i++) {
    const r = rows[i]!;
    for (let j = 0; j < width; j++) params[k++] = r[j];
  }
  return params;
}

/** The same, from arrays of values in `cols` order (no intermediate objects for very large batches). */
export async function bulkInsertValues<T extends keyof DB & string>(
  tx: Kysely<DB>,
  table: T,
  cols: (keyof Insertable<DB[T]> & string)[],
  rows: unknown[][],
  chunk = 400,
): Promise<void> {
  let from = 0;
  let insert: Insert | undefined;
  let size = 0;
  for (const n of chunkSizes(rows.length, chunk, rawOf(tx) !== undefined)) {
    if (n !== size) {
      insert = insertOf(tx, table, cols, n);
      size = n;
    }
    const params = paramsOf(rows, from, n, cols.length);
    from += n;
    if (insert!.run) insert!.run(params);
    else await tx.executeQuery(CompiledQuery.raw(insert!.sql, params));
  }
}

/** One compiled statement run with many parameter sets (on SQLite prepared once per connection). */
export async function runEach(tx: Kysely<DB>, query: CompiledQuery, paramSets: unknown[][]): Promise<void> {
  const raw = rawOf(tx);
  if (!raw) {
    for (const p of paramSets) await tx.executeQuery(CompiledQuery.raw(query.sql, p));
    return;
  }
  const stmt = preparedOn(raw, query.sql, query.sql);
  for (const p of paramSets) stmt.run(p);
}
