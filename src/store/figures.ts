/**
 * The aggregate queries behind the report figures, one per table, grouped by district or, for the bank rows,
 * by lead bank: an event (授信, 放款, 辅导事项 added or closed, 评价) by the bank that led the firm on the day
 * of the event, a state at the period's end (在库) by the lead bank that day; a firm without a lead bank then is
 * grouped under NO_LEAD. Each result column is read by a figure of
 * src/domain/reporting/figure-table.ts (definitions: docs/figures.md). Written with kysely's builder and plain CASE
 * expressions, so they run unchanged on PostgreSQL. bench/report-raw.mjs holds the same SQL as text.
 */
import { sql, type Expression, type ExpressionBuilder, type JoinBuilder, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DB } from './schema.js';

export interface Span {
  start: string;
  end: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEB = ExpressionBuilder<any, any>;

/** sum(case when … then 1 else 0 end) */
function countIf(eb: AnyEB, cond: Expression<SqlBool>) {
  return eb.fn.coalesce(eb.fn.sum<number>(eb.case().when(cond).then(1).else(0).end()), sql<number>`0`);
}

function sumIf(eb: AnyEB, cond: Expression<SqlBool>, value: string) {
  return eb.fn.coalesce(eb.fn.sum<number>(eb.case().when(cond).then(eb.ref(value)).else(0).end()), sql<number>`0`);
}

/** count(distinct case when … then the firm's code end): firms, each counted once however many cases it has. */
function firmsIf(eb: AnyEB, cond: Expression<SqlBool>) {
  return eb.fn.count<number>(eb.case().when(cond).then(eb.ref('case_file.enterprise_code')).end()).distinct();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJoin = JoinBuilder<any, any>;

/**
 * The join condition for `bank_assignment as lead`: the bank that led the case on a day, assigned on or before
 * it and not ended by it (a change of lead bank takes effect on its day).
 */
function leadOnDay<J extends AnyJoin>(join: J, caseCol: string, dayCol: string): J {
  return join
    .onRef('lead.case_id', '=', caseCol)
    .onRef('lead.assigned_on', '<=', dayCol)
    .on((eb) => eb.or([eb('lead.ended_on', 'is', null), eb('lead.ended_on', '>', eb.ref(dayCol))])) as J;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySelect = SelectQueryBuilder<any, any, any>;

/**
 * No later record of the same firm, in any of its cases: no other row of `table` (as `later`) dated after this one,
 * or on the same date and recorded later (a larger id). `narrow` says what else the later row must match. This is
 * how a figure keeps one record per firm: its last loan, its last rating.
 */
function noLaterOfFirm(eb: AnyEB, table: 'loan' | 'satisfaction', date: 'loan_on' | 'rated_on', narrow: (later: AnySelect) => AnySelect) {
  const later: AnySelect = eb
    .selectFrom(`${table} as later`)
    .innerJoin('case_file as later_case', 'later_case.id', 'later.case_id')
    .select('later.id')
    .whereRef('later_case.enterprise_code', '=', 'case_file.enterprise_code');
  const [mine, theirs] = [`${table}.${date}`, `later.${date}`];
  return eb.not(
    eb.exists(narrow(later).where((l) => l.or([l(theirs, '>', l.ref(mine)), l.and([l(theirs, '=', l.ref(mine)), l('later.id', '>', l.ref(`${table}.id`))])]))),
  );
}

function within(eb: AnyEB, col: string, p: Span) {
  return eb.and([eb(col, '>=', p.start), eb(col, '<=', p.end)]);
}

export interface CaseCounts {
  region: string;
  recommended: number;
  recommendations: number;
  over_quota: number;
  confirmed: number;
  active: number;
  assigned: number;
  closed_financed: number;
  closed_withdrawn: number;
}

/**
 * Firms by district: each figure counts a firm once, however many cases (recommendations) it has; only
 * `recommendations` counts cases.
 */
export async function caseCounts(db: Kysely<DB>, p: Span, regions?: string[]): Promise<CaseCounts[]> {
  let q = db
    .selectFrom('case_file')
    .select((eb) => [
      'case_file.region_code as region',
      firmsIf(eb, within(eb, 'case_file.recommended_on', p)).as('recommended'),
      countIf(eb, within(eb, 'case_file.recommended_on', p)).as('recommendations'),
      firmsIf(eb, eb.and([within(eb, 'case_file.recommended_on', p), eb('case_file.over_quota_reason', 'is not', null)])).as('over_quota'),
      firmsIf(eb, within(eb, 'case_file.confirmed_on', p)).as('confirmed'),
      firmsIf(eb, eb.and([eb('case_file.confirmed_on', '<=', p.end), eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>', p.end)])])).as('active'),
      firmsIf(eb, within(eb, 'case_file.assigned_on', p)).as('assigned'),
      firmsIf(eb, eb.and([within(eb, 'case_file.closed_on', p), eb('case_file.outcome', '=', 'financed')])).as('closed_financed'),
      firmsIf(eb, eb.and([within(eb, 'case_file.closed_on', p), eb('case_file.outcome', '=', 'withdrawn')])).as('closed_withdrawn'),
    ])
    .where('case_file.recommended_on', '<=', p.end);
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy('case_file.region_code').execute()) as CaseCounts[];
}

/** Firms whose case was first declared in the period: declared in it, and never before it in that case. */
export async function declarationCounts(db: Kysely<DB>, p: Span, regions?: string[]): Promise<{ region: string; declared: number }[]> {
  let q = db
    .selectFrom('declaration')
    .innerJoin('case_file', 'case_file.id', 'declaration.case_id')
    .select((eb) => ['case_file.region_code as region', eb.fn.count<number>('case_file.enterprise_code').distinct().as('declared')])
    .where('declaration.submitted_on', '>=', p.start)
    .where('declaration.submitted_on', '<=', p.end)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('declaration as earlier').select('earlier.id').whereRef('earlier.case_id', '=', 'declaration.case_id').where('earlier.submitted_on', '<', p.start),
        ),
      ),
    );
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy('case_file.region_code').execute()) as { region: string; declared: number }[];
}

export async function verificationCounts(db: Kysely<DB>, p: Span, regions?: string[]) {
  let q = db
    .selectFrom('verification')
    .innerJoin('case_file', 'case_file.id', 'verification.case_id')
    .select((eb) => [
      'case_file.region_code as region',
      firmsIf(eb, eb('verification.result', '=', 'financing')).as('verified_financing'),
      firmsIf(eb, eb('verification.result', '=', 'cultivation')).as('verified_cultivation'),
      firmsIf(eb, eb('verification.result', '=', 'rejected')).as('rejected'),
    ])
    .where('verification.verified_on', '>=', p.start)
    .where('verification.verified_on', '<=', p.end);
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy('case_file.region_code').execute()) as { region: string; verified_financing: number; verified_cultivation: number; rejected: number }[];
}

