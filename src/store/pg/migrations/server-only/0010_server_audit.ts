/**
 * Server only: an audit entry appended by a login is completed by the server, whatever the client sent.
 * The client still sends the entry (command, entity, before and after: its claim of what it did), but the
 * server decides who and when and where it goes in the chain: the actor is the login (session_user), the
 * time is the server's clock, the id follows the highest id ever written, and the previous hash and the
 * entry's own hash are computed here with sha256(), exactly as `audit verify` recomputes them
 * (src/store/audit.ts, entryHash). Appends are serialised by the row lock on audit_log_counter, so two
 * commits never chain onto the same entry. The schema owner (maintenance connection, trusted: it copies and
 * restores whole histories) appends as before.
 */
import type { Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  await runAll(db, [
    `create function audit_entry_by_server() returns trigger language plpgsql security definer set search_path = ${s}, pg_temp as $$
    declare
      content text;
    begin
      if session_is_owner() then return new; end if;
      update audit_log_counter set last_id = last_id + 1 returning last_id into new.id;
      select l.hash into new.prev_hash from audit_log l order by l.id desc limit 1;
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
    `create trigger audit_entry_by_server before insert on audit_log for each row execute function audit_entry_by_server()`,
  ]);
}
