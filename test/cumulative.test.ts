/**
 * 本期 and the cumulative figures (docs/figures.md, 本期与累计): monthly and quarterly reports show 本年累计 (from
 * 1 January to the period's end), annual reports 开展以来累计 (from the programme's start to the year's end); a
 * firm counts once over the whole span, amounts add up.
 *
 * Hand-computed scenario (entries on their own day), amounts in 万元:
 *   A (华容区)  lead 工行 from 2024-01-20;  授信 100 2024-02-05;  放款 10 (首贷) 2024-02-10;  放款 20 2024-05-15
 *   B (鄂城区)  lead 农行 from 2024-01-20;  放款 5 (首贷) 2024-12-20;  授信 30 2025-01-10;  放款 7 2025-01-15
 * Both recommended on 2024-01-05; nothing else is lent.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, dayOf } from './cases.js';
import { initialised, ok, type Sandbox } from './helpers.js';

const TODAY = '2025-03-15';
const [A, B] = [code(901), code(902)] as [string, string];
const [ICBC, ABC] = ['中国工商银行鄂州分行', '中国农业银行鄂州分行'];
const DATES = { recommended: '2024-01-05', declared: '2024-01-08', verified: '2024-01-10', confirmed: '2024-01-15', assigned: '2024-01-20' };

type Row = Record<string, unknown>;
type Doc = { districts: Row[]; total: Row; banks: Row[]; banks_unassigned: Row; banks_other: Row; banks_total: Row };

let sb: Sandbox;
const run = (args: string[]) => ok(sb, args, { today: dayOf(args) ?? TODAY });
const report = async (kind: string, period: string): Promise<Doc> => (await run(['report', kind, '--period', period, '--json'])).json();
const district = (d: Doc, name: string) => d.districts.find((r) => r.district === name)!;
const bank = (d: Doc, name: string) => d.banks.find((r) => r.bank === name)!;
/** Every row of a report: the districts, their 合计, the banks, 未确定主办行, 其他单位承办 and the banks' 合计. */
const rows = (d: Doc) => [...d.districts, d.total, ...d.banks, d.banks_unassigned, d.banks_other, d.banks_total];
const FLOWS = ['credit_firms', 'credit_amount', 'loan_firms', 'loan_amount', 'first_loan_firms'];

beforeAll(async () => {
  sb = await initialised();
  await caseAt(sb, 'assigned', A, { on: DATES });
  await caseAt(sb, 'assigned', B, { on: DATES, district: '鄂城区', bank: '农行' });
  await run(['loan', A, '--kind', 'credit', '--amount', '100', '--date', '2024-02-05']);
  await run(['loan', A, '--kind', 'disbursement', '--amount', '10', '--first-loan', '--date', '2024-02-10']);
  await run(['loan', A, '--kind', 'disbursement', '--amount', '20', '--date', '2024-05-15']);
  await run(['loan', B, '--kind', 'disbursement', '--amount', '5', '--first-loan', '--date', '2024-12-20']);
  await run(['loan', B, '--kind', 'credit', '--amount', '30', '--date', '2025-01-10']);
  await run(['loan', B, '--kind', 'disbursement', '--amount', '7', '--date', '2025-01-15']);
}, 120_000);
afterAll(() => sb?.cleanup());

