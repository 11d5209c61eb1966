/**
 * The annual 通报 ranking of districts and banks. The scoring is stated in RANKING_RULES (shown in the
 * 说明 sheet): each part compares a unit with the best unit of the year, so scores sum to at most 100.
 * Parts are computed from counts and exact amounts (the list and its capacity at the 12 month-ends, the ratings
 * behind the satisfaction rate, the months of feedback owed) and added unrounded; a part that does not apply
 * (no rating, no feedback owed) is left out and the others scaled to 100; only the shown parts and the total are
 * rounded. A unit with nothing to score in the year (NOT_RANKED) is listed after the ranked ones without a rank
 * or a score.
 */
import type { FigureSet, RowColumns } from './figures.js';
import { FEEDBACK_DUE_DAY } from '../core/index.js';

export interface RankRow {
  /** null: the unit is not ranked (`reason` says why). */
  rank: number | null;
  name: string;
  kind: 'district' | 'bank';
  /** null: not ranked, not a score of 0. */
  score: number | null;
  /** Why the unit is not ranked (only then). */
  reason?: string;
  /** Each part's points; null where the part does not apply to the unit (no rating, no feedback owed). */
  parts: Record<string, number | null>;
}

export const RANKING_RULES: [string, string][] = [
  ['区域通报得分（满分 100）', '放款金额 40 分 + 服务事项处理总量 20 分 + 名单在库率 15 分 + 服务满意率 15 分 + 月度反馈 10 分'],
  ['放款金额（40）', '本区年内放款金额 ÷ 各区最高值 × 40；各区都为 0 时记 0'],
  ['服务事项处理总量（20）', '本区年内服务事项处理总量 ÷ 各区最高值 × 20'],
  ['名单在库率（15）', '全年 12 个月末（工程开始日所在月以前的月末不计）在库企业数之和 ÷ 这些月末有效的名单容量之和 × 15（即平均在库数 ÷ 平均容量，最多 15）；年内某一天的容量调整或办结只影响它所在月份以后的月末，不改变全年'],
  ['服务满意率（15）', '（满意 + 基本满意）÷ 满意度评价户数 × 15；年内没有评价的为“无评价”，不计此项（见“不适用的分项”）'],
  ['月度反馈（10）', `年内应报送的月份中，在报送截止日（次月 ${FEEDBACK_DUE_DAY} 日）及以前报送了月度反馈的月数 ÷ 应报送的月数 × 10；区域自工程开始日所在月起每月都应报送，银行在至少有一天主办企业的月份应报送；年内无需报送的为“无需报送”，不计此项`],
  ['银行通报得分（满分 100）', '放款金额 40 分 + 放款户数 20 分 + 首贷户数 15 分 + 服务满意率 15 分 + 月度反馈 10 分（各项按各行最高值折算，方法同上）'],
  ['不适用的分项', '某单位没有满意度评价（无评价）或年内无需报送月度反馈（无需报送）时，该分项不计分也不扣分：总分 = 其余各分项得分之和 × 100 ÷ 其余各分项满分之和（如无评价的区域，总分 = 其余四项之和 × 100 ÷ 85）'],
  ['不参加排名', '年内无需报送月度反馈、没有满意度评价，且没有任何可计分的业务（区域：没有放款、服务事项和名单容量；银行：没有放款）的单位，列为“不参加排名”，没有名次和得分（不是 0 分），列在参加排名的单位之后'],
  ['排名', '总分是各分项未经舍入的值之和，再保留两位小数（因此显示的分项之和与总分可能相差 0.01）；按总分从高到低排名，保留两位小数后总分相同的并列同一名次，其后的名次顺延（如 1、2、2、4）；并列的按名称的拼音顺序排列，拼音顺序只决定显示的先后，不影响名次'],
];

/** The name of each part of a score, for the ranking sheets. */
export const PART_LABEL: Record<string, string> = {
  loan_amount: '放款金额分',
  service_items: '服务事项分',
  pool_filled: '名单在库率分',
  satisfaction: '满意率分',
  feedback: '月度反馈分',
  loan_firms: '放款户数分',
  first_loan_firms: '首贷户数分',
};

/** How a unit with nothing to score in the year is shown. */
export const NOT_RANKED = '不参加排名';
/** Why: it owes nothing in the year. */
const NOT_RANKED_REASON = '年内无需报送月度反馈、没有满意度评价，也没有可计分的业务';

