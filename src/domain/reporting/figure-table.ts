/**
 * The report figures, each defined once: one row of FIGURES gives a figure's JSON key, Chinese label, header
 * group, unit, definition, the rows it applies to, how its 合计 is formed and how it is computed from the
 * aggregate queries (SOURCES). The row types, the totals, the terminal/CSV/sheet columns, the 说明 sheet and
 * docs/figures.md (`npm run docs`) are all derived from it. Read docs/figures.md for the definitions in words.
 *
 * Adding a figure: one row here (and, if it needs a new count, a column in src/store/figures.ts), then
 * `npm run docs`.
 */
import type { Kysely } from 'kysely';
import {
  activeByBank,
  caseCounts,
  coachingCounts,
  coachingDoneByUnit,
  coachingEndedByUnit,
  declarationCounts,
  financedMonths,
  loanCounts,
  ratingCounts,
  ratingEvents,
  verificationCounts,
  type Span,
} from '../../store/figures.js';
import type { DB } from '../../store/schema.js';
import { moneyNumber } from '../../util/money.js';
import { FEEDBACK_DUE_DAY } from '../core/index.js';

export type RowKind = 'district' | 'bank';

interface Query {
  db: Kysely<DB>;
  span: Span;
  /** Only these districts (codes); all when absent. */
  regions?: string[];
}

/**
 * The aggregate queries behind the figures, in the order they run. Each feeds the district rows (keyed by the
 * district's code) or the bank rows (keyed by the id of the lead bank as text, NO_LEAD for the 未确定主办行 row:
 * for an event the lead bank on its day, for a state at the period's end the lead bank then; a coaching item
 * by the unit that handled it, OTHER_UNITS for the 其他单位承办 row); `annual` ones run for annual reports only;
 * `cumulative` ones run a second time over the report's cumulative span (see SpanKind) for the figures that read
 * it. The monthly feedback is read by the engine itself (src/domain/reporting/figures.ts).
 */
export const SOURCES = [
  { rows: 'district', key: 'region', cumulative: true, load: (q: Query) => caseCounts(q.db, q.span, q.regions) },
  { rows: 'district', key: 'region', load: (q: Query) => declarationCounts(q.db, q.span, q.regions) },
  { rows: 'district', key: 'region', load: (q: Query) => verificationCounts(q.db, q.span, q.regions) },
  { rows: 'district', key: 'key', cumulative: true, load: (q: Query) => loanCounts(q.db, q.span, 'region', q.regions) },
  { rows: 'district', key: 'key', load: (q: Query) => coachingCounts(q.db, q.span, q.regions) },
  { rows: 'bank', key: 'key', cumulative: true, load: (q: Query) => loanCounts(q.db, q.span, 'bank', q.regions) },
  { rows: 'bank', key: 'key', load: (q: Query) => coachingDoneByUnit(q.db, q.span, q.regions) },
  { rows: 'bank', key: 'key', load: (q: Query) => coachingEndedByUnit(q.db, q.span, q.regions) },
  { rows: 'bank', key: 'key', load: (q: Query) => activeByBank(q.db, q.span.end, q.regions) },
  { rows: 'district', key: 'key', annual: true, load: (q: Query) => ratingCounts(q.db, q.span, 'region', q.regions) },
  { rows: 'bank', key: 'key', annual: true, load: (q: Query) => ratingCounts(q.db, q.span, 'bank', q.regions) },
  { rows: 'district', key: 'region', annual: true, load: (q: Query) => ratingEvents(q.db, q.span, q.regions) },
  { rows: 'district', key: 'key', annual: true, load: (q: Query) => financedMonths(q.db, q.span, 'region', q.regions) },
  { rows: 'bank', key: 'key', annual: true, load: (q: Query) => financedMonths(q.db, q.span, 'bank', q.regions) },
] as const;

type ColumnsOf<S> = S extends { load: (q: Query) => Promise<(infer R)[]> } ? keyof R : never;
/**
 * A column a figure is computed from: a result column of SOURCES (amounts in cents), or one the engine adds:
 * `capacity` (the district's list capacity), `months` (months in the period), `owed_months` (of them, the months
 * for which the unit owes a monthly feedback), `feedback_months` (of those, the months whose feedback is on file);
 * in annual reports `pool_active` and `pool_capacity` (firms in the list and capacity, summed over the year's 12
 * month-ends, for the pool score).
 */
export type Column =
  | Exclude<ColumnsOf<(typeof SOURCES)[number]>, 'region' | 'key'>
  | 'capacity'
  | 'months'
  | 'owed_months'
  | 'feedback_months'
  | 'pool_active'
  | 'pool_capacity';
/** Reads a column of the row being computed (0 when the row has no records). */
export type Columns = (name: Column) => number;

