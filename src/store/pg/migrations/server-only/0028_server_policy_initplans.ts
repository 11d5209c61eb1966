/**
 * Server only: the scope policies compute what does not depend on the row once per statement. A policy
 * `using (firm_visible(code))` called its rule on every row it filtered, and a rule (SECURITY DEFINER with a
 * fixed search_path, so never inlined) found the login's account again on every call: a 金融办 reading its
 * district's loans ran case_visible once per loan (6,811 calls in one run of the login tests).
 *
 * Now each policy asks the account's facts (unit_org, unit_kind, unit_region, unit_writes, unit_sees_all) as
 * `(select f())`, which PostgreSQL runs once per statement (an InitPlan, only when an `or` reaches it), and
 * tests the row against a set the unit sees or writes, computed once per statement by one of the functions
 * below (a hashed sub-plan): `case_id in (select v from visible_cases() v)`. Each set is exactly the rows the
 * rule of 0008/0027 accepted (the same account: enabled, agreement signed; none without one), read from the
 * statement's snapshot as the rules read it:
 *
 * - visible_firms(): the firms FIRM of 0027 accepts for the unit (its district's, those of its cases and
 *   coaching items; every firm for the 人民银行 and the city's 金融办, whom the policies let in first anyway);
 * - visible_cases(): the cases case_visible accepted (a case whose firm the unit sees; every case for those
 *   that see all);
 * - district_cases(), district_units(): the cases and units of the districts district_visible accepts;
 * - led_cases(): the cases the unit (a bank) leads now;
 * - bank_units(): the banks (a 金融办 reads their monthly records, 0012).
 *
 * A district's own records compare their district with the unit's: district_visible(region) is
 * `unit_sees_all() or (unit_kind() = 'finance-office' and region = unit_region())`. A write about a case by
 * those who see all only needs the case to exist: it looks it up (one row) instead of building the set of
 * every case. The rules of 0008 and
 * 0027 stay (the case trigger of 0008 and the audit and correction functions still call them); the policies
 * keep their names, commands and groups.
 */
import type { Kysely } from 'kysely';
import { ident, runAll, schemaName } from '../sql.js';

/** The login's account and its unit (`u`, `o`), as 0027 finds them. Frozen with this migration. */
const UNIT = 'app_user u join org o on o.id = u.org_id';
const SIGNED = 'u.login_key = lower(session_user::text) and u.enabled = 1 and u.agreement_signed_on is not null';
const CITY = `exists (select from region r where r.code = o.region_code and r.level = 'city')`;
/** The unit `o` sees the district `region` (district_visible of 0027). */
const DISTRICT_OF = (region: string) => `(o.kind = 'pboc' or (o.kind = 'finance-office' and (${CITY} or ${region} = o.region_code)))`;

/** Once per statement: the account's facts. */
const ORG = '(select unit_org())';
const KIND = '(select unit_kind())';
const WRITES = '(select unit_writes())';
const ALL = '(select unit_sees_all())';
const ME = 'lower(session_user::text)';

/** Policy expressions: the rules of 0008 applied to the row's columns. */
const district = (region: string) => `(${ALL} or (${KIND} = 'finance-office' and ${region} = (select unit_region())))`;
const districtWrites = (region: string) => `(${WRITES} and ${district(region)})`;
const firm = (code: string) => `${code} in (select v from visible_firms() v)`;
const caseVisible = (id: string) => `${id} in (select v from visible_cases() v)`;
/**
 * Those who see all (whose case_visible and case_district_writes hold for every case there is) ask only
 * whether the case exists, in the case table as they read it (all of it): a single write by the 人民银行 then
 * costs one look-up, not the set of every case.
 */
