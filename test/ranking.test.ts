/**
 * The 通报 ranking from given figures: parts computed unrounded from counts and the capacity in force at the
 * year's end, the total rounded once; equal totals at two decimals share a rank (1, 2, 2, 4), the name in pinyin
 * order deciding only the order they are shown in.
 */
import { describe, expect, it } from 'vitest';
import type { FigureSet } from '../src/domain/reporting/figures.js';
import { rankBanks, rankDistricts } from '../src/domain/reporting/ranking.js';

type Row = { name: string; loan: number; service: number; active: number; capacity: number; good: number; ratings: number; months: number };

function districts(rows: Row[]): FigureSet {
  return {
    figures: {
      districts: rows.map((r) => ({ district: r.name, loan_amount: r.loan, service_items: r.service, active: r.active, feedback_months: r.months })),
      banks: [],
    },
    // the list and capacity as they stood at each of the 12 month-ends
    columns: { districts: rows.map((r) => ({ pool_active: r.active * 12, pool_capacity: r.capacity * 12, good: r.good, ratings: r.ratings, owed_months: 12, feedback_months: r.months })), banks: [] },
  } as unknown as FigureSet;
}

/** Nothing done; one rating, not good (so that the satisfaction part applies and scores 0). */
const none = { loan: 0, service: 0, active: 0, capacity: 10, good: 0, ratings: 1, months: 0 };

describe('rankDistricts', () => {
  it('adds the unrounded parts and rounds the total once', () => {
    // 40 × 2/3 = 26.6667, 20 × 1/3 = 6.6667, 15 × 4/9 = 6.6667: the shown parts add up to 40.01, the score is 40
    const [top] = rankDistricts(districts([
      { ...none, name: '华容区', loan: 2, service: 1, active: 4, capacity: 9 },
      { ...none, name: '鄂城区', loan: 3, service: 3, active: 0 },
    ])).filter((r) => r.name === '华容区');
    expect(top).toMatchObject({ score: 40, parts: { loan_amount: 26.67, service_items: 6.67, pool_filled: 6.67, satisfaction: 0, feedback: 0 } });
  });

  it('uses the satisfaction counts, not the rounded rate, and the capacity it is given', () => {
    // 1 good of 3000: 15 / 3000 = 0.005 → 0.01 (the rate rounded to 0.0003 would give 0.0045 → 0);
    // 3 in a list of capacity 2: at most 15
    const rows = rankDistricts(districts([{ ...none, name: '华容区', good: 1, ratings: 3000, active: 3, capacity: 2, months: 12 }]));
    expect(rows[0]).toMatchObject({ score: 25.01, parts: { satisfaction: 0.01, pool_filled: 15, feedback: 10 } });
  });

  it('gives equal scores at the published precision one rank, the next rank skipping; pinyin orders the display only', () => {
    const base = { ...none, loan: 2, service: 1, active: 4, capacity: 9 }; // 40 exactly, as above
    const rows = rankDistricts(districts([
      { ...none, name: '梁子湖区', loan: 3, service: 3 }, // 40 + 20 = 60
      { ...base, name: '临空经济区' },
      { ...base, name: '葛店经济技术开发区', good: 1, ratings: 3750 }, // + 15 / 3750 = 0.004: 40.004, still 40.00
      { ...base, name: '鄂城区' },
      { ...base, name: '华容区' },
    ]));
    // 40.004 is published as 40.00: it ties with the others (an unpublished decimal decides nothing)
    expect(rows.map((r) => [r.rank, r.name, r.score])).toEqual([
      [1, '梁子湖区', 60],
      [2, '鄂城区', 40], // è
      [2, '葛店经济技术开发区', 40], // gé
      [2, '华容区', 40], // huá
      [2, '临空经济区', 40], // lín
    ]);
    // a unit after a tie takes the rank its position gives: 1, 2, 2, 4
    const four = rankDistricts(districts([
      { ...none, name: '梁子湖区', loan: 3, service: 3 },
      { ...base, name: '华容区' },
      { ...base, name: '鄂城区' },
      { ...none, name: '临空经济区', months: 12 }, // 10
    ]));
    expect(four.map((r) => [r.rank, r.name, r.score])).toEqual([[1, '梁子湖区', 60], [2, '鄂城区', 40], [2, '华容区', 40], [4, '临空经济区', 10]]);
  });
});

describe('parts that do not apply', () => {
  it('a district without a rating shows 无评价 (null) and its other parts are scaled to 100', () => {
    // 40 + 20 + 15 + 10 = 85 of the 85 points that apply: 100, not 85
    const [top] = rankDistricts(districts([{ ...none, name: '华容区', loan: 1, service: 1, active: 10, ratings: 0, months: 12 }]));
    expect(top).toMatchObject({ score: 100, parts: { loan_amount: 40, service_items: 20, pool_filled: 15, satisfaction: null, feedback: 10 } });
  });

  it('a bank’s feedback part divides by the months it owed: on time in 4 of 7 is 5.71, not 4/12 × 10 = 3.33', () => {
    const set = {
      figures: { districts: [], banks: [{ bank: '湖北银行鄂州分行', loan_amount: 10, loan_firms: 1, first_loan_firms: 1, feedback_months: 4 }] },
      columns: { districts: [], banks: [{ ratings: 2, good: 2, owed_months: 7, feedback_months: 4 }] },
    } as unknown as FigureSet;
    expect(rankBanks(set)[0]).toMatchObject({ rank: 1, score: 95.71, parts: { loan_amount: 40, loan_firms: 20, first_loan_firms: 15, satisfaction: 15, feedback: 5.71 } });
  });
});

describe('rankBanks', () => {
  it('ranks banks the same way: all-zero banks share rank 2, shown in pinyin order; a bank with nothing to score is not ranked', () => {
    const set = {
      figures: {
        districts: [],
        banks: ['中国建设银行鄂州分行', '鄂州农村商业银行', '中国工商银行鄂州分行', '湖北银行鄂州分行'].map((bank, i) => ({
          bank, loan_amount: i === 3 ? 10 : 0, loan_firms: i === 3 ? 1 : 0, first_loan_firms: 0, feedback_months: 0,
        })),
      },
      // 建行 and 工行 owed one month of feedback and missed it; 农商行 owed nothing
      columns: { districts: [], banks: [{ owed_months: 1 }, {}, { owed_months: 1 }, {}] },
    } as unknown as FigureSet;
    // 湖北银行 has no rating and owes no feedback: those parts do not apply, 40 + 20 of 75 points → 80; 农商行
    // owes nothing, has no rating and no loan: not ranked (no rank, no score), after the ranked ones
    expect(rankBanks(set).map((r) => [r.rank, r.name, r.score])).toEqual([
      [1, '湖北银行鄂州分行', 80],
      [2, '中国工商银行鄂州分行', 0],
      [2, '中国建设银行鄂州分行', 0],
      [null, '鄂州农村商业银行', null],
    ]);
    expect(rankBanks(set)[3]!.reason).toContain('无需报送月度反馈');
  });
});
