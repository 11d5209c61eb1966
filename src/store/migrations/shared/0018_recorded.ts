/**
 * Frozen: when each record was recorded. Every event a user dates (a recommendation, a loan, a closing …) gets
 * a recorded stamp beside its date, set from the clock by the database itself, never by the program's own
 * statements: text `YYYY-MM-DD HH:MM:SS.sss`, the date of the clock's today (XYPZ_TODAY in tests; the
 * demo's clock at each event) and the wall-clock time (UTC). The stamp of a write is put in place when the write begins
 * (store.write: the table `recording` on a file, the transaction setting `xypz_store.recorded_at` on a server);
 * triggers copy it into every stamp the write sets, so all records of one write share one stamp.
 *
 * Records made before this migration count as recorded on their event's date: each stamp is backfilled with
 * the date of its event (a bare `YYYY-MM-DD`, which sorts before every stamp of that day), so every past
 * figure stays as it was. A stamp whose event is not there (a case not yet declared) is null.
 *
 * New tables: `correction` (one row per correction the 人民银行 records in a final period: why, what, who, by
 * which command or import batch, when); `programme` (the programme's start: the earliest event date that
 * may be entered; 2023-12-28 for a database that already holds data, `xypz init --start` for a new one);
 * `recording` (the stamp of the write in progress on a file; empty between writes).
 *
 * The stamping triggers are part of the same change on each engine and are made here, one dialect per
 * engine (the only engine-specific part of this migration): on SQLite, AFTER INSERT and AFTER UPDATE OF the
 * event column triggers; on PostgreSQL, one BEFORE INSERT OR UPDATE trigger per table calling
 * `recorded_now()`, the function the server's own migrations may replace to refuse what a login sends (an
 * insert reads the write's setting itself, for speed: the server's migrations override a login's stamps after). A row inserted with its stamps (a copy, a restore) keeps them; a stamp is set when
 * it is null on insert and when its event column changes on update.
 */
import { sql, type Kysely } from 'kysely';
import { READER_GROUP, WRITER_GROUP } from '../../pg/constants.js';
import type { SharedMigration } from '../kit.js';

/** Each stamped table: [event column, its stamp column]. Frozen with this migration. */
const STAMPS: Record<string, [string, string][]> = {
  case_file: [
    ['recommended_on', 'recommended_recorded_at'],
    ['declared_on', 'declared_recorded_at'],
    ['verified_on', 'verified_recorded_at'],
    ['confirmed_on', 'confirmed_recorded_at'],
    ['assigned_on', 'assigned_recorded_at'],
    ['closed_on', 'closed_recorded_at'],
  ],
  declaration: [['submitted_on', 'recorded_at']],
  verification: [['verified_on', 'recorded_at']],
  bank_assignment: [
    ['assigned_on', 'recorded_at'],
    ['ended_on', 'ended_recorded_at'],
  ],
  loan: [['loan_on', 'recorded_at']],
  loan_withdrawn: [
    ['loan_on', 'recorded_at'],
    ['withdrawn_on', 'withdrawn_recorded_at'],
  ],
  collection_return: [['received_on', 'recorded_at']],
  coaching_item: [
    ['added_on', 'recorded_at'],
    ['closed_on', 'closed_recorded_at'],
  ],
  reclassification: [['changed_on', 'recorded_at']],
  satisfaction: [['rated_on', 'recorded_at']],
  pool_filing: [['filed_on', 'recorded_at']],
  feedback: [['submitted_on', 'recorded_at']],
  capacity_change: [['effective_on', 'recorded_at']],
};

/** The programme's start for a database that already holds records (the notice's date). */
const DEFAULT_START = '2023-12-28';

