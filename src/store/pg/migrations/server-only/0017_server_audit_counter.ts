/**
 * Server only: a login's transaction appending many entries (the audit triggers of 0015 write one per row it
 * changes) moves the audit log's counter once, at commit, instead of once per entry. Updating the counter's one
 * row thousands of times in one transaction leaves as many versions of it, each found again by the next
 * update: the cost per entry grew with the entries before it (18,000 rows took twice as long with the
 * triggers as without; bench/audit-triggers.mjs).
 *
 * - An entry by a login takes the counter's row lock (FOR UPDATE: a lock, no new version), which serialises
 *   appends as before; its id follows both the highest id ever given (the counter) and the last entry.
 * - The counter moves at commit, once: a deferred trigger of the transaction's last entry.
 * - The schema owner's appends (a statement of many entries each) move it per statement, as before.
 */
import type { Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  const fixed = `set search_path = ${s}, pg_temp`;
  await runAll(db, [
    `create or replace function audit_entry_by_server() returns trigger language plpgsql security definer ${fixed} as $$
    declare
      content text;
      top bigint;
    begin
      if session_is_owner() then return new; end if;
      select c.last_id into top from audit_log_counter c for update;
      select l.id, l.hash into new.id, new.prev_hash from audit_log l order by l.id desc limit 1;
      new.id := greatest(coalesce(new.id, 0), coalesce(top, 0)) + 1;
      new.prev_hash := coalesce(new.prev_hash, repeat('0', 64));
      new.actor := lower(session_user::text);
      new.at := to_char(clock_timestamp(), 'YYYY-MM-DD"T"HH24:MI:SS.MSTZH:TZM');
      -- JSON.stringify([id, at, actor, command, entity, entity_id, before, after]), byte for byte
      content := '[' || new.id::text
        || ',' || to_json(new.at)::text || ',' || to_json(new.actor)::text || ',' || to_json(new.command)::text
        || ',' || to_json(new.entity)::text || ',' || coalesce(to_json(new.entity_id)::text, 'null')
        || ',' || coalesce(to_json(new.before)::text, 'null') || ',' || coalesce(to_json(new.after)::text, 'null') || ']';
      new.hash := encode(sha256(convert_to(new.prev_hash || E'\\n' || content, 'UTF8')), 'hex');
      return new;
    end $$`,
    `create or replace function audit_log_count() returns trigger language plpgsql security definer ${fixed} as $$
    begin
      if not session_is_owner() then return null; end if; -- a login's entries: audit_counter_at_commit
      update audit_log_counter set last_id = greatest(last_id, (select max(id) from new_entries));
      return null;
    end $$`,
    `create function audit_counter_at_commit() returns trigger language plpgsql security definer ${fixed} as $$
    begin
      if session_is_owner() then return null; end if;
      if new.id = (select max(l.id) from audit_log l) then
        update audit_log_counter set last_id = greatest(last_id, new.id);
      end if;
      return null;
    end $$`,
    `create constraint trigger audit_counter_at_commit after insert on audit_log deferrable initially deferred
       for each row execute function audit_counter_at_commit()`,
  ]);
}
