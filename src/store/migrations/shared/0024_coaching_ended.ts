/**
 * Frozen: a coaching item of a closed case does not change. Closing a case (获得融资 or 退出) ends the items still
 * open on its closing day (终止, read from the case's closing date: no row is rewritten) and keeps those closed
 * by then as they were; after that no item of the case is closed, failed, reopened or otherwise changed
 * (docs/figures.md). The CLI and the collection import refuse it with their own message first; this trigger
 * makes the store refuse it too, whatever writes.
 *
 * The trigger refuses an update of any of the item's own columns (not its recorded stamps, which the stamping
 * triggers keep) when the item's case, before or after the update, is closed. It is the only engine-specific
 * part of this migration: on SQLite a BEFORE UPDATE trigger (a file's copy and restore insert closed cases' items,
 * so inserts are left to the CLI, which adds items to assigned cases only); on PostgreSQL a BEFORE INSERT OR UPDATE
 * trigger function that also refuses a login's new item for a closed case, and lets the schema owner (the trusted
 * maintenance connection, which copies and restores whole histories) through, as the server's other rules do
 * (0009_server_rules' session_is_owner()).
 */
import { sql, type Kysely } from 'kysely';
import type { SharedMigration } from '../kit.js';

/** The item's own columns (every column but its id and its stamps). Frozen with this migration. */
const OWN = ['case_id', 'item', 'org_id', 'category', 'due', 'status', 'added_on', 'closed_on', 'note', 'closed_collection_id'];

const MESSAGE = '辅导事项所属企业已办结：办结时未办结的辅导事项已随之终止，办结以后不能再办结、标记未办成或更改该企业的辅导事项';

export const up: SharedMigration['up'] = async (db, k) => {
  await (k.engine === 'sqlite' ? sqliteTrigger(db) : serverTrigger(db));
};

async function sqliteTrigger(db: Kysely<unknown>): Promise<void> {
  const changed = OWN.map((c) => `new.${c} is not old.${c}`).join(' or ');
  await sql
    .raw(
      `create trigger coaching_item_case_open before update of ${OWN.join(', ')} on coaching_item
         when (${changed}) and exists (select 1 from case_file c where c.id in (old.case_id, new.case_id) and c.stage = 'closed')
       begin
         select raise(abort, '${MESSAGE}');
       end`,
    )
    .execute(db);
}

async function serverTrigger(db: Kysely<unknown>): Promise<void> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s;
  const fixed = `set search_path = "${schema.replaceAll('"', '""')}", pg_temp`;
  const row = (r: string) => `(${OWN.map((c) => `${r}.${c}`).join(', ')})`;
  // security definer: the case is read whatever the login may see of it (a department sees the items given to it)
  await sql
    .raw(
      `create function coaching_item_case_open() returns trigger language plpgsql security definer ${fixed} as $$
       begin
         if session_is_owner() then return new; end if;
         if tg_op = 'INSERT' then
           if exists (select from case_file c where c.id = new.case_id and c.stage = 'closed') then
             raise exception '${MESSAGE}（新的辅导事项）' using errcode = '23514';
           end if;
           return new;
         end if;
         if ${row('new')} is not distinct from ${row('old')} then return new; end if;
         if exists (select from case_file c where c.id in (old.case_id, new.case_id) and c.stage = 'closed') then
           raise exception '${MESSAGE}（辅导事项 #%）', old.id using errcode = '23514';
         end if;
         return new;
       end $$`,
    )
    .execute(db);
  await sql.raw(`create trigger coaching_item_case_open before insert or update on coaching_item for each row execute function coaching_item_case_open()`).execute(db);
}