export interface LoanCounts {
  key: string;
  credit_firms: number;
  credit_amount: number;
  loan_firms: number;
  loan_amount: number;
  first_loan_firms: number;
}

/** The bank key of rows whose firm had no lead bank on the day that decides (the 未确定主办行 row); written as '' in groupKey. */
export const NO_LEAD = '';

/** What rows are grouped by: the district's code, or the lead bank's id as text (NO_LEAD: none). */
function groupKey(by: 'region' | 'bank') {
  return by === 'bank' ? sql<string>`coalesce(cast(${sql.ref('lead.bank_id')} as text), '')` : sql<string>`${sql.ref('case_file.region_code')}`;
}

/** The lead bank of each case at the end of the period. */
function leadAtEnd(db: Kysely<DB>, end: string) {
  return db
    .selectFrom('bank_assignment')
    .select(['bank_assignment.case_id as case_id', 'bank_assignment.bank_id as bank_id'])
    .where('bank_assignment.assigned_on', '<=', end)
    .where((eb) => eb.or([eb('bank_assignment.ended_on', 'is', null), eb('bank_assignment.ended_on', '>', end)]));
}

/**
 * The start of a span that has none: every record up to the span's end (the annual report's 开展以来累计). No
 * lower bound is written for it, so a statement may read its table in the order it groups by instead of through
 * the date index (loanCounts: every loan up to the end, in case order, without sorting them).
 */
export const BEGINNING = '0000-01-01';

