/**
 * Bulk inserts for large imports: rows go in chunks of one multi-row INSERT whose SQL kysely compiles once
 * per chunk size and which is then reused with new parameters (compiling 100,000 rows' worth of query nodes
 * cost more than SQLite's own work). On SQLite the compiled statement is also prepared once.
 */
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { rawOf } from './db.js';
import type { DB } from './schema.js';

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
      const objects = part.map((r) => Object.fromEntries(cols.map((c, j) => [c, r[j] ?? null])));
      const q = tx.insertInto(table).values(objects as Insertable<DB[T]>[]).compile();
      if (q.parameters.length !== params.length) throw new Error(`bulkInsert(${table}): unexpected parameter count`);
      const stmt = raw?.prepare(q.sql);
      compiled = { n: part.length, sql: q.sql, run: stmt ? (p) => stmt.run(p) : undefined };
    }
    if (compiled.run) compiled.run(params);
    else await tx.executeQuery(CompiledQuery.raw(compiled.sql, params));
  }
}