/**
 * Column groups: the upper level of a two-level header (推荐企业数 → 本期/本年累计 in a monthly or quarterly
 * report, 本年/开展以来累计 in an annual one; 核查 → 融资类/培植类).
 */
export const GROUPS = {
  recommended: { label: '推荐企业数', short: '推荐' },
  verified: { label: '核查', short: '核查' },
  credit_firms: { label: '授信户数', short: '授信户数' },
  credit_amount: { label: '授信金额（万元）', short: '授信万元' },
  loan_firms: { label: '放款户数', short: '放款户数' },
  loan_amount: { label: '放款金额（万元）', short: '放款万元' },
  first_loan_firms: { label: '首贷户数', short: '首贷' },
  // terminal columns only (terminalGroup): 授信 户/万元, 放款 户/万元
  credit: { label: '授信', short: '授信' },
  loan: { label: '放款', short: '放款' },
  coaching: { label: '辅导事项', short: '辅导' },
  closed: { label: '办结', short: '办结' },
} as const;
export type GroupId = keyof typeof GROUPS;

/**
 * The span a figure reads: the period (the default), or a cumulative one ending at the period's end: `ytd`
 * (本年累计) from 1 January of the period's year, in monthly and quarterly reports; `since_start` (开展以来累计)
 * from the programme's start, in annual reports (src/domain/reporting/figures.ts cumulativeSpan).
 */
export type SpanKind = 'period' | 'ytd' | 'since_start';

/** A cumulative span's name in labels and headers. */
export const SPAN_WORD = { ytd: '本年累计', since_start: '开展以来累计' } as const;

/** 户 enterprises, 项 items, 次 ratings, 月 months; 万元 two decimals; 比率 0–1; 是否 已报送/未报送 (null: 无需报送). */
export type Unit = '户' | '个' | '项' | '次' | '月' | '万元' | '比率' | '是否';

/**
 * How the 合计 row is formed from the district rows: `sum` adds the rows; `money` adds the amounts in cents
 * (exact); `ratio` computes the figure again from the summed counts (never an average of rates); `all` is true
 * only when every row is true.
 */
export type TotalRule = 'sum' | 'money' | 'ratio' | 'all';

/** Each total rule in words, for docs/figures.md. */
export const TOTAL_RULE_TEXT: Record<TotalRule, string> = {
  sum: '各行相加',
  money: '各行金额按分相加（精确到 0.01 万元，不累积舍入误差）',
  ratio: '用各行计数之和重新计算（不是各行比率的平均）',
  all: '各行都为“已报送”时为“已报送”',
};

export interface FigureDef {
  /** The JSON key. */
  key: string;
  /**
   * The column header and the 说明 item. In an annual report the word 本期 in it (and in `sub`) reads 本年: the
   * period is the year (figuresOf gives the labels of the report's kind).
   */
  label: string;
  /** Its group and its name inside the group (the lower header level); `abbr` shortens it on the terminal. */
  group?: GroupId;
  /** The group whose terminal column it shares, when not its own group (授信户数 and 授信金额 show as 授信 户/万元). */
  terminalGroup?: GroupId;
  sub?: string;
  abbr?: string;
  /** The terminal header when shown alone (default: group short name + sub, else the label). */
  short?: string;
  unit: Unit;
  /** The rows that carry it. */
  rows: readonly RowKind[];
  /** Annual reports only. */
  annual?: boolean;
  /** Monthly and quarterly reports only. */
  periodic?: boolean;
  /**
   * The span it reads (default: the period): its value is computed by `value` from the columns of the
   * `cumulative` SOURCES run over that span. `ytd` figures are `periodic`, `since_start` ones `annual`.
   */
  span?: Exclude<SpanKind, 'period'>;
  /** false: in the JSON (and the narrative) only, not a column of any table. */
  column?: boolean;
  /** false: not in the terminal table (which must stay readable), still in CSV and sheets. */
  terminal?: boolean;
  total: TotalRule;
  value: (c: Columns) => number | boolean | null;
  /** Its name in the narrative templates (templates/*.md, as {{name}}). */
  placeholder?: string;
  definition: string;
}

/** Rate of good ratings: (满意 + 基本满意) / ratings, null without ratings; rounded to 4 places. */
export function satisfactionRate(good: number, ratings: number): number | null {
  return ratings === 0 ? null : Math.round((good / ratings) * 10000) / 10000;
}

/** The bank table's row for the firms that had no lead bank on the day that decides. */
export const UNASSIGNED = '未确定主办行';

/** The bank table's row for the coaching items handled by units other than banks (departments, district offices). */
export const OTHER_UNITS_ROW = '其他单位承办';

const BOTH = ['district', 'bank'] as const;
const PERIODIC = '月报、季报';
const ANNUAL = '年报';
const DISTRICT = ['district'] as const;