/**
 * 授信/放款 in the period, by district or by lead bank. Amounts go to the bank that led the firm on the day of
 * the loan. A firm counts once per period and figure: for a district, the firm's district; for a bank, the bank
 * that led it on the day of its last loan of that kind in the period (so the bank rows add up to the district's
 * firms). 首贷 counts a firm only at its earliest disbursement flagged 首贷, ever, in any of its cases (a
 * database of the first release may hold later flags: they count for nothing).
 *
 * In two steps. The loans are first summed per case (by bank: per case and lead bank on the loan's day), with the
 * day of the group's last 授信 and last 放款 and whether it holds the firm's first 首贷; the loans are read from
 * loan_case_figures in case order, the firm's code only for the few flagged 首贷. The district or bank rows then
 * sum those and count each firm once among the groups: a firm with a loan of the kind; by bank, the group holding
 * the firm's last loan of the kind, i.e. no loan of the firm is later than the group's last one (a later day, or
 * the same day and a larger id than the group's largest that day). A case's loans of one day all have the same
 * lead banks, so a group whose last day is the firm's last holds that loan. Each firm is thus decided once per
 * group, not once per loan: over the annual report's 开展以来累计 span (every loan up to the year's end, about
 * 340,000 at province scale) a few thousand groups instead of every loan.
 */
export async function loanCounts(db: Kysely<DB>, p: Span, by: 'region' | 'bank', regions?: string[]): Promise<LoanCounts[]> {
  const bank = by === 'bank';
  /** max(case when … then 1 else 0 end): whether any loan of the group meets the condition. */
  const anyIf = (eb: AnyEB, cond: Expression<SqlBool>) => eb.fn.max<number>(eb.case().when(cond).then(1).else(0).end());
  let perCase = db
    .selectFrom('loan')
    .$if(bank, (qb) =>
      qb.leftJoin('bank_assignment as lead', (join) => leadOnDay(join, 'loan.case_id', 'loan.loan_on')),
    )
    .select((eb) => {
      const lastOn = (kind: 'credit' | 'disbursement') => eb.fn.max<string | null>(eb.case().when('loan.kind', '=', kind).then(eb.ref('loan.loan_on')).end());
      // the firm's earliest disbursement flagged 首贷, in any of its cases (the firm: the code of the loan's case)
      const firstLoan = eb.and([
        eb('loan.kind', '=', 'disbursement'),
        eb('loan.first_loan', '=', 1),
        eb.not(
          eb.exists(
            eb
              .selectFrom('loan as earlier')
              .innerJoin('case_file as earlier_case', 'earlier_case.id', 'earlier.case_id')
              .innerJoin('case_file as mine', (join) => join.onRef('mine.id', '=', sql.ref('loan.case_id')))
              .select('earlier.id')
              .whereRef('earlier_case.enterprise_code', '=', 'mine.enterprise_code')
              .where('earlier.kind', '=', 'disbursement')
              .where('earlier.first_loan', '=', 1)
              .where((l) => l.or([l('earlier.loan_on', '<', l.ref('loan.loan_on')), l.and([l('earlier.loan_on', '=', l.ref('loan.loan_on')), l('earlier.id', '<', l.ref('loan.id'))])])),
          ),
        ),
      ]);
      return [
        'loan.case_id as case_id',
        ...(bank ? [sql<number | null>`${sql.ref('lead.bank_id')}`.as('bank_id')] : []),
        lastOn('credit').as('credit_on'),
        sumIf(eb, eb('loan.kind', '=', 'credit'), 'loan.amount_cents').as('credit_amount'),
        lastOn('disbursement').as('loan_on'),
        sumIf(eb, eb('loan.kind', '=', 'disbursement'), 'loan.amount_cents').as('loan_amount'),
        anyIf(eb, firstLoan).as('first_loan_firm'),
      ];
    });
  if (p.start > BEGINNING) perCase = perCase.where('loan.loan_on', '>=', p.start);
  const grouped = perCase.where('loan.loan_on', '<=', p.end).groupBy(bank ? [sql.ref('loan.case_id'), sql.ref('lead.bank_id')] : [sql.ref('loan.case_id')]);
  const key = bank ? sql<string>`coalesce(cast(${sql.ref('c.bank_id')} as text), '')` : sql<string>`${sql.ref('case_file.region_code')}`;
  /** count(distinct case when … then the firm's code end) */
  const firms = (eb: AnyEB, cond: Expression<SqlBool>) => eb.fn.count<number>(eb.case().when(cond).then(eb.ref('case_file.enterprise_code')).end()).distinct();
  /** The group has a loan of the kind (day: its last one's); by bank, the firm's last loan of the kind up to the end. */
  const holds = (eb: AnyEB, kind: 'credit' | 'disbursement', day: 'c.credit_on' | 'c.loan_on') => {
    const has = eb(day, 'is not', null);
    if (!bank) return has;
    const lastId = eb
      .selectFrom('loan as mine')
      .select((m) => m.fn.max<number>('mine.id').as('id'))
      .whereRef('mine.case_id', '=', 'c.case_id')
      .where('mine.kind', '=', kind)
      .whereRef('mine.loan_on', '=', day);
    const later = eb
      .selectFrom('loan as later')
      .innerJoin('case_file as later_case', 'later_case.id', 'later.case_id')
      .select('later.id')
      .whereRef('later_case.enterprise_code', '=', 'case_file.enterprise_code')
      .where('later.kind', '=', kind)
      .where('later.loan_on', '<=', p.end)
      .where((l) => l.or([l('later.loan_on', '>', l.ref(day)), l.and([l('later.loan_on', '=', l.ref(day)), l('later.id', '>', lastId)])]));
    return eb.and([has, eb.not(eb.exists(later))]);
  };
  let q = db
    .selectFrom(grouped.as('c'))
    .innerJoin('case_file', 'case_file.id', 'c.case_id')
    .select((eb) => [
      key.as('key'),
      firms(eb, holds(eb, 'credit', 'c.credit_on')).as('credit_firms'),
      eb.fn.coalesce(eb.fn.sum<number>('c.credit_amount'), sql<number>`0`).as('credit_amount'),
      firms(eb, holds(eb, 'disbursement', 'c.loan_on')).as('loan_firms'),
      eb.fn.coalesce(eb.fn.sum<number>('c.loan_amount'), sql<number>`0`).as('loan_amount'),
      firms(eb, eb('c.first_loan_firm', '=', 1)).as('first_loan_firms'),
    ]);
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy(key).execute()) as LoanCounts[];
}

