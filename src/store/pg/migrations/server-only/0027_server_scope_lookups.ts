/**
 * Server only: the scope rules of 0008_server_scope read the login's account once per call. A policy calls a
 * rule on every row it filters (firm_visible for each firm, case and loan a district's 金融办 reads), and each
 * rule used to ask the smaller rules in turn, every one of them finding the account again: firm_visible for a
 * 金融办 found it six times, so a district's annual report cost the server about ten times the 人民银行's.
 * The rules below say exactly what they said before (the same account: enabled, agreement signed; the same
 * answer when there is none), each in one statement that finds the account once. case_visible, called for
 * every loan, assignment, declaration and coaching item, reads its case and the account in the same statement
 * and applies the firm rule there, instead of calling firm_visible once more per row; both take the rule from
 * FIRM below. A parameter is named with its function (firm_visible.firm): a column of the same name in the
 * tables joined would otherwise take its place.
 */
import type { Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

/** The login's account and its unit (`u`, `o`): at most one row, none without an enabled, signed account. */
const UNIT = 'app_user u join org o on o.id = u.org_id';
const SIGNED = 'u.login_key = lower(session_user::text) and u.enabled = 1 and u.agreement_signed_on is not null';
const ACCOUNT = `from ${UNIT} where ${SIGNED}`;

/** The unit `o` is the city's 金融办's region: a unit of the city sees every district. */
const CITY = `exists (select from region r where r.code = o.region_code and r.level = 'city')`;

/**
 * Whether the unit `o` sees the firm `firm` (an SQL expression): its district's 金融办 (and those that see
 * all); a department that recommended it or holds one of its coaching items; a bank that leads or led it or
 * holds one of its items.
 */
const FIRM = (firm: string) => `case o.kind
        when 'pboc' then true
        when 'finance-office' then ${CITY} or exists (select from enterprise e where e.code = ${firm} and e.region_code = o.region_code)
        when 'department' then
             exists (select from case_file c where c.enterprise_code = ${firm} and c.recommended_by = o.id)
          or exists (select from coaching_item i join case_file c on c.id = i.case_id where c.enterprise_code = ${firm} and i.org_id = o.id)
        when 'bank' then
             exists (select from case_file c where c.enterprise_code = ${firm} and c.lead_bank_id = o.id)
          or exists (select from bank_assignment a join case_file c on c.id = a.case_id where c.enterprise_code = ${firm} and a.bank_id = o.id)
          or exists (select from coaching_item i join case_file c on c.id = i.case_id where c.enterprise_code = ${firm} and i.org_id = o.id)
        else false
      end`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  const definer = `stable security definer set search_path = ${s}, pg_temp`;
  await runAll(db, [
    `create or replace function unit_kind() returns text language sql ${definer} as $$
      select o.kind ${ACCOUNT}
    $$`,
    `create or replace function unit_region() returns text language sql ${definer} as $$
      select o.region_code ${ACCOUNT}
    $$`,
    `create or replace function unit_writes() returns boolean language sql ${definer} as $$
      select coalesce((select u.role in ('admin', 'operator') ${ACCOUNT}), false)
    $$`,
    // The 人民银行 and the city's 金融办 see every district.
    `create or replace function unit_sees_all() returns boolean language sql ${definer} as $$
      select coalesce((select o.kind = 'pboc' or (o.kind = 'finance-office' and ${CITY}) ${ACCOUNT}), false)
    $$`,
    // A district's records: the 人民银行, the city's 金融办, the district's own 金融办.
    `create or replace function district_visible(region text) returns boolean language sql ${definer} as $$
      select coalesce((select o.kind = 'pboc' or (o.kind = 'finance-office' and (${CITY} or district_visible.region = o.region_code)) ${ACCOUNT}), false)
    $$`,
    // A firm and all its records (FIRM).
    `create or replace function firm_visible(firm text) returns boolean language sql ${definer} as $$
      select coalesce((select ${FIRM('firm_visible.firm')} ${ACCOUNT}), false)
    $$`,
    // A case's records: those who see its firm; none for a case that does not exist.
    `create or replace function case_visible(case_no bigint) returns boolean language sql ${definer} as $$
      select coalesce((select ${FIRM('k.enterprise_code')} from case_file k, ${UNIT} where k.id = case_visible.case_no and ${SIGNED}), false)
    $$`,
  ]);
}