/** Every figure, in the order of the JSON keys and the table columns. Definitions: docs/figures.md. */
export const FIGURES = [
  { key: 'recommended', label: '推荐企业数（本期）', group: 'recommended', sub: '本期', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('recommended'), placeholder: '推荐本期', definition: '推荐日期在本期内的企业数（同一企业本期推荐多次只计一户；推荐的次数见“推荐次数（本期）”）' },
  { key: 'recommendations', label: '推荐次数（本期）', unit: '次', rows: DISTRICT, column: false, total: 'sum',
    value: (c) => c('recommendations'), placeholder: '推荐次数', definition: '推荐日期在本期内的推荐次数（一户核查未入选后再次推荐的，每次推荐计一次）' },
  { key: 'recommended_ytd', label: '推荐企业数（本年累计）', group: 'recommended', sub: '本年累计', unit: '户', rows: DISTRICT, periodic: true, span: 'ytd', total: 'sum',
    value: (c) => c('recommended'), placeholder: '推荐本年累计', definition: `推荐日期在本年 1 月 1 日至期末之间的企业数（同一企业多次推荐只计一户，所以不是各月“推荐企业数（本期）”之和）（${PERIODIC}）` },
  { key: 'recommended_since_start', label: '推荐企业数（开展以来累计）', group: 'recommended', sub: '开展以来累计', unit: '户', rows: DISTRICT, annual: true, span: 'since_start', total: 'sum',
    value: (c) => c('recommended'), placeholder: '推荐开展以来累计', definition: `推荐日期在工程开始日至年末之间的企业数（同一企业多次推荐只计一户）（${ANNUAL}）` },
  { key: 'over_quota', label: '其中超额推荐', unit: '户', rows: DISTRICT, terminal: false, total: 'sum',
    value: (c) => c('over_quota'), placeholder: '超额推荐', definition: '本期推荐的企业中，超过每部门每区每年 3 家、经说明理由后推荐的企业数' },
  { key: 'declared', label: '申报企业数', short: '申报', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('declared'), placeholder: '申报', definition: '本期首次网上申报的企业数（同一次推荐重新申报的不重复计数；同一企业只计一户）' },
  { key: 'verified_financing', label: '核查：融资类', group: 'verified', sub: '融资类', abbr: '融', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('verified_financing'), placeholder: '核查融资类', definition: '核查日期在本期内、结论为融资类的企业数' },
  { key: 'verified_cultivation', label: '核查：培植类', group: 'verified', sub: '培植类', abbr: '培', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('verified_cultivation'), placeholder: '核查培植类', definition: '核查日期在本期内、结论为培植类的企业数' },
  { key: 'rejected', label: '未入选', short: '未入选', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('rejected'), placeholder: '未入选', definition: '核查日期在本期内、结论为未入选的企业数' },
  { key: 'confirmed', label: '新入库', short: '新入库', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('confirmed'), placeholder: '新入库', definition: '联合协商会议日期在本期内的入库企业数' },
  { key: 'active', label: '在库企业数（期末）', short: '在库', unit: '户', rows: BOTH, total: 'sum',
    value: (c) => c('active'), placeholder: '在库', definition: '入库日期在期末及以前、且期末前未办结的企业数' },
  { key: 'vacancies', label: '空缺数', short: '空缺', unit: '个', rows: DISTRICT, total: 'sum',
    value: (c) => Math.max(0, c('capacity') - c('active')), placeholder: '空缺', definition: '期末有效的名单容量减期末在库企业数，最小为 0；合计行是各区空缺数之和（不是合计容量减合计在库数，在库数超过容量的区不抵减其他区的空缺）' },
  { key: 'assigned', label: '确定主办行', short: '主办行', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('assigned'), placeholder: '确定主办行', definition: '首次确定主办行的日期在本期内的企业数（更换主办行不计）' },
  { key: 'credit_firms', label: '授信户数（本期）', group: 'credit_firms', sub: '本期', terminalGroup: 'credit', abbr: '户', unit: '户', rows: BOTH, total: 'sum',
    value: (c) => c('credit_firms'), placeholder: '授信户数', definition: '本期有授信记录的企业数（同一企业多笔只计一户）' },
  { key: 'credit_firms_ytd', label: '授信户数（本年累计）', group: 'credit_firms', sub: '本年累计', unit: '户', rows: BOTH, periodic: true, span: 'ytd', terminal: false, total: 'sum',
    value: (c) => c('credit_firms'), placeholder: '授信户数本年累计', definition: `授信日期在本年 1 月 1 日至期末之间的企业数（同一企业多笔、多月只计一户，所以不是各月户数之和；金融机构表计入该企业这段时间最后一笔授信当天的主办行）（${PERIODIC}）` },
  { key: 'credit_firms_since_start', label: '授信户数（开展以来累计）', group: 'credit_firms', sub: '开展以来累计', unit: '户', rows: BOTH, annual: true, span: 'since_start', terminal: false, total: 'sum',
    value: (c) => c('credit_firms'), placeholder: '授信户数开展以来累计', definition: `授信日期在工程开始日至年末之间的企业数（同一企业多笔、多年只计一户；金融机构表计入该企业最后一笔授信当天的主办行）（${ANNUAL}）` },
  { key: 'credit_amount', label: '授信金额（本期，万元）', group: 'credit_amount', sub: '本期', terminalGroup: 'credit', abbr: '万元', unit: '万元', rows: BOTH, total: 'money',
    value: (c) => moneyNumber(c('credit_amount')), placeholder: '授信金额', definition: '本期授信金额合计' },
  { key: 'credit_amount_ytd', label: '授信金额（本年累计，万元）', group: 'credit_amount', sub: '本年累计', unit: '万元', rows: BOTH, periodic: true, span: 'ytd', terminal: false, total: 'money',
    value: (c) => moneyNumber(c('credit_amount')), placeholder: '授信金额本年累计', definition: `授信日期在本年 1 月 1 日至期末之间的授信金额合计，等于本年各月授信金额之和（${PERIODIC}）` },
  { key: 'credit_amount_since_start', label: '授信金额（开展以来累计，万元）', group: 'credit_amount', sub: '开展以来累计', unit: '万元', rows: BOTH, annual: true, span: 'since_start', terminal: false, total: 'money',
    value: (c) => moneyNumber(c('credit_amount')), placeholder: '授信金额开展以来累计', definition: `授信日期在工程开始日至年末之间的授信金额合计（${ANNUAL}）` },
  { key: 'loan_firms', label: '放款户数（本期）', group: 'loan_firms', sub: '本期', terminalGroup: 'loan', abbr: '户', unit: '户', rows: BOTH, total: 'sum',
    value: (c) => c('loan_firms'), placeholder: '放款户数', definition: '本期有放款记录的企业数（同一企业多笔只计一户）' },
  { key: 'loan_firms_ytd', label: '放款户数（本年累计）', group: 'loan_firms', sub: '本年累计', unit: '户', rows: BOTH, periodic: true, span: 'ytd', terminal: false, total: 'sum',
    value: (c) => c('loan_firms'), placeholder: '放款户数本年累计', definition: `放款日期在本年 1 月 1 日至期末之间的企业数（同一企业多笔、多月只计一户，所以不是各月户数之和；金融机构表计入该企业这段时间最后一笔放款当天的主办行）（${PERIODIC}）` },
  { key: 'loan_firms_since_start', label: '放款户数（开展以来累计）', group: 'loan_firms', sub: '开展以来累计', unit: '户', rows: BOTH, annual: true, span: 'since_start', terminal: false, total: 'sum',
    value: (c) => c('loan_firms'), placeholder: '放款户数开展以来累计', definition: `放款日期在工程开始日至年末之间的企业数（同一企业多笔、多年只计一户；金融机构表计入该企业最后一笔放款当天的主办行）（${ANNUAL}）` },
  { key: 'loan_amount', label: '放款金额（本期，万元）', group: 'loan_amount', sub: '本期', terminalGroup: 'loan', abbr: '万元', unit: '万元', rows: BOTH, total: 'money',
    value: (c) => moneyNumber(c('loan_amount')), placeholder: '放款金额', definition: '本期放款金额合计' },
  { key: 'loan_amount_ytd', label: '放款金额（本年累计，万元）', group: 'loan_amount', sub: '本年累计', short: '本年累计放款', unit: '万元', rows: BOTH, periodic: true, span: 'ytd', total: 'money',
    value: (c) => moneyNumber(c('loan_amount')), placeholder: '放款金额本年累计', definition: `放款日期在本年 1 月 1 日至期末之间的放款金额合计，等于本年各月放款金额之和（${PERIODIC}）` },
  { key: 'loan_amount_since_start', label: '放款金额（开展以来累计，万元）', group: 'loan_amount', sub: '开展以来累计', short: '开展以来累计放款', unit: '万元', rows: BOTH, annual: true, span: 'since_start', total: 'money',
    value: (c) => moneyNumber(c('loan_amount')), placeholder: '放款金额开展以来累计', definition: `放款日期在工程开始日至年末之间的放款金额合计（${ANNUAL}）` },
  { key: 'first_loan_firms', label: '首贷户数（本期）', group: 'first_loan_firms', sub: '本期', short: '首贷', unit: '户', rows: BOTH, total: 'sum',
    value: (c) => c('first_loan_firms'), placeholder: '首贷户数', definition: '本期有首贷放款的企业数：每户企业只有一次首贷，不论哪次推荐（再标记首贷的登记和报送表的行被拒绝）；按企业计数，只在其最早一笔标记为首贷的放款所在的期间计一次（早期版本允许过的重复标记保留在记录中，不计）' },
  { key: 'first_loan_firms_ytd', label: '首贷户数（本年累计）', group: 'first_loan_firms', sub: '本年累计', unit: '户', rows: BOTH, periodic: true, span: 'ytd', terminal: false, total: 'sum',
    value: (c) => c('first_loan_firms'), placeholder: '首贷户数本年累计', definition: `第一笔标记为首贷的放款在本年 1 月 1 日至期末之间的企业数（每户只计一次，所以等于本年各月首贷户数之和）（${PERIODIC}）` },
  { key: 'first_loan_firms_since_start', label: '首贷户数（开展以来累计）', group: 'first_loan_firms', sub: '开展以来累计', unit: '户', rows: BOTH, annual: true, span: 'since_start', terminal: false, total: 'sum',
    value: (c) => c('first_loan_firms'), placeholder: '首贷户数开展以来累计', definition: `第一笔标记为首贷的放款在工程开始日至年末之间的企业数（每户只计一次，等于开展以来各年首贷户数之和）（${ANNUAL}）` },
  { key: 'coaching_added', label: '辅导事项：新增', group: 'coaching', sub: '新增', abbr: '增', unit: '项', rows: DISTRICT, total: 'sum',
    value: (c) => c('coaching_added'), placeholder: '辅导新增', definition: '添加日期在本期内的辅导事项数' },
  { key: 'coaching_done', label: '辅导事项：办结', group: 'coaching', sub: '办结', abbr: '结', unit: '项', rows: BOTH, total: 'sum',
    value: (c) => c('coaching_done'), placeholder: '辅导办结', definition: `本期内办结或标记未办成的辅导事项数（按办结日期；不含随企业办结而终止的事项）；金融机构表中计入承办该事项的单位：交给银行办理的计入该行（不论该企业的主办行是哪家），交给政府部门、区金融办等其他单位的计入“${OTHER_UNITS_ROW}”行` },
  { key: 'coaching_ended', label: '辅导事项：终止', group: 'coaching', sub: '终止', abbr: '止', unit: '项', rows: BOTH, total: 'sum',
    value: (c) => c('coaching_ended'), placeholder: '辅导终止', definition: `本期内随企业办结（获得融资或退出）而终止的辅导事项数（按企业的办结日期）：企业办结之日仍未办结的辅导事项于办结之日终止，与办结分开统计；终止的事项此后不计入未办结和逾期，也不能再办结或更改；金融机构表中与“辅导事项：办结”一样计入承办该事项的单位，交给其他单位的计入“${OTHER_UNITS_ROW}”行` },
  { key: 'coaching_open', label: '辅导事项：未办结', group: 'coaching', sub: '未办结', abbr: '未', unit: '项', rows: DISTRICT, total: 'sum',
    value: (c) => c('coaching_open'), placeholder: '辅导未办结', definition: '期末仍未办结、也未随企业办结而终止的辅导事项数' },
  { key: 'coaching_overdue', label: '辅导事项：逾期', group: 'coaching', sub: '逾期', abbr: '逾', unit: '项', rows: DISTRICT, total: 'sum',
    value: (c) => c('coaching_overdue'), placeholder: '辅导逾期', definition: '期末未办结（不含已终止的）且期限早于期末的辅导事项数' },
  { key: 'closed_financed', label: '办结：获得融资', group: 'closed', sub: '获得融资', abbr: '融资', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('closed_financed'), placeholder: '办结获得融资', definition: '办结日期在本期内、结果为获得融资的企业数' },
  { key: 'closed_withdrawn', label: '办结：退出', group: 'closed', sub: '退出', unit: '户', rows: DISTRICT, total: 'sum',
    value: (c) => c('closed_withdrawn'), placeholder: '办结退出', definition: '办结日期在本期内、结果为退出的企业数' },
  { key: 'feedback', label: '月度反馈', short: '反馈', unit: '是否', rows: BOTH, total: 'all',
    value: (c) => (c('owed_months') === 0 ? null : c('feedback_months') === c('owed_months')), definition: `本期应报送的每个月的月度反馈都在报送截止日（次月 ${FEEDBACK_DUE_DAY} 日）及以前报送的为“已报送”，否则为“未报送”；本期不需要报送的为“无需报送”。区域自工程开始日所在月起每个月都应报送；银行在某月至少有一天主办至少一户企业（自确定主办行之日起，至更换主办行的前一天或企业办结之日止）的，应报送该月的月度反馈。截止日以后的逾期报送不计入` },
  { key: 'feedback_owed', label: '应报送月度反馈的月数', unit: '月', rows: BOTH, column: false, total: 'sum',
    value: (c) => c('owed_months'), placeholder: '应反馈月数', definition: '本期内应报送月度反馈的月数（区域为本期内工程开始日所在月及以后的月数；银行为其中至少有一天主办至少一户企业的月数）。工程开始日由 xypz init 记录，数据库中有更早日期的记录（推荐、放款、辅导事项、月度反馈）时以最早的记录日期为准（effectiveStart）；期末早于它的期间没有报表' },
  { key: 'feedback_months', label: '已报送月度反馈的月数', unit: '月', rows: BOTH, column: false, total: 'sum',
    value: (c) => c('feedback_months'), placeholder: '反馈月数', definition: `本期应报送的月份中，在报送截止日（次月 ${FEEDBACK_DUE_DAY} 日）及以前报送了月度反馈的月数（用于文字报告和年度通报排名）` },
  { key: 'service_items', label: '服务事项处理总量', short: '服务事项', unit: '项', rows: BOTH, annual: true, total: 'sum',
    value: (c) => c('coaching_done') + c('financed_months'), placeholder: '服务事项', definition: `服务的项数：年内每办结（含未办成）一项辅导事项计 1 项，计入承办该事项的单位（同“辅导事项：办结”）；每户企业每个有授信或放款的月份计 1 项（同一企业同月多笔只计 1 项，一笔贷款分几笔登记不多计；一户在两个月有授信或放款计 2 项），银行表中计入该企业该月最后一笔授信或放款当天的主办行，当天没有主办行的计入“${UNASSIGNED}”行（年报）` },
  { key: 'rating_events', label: '满意度评价次数', unit: '次', rows: DISTRICT, annual: true, column: false, total: 'sum',
    value: (c) => c('rating_events'), placeholder: '评价次数', definition: '年内登记的满意度评价次数（同一企业多次评价每次都计；年报）' },
  { key: 'ratings', label: '满意度评价户数', unit: '户', rows: BOTH, annual: true, terminal: false, total: 'sum',
    value: (c) => c('ratings'), placeholder: '评价数', definition: '年内有满意度评价的企业数（同一企业年内多次评价只计最后一次，此前的保留在历史中；评价由人民银行或企业所在区金融办登记，主办行不能评价自己主办的企业）（年报）' },
  { key: 'satisfaction_rate', label: '服务满意率', short: '满意率', unit: '比率', rows: BOTH, annual: true, total: 'ratio',
    value: (c) => satisfactionRate(c('good'), c('ratings')), placeholder: '满意率', definition: '最后一次评价为满意或基本满意的企业数 ÷ 满意度评价户数，由计数计算（合计行也由各行计数之和计算，不由舍入后的比率计算）；JSON 中为 0–1 的小数，保留四位；表格、文字报告和网页中为百分数，保留一位小数；年内没有评价的为“无评价”（JSON 中为 null），通报排名不计此项（年报）' },
] as const satisfies readonly FigureDef[];