export interface CoachingCounts {
  key: string;
  coaching_added: number;
  coaching_done: number;
  coaching_ended: number;
  coaching_open: number;
  coaching_overdue: number;
}

/**
 * An item's own closing counts (办结, 未办成) when it came on or before its case's closing; an item still open
 * when its case was closed ended (终止) that day, and is neither open nor overdue from then on. The rows are
 * not changed: 终止 is read from the case's closing date (so cases closed before the rule end their items too).
 */
function itemClosedOwn(eb: AnyEB) {
  return eb.and([eb('coaching_item.closed_on', 'is not', null), eb.or([eb('case_file.closed_on', 'is', null), eb('coaching_item.closed_on', '<=', eb.ref('case_file.closed_on'))])]);
}

/** The item ended (终止) with its case: the case was closed while the item was open (see itemClosedOwn). */
function itemEnded(eb: AnyEB) {
  return eb.and([eb('case_file.closed_on', 'is not', null), eb.or([eb('coaching_item.closed_on', 'is', null), eb('coaching_item.closed_on', '>', eb.ref('case_file.closed_on'))])]);
}

/**
 * Coaching items of the district's firms: added, closed (办结 or 未办成) and ended with their case (终止) in the
 * period, open and overdue at its end.
 */
export async function coachingCounts(db: Kysely<DB>, p: Span, regions?: string[]): Promise<CoachingCounts[]> {
  let q = db
    .selectFrom('coaching_item')
    .innerJoin('case_file', 'case_file.id', 'coaching_item.case_id')
    .select((eb) => {
      const openAtEnd = eb.and([
        eb('coaching_item.added_on', '<=', p.end),
        eb.or([eb('coaching_item.closed_on', 'is', null), eb('coaching_item.closed_on', '>', p.end)]),
        eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>', p.end)]),
      ]);
      return [
        groupKey('region').as('key'),
        countIf(eb, within(eb, 'coaching_item.added_on', p)).as('coaching_added'),
        countIf(eb, eb.and([within(eb, 'coaching_item.closed_on', p), itemClosedOwn(eb)])).as('coaching_done'),
        countIf(eb, eb.and([within(eb, 'case_file.closed_on', p), itemEnded(eb)])).as('coaching_ended'),
        countIf(eb, openAtEnd).as('coaching_open'),
        countIf(eb, eb.and([openAtEnd, eb('coaching_item.due', '<', p.end)])).as('coaching_overdue'),
      ];
    })
    .where('coaching_item.added_on', '<=', p.end)
    // Items closed or ended before the period count towards no figure: skipped before the join.
    .where((eb) => eb.or([eb('coaching_item.added_on', '>=', p.start), eb('coaching_item.closed_on', 'is', null), eb('coaching_item.closed_on', '>=', p.start)]));
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy(groupKey('region')).execute()) as CoachingCounts[];
}

