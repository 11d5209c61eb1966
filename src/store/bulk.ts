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

/** The same, from arrays of values in `cols` order (no intermediate objects for very large batches). */
export async function bulkInsertValues<T extends keyof DB & string>(
  tx: Kysely<DB>,
  table: T,
  cols: (keyof Insertable<DB[T]> & string)[],
  rows: unknown[][],
  chunk = 400,
): Promise<void> {
  let compiled: { n: number; sql: string; run?: (params: unknown[]) => unknown } | undefined;
  const raw = rawOf(tx);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.length <= chunk ? rows : rows.slice(i, i + chunk);
    const params: unknown[] = new Array(part.length * cols.length);
    let k = 0;
    for (const r of part) for (let j = 0; j < cols.length; j++) params[k++] = r[j];
    if (!compiled || compiled.n !== part.length) {
      const key = `${engineOf(tx)}|${table}|${cols.join(',')}|${part.length}`;
      let sql = compiledSql.get(key);
      if (sql === undefined) {
        const objects = part.map((r) => Object.fromEntries(cols.map((c, j) => [c, r[j] ?? null])));
        const q = tx.insertInto(table).values(objects as Insertable<DB[T]>[]).compile();
        if (q.parameters.length !== params.length) throw new Error(`bulkInsert(${table}): unexpected parameter count`);
        sql = q.sql;
        compiledSql.set(key, sql);
      }
      const stmt = raw ? preparedOn(raw, key, sql) : undefined;
      compiled = { n: part.length, sql, run: stmt ? (p) => stmt.run(p) : undefined };
    }
    if (compiled.run) compiled.run(params);
    else await tx.executeQuery(CompiledQuery.raw(compiled.sql, params));
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