/** What the bank rows count, for 说明 and docs/figures.md. */
export const BANK_NOTE =
  '银行各项指标按主办行统计（主办行以确定或更换主办行的日期为准，更换当天起为新主办行）。' +
  '流量指标（授信、放款、首贷、服务事项中的融资月份、满意度评价）计入事件发生当天主办该企业的银行，无论由哪家银行发放（由当天主办行以外的银行发放的在企业明细的“其他放贷银行”中列出）；' +
  `辅导事项办结和终止（及服务事项中的辅导事项）计入承办该事项的单位：交给银行的计入该行，交给政府部门、区金融办等其他单位的计入“${OTHER_UNITS_ROW}”行（该行无需报送月度反馈）；` +
  '存量指标（在库企业数）计入期末主办行；授信户数、放款户数每户本期只计一次，计入该企业本期最后一笔授信（放款）当天的主办行。' +
  `事件当天（存量指标为期末）没有主办行的企业计入“${UNASSIGNED}”行（该行无需报送月度反馈），因此各银行行加“${UNASSIGNED}”行和“${OTHER_UNITS_ROW}”行的合计等于分区域表的合计；` +
  '各行的金额和按次、按项计的流量逐月相加等于季度数、年度数；户数每户本期只计一次，不逐月相加。';

/**
 * 口径调整: each change of definition, dated, in the 说明 sheet and docs/figures.md. The stored records are not
 * changed; the new definitions apply to every period, past ones included, so a report of a past period made
 * after the change can differ from one made before it.
 */
