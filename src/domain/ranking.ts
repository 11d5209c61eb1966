/**
 * The annual 通报 ranking of districts and banks. The scoring is stated in RANKING_RULES (shown in the
 * 说明 sheet): each part compares a unit with the best unit of the year, so scores sum to at most 100.
 */
import type { BankFigures, DistrictFigures, Figures } from './figures.js';

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
  ['名单在库率（15）', '年末在库企业数 ÷ 名单容量 × 15（最多 15）'],
  ['服务满意率（15）', '服务满意率 × 15；没有评价时记 0'],
  ['月度反馈（10）', '年内已报送月度反馈的月数 ÷ 12 × 10'],
  ['银行通报得分（满分 100）', '放款金额 40 分 + 放款户数 20 分 + 首贷户数 15 分 + 服务满意率 15 分 + 月度反馈 10 分（各项按各行最高值折算，方法同上）'],
  ['排名', '按得分从高到低；得分相同按名称排序。各分项和总分保留两位小数'],
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

function ranked(rows: Omit<RankRow, 'rank'>[]): RankRow[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh'));
  return sorted.map((r, i) => ({ ...r, rank: i + 1 }));
}

export function rankDistricts(f: Figures, capacity: (code: string) => number): RankRow[] {
  const maxLoan = Math.max(0, ...f.districts.map((d) => d.loan_amount));
  const maxService = Math.max(0, ...f.districts.map((d) => d.service_items ?? 0));
  return ranked(
    f.districts.map((d: DistrictFigures) => {
      const parts = {
        loan_amount: round2(share(d.loan_amount, maxLoan, 40)),
        service_items: round2(share(d.service_items ?? 0, maxService, 20)),
        pool_filled: round2(Math.min(1, d.active / Math.max(1, capacity(d.code))) * 15),
        satisfaction: round2((d.satisfaction_rate ?? 0) * 15),
        feedback: round2((d.feedback_months / 12) * 10),
      };
      return { name: d.district, kind: 'district' as const, parts, score: round2(Object.values(parts).reduce((a, b) => a + b, 0)) };
    }),
  );
}

export function rankBanks(f: Figures): RankRow[] {
  const max = (k: 'loan_amount' | 'loan_firms' | 'first_loan_firms') => Math.max(0, ...f.banks.map((b) => b[k]));
  const [ml, mf, m1] = [max('loan_amount'), max('loan_firms'), max('first_loan_firms')];
  return ranked(
    f.banks.map((b: BankFigures) => {
      const parts = {
        loan_amount: round2(share(b.loan_amount, ml, 40)),
        loan_firms: round2(share(b.loan_firms, mf, 20)),
        first_loan_firms: round2(share(b.first_loan_firms, m1, 15)),
        satisfaction: round2((b.satisfaction_rate ?? 0) * 15),
        feedback: round2((b.feedback_months / 12) * 10),
      };
      return { name: b.bank, kind: 'bank' as const, parts, score: round2(Object.values(parts).reduce((a, c) => a + c, 0)) };
    }),
  );
}
