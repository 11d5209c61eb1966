/**
 * Server only: each login's scope, enforced by PostgreSQL itself (row-level security). Every login is a
 * person with a password and psql; whatever they send, they read and change only what their account may
 * through xypz's commands (docs/roles.md, docs/security.md).
 *
 * - Row-level security is enabled and forced on every table of the schema. The schema owner (the
 *   maintenance connection, trusted) has a policy of its own that lets it do everything; the groups
 *   xypz_writer and xypz_reader get the policies below, and a command with no policy for them sees or
 *   changes nothing.
 * - One function per scope rule, used by the policies. They read the account of the login (session_user,
 *   which `SET ROLE` does not change) as the schema owner (SECURITY DEFINER, fixed search_path), and are
 *   called as `(select f())` where they do not depend on the row, so they run once per statement.
 * - The columns no command changes (ids, recorded times, a case's firm, district and recommender, a loan)
 *   are closed by column privileges (access.ts); what policies cannot say per role (a bank or department
 *   moving only a case's progress date) by a trigger.
 * - restore_identities() never moves a sequence forward: it takes the values a write began with from a
 *   session setting, which any login could set, so now it only gives ids back.
 */
import { sql, type Kysely } from 'kysely';
import { READER_GROUP, WRITE_LOCK, WRITER_GROUP } from '../../constants.js';
import { ident, runAll, schemaName } from '../sql.js';