export const DEFINITION_CHANGES: { date: string; changes: string[] }[] = [
  {
    date: '2026-12-06',
    changes: [
      '银行表的流量指标（授信、放款、首贷、辅导事项办结、服务事项、满意度评价）由计入期末主办行改为计入事件发生当天的主办行，各月相加等于季度、年度数',
      `银行表增加“${UNASSIGNED}”行，银行表合计等于分区域合计`,
      '首贷户数每户只在第一笔标记为首贷的放款时计一次',
      '名为“企业数”“户数”的指标（推荐、申报、核查、未入选、入库、办结等）按企业计数，同一企业多次推荐只计一户；推荐的次数另列为“推荐次数（本期）”',
      '通报排名中总分（保留两位小数）相同的并列同一名次，其后名次顺延；拼音顺序只决定显示先后',
      '服务满意率在表格、文字报告和网页中一律为保留一位小数的百分数（JSON 中为 0–1 的小数）；没有评价的显示“无评价”，通报得分按其余分项折算；文字报告分别写明评价次数和涉及的企业数',
      '年度通报的名单在库率分由年末一天的在库数和容量改为全年 12 个月末的平均在库数 ÷ 平均容量',
      '银行只在至少有一天主办企业的月份应报送月度反馈，其他月份为“无需报送”；报表、通报排名和督办清单用同一规则，排名的月度反馈分按应报送的月数折算',
    ],
  },
  {
    date: '2026-12-07',
    changes: [
      '“累计”一律写明是哪一种：月报、季报列“本期”和“本年累计”（本年 1 月 1 日至期末），年报列“本年”和“开展以来累计”（工程开始日至年末）；原来月报、季报中自工程开始起算的“推荐企业数（累计）”“累计放款金额（万元）”改为本年累计，年报中改为开展以来累计',
      '授信户数、授信金额、放款户数、放款金额、首贷户数增加本年累计（月报、季报）和开展以来累计（年报）；户数按这段时间内的不同企业计数，不是各月户数之和',
      'JSON 键随之改变：本年累计的键以 _ytd 结尾（只在月报、季报中），开展以来累计的键以 _since_start 结尾（只在年报中）；原来的 recommended_total、loan_amount_total 不再使用；同一个键在各种报表中含义相同',
      '首贷每户企业只有一次，不论哪次推荐：再标记首贷的登记和报送表的行被拒绝；首贷户数按企业计数，同一企业在不同推荐中的首贷只在最早的一笔计一次',
      '服务事项处理总量由“办结的辅导事项数 + 授信、放款记录笔数”改为服务的项数：每办结（含未办成）一项辅导事项计 1 项，每户企业每个有授信或放款的月份计 1 项（一笔贷款分几笔登记不再多计）',
      `金融机构表的辅导事项办结（及服务事项中的辅导事项）由计入办结当天的主办行改为计入承办该事项的单位；交给政府部门、区金融办等其他单位办理的计入新增的“${OTHER_UNITS_ROW}”行，银行表合计仍等于分区域合计`,
      '企业办结（获得融资或退出）时仍未办结的辅导事项于办结之日终止，新增“辅导事项：终止”（流量，按企业的办结日期；金融机构表与辅导事项办结一样计入承办该事项的单位），与办结分开统计；终止的事项此后不再计入未办结和逾期，不列入督办清单，也不能再办结或更改；以前已办结的企业，其辅导事项按同一规则终止于企业的办结日期',
      '月度反馈只在工程开始日所在月及以后应报送，年度通报的名单在库率分只计这些月末；期末早于工程开始日的报表不再生成；年内无需报送月度反馈、没有满意度评价也没有可计分业务的单位列为“不参加排名”，不再记 0 分；文字报告中缺报的月数按应报送的月数计算',
      '授信户数、放款户数和满意度评价户数按企业计数：同一企业在两次推荐中本期都有放款（或评价）的只计一户，满意度按该企业本期最后一次评价',
      'CSV 中月度反馈的合计写明“已报送 N 家/应报送 M 家”（原为“已报送 N/M”）；季度工作开展情况报告写明随企业办结终止的辅导事项数',
      'Excel 报表的“图表”工作表不再是图片，改为由电子表格程序按报表本身的数字绘制的图表（图的种类、标题、单位和颜色不变；所画的数字列在图表右侧，不打印），报表的数字不变',
      'Excel 报表的“说明”和文字报告工作表按打印时的字体计算行高（过长的一项说明分几行接续），打印时文字不再被截去；其他工作表中换行的单元格和多行表头随之加高；跨页的表格最后一页至少留三行，不再只剩合计行和签字行，报表的数字不变',
    ],
  },
];

