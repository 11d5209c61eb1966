/**
 * The annual 通报 ranking of districts and banks. The scoring is stated in RANKING_RULES (shown in the
 * 说明 sheet): each part compares a unit with the best unit of the year, so scores sum to at most 100.
 * Parts are computed from counts and exact amounts (the capacity in force at the year's end, the ratings
 * behind the satisfaction rate) and added unrounded; only the shown parts and the total are rounded.
 */
import type { FigureSet, RowColumns } from './figures.js';
import { FEEDBACK_DUE_DAY } from '../core/index.js';

export interface RankRow {
  rank: number;
  name: string;
  kind: 'district' | 'bank';
  score: number;
  parts: Record<string, number>;
}

export const RANKING_RULES: [string, string][] = [
  ['区域通报得分（满分 100）', '放款金额 40 分 + 服务事项处理总量 20 分 + 名单在库率 15 分 + 服务满意率 15 分 + 月度反馈 10 分'],
  ['放款金额（40）', '本区年内放款金额 ÷ 各区最高值 × 40；各区都为 0 时记 0'],
  ['服务事项处理总量（20）', '本区年内服务事项处理总量 ÷ 各区最高值 × 20'],
  ['名单在库率（15）', '年末在库企业数 ÷ 年末有效的名单容量 × 15（最多 15）'],
  ['服务满意率（15）', '（满意 + 基本满意）÷ 满意度评价户数 × 15；没有评价时记 0'],
  ['月度反馈（10）', `年内在报送截止日（次月 ${FEEDBACK_DUE_DAY} 日）及以前报送了月度反馈的月数 ÷ 12 × 10`],
  ['银行通报得分（满分 100）', '放款金额 40 分 + 放款户数 20 分 + 首贷户数 15 分 + 服务满意率 15 分 + 月度反馈 10 分（各项按各行最高值折算，方法同上）'],
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

const round2 = (x: number) => Math.round(x * 100) / 100;
const share = (v: number, max: number, weight: number) => (max > 0 ? (v / max) * weight : 0);
const ratingShare = (c: RowColumns) => ((c.ratings ?? 0) > 0 ? ((c.good ?? 0) / c.ratings!) * 15 : 0);
const PINYIN = new Intl.Collator('zh-Hans-CN-u-co-pinyin');

/**
 * Rounded total of the unrounded parts. Units with the same total at the published precision (two decimals)
 * share a rank and the next rank skips (1, 2, 2, 4); among them the name in pinyin order decides only the order
 * of display.
 */
function ranked(rows: { name: string; kind: RankRow['kind']; parts: Record<string, number> }[]): RankRow[] {
  const scored = rows.map((r) => ({ ...r, score: round2(Object.values(r.parts).reduce((a, b) => a + b, 0)) }));
  const sorted = scored.sort((a, b) => b.score - a.score || PINYIN.compare(a.name, b.name));
  let rank = 0;
  return sorted.map(({ parts, ...r }, i) => {
    if (i === 0 || r.score !== sorted[i - 1]!.score) rank = i + 1;
    return { ...r, parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round2(v)])), rank };
  });
}

export function rankDistricts({ figures: f, columns }: FigureSet): RankRow[] {
  const maxLoan = Math.max(0, ...f.districts.map((d) => d.loan_amount));
  const maxService = Math.max(0, ...f.districts.map((d) => d.service_items ?? 0));
  return ranked(
    f.districts.map((d, i) => {
      const c = columns.districts[i]!;
      const parts = {
        loan_amount: share(d.loan_amount, maxLoan, 40),
        service_items: share(d.service_items ?? 0, maxService, 20),
        pool_filled: Math.min(1, d.active / Math.max(1, c.capacity ?? 0)) * 15,
        satisfaction: ratingShare(c),
        feedback: (d.feedback_months / 12) * 10,
      };
      return { name: d.district, kind: 'district' as const, parts };
    }),
  );
}

export function rankBanks({ figures: f, columns }: FigureSet): RankRow[] {
  const max = (k: 'loan_amount' | 'loan_firms' | 'first_loan_firms') => Math.max(0, ...f.banks.map((b) => b[k]));
  const [ml, mf, m1] = [max('loan_amount'), max('loan_firms'), max('first_loan_firms')];
  return ranked(
    f.banks.map((b, i) => {
      const parts = {
        loan_amount: share(b.loan_amount, ml, 40),
        loan_firms: share(b.loan_firms, mf, 20),
        first_loan_firms: share(b.first_loan_firms, m1, 15),
        satisfaction: ratingShare(columns.banks[i]!),
        feedback: (b.feedback_months / 12) * 10,
      };
      return { name: b.bank, kind: 'bank' as const, parts };
    }),
  );
}