/** The bank table's key of the coaching items handled by units other than banks (the 其他单位承办 row). */
export const OTHER_UNITS = 'other';

/**
 * Coaching items handled in the period (办结 or 未办成, by the date they were closed), for the bank table: each
 * for the unit it was given to (coaching_item.org_id), a bank's under the bank's id, every other unit's
 * (departments, district offices) under OTHER_UNITS; so the rows add up to the districts' 辅导事项：办结.
 */
export async function coachingDoneByUnit(db: Kysely<DB>, p: Span, regions?: string[]): Promise<{ key: string; coaching_done: number }[]> {
  // literals, not parameters: PostgreSQL must see the same expression in the select list and the grouping
  const key = sql<string>`case when ${sql.ref('org.kind')} = 'bank' then cast(${sql.ref('coaching_item.org_id')} as text) else ${sql.lit(OTHER_UNITS)} end`;
  let q = db
    .selectFrom('coaching_item')
    .innerJoin('case_file', 'case_file.id', 'coaching_item.case_id')
    .innerJoin('org', 'org.id', 'coaching_item.org_id')
    .select((eb) => [key.as('key'), eb.fn.countAll<number>().as('coaching_done')])
    .where('coaching_item.closed_on', '>=', p.start)
    .where('coaching_item.closed_on', '<=', p.end)
    // its own closing, not one after the case ended it (终止): as the districts' 辅导事项：办结
    .where(itemClosedOwn);
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy(key).execute()) as { key: string; coaching_done: number }[];
}

/**
 * Coaching items ended with their case (终止) in the period (by the case's closing date), for the bank table as
 * coachingDoneByUnit counts the closed ones: each for the unit it was given to, a bank's under the bank's id,
 * every other unit's under OTHER_UNITS; so the rows add up to the districts' 辅导事项：终止.
 */
export async function coachingEndedByUnit(db: Kysely<DB>, p: Span, regions?: string[]): Promise<{ key: string; coaching_ended: number }[]> {
  const key = sql<string>`case when ${sql.ref('org.kind')} = 'bank' then cast(${sql.ref('coaching_item.org_id')} as text) else ${sql.lit(OTHER_UNITS)} end`;
  let q = db
    .selectFrom('coaching_item')
    .innerJoin('case_file', 'case_file.id', 'coaching_item.case_id')
    .innerJoin('org', 'org.id', 'coaching_item.org_id')
    .select((eb) => [key.as('key'), eb.fn.countAll<number>().as('coaching_ended')])
    .where('case_file.closed_on', '>=', p.start)
    .where('case_file.closed_on', '<=', p.end)
    .where('coaching_item.added_on', '<=', p.end)
    .where(itemEnded);
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy(key).execute()) as { key: string; coaching_ended: number }[];
}

/**
 * Firms financed in each month of the period: a firm with at least one 授信 or 放款 in a month is one unit of
 * service for that month, however many records (a loan split into two records is one). By district (the
 * firm's), or by bank: the bank that led the firm on the day of its last loan of that month (a later date, or
 * the same date recorded later), NO_LEAD when none; so the bank rows add up to the districts, and the months to
 * the year.
 */