/** Notes on every report, shown in 说明 before the figures. */
export const REPORT_NOTES: [string, string][] = [
  ['金额单位', '万元，保留两位小数；计数为整数'],
  ['统计口径', '各项数据按办理记录中的日期计算：期末状态指统计期间最后一天的状态，与生成报表的日期无关；名单容量按当天有效的容量（容量调整自其生效日起执行）'],
  ['流量与存量', '流量指标统计本期内发生的事件，每个事件只属于一个月：金额（授信、放款）和按次、按项计的流量（推荐次数、辅导事项新增、办结和终止、服务事项、满意度评价次数）各月相加等于季度、年度数；按企业计的流量（推荐、申报、核查、未入选、新入库、确定主办行、企业办结、授信户数、放款户数、满意度评价户数）每户本期只计一次，同一企业在两个月都有记录（如两个月都有放款，或核查未入选后再次推荐、再次入库）的，季度、年度只计一户，所以可能小于各月之和；首贷户数每户只计一次，各月相加等于季度、年度数；存量指标（在库企业数、空缺数、辅导事项未办结和逾期）是期末时点数，不逐月相加'],
  ['本期与累计', '月报、季报的“本期”是该月、该季度，“本年累计”是本年 1 月 1 日至期末（1 月的月报和第一季度的季报本年累计等于本期；12 月的月报、第四季度的季报本年累计等于年报的本年数）；年报的“本年”是该年，“开展以来累计”是工程开始日（由 xypz init 记录，事件日期不能早于它；升级前已在数据库中的更早记录也计入）至年末。金额的累计等于各期金额之和；户数的累计按这段时间内的不同企业计数，同一企业在几个月都有记录只计一户，所以小于或等于各期户数之和'],
  ['月度反馈报送截止日', `次月 ${FEEDBACK_DUE_DAY} 日；截止日及以前的最后一次报送计入该月，截止日以后的报送记为逾期报送（列入督办清单），不改变该月的数字`],
  ['最终数字', '统计期间结束且最后一个月的月度反馈报送截止日已过，报表数字才不再变化；此前生成的报表在“数字状态”中说明（JSON 中 "final": false）'],
  ...DEFINITION_CHANGES.map(({ date, changes }): [string, string] => [
    `口径调整（${date}）`,
    `已登记的数据不变，新口径适用于所有期间（含以前期间）：${changes.map((c, i) => `（${i + 1}）${c}`).join('；')}`,
  ]),
];

