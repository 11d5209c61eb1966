/**
 * The enterprise detail of a report (企业明细): one row per case open at any moment of the period, as it
 * stood at the period's end — stage, class and lead bank from the history, not today's state — in the
 * district order of the other tables, and the loans of the period made by a bank other than the one leading
 * the firm on the day of the loan (the bank rows count those loans for that lead bank).
 */
import type { Kysely } from 'kysely';
import { otherLenderLoans, type Span } from '../../store/figures.js';
import type { DB } from '../../store/schema.js';
import { moneyNumber } from '../../util/money.js';
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

export async function enterprisesAtEnd(db: Kysely<DB>, dir: Directory, period: Span, regions?: string[], annual = false): Promise<EnterpriseAtEnd[]> {
  const cumulative = cumulativeSpan(period, annual);
  let q = db
    .selectFrom('case_file')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .selectAll('case_file')
    .select('enterprise.name')
    .where('case_file.recommended_on', '<=', period.end)
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', period.start)]))
    .where((eb) => eb.or([eb('case_file.stage', '!=', 'rejected'), eb('case_file.verified_on', '>=', period.start)]));
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  const order = new Map(dir.districts.map((d, i) => [d.code, i]));
  const cases = (await q.orderBy('case_file.recommended_on').orderBy('case_file.id').execute()).sort(
    (a, b) => (order.get(a.region_code) ?? order.size) - (order.get(b.region_code) ?? order.size),
  );
  const ids = cases.map((c) => c.id);
  if (ids.length === 0) return [];
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += 500) chunks.push(ids.slice(i, i + 500));
  const many = async <T>(f: (part: number[]) => Promise<T[]>) => (await Promise.all(chunks.map(f))).flat();
  const [others, decls, vers, recls, assigns, loans, items] = await Promise.all([
    otherLenders(db, dir, period, regions),
    many((p) => db.selectFrom('declaration').select((eb) => ['case_id', eb.fn.min<string>('submitted_on').as('first_on')]).where('case_id', 'in', p).groupBy('case_id').execute()),
    many((p) => db.selectFrom('verification').select(['case_id', 'verified_on', 'result']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('reclassification').select(['case_id', 'from_class', 'to_class', 'changed_on', 'id']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('bank_assignment').select(['case_id', 'bank_id', 'assigned_on', 'ended_on']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('loan').select(['case_id', 'kind', 'amount_cents', 'loan_on']).where('case_id', 'in', p).where('loan_on', '<=', period.end).execute()),
    many((p) => db.selectFrom('coaching_item').select(['case_id', 'added_on', 'closed_on']).where('case_id', 'in', p).execute()),
  ]);
  const group = <T extends { case_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const list = m.get(r.case_id);
      if (list) list.push(r);
      else m.set(r.case_id, [r]);
    }
    return m;
  };
  const [gd, gv, gr, ga, gl, gi] = [group(decls), group(vers), group(recls), group(assigns), group(loans), group(items)];
  const lenders = group(others.map(({ caseId, bank, kind, amount, date }) => ({ case_id: caseId, bank, kind, amount, date })));
  const e = period.end;
  return cases.map((c) => {
    const v = gv.get(c.id)?.[0];
    const verified = v && v.verified_on <= e ? v : undefined;
    const declaredBy = (gd.get(c.id)?.[0]?.first_on ?? '9999') <= e;
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
    const ls = gl.get(c.id) ?? [];
    const inPeriod = ls.filter((l) => l.loan_on >= period.start);
    const sum = (kind: string) => inPeriod.filter((l) => l.kind === kind).reduce((a, l) => a + l.amount_cents, 0);
    return {
      district: dir.regionName(c.region_code),
      code: c.enterprise_code,
      name: c.name,
      stage,
      class: cls,
      lead_bank: lead ? dir.orgByIdOrThrow(lead.bank_id).name : null,
      credit_amount: moneyNumber(sum('credit')),
      loan_amount: moneyNumber(sum('disbursement')),
      loan_amount_cumulative: moneyNumber(ls.filter((l) => l.kind === 'disbursement' && l.loan_on >= cumulative.start).reduce((a, l) => a + l.amount_cents, 0)),
      // none once the case is closed: its items still open then ended (终止) with it
      coaching_open: c.closed_on && c.closed_on <= e ? 0 : (gi.get(c.id) ?? []).filter((i) => i.added_on <= e && (i.closed_on === null || i.closed_on > e)).length,
      other_lenders: (lenders.get(c.id) ?? []).map(({ case_id: _, ...l }) => l),
    };
  });
}