export async function financedMonths(db: Kysely<DB>, p: Span, by: 'region' | 'bank', regions?: string[]): Promise<{ key: string; financed_months: number }[]> {
  const bank = by === 'bank';
  const month = sql<string>`substr(${sql.ref('loan.loan_on')}, 1, 7)`;
  // In two steps, as loanCounts: each case's loans of a month (by bank: under each lead bank) with the group's last
  // day, then one row for each group holding the firm's last loan of the month, i.e. no loan of the firm in that
  // month is later than the group's last (a later day, or that day and a larger id than the case's largest that
  // day; a case's loans of one day all have the same lead banks). A few thousand groups are checked instead of
  // every loan of the year (province scale: about 5,400 case-months for 39,000 loans).
  const grouped = db
    .selectFrom('loan')
    .$if(bank, (qb) => qb.leftJoin('bank_assignment as lead', (join) => leadOnDay(join, 'loan.case_id', 'loan.loan_on')))
    .select((eb) => [
      'loan.case_id as case_id',
      month.as('month'),
      ...(bank ? [sql<number | null>`${sql.ref('lead.bank_id')}`.as('bank_id')] : []),
      eb.fn.max<string>('loan.loan_on').as('last_on'),
    ])
    .where('loan.loan_on', '>=', p.start)
    .where('loan.loan_on', '<=', p.end)
    .groupBy(bank ? [sql.ref('loan.case_id'), month, sql.ref('lead.bank_id')] : [sql.ref('loan.case_id'), month]);
  const key = bank ? sql<string>`coalesce(cast(${sql.ref('c.bank_id')} as text), '')` : sql<string>`${sql.ref('case_file.region_code')}`;
  let q = db
    .selectFrom(grouped.as('c'))
    .innerJoin('case_file', 'case_file.id', 'c.case_id')
    .select((eb) => [key.as('key'), eb.fn.countAll<number>().as('financed_months')])
    .where((eb) => {
      const lastId = eb
        .selectFrom('loan as mine')
        .select((m) => m.fn.max<number>('mine.id').as('id'))
        .whereRef('mine.case_id', '=', 'c.case_id')
        .whereRef('mine.loan_on', '=', 'c.last_on');
      return eb.not(
        eb.exists(
          eb
            .selectFrom('loan as later')
            .innerJoin('case_file as later_case', 'later_case.id', 'later.case_id')
            .select('later.id')
            .whereRef('later_case.enterprise_code', '=', 'case_file.enterprise_code')
            .where((l) => l(sql`substr(${sql.ref('later.loan_on')}, 1, 7)`, '=', l.ref('c.month')))
            .where((l) => l.or([l('later.loan_on', '>', l.ref('c.last_on')), l.and([l('later.loan_on', '=', l.ref('c.last_on')), l('later.id', '>', lastId)])])),
        ),
      );
    });
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy(key).execute()) as { key: string; financed_months: number }[];
}

/** Cases in the list at the end of the period, by their lead bank then (NO_LEAD: none). */
export async function activeByBank(db: Kysely<DB>, end: string, regions?: string[]): Promise<{ key: string; active: number }[]> {
  let q = db
    .selectFrom('case_file')
    .leftJoin(leadAtEnd(db, end).as('lead'), 'lead.case_id', 'case_file.id')
    .select((eb) => [groupKey('bank').as('key'), eb.fn.countAll<number>().as('active')])
    .where('case_file.confirmed_on', '<=', end)
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>', end)]));
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy(groupKey('bank')).execute()) as { key: string; active: number }[];
}

export interface RatingCounts {
  key: string;
  ratings: number;
  good: number;
}

/**
 * Rated firms in the period and how many of them were rated 满意 or 基本满意, by district or by lead bank: one
 * rating per firm counts, its latest in the period in any of its cases (a later date, or the same date recorded
 * later), for the bank that led the firm on the day of that rating.
 */