// The row types, derived from FIGURES: a figure's value type follows its unit; the figures of one report kind
// only (annual, periodic) are optional.
type Def = (typeof FIGURES)[number];
type ValueOf<D extends Def> = D['unit'] extends '是否' ? boolean | null : D['unit'] extends '比率' ? number | null : number;
type OneKind<D extends Def> = D extends { annual: true } ? true : D extends { periodic: true } ? true : false;
/** D's key when rows of kind R carry it and whether only one report kind does is A. */
type KeyIf<D extends Def, R extends RowKind, A extends boolean> = R extends D['rows'][number] ? (OneKind<D> extends A ? D['key'] : never) : never;
type FiguresOf<R extends RowKind> = { [D in Def as KeyIf<D, R, false>]: ValueOf<D> } & { [D in Def as KeyIf<D, R, true>]?: ValueOf<D> };
type Flat<T> = { [K in keyof T]: T[K] };

export type DistrictFigures = Flat<{ district: string; code: string } & FiguresOf<'district'>>;
export type BankFigures = Flat<{ bank: string } & FiguresOf<'bank'>>;
/** The 合计 row: the district figures, with 合计 as its name. */
export type TotalFigures = Flat<{ district: string } & FiguresOf<'district'>>;

/** Whether an annual (or a monthly or quarterly) report carries the figure. */
export function carries(f: FigureDef, annual: boolean): boolean {
  return annual ? f.periodic !== true : f.annual !== true;
}

