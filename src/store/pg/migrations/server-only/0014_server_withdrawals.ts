/**
 * Server only: a loan leaves the loan table only the way xypz withdraws it, and never without a trace.
 *
 * The one delete a login may run is a corrected monthly collection workbook withdrawing the loans the unit's
 * earlier workbook for the month brought in and the new one no longer has: in one transaction the loan is
 * copied to loan_withdrawn (with the corrected return that withdrew it) and deleted from loan. The delete
 * privilege and the policy of 0008 let the lead bank delete any of its loans outright; now:
 *
 * - a loan is deleted only if loan_withdrawn holds it, field for field;
 * - a withdrawal record is accepted only for a loan that came from a returned workbook, withdrawn by a later
 *   return of the same unit for the same month, the loan itself still in the table;
 * - at commit, every loan a withdrawal record names is gone from the table (no "withdrawn" loan still
 *   counted, no record taking a loan's id before the real correction comes).
 *
 * Every other table has no delete privilege for any login (src/store/pg/access.ts). The schema owner (the
 * maintenance connection, trusted: it copies and restores whole histories) is not bound.
 */
import type { Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  const fixed = `set search_path = ${s}, pg_temp`;
  await runAll(db, [
    // Why a withdrawal record of loan `w` (as a row of loan_withdrawn) is not one xypz writes; null if it is.
    `create function loan_withdrawal_fault(w jsonb) returns text language plpgsql stable security definer ${fixed} as $$
    declare
      l loan%rowtype;
      came collection_return%rowtype;
      took collection_return%rowtype;
    begin
      select * into l from loan where id = (w ->> 'id')::bigint;
      if not found then return '贷款表中没有这笔贷款'; end if;
      if not (w @> to_jsonb(l)) then return '撤回记录与贷款记录不一致'; end if;
      if l.collection_id is null then return '这笔贷款不是由月度报送表报来的（用 loan 命令登记的贷款不能撤回）'; end if;
      select * into came from collection_return where id = l.collection_id;
      select * into took from collection_return where id = (w ->> 'withdrawn_by')::bigint;
      if took.id is null or took.org_id <> came.org_id or took.month <> came.month or took.id <= came.id then
        return '撤回须由同一单位同一月份更正后的报送表（较晚收到的一份）进行';
      end if;
      return null;
    end $$`,
    `create function loan_withdrawn_valid() returns trigger language plpgsql security definer ${fixed} as $$
    declare
      fault text;
    begin
      if session_is_owner() then return new; end if;
      fault := loan_withdrawal_fault(to_jsonb(new));
      if fault is not null then
        raise exception '不能登记贷款 % 的撤回：%', new.id, fault using errcode = '23514';
      end if;
      return new;
    end $$`,
    `create trigger loan_withdrawn_valid before insert on loan_withdrawn for each row execute function loan_withdrawn_valid()`,
    `create function loan_withdrawn_gone() returns trigger language plpgsql security definer ${fixed} as $$
    begin
      if session_is_owner() then return null; end if;
      if exists (select from loan l where l.id = new.id) then
        raise exception '贷款 % 登记了撤回，却仍在贷款表中：撤回须在同一事务中删除该贷款', new.id using errcode = '23514';
      end if;
      return null;
    end $$`,
    `create constraint trigger loan_withdrawn_gone after insert on loan_withdrawn deferrable initially deferred
       for each row execute function loan_withdrawn_gone()`,
    `create function loan_delete_withdrawn() returns trigger language plpgsql security definer ${fixed} as $$
    begin
      if session_is_owner() then return old; end if;
      if not exists (select from loan_withdrawn w where w.id = old.id and to_jsonb(w) @> to_jsonb(old)) then
        raise exception '贷款记录不能直接删除：只有更正后的月度报送表可以撤回贷款（撤回的贷款记入 loan_withdrawn）' using errcode = '42501';
      end if;
      return old;
    end $$`,
    `create trigger loan_delete_withdrawn before delete on loan for each row execute function loan_delete_withdrawn()`,
  ]);
}