export async function ratingCounts(db: Kysely<DB>, p: Span, by: 'region' | 'bank', regions?: string[]): Promise<RatingCounts[]> {
  let q = db
    .selectFrom('satisfaction')
    .innerJoin('case_file', 'case_file.id', 'satisfaction.case_id')
    .$if(by === 'bank', (qb) =>
      qb.leftJoin('bank_assignment as lead', (join) => leadOnDay(join, 'satisfaction.case_id', 'satisfaction.rated_on')),
    )
    .select((eb) => [
      groupKey(by).as('key'),
      eb.fn.countAll<number>().as('ratings'),
      countIf(eb, eb('satisfaction.rating', 'in', ['satisfied', 'basically'])).as('good'),
    ])
    .where('satisfaction.rated_on', '>=', p.start)
    .where('satisfaction.rated_on', '<=', p.end)
    .where((eb) => noLaterOfFirm(eb, 'satisfaction', 'rated_on', (later) => later.where('later.rated_on', '<=', p.end)));
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy(groupKey(by)).execute()) as RatingCounts[];
}

/** Every satisfaction rating registered in the period (each counts, not only a firm's last), by district. */
export async function ratingEvents(db: Kysely<DB>, p: Span, regions?: string[]): Promise<{ region: string; rating_events: number }[]> {
  let q = db
    .selectFrom('satisfaction')
    .innerJoin('case_file', 'case_file.id', 'satisfaction.case_id')
    .select((eb) => ['case_file.region_code as region', eb.fn.countAll<number>().as('rating_events')])
    .where('satisfaction.rated_on', '>=', p.start)
    .where('satisfaction.rated_on', '<=', p.end);
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return (await q.groupBy('case_file.region_code').execute()) as { region: string; rating_events: number }[];
}

/**
 * 授信/放款 in the period made by a bank other than the bank leading the firm on the day of the loan (or by any
 * bank when the firm had none that day): the bank rows count them for the lead bank; the reports name the lender.
 */
export async function otherLenderLoans(db: Kysely<DB>, p: Span, regions?: string[]) {
  // The lead bank is looked up first, and the case and the firm's name only for the loans it leaves (cross joins
  // with their conditions in WHERE: SQLite keeps the tables in the order written). Joined plainly, every loan of
  // the period had its case and firm looked up before the lead bank was: the annual report at province scale
  // looked up 39,000 firms to list none, 2.6 times the time.
  let q = db
    .selectFrom('loan')
    .leftJoin('bank_assignment as lead', (join) => leadOnDay(join, 'loan.case_id', 'loan.loan_on'))
    .crossJoin('case_file')
    .crossJoin('enterprise')
    .whereRef('case_file.id', '=', 'loan.case_id')
    .whereRef('enterprise.code', '=', 'case_file.enterprise_code')
    .select([
      'loan.case_id', 'case_file.region_code', 'case_file.enterprise_code as code', 'enterprise.name', 'loan.bank_id', 'lead.bank_id as lead_bank_id',
      'loan.kind', 'loan.amount_cents', 'loan.loan_on',
    ])
    .where('loan.loan_on', '>=', p.start)
    .where('loan.loan_on', '<=', p.end)
    .where((eb) => eb.or([eb('lead.bank_id', 'is', null), eb('lead.bank_id', '!=', eb.ref('loan.bank_id'))]));
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  return q.orderBy('loan.loan_on').orderBy('loan.id').execute();
}

/**
 * Firms in each district's list at each of these days (month-ends), for the annual pool score: one pass over
 * case_file for all the days (one column per day), not one statement per day. A district with no firm in the
 * list on a day has a row with 0 for that day, or no row when it has none on any day.
 */
