/**
 * Frozen: when each organisation was recorded. A final period's report lists the banks as they were by its
 * cut-off: a bank added later has no row in it (it had no figures then, and a zero row would change a report
 * that is published). `org.recorded_at` is the stamp of the write that added the organisation, set by the
 * database as every other recorded stamp is (migration 0018_recorded, src/store/recording.ts).
 *
 * The organisations already in a database, and those `init` sets up, count as recorded before everything
 * ('1900-01-01', the earliest date the tool accepts, as a district's first capacity): every report of every
 * period lists them, as it always has. The stamp never changes afterwards (an update keeps it).
 */
import { sql, type Kysely } from 'kysely';
import type { SharedMigration } from '../kit.js';

/** What the organisations set up with the database are stamped with: before every period. Frozen. */
const SET_UP = '1900-01-01';

export const up: SharedMigration['up'] = async (db, k) => {
  await db.schema.alterTable('org').addColumn('recorded_at', k.timestamp).execute();
  // Every row is written: on a server, the audit trigger then keeps each row's digest as it now is.
  await sql`update org set recorded_at = ${SET_UP}`.execute(db);
  await (k.engine === 'sqlite' ? sqliteTrigger(db) : serverTrigger(db));
};

/** SQLite: the stamp of the write in progress (or the clock, for a write from another tool), on insert (as 0018's triggers). */
async function sqliteTrigger(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create trigger org_recorded after insert on org when new.recorded_at is null begin
         update org set recorded_at = coalesce((select stamp from recording where id = 1), strftime('%Y-%m-%d %H:%M:%f', 'now')) where rowid = new.rowid;
       end`,
    )
    .execute(db);
}

/** The server: a copy keeps its stamp, else 0018's recorded_now() (this transaction's stamp); an update keeps the stamp. */
async function serverTrigger(db: Kysely<unknown>): Promise<void> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s;
  const fixed = `set search_path = "${schema.replaceAll('"', '""')}", pg_temp`;
  await sql
    .raw(
      `create function org_recorded() returns trigger language plpgsql ${fixed} as $$
       begin
         if tg_op = 'INSERT' then
           if new.recorded_at is null then new.recorded_at := recorded_now(); end if;
         else
           new.recorded_at := old.recorded_at;
         end if;
         return new;
       end $$`,
    )
    .execute(db);
  await sql.raw(`create trigger org_recorded before insert or update on org for each row execute function org_recorded()`).execute(db);
}
