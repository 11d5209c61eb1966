/** Helpers of the PostgreSQL migrations: plain SQL statements, run in the schema being built. */
import { sql, type Kysely } from 'kysely';

export async function runAll(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

/** The schema the migrations build (the first of the search path): xypz, or a scratch one for db check. */
export async function schemaName(db: Kysely<unknown>): Promise<string> {
  const r = await sql<{ s: string | null }>`select current_schema() as s`.execute(db);
  const s = r.rows[0]?.s;
  if (!s) throw new Error('no schema to build in');
  return s;
}

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
