/**
 * The report figures of SPEC §8, each defined once, here, and computed from the history: a report for a
 * past period gives the figures as of that period's last day, not today's state.
 */
import type { Kysely } from 'kysely';
import {
  activeByBank,
  caseCounts,
  coachingCounts,
  declarationCounts,
  feedbackMonths,
  loanCounts,
  loanTotals,
  ratingCounts,
  verificationCounts,
  type Span,
} from '../store/figures.js';
import type { DB } from '../store/schema.js';
import type { Period } from '../util/dates.js';
import { moneyNumber } from '../util/money.js';
import type { Directory } from './directory.js';

export interface DistrictFigures {
  district: string;
  code: string;
  recommended: number;
  recommended_total: number;
  over_quota: number;
  declared: number;
  verified_financing: number;
  verified_cultivation: number;
  rejected: number;
  confirmed: number;
  active: number;
  vacancies: number;
  assigned: number;
  credit_firms: number;
  credit_amount: number;
  loan_firms: number;
  loan_amount: number;
  first_loan_firms: number;
  loan_amount_total: number;
  coaching_added: number;
  coaching_done: number;
  coaching_open: number;
  coaching_overdue: number;
  closed_financed: number;
  closed_withdrawn: number;
  feedback: boolean;
  feedback_months: number;
  /** Annual figures (present in annual reports). */
  service_items?: number;
  ratings?: number;
  satisfaction_rate?: number | null;
}

export interface BankFigures {
  bank: string;
  active: number;
  credit_firms: number;
  credit_amount: number;
  loan_firms: number;
  loan_amount: number;
  first_loan_firms: number;
  coaching_done: number;
  feedback: boolean;
  feedback_months: number;
  service_items?: number;
  ratings?: number;
  satisfaction_rate?: number | null;
}

export interface Figures {
  period: string;
  start: string;
  end: string;
  districts: DistrictFigures[];
  banks: BankFigures[];
  total: Omit<DistrictFigures, 'district' | 'code'> & { district: string };
}