export const up: SharedMigration['up'] = async (db, k) => {
  for (const [table, pairs] of Object.entries(STAMPS)) {
    for (const [, stamp] of pairs) await db.schema.alterTable(table).addColumn(stamp, k.timestamp).execute();
    // Every row is written (a stamp per event, null where the event is not there): on a server, the audit
    // trigger then keeps each row's digest as it now is.
    await sql`update ${sql.table(table)} set ${sql.join(pairs.map(([event, stamp]) => sql`${sql.ref(stamp)} = ${sql.ref(event)}`))}`.execute(db);
  }

  await db.schema
    .createTable('correction')
    .addColumn('id', k.idType, k.identity)
    .addColumn('reason', k.text, (c) => c.notNull())
    .addColumn('what', k.text, (c) => c.notNull())
    .addColumn('actor', k.text, (c) => c.notNull())
    .addColumn('org_id', k.integer, (c) => c.references('org.id'))
    .addColumn('command', k.text, (c) => c.notNull())
    .addColumn('batch_id', k.integer, (c) => c.references('import_batch.id'))
    .addColumn('recorded_at', k.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('correction_recorded').on('correction').columns(['recorded_at', 'id']).execute();

  await db.schema
    .createTable('programme')
    .addColumn('id', k.integer, (c) => c.primaryKey())
    .addColumn('start_on', k.text, (c) => c.notNull())
    .addCheckConstraint('programme_one_row', sql`id = 1`)
    .execute();
  // A database that holds records gets the default start; a new one gets the start init is given.
  await sql`insert into programme (id, start_on) select 1, ${DEFAULT_START} where exists (select 1 from region)`.execute(db);

  await db.schema
    .createTable('recording')
    .addColumn('id', k.integer, (c) => c.primaryKey())
    .addColumn('stamp', k.timestamp)
    .addCheckConstraint('recording_one_row', sql`id = 1`)
    .execute();

  await (k.engine === 'sqlite' ? sqliteTriggers(db) : serverTriggers(db));
};

/** SQLite: the stamp of the write in progress, or the clock when something other than xypz writes. */
const SQLITE_STAMP = `coalesce((select stamp from recording where id = 1), strftime('%Y-%m-%d %H:%M:%f', 'now'))`;

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  for (const [table, pairs] of Object.entries(STAMPS)) {
    const needs = pairs.map(([event, stamp]) => `(new.${event} is not null and new.${stamp} is null)`).join(' or ');
    const sets = pairs.map(([event, stamp]) => `${stamp} = case when ${event} is not null and ${stamp} is null then ${SQLITE_STAMP} else ${stamp} end`).join(', ');
    await sql
      .raw(
        `create trigger ${table}_recorded after insert on ${table} when ${needs} begin
           update ${table} set ${sets} where rowid = new.rowid;
         end`,
      )
      .execute(db);
    for (const [event, stamp] of pairs) {
      await sql
        .raw(
          `create trigger ${table}_${event}_recorded after update of ${event} on ${table} when new.${event} is not old.${event} begin
             update ${table} set ${stamp} = ${SQLITE_STAMP} where rowid = new.rowid;
           end`,
        )
        .execute(db);
    }
  }
}

/**
 * The server: the stamping triggers, and for the new tables what every table of a server has (the server's
 * migrations 0008 and 0015 gave it to the tables there then): row-level security on and forced with the owner's policy, the
 * groups' reading (the programme's start and the corrections are read by every account; the stamp of a write
 * in progress is never used on a server), the 人民银行's writing of corrections, and the audit trigger.
 */
async function serverTriggers(db: Kysely<unknown>): Promise<void> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s;
  const owner = (await sql<{ owner: string }>`select nspowner::regrole::text as owner from pg_namespace where nspname = ${schema}`.execute(db)).rows[0]!.owner;
  const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const fixed = `set search_path = ${q(schema)}, pg_temp`;
  const groups = `${WRITER_GROUP}, ${READER_GROUP}`;
  const statements: string[] = [];
  for (const t of ['correction', 'programme', 'recording']) {
    statements.push(
      `alter table ${t} enable row level security`,
      `alter table ${t} force row level security`,
      `create policy maintenance on ${t} to ${q(owner)} using (true) with check (true)`,
      `create constraint trigger audit_row_change after insert or update or delete on ${t} deferrable initially deferred for each row execute function audit_row_change('id')`,
      `insert into audit_row_state (tbl, pk, row_md5) select '${t}', to_jsonb(x) ->> 'id', md5(to_jsonb(x)::text) from ${t} x`,
    );
  }
  statements.push(
    `create policy scope_read on programme for select to ${groups} using (true)`,
    `create policy scope_read on correction for select to ${groups} using (true)`,
    `create policy scope_insert on correction for insert to ${WRITER_GROUP} with check (coalesce(unit_kind() = 'pboc', false) and unit_writes())`,
  );
  statements.push(
    // The stamp of this transaction: the client's (store.write sets it), else the server's clock.
    `create function recorded_now() returns text language sql stable ${fixed} as $$
       select coalesce(nullif(current_setting('xypz_store.recorded_at', true), ''), to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'))
     $$`,
  );
  for (const [table, pairs] of Object.entries(STAMPS)) {
    // An insert keeps a stamp it brings (a copy, a restore) and takes the write's for the others. The setting is
    // read here, once per row, rather than through recorded_now() (a function call per row, which a bulk load
    // would feel); recorded_now() answers when there is no setting. An update that changes an event always asks
    // recorded_now().
    const missing = pairs.map(([event, stamp]) => `(new.${event} is not null and new.${stamp} is null)`).join(' or ');
    const onInsert = pairs.map(([event, stamp]) => `if new.${event} is not null and new.${stamp} is null then new.${stamp} := stamp; end if;`).join('\n');
    const onUpdate = pairs.map(([event, stamp]) => `if new.${event} is distinct from old.${event} then new.${stamp} := recorded_now(); end if;`).join('\n');
    statements.push(
      `create function ${table}_recorded() returns trigger language plpgsql ${fixed} as $$
       declare
         stamp text;
       begin
         if tg_op = 'INSERT' then
           if ${missing} then
             stamp := coalesce(nullif(current_setting('xypz_store.recorded_at', true), ''), recorded_now());
             ${onInsert}
           end if;
         else
           ${onUpdate}
         end if;
         return new;
       end $$`,
      `create trigger ${table}_recorded before insert or update on ${table} for each row execute function ${table}_recorded()`,
    );
  }
  for (const s of statements) await sql.raw(s).execute(db);
}