/** A figure as a report of this kind labels it: in an annual report 本期 reads 本年. */
export function labelled(f: FigureDef, annual: boolean): FigureDef {
  if (!annual) return f;
  const year = (s: string) => s.replaceAll('本期', '本年');
  return { ...f, label: year(f.label), ...(f.sub ? { sub: year(f.sub) } : {}) };
}

/**
 * The figures a row of this kind carries in a report of this kind (annual ones only in annual reports, periodic
 * ones only in monthly and quarterly reports), in column order, labelled for that kind.
 */
export function figuresOf(rows: RowKind, annual: boolean): readonly FigureDef[] {
  return FIGURES.filter((f: FigureDef) => f.rows.includes(rows) && carries(f, annual)).map((f) => labelled(f, annual));
}

/** The figures shown as table columns (terminal, CSV, sheets). */
export function columnFigures(rows: RowKind, annual: boolean): readonly FigureDef[] {
  return figuresOf(rows, annual).filter((f) => f.column !== false);
}

/**
 * Consecutive figures of one terminal group (terminalGroup, else group) form a run: one terminal column; a
 * figure outside any group is a run of its own.
 */
export function runsOf(figures: readonly FigureDef[]): { group?: GroupId; figures: FigureDef[] }[] {
  const runs: { group?: GroupId; figures: FigureDef[] }[] = [];
  for (const f of figures) {
    const last = runs.at(-1);
    const group = f.terminalGroup ?? f.group;
    if (group && last?.group === group) last.figures.push(f);
    else runs.push({ group, figures: [f] });
  }
  return runs;
}