export async function activeOnDays(db: Kysely<DB>, days: readonly string[], regions?: readonly string[]): Promise<{ region: string; day: string; active: number }[]> {
  if (days.length === 0) return [];
  const inList = (eb: AnyEB, day: string) => eb.and([eb('case_file.confirmed_on', '<=', day), eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>', day)])]);
  const last = days.reduce((a, d) => (d > a ? d : a));
  const first = days.reduce((a, d) => (d < a ? d : a));
  let q = db
    .selectFrom('case_file')
    .select((eb) => ['case_file.region_code as region', ...days.map((day, i) => firmsIf(eb, inList(eb, day)).as(`d${i}`))])
    // in the list on at least one of the days: confirmed by the last, not closed by the first
    .where('case_file.confirmed_on', '<=', last)
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>', first)]));
  if (regions) q = q.where('case_file.region_code', 'in', regions.length > 0 ? [...regions] : ['']);
  const rows = (await q.groupBy('case_file.region_code').execute()) as Record<string, unknown>[];
  return days.flatMap((day, i) => rows.map((r) => ({ region: String(r.region), day, active: Number(r[`d${i}`] ?? 0) })));
}

/**
 * The lead-bank assignments in force on at least one day of the span while their firm's case was open (not
 * closed before the span began): who owes monthly feedback for which months is worked out from these.
 */
export async function leadSpans(db: Kysely<DB>, p: Span, regions?: readonly string[]): Promise<{ bank_id: number; assigned_on: string; ended_on: string | null; closed_on: string | null }[]> {
  let q = db
    .selectFrom('bank_assignment')
    .innerJoin('case_file', 'case_file.id', 'bank_assignment.case_id')
    .select(['bank_assignment.bank_id', 'bank_assignment.assigned_on', 'bank_assignment.ended_on', 'case_file.closed_on'])
    .where('bank_assignment.assigned_on', '<=', p.end)
    .where((eb) => eb.or([eb('bank_assignment.ended_on', 'is', null), eb('bank_assignment.ended_on', '>', p.start)]))
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', p.start)]));
  if (regions) q = q.where('case_file.region_code', 'in', regions.length > 0 ? [...regions] : ['']);
  return q.orderBy('bank_assignment.id').execute();
}

/** Every feedback submission for these months (the engine keeps those received by each month's deadline). */
export async function feedbackMonths(db: Kysely<DB>, months: string[]): Promise<{ from_kind: string; from_key: string; month: string; submitted_on: string }[]> {
  if (months.length === 0) return [];
  return db.selectFrom('feedback').select(['from_kind', 'from_key', 'month', 'submitted_on']).where('month', 'in', months).execute();
}

/**
 * The monthly trend's two figures for many months in one statement (one pass over case_file, one over loan):
 * per month, the disbursements in it (cents) and the cases in the list at its end (confirmed by then, not
 * closed by then): the same conditions as caseCounts' `active` and loanCounts' `loan_amount`.
 */
export async function trendTotals(db: Kysely<DB>, months: Span[], regions?: string[]): Promise<{ loan_cents: number; active: number }[]> {
  const first = months[0]!.start;
  const last = months.at(-1)!.end;
  const col = (i: number) => `m${i}`;
  let active = db
    .selectFrom('case_file')
    .select((eb) => [
      sql<string>`'active'`.as('what'),
      ...months.map((m, i) => countIf(eb, eb.and([eb('confirmed_on', '<=', m.end), eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', m.end)])])).as(col(i))),
    ])
    .where('recommended_on', '<=', last)
    .where('confirmed_on', '<=', last)
    .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', months[0]!.end)]));
  // Over several districts (the whole city) the months' disbursements are read in date order and each one's case
  // looked up (a cross join with the join condition in WHERE: SQLite keeps the tables in the order written). Joined
  // plainly, SQLite starts from the districts' cases instead, every one of them (49,000 at province scale, for the
  // 20,000 disbursements of a year): twice the time. One district's report starts from its own cases.
  const byDate = regions === undefined || regions.length > 1;
  const joined = byDate
    ? db.selectFrom('loan').crossJoin('case_file').whereRef('case_file.id', '=', 'loan.case_id')
    : db.selectFrom('loan').innerJoin('case_file', 'case_file.id', 'loan.case_id');
  let loans = joined
    .select((eb) => [sql<string>`'loans'`.as('what'), ...months.map((m, i) => sumIf(eb, within(eb, 'loan.loan_on', m), 'loan.amount_cents').as(col(i)))])
    .where('loan.kind', '=', 'disbursement')
    .where('loan.loan_on', '>=', first)
    .where('loan.loan_on', '<=', last);
  if (regions) {
    active = active.where('region_code', 'in', regions);
    loans = loans.where('case_file.region_code', 'in', regions);
  }
  const rows = (await active.unionAll(loans).execute()) as Record<string, unknown>[];
  const row = (what: string) => rows.find((r) => r.what === what) ?? {};
  return months.map((_, i) => ({ loan_cents: Number(row('loans')[col(i)] ?? 0), active: Number(row('active')[col(i)] ?? 0) }));
}
