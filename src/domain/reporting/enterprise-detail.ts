/**
 * The enterprise detail of a report (企业明细): one row per case open at any moment of the period, as it
 * stood at the period's end — stage, class and lead bank from the history, not today's state — in the
 * district order of the other tables, and the loans of the period made by a bank other than the one leading
 * the firm on the day of the loan (the bank rows count those loans for that lead bank).
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { otherLenderLoans, type Span } from '../../store/figures.js';
import type { DB } from '../../store/schema.js';
import { moneyNumber } from '../../util/money.js';
import { groupBy } from '../../util/group.js';
import { classOn, type Directory } from '../core/index.js';
import { cumulativeSpan } from './figures.js';

/** What 企业明细 lists, for 说明. */
export const DETAIL_NOTE =
  '统计期间任一时刻处于办理中的企业（推荐日期在期末及以前，且未在期初以前办结或核查未入选），按期末状态列示；区域顺序与分区域表相同，同区按推荐日期；本期由发放当天主办行以外的银行发放的授信、放款列在“其他放贷银行”中（银行表把这些授信、放款计入当天的主办行）；月报、季报的“本年累计放款”为该企业本年 1 月 1 日至期末的放款金额，年报的“开展以来累计放款”为工程开始日至年末的放款金额';

export interface OtherLender {
  bank: string;
  kind: 'credit' | 'disbursement';
  amount: number;
  date: string;
}

/** A loan of the period by a bank other than the lead bank on its day (the report JSON's `other_lenders`). */
export interface OtherLenderLoan extends OtherLender {
  district: string;
  code: string;
  name: string;
  lead_bank: string | null;
}

/** The period's loans made by a bank other than the lead bank on their day, by date, with the case they are for. */
export async function otherLenders(db: Kysely<DB>, dir: Directory, period: Span, regions?: string[]): Promise<(OtherLenderLoan & { caseId: number })[]> {
  return (await otherLenderLoans(db, period, regions)).map((l) => ({
    caseId: l.case_id,
    district: dir.regionName(l.region_code),
    code: l.code,
    name: l.name,
    lead_bank: l.lead_bank_id === null ? null : dir.orgByIdOrThrow(l.lead_bank_id).name,
    bank: dir.orgByIdOrThrow(l.bank_id).name,
    kind: l.kind,
    amount: moneyNumber(l.amount_cents),
    date: l.loan_on,
  }));
}

export interface EnterpriseAtEnd {
  district: string;
  code: string;
  name: string;
  stage: string;
  class: string | null;
  lead_bank: string | null;
  credit_amount: number;
  loan_amount: number;
  /** Disbursements over the report's cumulative span: 本年累计 (monthly, quarterly) or 开展以来累计 (annual). */
  loan_amount_cumulative: number;
  coaching_open: number;
  /** The period's loans whose lender is not the lead bank on their day (otherLenders). */
  other_lenders: OtherLender[];
}

/** Case ids given as parameters in one statement at most (well under SQLite's and PostgreSQL's limits). */
const ID_BATCH = 5000;