const round2 = (x: number) => Math.round(x * 100) / 100;
const share = (v: number, max: number, weight: number) => (max > 0 ? (v / max) * weight : 0);
/** null: no rating, the part does not apply. */
const ratingShare = (c: RowColumns) => ((c.ratings ?? 0) > 0 ? ((c.good ?? 0) / c.ratings!) * 15 : null);
/** null: no feedback owed in the year, the part does not apply. */
const feedbackShare = (c: RowColumns) => ((c.owed_months ?? 0) > 0 ? ((c.feedback_months ?? 0) / c.owed_months!) * 10 : null);
/** Each part's full points. */
const WEIGHT: Record<string, number> = { loan_amount: 40, service_items: 20, pool_filled: 15, satisfaction: 15, feedback: 10, loan_firms: 20, first_loan_firms: 15 };
const PINYIN = new Intl.Collator('zh-Hans-CN-u-co-pinyin');

/**
 * Rounded total of the unrounded parts. Units with the same total at the published precision (two decimals)
 * share a rank and the next rank skips (1, 2, 2, 4); among them the name in pinyin order decides only the order
 * of display.
 */
function ranked(all: { name: string; kind: RankRow['kind']; parts: Record<string, number | null>; scorable: boolean }[]): RankRow[] {
  const rows = all.filter((r) => r.scorable);
  // parts that do not apply (null) are left out and the others scaled to 100
  const scoreOf = (parts: Record<string, number | null>) => {
    const applied = Object.entries(parts).filter((e): e is [string, number] => e[1] !== null);
    const full = applied.reduce((a, [k]) => a + WEIGHT[k]!, 0);
    return full === 0 ? 0 : (applied.reduce((a, [, v]) => a + v, 0) * 100) / full;
  };
  const scored = rows.map((r) => ({ ...r, score: round2(scoreOf(r.parts)) }));
  const sorted = scored.sort((a, b) => b.score - a.score || PINYIN.compare(a.name, b.name));
  let rank = 0;
  const shown = (parts: Record<string, number | null>) => Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v === null ? null : round2(v)]));
  const out: RankRow[] = sorted.map(({ parts, scorable: _, ...r }, i) => {
    if (i === 0 || r.score !== sorted[i - 1]!.score) rank = i + 1;
    return { ...r, parts: shown(parts), rank };
  });
  const left = all.filter((r) => !r.scorable).sort((a, b) => PINYIN.compare(a.name, b.name));
  return [...out, ...left.map(({ name, kind, parts }) => ({ rank: null, name, kind, score: null, reason: NOT_RANKED_REASON, parts: shown(parts) }))];
}

/** Whether a unit has anything to score: feedback owed, a rating, or any of `counts` above 0. */
const scorable = (c: RowColumns, counts: (number | null | undefined)[]) => (c.owed_months ?? 0) > 0 || (c.ratings ?? 0) > 0 || counts.some((v) => (v ?? 0) > 0);

export function rankDistricts({ figures: f, columns }: FigureSet): RankRow[] {
  const maxLoan = Math.max(0, ...f.districts.map((d) => d.loan_amount));
  const maxService = Math.max(0, ...f.districts.map((d) => d.service_items ?? 0));
  return ranked(
    f.districts.map((d, i) => {
      const c = columns.districts[i]!;
      const parts = {
        loan_amount: share(d.loan_amount, maxLoan, 40),
        service_items: share(d.service_items ?? 0, maxService, 20),
        pool_filled: Math.min(1, (c.pool_active ?? 0) / Math.max(1, c.pool_capacity ?? 0)) * 15,
        satisfaction: ratingShare(c),
        feedback: feedbackShare(c),
      };
      return { name: d.district, kind: 'district' as const, parts, scorable: scorable(c, [d.loan_amount, d.service_items, c.pool_capacity, c.pool_active]) };
    }),
  );
}

export function rankBanks({ figures: f, columns }: FigureSet): RankRow[] {
  const max = (k: 'loan_amount' | 'loan_firms' | 'first_loan_firms') => Math.max(0, ...f.banks.map((b) => b[k]));
  const [ml, mf, m1] = [max('loan_amount'), max('loan_firms'), max('first_loan_firms')];
  return ranked(
    f.banks.map((b, i) => {
      const c = columns.banks[i]!;
      const parts = {
        loan_amount: share(b.loan_amount, ml, 40),
        loan_firms: share(b.loan_firms, mf, 20),
        first_loan_firms: share(b.first_loan_firms, m1, 15),
        satisfaction: ratingShare(c),
        feedback: feedbackShare(c),
      };
      return { name: b.bank, kind: 'bank' as const, parts, scorable: scorable(c, [b.loan_amount, b.loan_firms, b.first_loan_firms]) };
    }),
  );
}
