/**
 * The row digests the server's audit triggers keep (audit_row_state, migration 0015_server_audit_triggers),
 * for a bulk load by the schema owner (db copy and db restore into a server): the trigger is disabled while the
 * rows go in, and the digests are then made in one statement per table, exactly as the trigger makes them
 * (the row's key as text, md5 of the row as jsonb text). Row by row, the trigger would make a large copy
 * several times slower; the result is the same.
 */
import { sql } from 'kysely';
import type { Tx } from '../engine.js';

interface Audited {
  tab: string;
  col: string;
}

async function audited(tx: Tx): Promise<Audited[]> {
  const r = await sql<Audited>`
    select c.relname as tab, a.attname as col
      from pg_trigger g join pg_class c on c.oid = g.tgrelid
      join pg_index i on i.indrelid = c.oid and i.indisprimary
      join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
     where g.tgname = 'audit_row_change' and c.relnamespace = current_schema()::regnamespace
     order by 1`.execute(tx);
  return r.rows;
}

/** Disables the audit trigger of every audited table, in the caller's transaction; returns what resumes it. */
export async function suspendRowAudit(tx: Tx): Promise<() => Promise<void>> {
  const tables = await audited(tx);
  for (const t of tables) await sql`alter table ${sql.id(t.tab)} disable trigger audit_row_change`.execute(tx);
  return async () => {
    if (tables.length === 0) return; // a schema from before the audit triggers
    await sql`delete from audit_row_state`.execute(tx);
    for (const t of tables) {
      await sql`insert into audit_row_state (tbl, pk, row_md5) select ${t.tab}, to_jsonb(x) ->> ${t.col}, md5(to_jsonb(x)::text) from ${sql.id(t.tab)} x`.execute(tx);
      await sql`alter table ${sql.id(t.tab)} enable trigger audit_row_change`.execute(tx);
    }
  };
}
