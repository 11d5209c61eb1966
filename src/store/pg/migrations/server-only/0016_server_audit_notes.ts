/**
 * Server only: besides a read of personal numbers, a login records through audit_note() the logins it issued
 * (`users login` by an account given CREATEROLE): making a server role changes no row of the schema, so no
 * trigger of 0015 sees it. The actor and time are still the server's; anything else stays refused.
 */
import type { Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  await runAll(db, [
    `create or replace function audit_note(what text, entity_key text, detail text) returns void language plpgsql security definer set search_path = ${s}, pg_temp as $$
    begin
      if what is null or what not in ('reveal', 'login') then
        raise exception '审计日志由服务器记录：登录账号只能记下自己查看了哪些个人信息、发放了哪些登录账号' using errcode = '42501';
      end if;
      insert into audit_log (id, at, actor, command, entity, entity_id, before, after, prev_hash, hash)
      values (0, '', '', coalesce(audit_context() ->> 'command', '（直接改动数据库，未经 xypz）'), what, entity_key, null, detail, '', '');
    end $$`,
  ]);
}