export async function enterprisesAtEnd(db: Kysely<DB>, dir: Directory, period: Span, regions?: string[], annual = false): Promise<EnterpriseAtEnd[]> {
  const cumulative = cumulativeSpan(period, annual);
  const e = period.end;
  const notClosedBefore = (eb: ExpressionBuilder<DB, 'case_file'>) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', period.start)]);
  // The cases listed: recommended by the period's end, not closed before it began, not rejected before it began.
  const listed = (eb: ExpressionBuilder<DB, 'case_file'>) => {
    const conds = [
      eb('case_file.recommended_on', '<=', e),
      notClosedBefore(eb),
      eb.or([eb('case_file.stage', '!=', 'rejected'), eb('case_file.verified_on', '>=', period.start)]),
    ];
    if (regions) conds.push(eb('case_file.region_code', 'in', regions));
    return eb.and(conds);
  };
  // Each table below is read once for all the listed cases, as a subquery rather than lists of parameters: the
  // cases not closed before the period began, a few more than are listed (their rows are never looked up) but
  // read from an index alone.
  let ids = db.selectFrom('case_file').select('case_file.id').where(notClosedBefore);
  if (regions) ids = ids.where('case_file.region_code', 'in', regions);
  const order = new Map(dir.districts.map((d, i) => [d.code, i]));
  const cases = (
    await db
      .selectFrom('case_file')
      .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
      .select(['case_file.id', 'case_file.region_code', 'case_file.enterprise_code', 'case_file.closed_on', 'case_file.confirmed_on', 'case_file.assigned_on', 'enterprise.name'])
      .where(listed)
      .orderBy('case_file.recommended_on')
      .orderBy('case_file.id')
      .execute()
  ).sort((a, b) => (order.get(a.region_code) ?? order.size) - (order.get(b.region_code) ?? order.size));
  if (cases.length === 0) return [];
  const [others, vers, recls, assigns, loans, items] = await Promise.all([
    otherLenders(db, dir, period, regions),
    db.selectFrom('verification').select(['case_id', 'verified_on', 'result']).where('case_id', 'in', ids).execute(),
    db.selectFrom('reclassification').select(['case_id', 'from_class', 'to_class', 'changed_on', 'id']).where('case_id', 'in', ids).execute(),
    db.selectFrom('bank_assignment').select(['case_id', 'bank_id', 'assigned_on', 'ended_on']).where('case_id', 'in', ids).orderBy('case_id').orderBy('assigned_on').orderBy('id').execute(),
    // a case's sums: credit and disbursements of the period, disbursements of the cumulative span
    db
      .selectFrom('loan')
      .select((eb) => [
        'case_id',
        sumIf(eb, eb.and([eb('kind', '=', 'credit'), eb('loan_on', '>=', period.start)])).as('credit_cents'),
        sumIf(eb, eb.and([eb('kind', '=', 'disbursement'), eb('loan_on', '>=', period.start)])).as('loan_cents'),
        sumIf(eb, eb.and([eb('kind', '=', 'disbursement'), eb('loan_on', '>=', cumulative.start)])).as('cumulative_cents'),
      ])
      .where('case_id', 'in', ids)
      .where('loan_on', '<=', e)
      .groupBy('case_id')
      .execute(),
    // a case's coaching items open at the period's end
    db
      .selectFrom('coaching_item')
      .select((eb) => ['case_id', eb.fn.countAll<number>().as('open')])
      .where('case_id', 'in', ids)
      .where('added_on', '<=', e)
      .where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>', e)]))
      .groupBy('case_id')
      .execute(),
  ]);
  const group = <T extends { case_id: number }>(rows: T[]) => groupBy(rows, (r) => r.case_id);
  const [gr, ga] = [group(recls), group(assigns)];
  const gv = new Map(vers.map((v) => [v.case_id, v]));
  const verifiedBy = (id: number) => {
    const v = gv.get(id);
    return v && v.verified_on <= e ? v : undefined;
  };
  // Whether a case was declared by the period's end decides its stage only while it is neither closed, verified nor
  // confirmed then: the declarations are read for those cases alone, by id (the annual report at province scale:
  // about 5,300 of the 16,100 listed, where reading them for every case not closed before the period began took
  // about 20,000 cases' declarations, the slowest of the enterprise detail's statements).
  const undecided = cases.filter((c) => !(c.closed_on && c.closed_on <= e) && !verifiedBy(c.id) && !(c.confirmed_on && c.confirmed_on <= e)).map((c) => c.id);
  const gd = new Map<number, string>();
  for (let i = 0; i < undecided.length; i += ID_BATCH) {
    const batch = undecided.slice(i, i + ID_BATCH);
    const decls = await db.selectFrom('declaration').select((eb) => ['case_id', eb.fn.min<string>('submitted_on').as('first_on')]).where('case_id', 'in', batch).groupBy('case_id').execute();
    for (const d of decls) gd.set(d.case_id, d.first_on);
  }
  const gl = new Map(loans.map((l) => [l.case_id, l]));
  const gi = new Map(items.map((i) => [i.case_id, Number(i.open)]));
  const lenders = group(others.map(({ caseId, bank, kind, amount, date }) => ({ case_id: caseId, bank, kind, amount, date })));
  return cases.map((c) => {
    const verified = verifiedBy(c.id);
    const declaredBy = (gd.get(c.id) ?? '9999') <= e;
    const stage =
      c.closed_on && c.closed_on <= e
        ? 'closed'
        : verified?.result === 'rejected'
          ? 'rejected'
          : c.confirmed_on && c.confirmed_on <= e
            ? c.assigned_on && c.assigned_on <= e
              ? 'assigned'
              : 'confirmed'
            : verified
              ? 'verified'
              : declaredBy
                ? 'declared'
                : 'recommended';
    const cls = classOn(verified && verified.result !== 'rejected' ? verified.result : null, gr.get(c.id) ?? [], e);
    const lead = (ga.get(c.id) ?? []).find((a) => a.assigned_on <= e && (a.ended_on === null || a.ended_on > e));
    const l = gl.get(c.id);
    return {
      district: dir.regionName(c.region_code),
      code: c.enterprise_code,
      name: c.name,
      stage,
      class: cls,
      lead_bank: lead ? dir.orgByIdOrThrow(lead.bank_id).name : null,
      credit_amount: moneyNumber(Number(l?.credit_cents ?? 0)),
      loan_amount: moneyNumber(Number(l?.loan_cents ?? 0)),
      loan_amount_cumulative: moneyNumber(Number(l?.cumulative_cents ?? 0)),
      // none once the case is closed: its items still open then ended (终止) with it
      coaching_open: c.closed_on && c.closed_on <= e ? 0 : (gi.get(c.id) ?? 0),
      other_lenders: (lenders.get(c.id) ?? []).map(({ case_id: _, ...l }) => l),
    };
  });
}

/** sum(case when … then amount_cents else 0 end), 0 when no row matches */
function sumIf(eb: ExpressionBuilder<DB, 'loan'>, cond: Expression<SqlBool>) {
  return eb.fn.coalesce(eb.fn.sum<number>(eb.case().when(cond).then(eb.ref('amount_cents')).else(0).end()), sql<number>`0`);
}