/** The tables each group may read in full: reference data, the engine's own bookkeeping. */
const OPEN_READ = ['region', 'org', 'capacity_change', 'audit_log_counter', 'kysely_migration', 'kysely_migration_lock'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = await schemaName(db);
  const s = ident(schema);
  const groups = `${WRITER_GROUP}, ${READER_GROUP}`;
  const definer = `stable security definer set search_path = ${s}, pg_temp`;
  const owner = (await sql<{ owner: string }>`select nspowner::regrole::text as owner from pg_namespace where nspname = ${schema}`.execute(db)).rows[0]!.owner;
  const tables = (
    await sql<{ name: string }>`select c.relname as name from pg_class c where c.relnamespace = ${schema}::regnamespace and c.relkind = 'r' order by 1`.execute(db)
  ).rows.map((r) => r.name);

  await runAll(db, [
    // ---- the login's account and unit -------------------------------------------------------------
    // The account behind the login: enabled and with a signed agreement, else none (no rows at all).
    `create function unit_org() returns bigint language sql ${definer} as $$
      select u.org_id from app_user u
       where u.login_key = lower(session_user::text) and u.enabled = 1 and u.agreement_signed_on is not null
    $$`,
    `create function unit_role() returns text language sql ${definer} as $$
      select u.role from app_user u
       where u.login_key = lower(session_user::text) and u.enabled = 1 and u.agreement_signed_on is not null
    $$`,
    `create function unit_kind() returns text language sql ${definer} as $$
      select o.kind from org o where o.id = unit_org()
    $$`,
    `create function unit_region() returns text language sql ${definer} as $$
      select o.region_code from org o where o.id = unit_org()
    $$`,
    // 管理员 and 操作员 write; 查询员 only read.
    `create function unit_writes() returns boolean language sql ${definer} as $$
      select coalesce(unit_role() in ('admin', 'operator'), false)
    $$`,
    // The 人民银行 and the city's 金融办 see every district.
    `create function unit_sees_all() returns boolean language sql ${definer} as $$
      select coalesce(unit_kind() = 'pboc'
          or (unit_kind() = 'finance-office' and exists (select from region r where r.code = unit_region() and r.level = 'city')), false)
    $$`,
    `create function unit_is_pboc_admin() returns boolean language sql ${definer} as $$
      select coalesce(unit_kind() = 'pboc' and unit_role() = 'admin', false)
    $$`,
    // Reference data (districts, units, list capacity): the 人民银行's writers (org import, pool capacity).
    `create function unit_writes_reference() returns boolean language sql ${definer} as $$
      select coalesce(unit_kind() = 'pboc' and unit_writes(), false)
    $$`,
    // ---- read scope -------------------------------------------------------------------------------
    // A district's records (its list, its feedback): the 人民银行, the city's 金融办, the district's own 金融办.
    `create function district_visible(region text) returns boolean language sql ${definer} as $$
      select unit_sees_all() or coalesce(unit_kind() = 'finance-office' and region = unit_region(), false)
    $$`,
    // A firm and all its records: its district's 金融办 (and those that see all); a department that
    // recommended it or holds one of its coaching items; a bank that leads or led it or holds one of its items.
    `create function firm_visible(firm text) returns boolean language sql ${definer} as $$
      select case unit_kind()
        when 'pboc' then true
        when 'finance-office' then unit_sees_all() or exists (select from enterprise e where e.code = firm and e.region_code = unit_region())
        when 'department' then
             exists (select from case_file c where c.enterprise_code = firm and c.recommended_by = unit_org())
          or exists (select from coaching_item i join case_file c on c.id = i.case_id where c.enterprise_code = firm and i.org_id = unit_org())
        when 'bank' then
             exists (select from case_file c where c.enterprise_code = firm and c.lead_bank_id = unit_org())
          or exists (select from bank_assignment a join case_file c on c.id = a.case_id where c.enterprise_code = firm and a.bank_id = unit_org())
          or exists (select from coaching_item i join case_file c on c.id = i.case_id where c.enterprise_code = firm and i.org_id = unit_org())
        else false
      end
    $$`,
    `create function case_visible(case_no bigint) returns boolean language sql ${definer} as $$
      select coalesce((select firm_visible(c.enterprise_code) from case_file c where c.id = case_no), false)
    $$`,
    // Accounts: one's own; the 人民银行 all; a 金融办 those of the units in its districts.
    `create function account_visible(org bigint, login text) returns boolean language sql ${definer} as $$
      select login = lower(session_user::text)
          or unit_kind() = 'pboc'
          or coalesce(unit_kind() = 'finance-office' and (select district_visible(o.region_code) from org o where o.id = org), false)
    $$`,
    // A unit's own records (collection workbooks and returns, a bank's feedback): the unit, and those
    // that oversee its district.
    `create function unit_record_visible(org bigint) returns boolean language sql ${definer} as $$
      select org = unit_org() or coalesce((select district_visible(o.region_code) from org o where o.id = org), false)
    $$`,
    // ---- write scope ------------------------------------------------------------------------------
    // The business of a district (recommend, declare, verify, confirm, assign, loans of any bank, close, ...):
    // the 人民银行's and the 金融办's writers whose districts include it.
    `create function district_writes(region text) returns boolean language sql ${definer} as $$
      select unit_writes() and district_visible(region)
    $$`,
    `create function case_district_writes(case_no bigint) returns boolean language sql ${definer} as $$
      select coalesce((select district_writes(c.region_code) from case_file c where c.id = case_no), false)
    $$`,
    // A bank's writer on a case it currently leads (its own loans, coaching items).
    `create function case_led_by_unit(case_no bigint) returns boolean language sql ${definer} as $$
      select unit_writes() and unit_kind() = 'bank' and exists (select from case_file c where c.id = case_no and c.lead_bank_id = unit_org())
    $$`,
    // A department's writer recommending in its own name, in its own district.
    `create function unit_recommends(dept bigint, region text) returns boolean language sql ${definer} as $$
      select unit_writes() and unit_kind() = 'department' and dept = unit_org() and region = unit_region()
    $$`,
    // A coaching item given to the unit (a department or bank closes it).
    `create function item_of_unit(org bigint) returns boolean language sql ${definer} as $$
      select unit_writes() and org = unit_org()
    $$`,
    // Accounts: the 人民银行's administrators; a 金融办's writers for units of its districts other than the 人民银行
    // (users import, reviewed in the office's own name).
    `create function account_writes(org bigint) returns boolean language sql ${definer} as $$
      select unit_is_pboc_admin()
          or coalesce(unit_writes() and unit_kind() = 'finance-office'
                      and (select o.kind <> 'pboc' and district_visible(o.region_code) from org o where o.id = org), false)
    $$`,
    // A unit's own records, or those of the units in the districts the writer oversees.
    `create function unit_record_writes(org bigint) returns boolean language sql ${definer} as $$
      select unit_writes() and unit_record_visible(org)
    $$`,
    // Feedback: a district's by its 金融办 (and those above it), a bank's by the bank (and those above it).
    `create function feedback_writes(kind text, sender text) returns boolean language sql ${definer} as $$
      select case kind
        when 'district' then district_writes(sender)
        when 'bank' then unit_writes() and (sender = unit_org()::text or unit_sees_all())
        else false
      end
    $$`,
    `create function feedback_visible(kind text, sender text) returns boolean language sql ${definer} as $$
      select case kind
        when 'district' then district_visible(sender)
        when 'bank' then sender = unit_org()::text or unit_sees_all()
        else false
      end
    $$`,
    // The audit log's last entry, which a writer's entries chain onto.
    `create function audit_last_id() returns bigint language sql ${definer} as $$
      select max(id) from audit_log
    $$`,
    // The maintenance connection: the schema owner, or a member of its role (not a SECURITY DEFINER
    // function: it asks who is acting now).
    `create function owner_acts() returns boolean language sql stable set search_path = ${s}, pg_temp as $$
      select pg_has_role(current_user, n.nspowner, 'MEMBER') from pg_namespace n where n.oid = current_schema()::regnamespace
    $$`,
    // A bank or department may move only a case's progress date (its events do); the rest of a case is the
    // district's business.
    `create function case_file_guard() returns trigger language plpgsql set search_path = ${s}, pg_temp as $$
    begin
      if owner_acts() or case_district_writes(old.id) then return new; end if;
      if to_jsonb(new) - 'last_progress_on' is distinct from to_jsonb(old) - 'last_progress_on' then
        raise exception '只有人民银行和本区金融办可以改动企业的办理记录' using errcode = '42501';
      end if;
      return new;
    end $$`,
    `create trigger case_file_guard before update on case_file for each row execute function case_file_guard()`,
    // Ids given back after a failed write: never beyond where each sequence stands now (the setting is the
    // client's claim), never below the highest id its table holds.
    `create or replace function restore_identities() returns void language plpgsql security definer set search_path = ${s}, pg_temp as $$
    declare
      r record;
      was jsonb := coalesce(nullif(current_setting('xypz_store.ids_at_start', true), ''), '{}')::jsonb;
      top bigint;
      seq text;
    begin
      perform pg_advisory_xact_lock(${WRITE_LOCK});
      for r in
        select c.relname as tab, a.attname as col
          from pg_catalog.pg_attribute a
          join pg_catalog.pg_class c on c.oid = a.attrelid
         where c.relnamespace = current_schema()::regnamespace and a.attidentity <> '' and not a.attisdropped
      loop
        seq := pg_get_serial_sequence(format('%I.%I', current_schema(), r.tab), r.col);
        execute format('select max(%I) from %I.%I', r.col, current_schema(), r.tab) into top;
        top := greatest(coalesce(top, 0),
                        least(coalesce((was ->> split_part(seq, '.', 2))::bigint, 0), coalesce(pg_sequence_last_value(seq::regclass), 0)));
        if top > 0 then perform setval(seq, top, true); else perform setval(seq, 1, false); end if;
      end loop;
    end $$`,
  ]);

  // Every table: row-level security on and forced; the owner's policy.
  for (const t of tables) {
    const q = ident(t);
    await runAll(db, [
      `alter table ${q} enable row level security`,
      `alter table ${q} force row level security`,
      `create policy maintenance on ${q} to ${ident(owner)} using (true) with check (true)`,
    ]);
  }

  const read = (t: string, using: string) => `create policy scope_read on ${t} for select to ${groups} using (${using})`;
  const insert = (t: string, check: string) => `create policy scope_insert on ${t} for insert to ${WRITER_GROUP} with check (${check})`;
  const update = (t: string, using: string, check = using) => `create policy scope_update on ${t} for update to ${WRITER_GROUP} using (${using}) with check (${check})`;
  const del = (t: string, using: string) => `create policy scope_delete on ${t} for delete to ${WRITER_GROUP} using (${using})`;
  const ref = '(select unit_writes_reference())';
  const all = '(select unit_sees_all())';
  const byCase = `${all} or case_visible(case_id)`;
  const caseWrites = 'case_district_writes(case_id)';

  await runAll(db, [
    ...OPEN_READ.filter((t) => tables.includes(t)).map((t) => read(t, 'true')),
    // reference data
    insert('region', ref),
    update('region', ref),
    insert('org', ref),
    update('org', ref),
    insert('capacity_change', ref),
    update('capacity_change', ref),
    // accounts
    read('app_user', 'account_visible(org_id, login_key)'),
    insert('app_user', 'account_writes(org_id)'),
    update('app_user', 'account_writes(org_id)'),
    // firms and cases
    read('enterprise', `${all} or firm_visible(code)`),
    insert('enterprise', `district_writes(region_code) or ((select unit_kind()) = 'department' and (select unit_writes()) and region_code = (select unit_region()))`),
    update('enterprise', `district_writes(region_code) or ((select unit_kind()) = 'department' and (select unit_writes()) and firm_visible(code))`),
    read('case_file', `${all} or firm_visible(enterprise_code)`),
    insert('case_file', 'district_writes(region_code) or unit_recommends(recommended_by, region_code)'),
    update('case_file', `district_writes(region_code) or case_led_by_unit(id) or ((select unit_writes()) and firm_visible(enterprise_code))`),
    // the records of a case
    ...['declaration', 'verification', 'bank_assignment', 'reclassification', 'satisfaction', 'loan', 'loan_withdrawn', 'coaching_item', 'case_event'].map((t) =>
      read(t, byCase),
    ),
    ...['declaration', 'verification', 'bank_assignment', 'reclassification', 'satisfaction'].map((t) => insert(t, caseWrites)),
    update('declaration', caseWrites),
    update('bank_assignment', caseWrites),
    // loans: the district's writers, or the lead bank for its own loans (also withdrawing them)
    insert('loan', `${caseWrites} or (bank_id = (select unit_org()) and case_led_by_unit(case_id))`),
    del('loan', `${caseWrites} or (bank_id = (select unit_org()) and case_led_by_unit(case_id))`),
    insert('loan_withdrawn', `${caseWrites} or (bank_id = (select unit_org()) and case_led_by_unit(case_id))`),
    // coaching: added by the district or the lead bank; closed also by the unit it was given to
    insert('coaching_item', `${caseWrites} or case_led_by_unit(case_id)`),
    update('coaching_item', `${caseWrites} or case_led_by_unit(case_id) or item_of_unit(org_id)`),
    // a case's history: whoever may write about the case, as itself
    insert('case_event', `(select unit_writes()) and case_visible(case_id)`),
    // the district's list
    read('pool_filing', 'district_visible(region_code)'),
    insert('pool_filing', 'district_writes(region_code)'),
    read('feedback', 'feedback_visible(from_kind, from_key)'),
    insert('feedback', 'feedback_writes(from_kind, from_key)'),
    // imports: one's own batches, and those reviewed in one's unit's name
    read('import_batch', `${all} or actor = lower(session_user::text) or reviewer_org_id = (select unit_org())`),
    insert('import_batch', '(select unit_writes()) and actor = lower(session_user::text)'),
    update('import_batch', '(select unit_writes()) and actor = lower(session_user::text)'),
    // monthly collection workbooks and returns: the unit's own, and those of the units of one's districts
    read('collection_workbook', 'unit_record_visible(org_id)'),
    insert('collection_workbook', 'unit_record_writes(org_id)'),
    read('collection_return', 'unit_record_visible(org_id)'),
    insert('collection_return', 'unit_record_writes(org_id)'),
    update('collection_return', 'unit_record_writes(org_id)'),
    // The audit log: the 人民银行 reads it; every writer appends as itself and sees the last entry, which
    // its own entries chain onto.
    read('audit_log', `(select unit_kind()) = 'pboc' or id = (select audit_last_id())`),
    insert('audit_log', '(select unit_writes()) and actor = lower(session_user::text)'),
  ]);
}