/** Every month (YYYY-MM) of a period. */
export function monthsOf(p: { start: string; end: string }): string[] {
  const out: string[] = [];
  let y = Number(p.start.slice(0, 4));
  let m = Number(p.start.slice(5, 7));
  for (;;) {
    const label = `${y}-${String(m).padStart(2, '0')}`;
    if (label > p.end.slice(0, 7)) break;
    out.push(label);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

function byKey<T extends object>(rows: T[], key: keyof T): Map<string, T> {
  return new Map(rows.map((r) => [String(r[key]), r]));
}

const n = (v: unknown) => Number(v ?? 0);

/** Rate of good ratings: (满意 + 基本满意) / ratings, null without ratings; rounded to 4 places. */
export function satisfactionRate(good: number, ratings: number): number | null {
  return ratings === 0 ? null : Math.round((good / ratings) * 10000) / 10000;
}

export async function computeFigures(db: Kysely<DB>, dir: Directory, period: Period, opts: { district?: string; annual?: boolean } = {}): Promise<Figures> {
  const span: Span = { start: period.start, end: period.end };
  const districts = opts.district ? [dir.district(opts.district)] : dir.districts;
  const regions = opts.district ? districts.map((d) => d.code) : undefined;
  const months = monthsOf(span);
  const [cases, decls, vers, loansR, totals, coachR, loansB, coachB, activeB, fb, ratingR, ratingB] = await Promise.all([
    caseCounts(db, span, regions),
    declarationCounts(db, span, regions),
    verificationCounts(db, span, regions),
    loanCounts(db, span, 'region', regions),
    loanTotals(db, span.end, regions),
    coachingCounts(db, span, 'region', regions),
    loanCounts(db, span, 'bank', regions),
    coachingCounts(db, span, 'bank', regions),
    activeByBank(db, span.end, regions),
    feedbackMonths(db, months),
    opts.annual ? ratingCounts(db, span, 'region', regions) : Promise.resolve([]),
    opts.annual ? ratingCounts(db, span, 'bank', regions) : Promise.resolve([]),
  ]);
  const c = byKey(cases, 'region');
  const d = byKey(decls, 'region');
  const v = byKey(vers, 'region');
  const l = byKey(loansR, 'key');
  const t = byKey(totals, 'region');
  const k = byKey(coachR, 'key');
  const rr = byKey(ratingR, 'key');
  const fed = (kind: string, key: string) => months.filter((m) => fb.some((f) => f.from_kind === kind && f.from_key === key && f.month === m)).length;

  const districtRows: DistrictFigures[] = districts.map((r) => {
    const cc = c.get(r.code);
    const ll = l.get(r.code);
    const kk = k.get(r.code);
    const active = n(cc?.active);
    const fm = fed('district', r.code);
    const row: DistrictFigures = {
      district: r.name,
      code: r.code,
      recommended: n(cc?.recommended),
      recommended_total: n(cc?.recommended_total),
      over_quota: n(cc?.over_quota),
      declared: n(d.get(r.code)?.declared),
      verified_financing: n(v.get(r.code)?.verified_financing),
      verified_cultivation: n(v.get(r.code)?.verified_cultivation),
      rejected: n(v.get(r.code)?.rejected),
      confirmed: n(cc?.confirmed),
      active,
      vacancies: Math.max(0, r.capacity - active),
      assigned: n(cc?.assigned),
      credit_firms: n(ll?.credit_firms),
      credit_amount: moneyNumber(n(ll?.credit_amount)),
      loan_firms: n(ll?.loan_firms),
      loan_amount: moneyNumber(n(ll?.loan_amount)),
      first_loan_firms: n(ll?.first_loan_firms),
      loan_amount_total: moneyNumber(n(t.get(r.code)?.loan_amount_total)),
      coaching_added: n(kk?.coaching_added),
      coaching_done: n(kk?.coaching_done),
      coaching_open: n(kk?.coaching_open),
      coaching_overdue: n(kk?.coaching_overdue),
      closed_financed: n(cc?.closed_financed),
      closed_withdrawn: n(cc?.closed_withdrawn),
      feedback: fm === months.length,
      feedback_months: fm,
    };
    if (opts.annual) {
      const ratings = n(rr.get(r.code)?.ratings);
      row.service_items = row.coaching_done + n(ll?.loan_records);
      row.ratings = ratings;
      row.satisfaction_rate = satisfactionRate(n(rr.get(r.code)?.good), ratings);
    }
    return row;
  });

  const lb = byKey(loansB, 'key');
  const kb = byKey(coachB, 'key');
  const ab = byKey(activeB, 'key');
  const rb = byKey(ratingB, 'key');
  const bankRows: BankFigures[] = dir.orgs
    .filter((o) => o.kind === 'bank')
    .map((b) => {
      const key = String(b.id);
      const ll = lb.get(key);
      const fm = fed('bank', key);
      const row: BankFigures = {
        bank: b.name,
        active: n(ab.get(key)?.active),
        credit_firms: n(ll?.credit_firms),
        credit_amount: moneyNumber(n(ll?.credit_amount)),
        loan_firms: n(ll?.loan_firms),
        loan_amount: moneyNumber(n(ll?.loan_amount)),
        first_loan_firms: n(ll?.first_loan_firms),
        coaching_done: n(kb.get(key)?.coaching_done),
        feedback: fm === months.length,
        feedback_months: fm,
      };
      if (opts.annual) {
        const ratings = n(rb.get(key)?.ratings);
        row.service_items = row.coaching_done + n(ll?.loan_records);
        row.ratings = ratings;
        row.satisfaction_rate = satisfactionRate(n(rb.get(key)?.good), ratings);
      }
      return row;
    });

  return { period: period.label, start: period.start, end: period.end, districts: districtRows, banks: bankRows, total: totalRow(districtRows, opts.annual === true) };
}

/** The 合计 row: sums of the district rows (amounts summed in cents); feedback only if every district reported. */
function totalRow(rows: DistrictFigures[], annual: boolean): Figures['total'] {
  const sum = (k: keyof DistrictFigures) => rows.reduce((a, r) => a + Number(r[k] ?? 0), 0);
  const money = (k: keyof DistrictFigures) => moneyNumber(rows.reduce((a, r) => a + Math.round(Number(r[k]) * 100), 0));
  const total: Figures['total'] = {
    district: '合计',
    recommended: sum('recommended'),
    recommended_total: sum('recommended_total'),
    over_quota: sum('over_quota'),
    declared: sum('declared'),
    verified_financing: sum('verified_financing'),
    verified_cultivation: sum('verified_cultivation'),
    rejected: sum('rejected'),
    confirmed: sum('confirmed'),
    active: sum('active'),
    vacancies: sum('vacancies'),
    assigned: sum('assigned'),
    credit_firms: sum('credit_firms'),
    credit_amount: money('credit_amount'),
    loan_firms: sum('loan_firms'),
    loan_amount: money('loan_amount'),
    first_loan_firms: sum('first_loan_firms'),
    loan_amount_total: money('loan_amount_total'),
    coaching_added: sum('coaching_added'),
    coaching_done: sum('coaching_done'),
    coaching_open: sum('coaching_open'),
    coaching_overdue: sum('coaching_overdue'),
    closed_financed: sum('closed_financed'),
    closed_withdrawn: sum('closed_withdrawn'),
    feedback: rows.every((r) => r.feedback),
    feedback_months: sum('feedback_months'),
  };
  if (annual) {
    total.service_items = sum('service_items');
    total.ratings = sum('ratings');
    const good = rows.reduce((a, r) => a + Math.round((r.satisfaction_rate ?? 0) * (r.ratings ?? 0)), 0);
    total.satisfaction_rate = satisfactionRate(good, total.ratings);
  }
  return total;
}

/** Definitions of every figure, for the 说明 sheet and the README. */
export const FIGURE_DEFINITIONS: [string, string, string][] = [
  ['recommended', '推荐企业数（本期）', '推荐日期在本期内的推荐数'],
  ['recommended_total', '推荐企业数（累计）', '推荐日期在期末及以前的推荐数'],
  ['over_quota', '其中超额推荐', '本期推荐中，超过每部门每区每年 3 家、经说明理由后推荐的数量'],
  ['declared', '申报企业数', '首次网上申报日期在本期内的企业数（重新申报不重复计数）'],
  ['verified_financing', '核查：融资类', '核查日期在本期内、结论为融资类的企业数'],
  ['verified_cultivation', '核查：培植类', '核查日期在本期内、结论为培植类的企业数'],
  ['rejected', '未入选', '核查日期在本期内、结论为未入选的企业数'],
  ['confirmed', '新入库', '联合协商会议日期在本期内的入库企业数'],
  ['active', '在库企业数（期末）', '入库日期在期末及以前、且期末前未办结的企业数'],
  ['vacancies', '空缺数', '名单容量减期末在库企业数，最小为 0（按当前容量）'],
  ['assigned', '确定主办行', '首次确定主办行的日期在本期内的企业数（更换主办行不计）'],
  ['credit_firms', '授信户数', '本期有授信记录的企业数（同一企业多笔只计一户）'],
  ['credit_amount', '授信金额（万元）', '本期授信金额合计'],
  ['loan_firms', '放款户数', '本期有放款记录的企业数'],
  ['loan_amount', '放款金额（万元）', '本期放款金额合计'],
  ['first_loan_firms', '首贷户数', '本期有首贷放款的企业数'],
  ['loan_amount_total', '累计放款金额（万元）', '期末及以前的放款金额合计'],
  ['coaching_added', '辅导事项：新增', '添加日期在本期内的辅导事项数'],
  ['coaching_done', '辅导事项：办结', '本期内办结或标记未办成的辅导事项数'],
  ['coaching_open', '辅导事项：未办结', '期末仍未办结的辅导事项数'],
  ['coaching_overdue', '辅导事项：逾期', '期末未办结且期限早于期末的辅导事项数'],
  ['closed_financed', '办结：获得融资', '办结日期在本期内、结果为获得融资的企业数'],
  ['closed_withdrawn', '办结：退出', '办结日期在本期内、结果为退出的企业数'],
  ['feedback', '月度反馈', '本期每个月的月度反馈都已报送为“已报送”（季度、年度报表要求每个月都报送）'],
  ['service_items', '服务事项处理总量', '年内办结（含未办成）的辅导事项数 + 年内授信、放款记录笔数（年报）'],
  ['ratings', '满意度评价数', '年内的满意度评价次数（年报）'],
  ['satisfaction_rate', '服务满意率', '（满意 + 基本满意）÷ 评价数，0–1，没有评价时为空（年报）'],
];

export const BANK_NOTE = '银行各项指标统计期末由该行主办的企业（期末主办行以确定或更换主办行的日期为准）；授信、放款计入期末主办行，无论由哪家银行登记；辅导事项办结数含这些企业的全部辅导事项。';

export interface EnterpriseAtEnd {
  district: string;
  code: string;
  name: string;
  stage: string;
  class: string | null;
  lead_bank: string | null;
  credit_amount: number;
  loan_amount: number;
  loan_amount_total: number;
  coaching_open: number;
}

/**
 * One row per case alive in the period (recommended by its end, not closed or rejected before its start),
 * as it stood at the end of the period: stage, class and lead bank from the history, not today's state.
 */
export async function enterprisesAtEnd(db: Kysely<DB>, dir: Directory, period: Span, regions?: string[]): Promise<EnterpriseAtEnd[]> {
  let q = db
    .selectFrom('case_file')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .selectAll('case_file')
    .select('enterprise.name')
    .where('case_file.recommended_on', '<=', period.end)
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', period.start)]))
    .where((eb) => eb.or([eb('case_file.stage', '!=', 'rejected'), eb('case_file.verified_on', '>=', period.start)]));
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  const cases = await q.orderBy('case_file.region_code').orderBy('case_file.recommended_on').orderBy('case_file.id').execute();
  const ids = cases.map((c) => c.id);
  if (ids.length === 0) return [];
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += 500) chunks.push(ids.slice(i, i + 500));
  const many = async <T>(f: (part: number[]) => Promise<T[]>) => (await Promise.all(chunks.map(f))).flat();
  const [decls, vers, recls, assigns, loans, items] = await Promise.all([
    many((p) => db.selectFrom('declaration').select((eb) => ['case_id', eb.fn.min<string>('submitted_on').as('first_on')]).where('case_id', 'in', p).groupBy('case_id').execute()),
    many((p) => db.selectFrom('verification').select(['case_id', 'verified_on', 'result']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('reclassification').select(['case_id', 'to_class', 'changed_on', 'id']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('bank_assignment').select(['case_id', 'bank_id', 'assigned_on', 'ended_on']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('loan').select(['case_id', 'kind', 'amount_cents', 'loan_on']).where('case_id', 'in', p).where('loan_on', '<=', period.end).execute()),
    many((p) => db.selectFrom('coaching_item').select(['case_id', 'added_on', 'closed_on']).where('case_id', 'in', p).execute()),
  ]);
  const group = <T extends { case_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) m.set(r.case_id, [...(m.get(r.case_id) ?? []), r]);
    return m;
  };
  const [gd, gv, gr, ga, gl, gi] = [group(decls), group(vers), group(recls), group(assigns), group(loans), group(items)];
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
    let cls: string | null = verified && verified.result !== 'rejected' ? verified.result : null;
    for (const r of (gr.get(c.id) ?? []).filter((x) => x.changed_on <= e).sort((a, b) => a.changed_on.localeCompare(b.changed_on) || a.id - b.id)) cls = r.to_class;
    const lead = (ga.get(c.id) ?? []).find((a) => a.assigned_on <= e && (a.ended_on === null || a.ended_on > e));
    const ls = gl.get(c.id) ?? [];
    const inPeriod = (kind: string) => ls.filter((l) => l.kind === kind && l.loan_on >= period.start).reduce((a, l) => a + l.amount_cents, 0);
    return {
      district: dir.regionName(c.region_code),
      code: c.enterprise_code,
      name: c.name,
      stage,
      class: cls,
      lead_bank: lead ? dir.orgByIdOrThrow(lead.bank_id).name : null,
      credit_amount: moneyNumber(inPeriod('credit')),
      loan_amount: moneyNumber(inPeriod('disbursement')),
      loan_amount_total: moneyNumber(ls.filter((l) => l.kind === 'disbursement').reduce((a, l) => a + l.amount_cents, 0)),
      coaching_open: (gi.get(c.id) ?? []).filter((i) => i.added_on <= e && (i.closed_on === null || i.closed_on > e)).length,
    };
  });
}