const caseExists = (id: string) => `(${ALL} and exists (select from case_file c where c.id = ${id}))`;
const caseWrites = (id: string) => `(${WRITES} and (${caseExists(id)} or ${id} in (select v from district_cases() v)))`;
const ledByUnit = (id: string) => `(${WRITES} and ${KIND} = 'bank' and ${id} in (select v from led_cases() v))`;
const unitRecord = (org: string) => `(${org} = ${ORG} or ${org} in (select v.id from district_units() v))`;
const bankRecord = (org: string) => `(${KIND} = 'finance-office' and ${org} in (select v from bank_units() v))`;
const byCase = `${ALL} or ${caseVisible('case_id')}`;
const loanWrites = `${caseWrites('case_id')} or (bank_id = ${ORG} and ${ledByUnit('case_id')})`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  const definer = `stable security definer set search_path = ${s}, pg_temp`;
  const set = (name: string, returns: string, body: string) =>
    `create function ${name}() returns ${returns} language sql ${definer} as $$
      ${body}
    $$`;
  const using = (t: string, policy: string, expr: string) => `alter policy ${policy} on ${t} using (${expr})`;
  const check = (t: string, policy: string, expr: string) => `alter policy ${policy} on ${t} with check (${expr})`;
  const both = (t: string, policy: string, expr: string) => `alter policy ${policy} on ${t} using (${expr}) with check (${expr})`;

  await runAll(db, [
    // ---- the sets, once per statement ---------------------------------------------------------------
    set(
      'visible_firms',
      'setof text',
      `select e.code from enterprise e, ${UNIT} where ${SIGNED} and ${DISTRICT_OF('e.region_code')}
      union
      select c.enterprise_code from case_file c, ${UNIT}
       where ${SIGNED} and ((o.kind = 'department' and c.recommended_by = o.id) or (o.kind = 'bank' and c.lead_bank_id = o.id))
      union
      select c.enterprise_code from coaching_item i join case_file c on c.id = i.case_id, ${UNIT}
       where ${SIGNED} and o.kind in ('department', 'bank') and i.org_id = o.id
      union
      select c.enterprise_code from bank_assignment a join case_file c on c.id = a.case_id, ${UNIT}
       where ${SIGNED} and o.kind = 'bank' and a.bank_id = o.id`,
    ),
    set(
      'visible_cases',
      'setof bigint',
      `select k.id from case_file k where (select unit_sees_all()) or k.enterprise_code in (select v from visible_firms() v)`,
    ),
    set('district_cases', 'setof bigint', `select c.id from case_file c, ${UNIT} where ${SIGNED} and ${DISTRICT_OF('c.region_code')}`),
    set('led_cases', 'setof bigint', `select c.id from case_file c, ${UNIT} where ${SIGNED} and o.kind = 'bank' and c.lead_bank_id = o.id`),
    set('district_units', 'table (id bigint, kind text)', `select x.id, x.kind from org x, ${UNIT} where ${SIGNED} and ${DISTRICT_OF('x.region_code')}`),
    set('bank_units', 'setof bigint', `select x.id from org x where x.kind = 'bank'`),

    // ---- accounts: one's own; the 人民银行 all; a 金融办 those of the units in its districts ----------------
    using('app_user', 'scope_read', `login_key = ${ME} or ${KIND} = 'pboc' or (${KIND} = 'finance-office' and org_id in (select v.id from district_units() v))`),
    ...['scope_insert', 'scope_update'].map((p) =>
      (p === 'scope_insert' ? check : both)(
        'app_user',
        p,
        `(select unit_is_pboc_admin()) or (${WRITES} and ${KIND} = 'finance-office' and org_id in (select v.id from district_units() v where v.kind <> 'pboc'))`,
      ),
    ),
    // ---- firms and cases ----------------------------------------------------------------------------
    using('enterprise', 'scope_read', `${ALL} or ${firm('code')}`),
    check('enterprise', 'scope_insert', `${districtWrites('region_code')} or (${KIND} = 'department' and ${WRITES} and region_code = (select unit_region()))`),
    both('enterprise', 'scope_update', `${districtWrites('region_code')} or (${KIND} = 'department' and ${WRITES} and ${firm('code')})`),
    using('case_file', 'scope_read', `${ALL} or ${firm('enterprise_code')}`),
    check(
      'case_file',
      'scope_insert',
      `${districtWrites('region_code')} or (${WRITES} and ${KIND} = 'department' and recommended_by = ${ORG} and region_code = (select unit_region()))`,
    ),
    both('case_file', 'scope_update', `${districtWrites('region_code')} or ${ledByUnit('id')} or (${WRITES} and ${firm('enterprise_code')})`),
    // ---- the records of a case ----------------------------------------------------------------------
    ...['declaration', 'verification', 'bank_assignment', 'reclassification', 'satisfaction', 'loan', 'loan_withdrawn', 'coaching_item', 'case_event'].map((t) =>
      using(t, 'scope_read', byCase),
    ),
    ...['declaration', 'verification', 'bank_assignment', 'reclassification', 'satisfaction'].map((t) => check(t, 'scope_insert', caseWrites('case_id'))),
    both('declaration', 'scope_update', caseWrites('case_id')),
    both('bank_assignment', 'scope_update', caseWrites('case_id')),
    check('loan', 'scope_insert', loanWrites),
    using('loan', 'scope_delete', loanWrites),
    check('loan_withdrawn', 'scope_insert', loanWrites),
    check('coaching_item', 'scope_insert', `${caseWrites('case_id')} or ${ledByUnit('case_id')}`),
    both('coaching_item', 'scope_update', `${caseWrites('case_id')} or ${ledByUnit('case_id')} or (${WRITES} and org_id = ${ORG})`),
    check('case_event', 'scope_insert', `${WRITES} and (${caseExists('case_id')} or ${caseVisible('case_id')})`),
    // ---- the district's list, feedback --------------------------------------------------------------
    using('pool_filing', 'scope_read', district('region_code')),
    check('pool_filing', 'scope_insert', districtWrites('region_code')),
    using(
      'feedback',
      'scope_read',
      `(from_kind = 'district' and ${district('from_key')}) or (from_kind = 'bank' and (from_key = ${ORG}::text or ${ALL}))`,
    ),
    check(
      'feedback',
      'scope_insert',
      `(from_kind = 'district' and ${districtWrites('from_key')}) or (from_kind = 'bank' and ${WRITES} and (from_key = ${ORG}::text or ${ALL}))`,
    ),
    using('feedback', 'scope_read_bank', `from_kind = 'bank' and ${bankRecord("case when from_key ~ '^[0-9]{1,18}$' then from_key::bigint end")}`),
    // ---- monthly collection workbooks and returns ---------------------------------------------------
    using('collection_workbook', 'scope_read', unitRecord('org_id')),
    check('collection_workbook', 'scope_insert', `${WRITES} and ${unitRecord('org_id')}`),
    using('collection_workbook', 'scope_read_bank', bankRecord('org_id')),
    using('collection_return', 'scope_read', unitRecord('org_id')),
    check('collection_return', 'scope_insert', `${WRITES} and ${unitRecord('org_id')}`),
    both('collection_return', 'scope_update', `${WRITES} and ${unitRecord('org_id')}`),
    using('collection_return', 'scope_read_bank', bankRecord('org_id')),
    // ---- corrections (0018): the 人民银行's writers -----------------------------------------------------
    check('correction', 'scope_insert', `coalesce(${KIND} = 'pboc', false) and ${WRITES}`),
  ]);
}