describe('本年累计 in monthly and quarterly reports', () => {
  it('May 2024: A, lent in February and in May, is one firm of 本年累计 (not 1 + 1), its amounts 10 + 20', async () => {
    const may = await report('monthly', '2024-05');
    const hr = district(may, '华容区');
    expect(hr).toMatchObject({ loan_firms: 1, loan_amount: 20, first_loan_firms: 0, credit_firms: 0 });
    expect(hr).toMatchObject({ loan_firms_ytd: 1, loan_amount_ytd: 30, first_loan_firms_ytd: 1, credit_firms_ytd: 1, credit_amount_ytd: 100, recommended_ytd: 1 });
    // the months' 放款户数 add up to 2: 本年累计 is not their sum
    const months = await Promise.all(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'].map((m) => report('monthly', m)));
    expect(months.reduce((s, m) => s + Number(district(m, '华容区').loan_firms), 0)).toBe(2);
    // the bank that led A on both days, and the 合计 rows
    expect(bank(may, ICBC)).toMatchObject({ loan_firms_ytd: 1, loan_amount_ytd: 30, credit_amount_ytd: 100, first_loan_firms_ytd: 1 });
    expect(may.total).toMatchObject({ loan_firms_ytd: 1, loan_amount_ytd: 30, recommended_ytd: 2 });
    expect(may.banks_total).toMatchObject({ loan_firms_ytd: 1, loan_amount_ytd: 30 });
    // a monthly report carries no 开展以来累计, and no key of the former since-start meaning
    expect(Object.keys(may.total).filter((k) => k.endsWith('_since_start') || k.endsWith('_total'))).toEqual([]);
  });

  it('a January report\'s 本年累计 equals its 本期: the year begins again (B\'s December loan is not in it)', async () => {
    for (const jan of [await report('monthly', '2025-01'), await report('quarterly', '2025Q1')]) {
      for (const r of rows(jan)) for (const k of FLOWS) expect(r[`${k}_ytd`], `${String(r.district ?? r.bank)} ${k}`).toBe(r[k]);
      expect(district(jan, '鄂城区')).toMatchObject({ loan_firms_ytd: 1, loan_amount_ytd: 7, credit_amount_ytd: 30, first_loan_firms_ytd: 0, recommended_ytd: 0 });
    }
  });

  it('December\'s and the fourth quarter\'s 本年累计 equal the annual report\'s 本年, for every district, bank and 合计', async () => {
    const year = await report('annual', '2024');
    for (const cumulative of [await report('monthly', '2024-12'), await report('quarterly', '2024Q4')]) {
      const [a, y] = [rows(cumulative), rows(year)];
      expect(a).toHaveLength(y.length);
      for (const [i, r] of y.entries()) {
        for (const k of [...FLOWS, 'recommended']) if (k in r) expect(a[i]![`${k}_ytd`], `${String(r.district ?? r.bank)} ${k}`).toBe(r[k]);
      }
    }
    // by hand: 华容区 A (10 + 20), 鄂城区 B (5), for 工行 and 农行
    expect(district(year, '华容区')).toMatchObject({ loan_firms: 1, loan_amount: 30, credit_amount: 100, first_loan_firms: 1 });
    expect(district(year, '鄂城区')).toMatchObject({ loan_firms: 1, loan_amount: 5, first_loan_firms: 1 });
    expect(bank(year, ABC)).toMatchObject({ loan_firms: 1, loan_amount: 5 });
    expect(year.total).toMatchObject({ loan_firms: 2, loan_amount: 35, credit_amount: 100, first_loan_firms: 2 });
  });
});

describe('开展以来累计 in annual reports', () => {
  it('2025: from the programme\'s start across years (2024 and 2025), next to 本年', async () => {
    const y = await report('annual', '2025');
    // 本年 2025: B's 7 and 30 only; 开展以来累计: A's 2024 loans too, B counted once for its loans of both years
    expect(district(y, '华容区')).toMatchObject({ loan_firms: 0, loan_amount: 0, loan_firms_since_start: 1, loan_amount_since_start: 30, credit_amount_since_start: 100, first_loan_firms_since_start: 1 });
    expect(district(y, '鄂城区')).toMatchObject({ loan_firms: 1, loan_amount: 7, loan_firms_since_start: 1, loan_amount_since_start: 12, credit_firms_since_start: 1, credit_amount_since_start: 30, first_loan_firms_since_start: 1 });
    expect(y.total).toMatchObject({ recommended: 0, recommended_since_start: 2, loan_firms_since_start: 2, loan_amount_since_start: 42, first_loan_firms_since_start: 2 });
    expect(bank(y, ICBC)).toMatchObject({ loan_firms_since_start: 1, loan_amount_since_start: 30 });
    expect(bank(y, ABC)).toMatchObject({ loan_firms_since_start: 1, loan_amount_since_start: 12 });
    expect(Object.keys(y.total).filter((k) => k.endsWith('_ytd') || k.endsWith('_total'))).toEqual([]);
    // the bank rows, 未确定主办行 and 其他单位承办 add up to the districts for every cumulative figure
    for (const k of [...FLOWS.map((f) => `${f}_since_start`)]) {
      const banks = [...y.banks, y.banks_unassigned, y.banks_other].reduce((s, r) => s + Math.round(Number(r[k]) * 100), 0);
      expect(banks, k).toBe(Math.round(Number(y.total[k]) * 100));
    }
  });
});

describe('the labels say which cumulation (end to end)', () => {
  /** A header or label with its 本年累计 and 开展以来累计 taken out must not say 累计. */
  const bare = (text: string) => text.replace(/本年累计|开展以来累计/g, '').includes('累计');

  it('the terminal and the CSV of a monthly report: 本期 / 本年累计', async () => {
    const terminal = (await run(['report', 'monthly', '--period', '2024-05'])).stdout;
    expect(terminal).toContain('推荐 本期/本年累计');
    expect(terminal).toContain('本年累计放款');
    expect(terminal).toContain('30.00');
    expect(bare(terminal)).toBe(false);
    await run(['report', 'monthly', '--period', '2024-05', '--out', sb.path('m.csv')]);
    const [districts, banks] = readFileSync(sb.path('m.csv'), 'utf8').split('\r\n\r\n').map((b) => b.split('\r\n'));
    expect(districts![1]).toContain('推荐企业数（本期）,推荐企业数（本年累计）');
    expect(districts![1]).toContain('放款户数（本期）,放款户数（本年累计）,放款金额（本期，万元）,放款金额（本年累计，万元）,首贷户数（本期）,首贷户数（本年累计）');
    expect(banks![1]).toContain('放款户数（本年累计）');
    expect(bare(districts![1]!) || bare(banks![1]!)).toBe(false);
    // 华容区: 放款 1 户 / 1 户, 20.00 / 30.00
    expect(districts!.find((l) => l.startsWith('华容区,'))).toContain(',1,1,20.00,30.00,0,1,');
  });

  it('the terminal and the CSV of an annual report: 本年 / 开展以来累计', async () => {
    const terminal = (await run(['report', 'annual', '--period', '2025'])).stdout;
    expect(terminal).toContain('推荐 本年/开展以来累计');
    expect(terminal).toContain('开展以来累计放款');
    expect(terminal).not.toContain('本期');
    expect(bare(terminal)).toBe(false);
    await run(['report', 'annual', '--period', '2025', '--out', sb.path('y.csv')]);
    const header = readFileSync(sb.path('y.csv'), 'utf8').split('\r\n')[1]!;
    expect(header).toContain('推荐企业数（本年）,推荐企业数（开展以来累计）');
    expect(header).toContain('放款金额（本年，万元）,放款金额（开展以来累计，万元）');
    expect(header).not.toContain('本期');
    expect(bare(header)).toBe(false);
  });
});
