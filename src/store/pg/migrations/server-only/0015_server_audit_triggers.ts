/**
 * Server only: the audit log is written by the server. No login inserts into audit_log any more; a trigger
 * on every audited table appends one entry for each row a login inserts, updates or deletes, in the same
 * transaction (a deferred constraint trigger: it runs at commit, in the order of the changes, and no
 * statement of the login can skip it). The entry's actor, time, id and hash are the server's (0010's trigger
 * stamps every entry a login's transaction appends); its command, and the import batch or reason if any,
 * come from the client's context: the transaction-local setting `xypz_audit.context` (JSON), which says what was
 * done, never who or when. The entry: entity = the table, entity_id = the row's key, before = the row before
 * (update, delete), after = {op, row (insert, update), batch, reason}.
 *
 * What `audit verify` checks beyond the chain: every row of an audited table is accounted for. The same
 * trigger keeps, for each row, a digest of the row as last written and the entry that recorded it
 * (audit_row_state, server only); a row inserted, changed or deleted without the trigger (by the schema
 * owner with triggers disabled, or by a superuser) no longer matches its digest, and audit_unrecorded()
 * names it. The rows already there when this migration runs are the baseline (their digests, no entry):
 * the entries written before keep verifying as they were.
 *
 * The schema owner (the maintenance connection, trusted, as the DBA) is recorded in the row digests but
 * writes its entries itself as before (the CLI's own entries, as on a file); copying and restoring whole
 * histories stays its job. A login's only entry of its own is that it looked at personal numbers
 * (audit_note, entity 'reveal'): a read changes no row.
 */
import { sql, type Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

/** The tables whose rows are audited: all but the audit log itself and the engine's bookkeeping. */
const NOT_AUDITED = ['audit_log', 'audit_log_counter', 'audit_row_state', 'kysely_migration', 'kysely_migration_lock'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = await schemaName(db);
  const s = ident(schema);
  const fixed = `set search_path = ${s}, pg_temp`;
  const owner = (await sql<{ owner: string }>`select nspowner::regrole::text as owner from pg_namespace where nspname = ${schema}`.execute(db)).rows[0]!.owner;
  const keys = (
    await sql<{ tab: string; col: string }>`
      select c.relname as tab, a.attname as col
        from pg_class c join pg_index i on i.indrelid = c.oid and i.indisprimary
        join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
       where c.relnamespace = ${schema}::regnamespace and c.relkind = 'r' order by 1`.execute(db)
  ).rows.filter((r) => !NOT_AUDITED.includes(r.tab));

  await runAll(db, [
    `drop policy scope_insert on audit_log`,
    `create table audit_row_state (
      tbl text collate "C" not null,
      pk text collate "C" not null,
      row_md5 text collate "C" not null,
      entry_id bigint,
      primary key (tbl, pk)
    )`,
    `alter table audit_row_state enable row level security`,
    `alter table audit_row_state force row level security`,
    `create policy maintenance on audit_row_state to ${ident(owner)} using (true) with check (true)`,
    // The client's context: what it says it is doing. Not JSON: kept as the text it is.
    `create function audit_context() returns jsonb language plpgsql stable ${fixed} as $$
    declare
      raw text := nullif(current_setting('xypz_audit.context', true), '');
    begin
      if raw is null then return '{}'; end if;
      begin
        return case when jsonb_typeof(raw::jsonb) = 'object' then raw::jsonb else jsonb_build_object('context', raw) end;
      exception when others then
        return jsonb_build_object('context', raw);
      end;
    end $$`,
    `create function audit_row_change() returns trigger language plpgsql security definer ${fixed} as $$
    declare
      r jsonb := case when tg_op = 'DELETE' then null else to_jsonb(new) end;
      o jsonb := case when tg_op = 'INSERT' then null else to_jsonb(old) end;
      key text := coalesce(r, o) ->> tg_argv[0];
      ctx jsonb;
      entry bigint;
    begin
      if not session_is_owner() then
        ctx := audit_context();
        insert into audit_log (id, at, actor, command, entity, entity_id, before, after, prev_hash, hash)
        values (0, '', '', coalesce(ctx ->> 'command', '（直接改动数据库，未经 xypz）'), tg_table_name, key, o::text,
                jsonb_strip_nulls(jsonb_build_object('op', lower(tg_op), 'row', r, 'batch', ctx -> 'batch', 'reason', ctx -> 'reason'))::text, '', '')
        returning id into entry;
      end if;
      if tg_op = 'UPDATE' and o ->> tg_argv[0] is distinct from key then
        delete from audit_row_state where tbl = tg_table_name and pk = o ->> tg_argv[0];
      end if;
      if tg_op = 'DELETE' then
        delete from audit_row_state where tbl = tg_table_name and pk = key;
      else
        insert into audit_row_state (tbl, pk, row_md5, entry_id) values (tg_table_name, key, md5(r::text), entry)
        on conflict (tbl, pk) do update set row_md5 = excluded.row_md5, entry_id = excluded.entry_id;
      end if;
      return null;
    end $$`,
    // A read of personal numbers (users list --reveal), recorded by the login that made it.
    `create function audit_note(what text, entity_key text, detail text) returns void language plpgsql security definer ${fixed} as $$
    begin
      if what <> 'reveal' then
        raise exception '审计日志由服务器记录：登录账号只能记下自己查看了哪些个人信息' using errcode = '42501';
      end if;
      insert into audit_log (id, at, actor, command, entity, entity_id, before, after, prev_hash, hash)
      values (0, '', '', coalesce(audit_context() ->> 'command', '（直接改动数据库，未经 xypz）'), what, entity_key, null, detail, '', '');
    end $$`,
    // The rows of audited tables that differ from what the trigger last recorded: changed, added or deleted
    // without it. For the 人民银行 (who reads the audit log) and the schema owner.
    `create function audit_unrecorded() returns table (tbl text, pk text, problem text) language plpgsql stable security definer ${fixed} as $$
    declare
      t record;
    begin
      if not (session_is_owner() or coalesce(unit_kind() = 'pboc', false)) then
        raise exception '只有人民银行可以核对审计日志' using errcode = '42501';
      end if;
      for t in
        select c.relname as tab, a.attname as col
          from pg_trigger g join pg_class c on c.oid = g.tgrelid
          join pg_index i on i.indrelid = c.oid and i.indisprimary
          join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
         where g.tgname = 'audit_row_change' and c.relnamespace = current_schema()::regnamespace
         order by 1
      loop
        return query execute format(
          'select %L::text, coalesce(r.key, s.pk),
                  case when s.pk is null then ''added'' when r.key is null then ''deleted'' else ''changed'' end
             from (select to_jsonb(x) ->> %L as key, md5(to_jsonb(x)::text) as h from %I x) r
             full join (select a.pk, a.row_md5 from audit_row_state a where a.tbl = %L) s on s.pk = r.key
            where s.pk is null or r.key is null or s.row_md5 <> r.h
            order by 2',
          t.tab, t.col, t.tab, t.tab);
      end loop;
    end $$`,
  ]);
  for (const k of keys) {
    const t = ident(k.tab);
    await runAll(db, [
      `create constraint trigger audit_row_change after insert or update or delete on ${t} deferrable initially deferred
         for each row execute function audit_row_change('${k.col}')`,
      // the baseline: every row as it is now
      `insert into audit_row_state (tbl, pk, row_md5) select '${k.tab}', to_jsonb(x) ->> '${k.col}', md5(to_jsonb(x)::text) from ${t} x`,
    ]);
  }
}
