/**
 * The figure computation called directly (computeFigures over a history built through the CLI), and the parts
 * derived from the figure table: row keys, totals, columns, 说明. test/reports.test.ts covers the report
 * commands end to end; here every figure of every row is worked out by hand (definitions: docs/figures.md).
 *
 * Default capacity 10 everywhere; departments 经信 unless noted; amounts in 万元.
 * 华容区
 *   P  rec 03-01  decl 03-02  verified 融资 03-05  confirmed 03-10  工行 03-12  授信 100.10 03-15
 *      放款 0.10 (首贷) 03-31 (the last day of March)  bank → 建行 04-01 (the first day of April)  满意 06-01
 *      item X added 03-20 due 03-31 (not overdue on 03-31, overdue on 04-30), done 05-05
 *      item Y added 04-02 due 06-30, failed 04-25
 *   Q  rec 03-01  decl 03-02  verified 培植 03-06  confirmed 03-10  农行 03-12  closed 退出 03-31  不满意 04-02
 *   S  rec 03-20  decl 03-21  rejected 03-25
 *   R  rec 04-01 (the 4th of 经信 this year, --over-quota)
 * 鄂城区
 *   T  rec 03-05 (科技)  decl 03-06  verified 融资 03-08  confirmed 03-15  工行 03-16  授信 0.20 04-05
 *      放款 0.20 (首贷) 04-06  基本满意 06-02  closed 获得融资 06-30
 * Feedback (each before the 10th of the next month): 华容区 2024-03 and 2024-04; 鄂城区 2024-03; 工行 2024-03.
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { Directory } from '../src/domain/core/directory.js';
import { columnFigures, figuresOf, FIGURES, labelled, type BankFigures } from '../src/domain/reporting/figure-table.js';
import { computeFigures, totalFigures, type Figures } from '../src/domain/reporting/figures.js';
import { withUsccCheck } from '../src/domain/core/ids.js';
import { bankColumns, districtColumns, terminalColumns } from '../src/render/report.js';
import { figuresMarkdown } from '../src/render/figure-docs.js';
import { openStore, type Store } from '../src/store/db.js';
import { monthPeriod, quarterPeriod, yearPeriod } from '../src/util/dates.js';
import { dayOf } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { writeXlsx, type CellInput } from './sheets.js';

const TODAY = '2025-01-15';
const code = (n: number) => withUsccCheck(`91420703MA4R0001${n}`);
const [P, Q, S, R, T] = [1, 2, 3, 4, 5].map(code) as [string, string, string, string, string];
const nameOf = (c: string) => `鄂州${c.slice(-5)}科技有限公司`;
const [ICBC, ABC, CCB] = ['中国工商银行鄂州分行', '中国农业银行鄂州分行', '中国建设银行鄂州分行'];

let sb: Sandbox;
let store: Store;
let dir: Directory;
/** Each entry on the day of its event (--date, --meeting), everything else on TODAY. */
const run = async (...args: string[]) => runOn(dayOf(args) ?? TODAY, ...args);
const runOn = async (today: string, ...args: string[]) => {
  const r = await sb.run(args, { today });
  if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
  return r;
};
const VERIFY = ['--basic', '经营正常', '--causes', '缺少抵押物', '--advice', '信用方式授信', '--experts', '张三（工行）'];
const HEADER = ['提交答卷时间', '企业名称', '统一社会信用代码', '所属区域', '是否同意授权查询企业及法定代表人信用信息', '融资需求金额（万元）'];

beforeAll(async () => {
  sb = await initialised();
  const rec = (c: string, date: string, district = '华容区', dept = '经信', extra: string[] = []) =>
    run('recommend', '--code', c, '--name', nameOf(c), '--district', district, '--dept', dept, '--date', date, ...extra);
  await rec(P, '2024-03-01');
  await rec(Q, '2024-03-01');
  await rec(T, '2024-03-05', '鄂城区', '科技');
  await rec(S, '2024-03-20');
  await rec(R, '2024-04-01', '华容区', '经信', ['--over-quota', '省级专精特新企业']);
  const decl = (c: string, district: string, date: string): CellInput[] => [`${date} 09:00:00`, nameOf(c), c, district, '是', 100];
  await writeXlsx(sb.path('decl.xlsx'), { S: [HEADER, decl(P, '华容区', '2024-03-02'), decl(Q, '华容区', '2024-03-02'), decl(T, '鄂城区', '2024-03-06'), decl(S, '华容区', '2024-03-21')] });
  await runOn('2024-03-21', 'declare', 'import', sb.path('decl.xlsx'));
  await run('verify', P, '--class', 'financing', ...VERIFY, '--date', '2024-03-05');
  await run('verify', Q, '--class', 'cultivation', ...VERIFY, '--date', '2024-03-06');
  await run('verify', T, '--class', 'financing', ...VERIFY, '--date', '2024-03-08');
  await run('pool', 'confirm', '--district', '华容区', '--meeting', '2024-03-10', P, Q);
  await run('pool', 'confirm', '--district', '鄂城区', '--meeting', '2024-03-15', T);
  await run('assign', P, '--bank', '工行', '--date', '2024-03-12');
  await run('assign', Q, '--bank', '农行', '--date', '2024-03-12');
  await run('assign', T, '--bank', '工行', '--date', '2024-03-16');
  await run('loan', P, '--kind', 'credit', '--amount', '100.10', '--date', '2024-03-15');
  await run('coach', 'add', P, '--item', '补办环评手续', '--org', '华容区生态环境局', '--due', '2024-03-31', '--date', '2024-03-20');
  await run('verify', 'reject', S, '--reason', '经营异常', '--date', '2024-03-25');
  await run('loan', P, '--kind', 'disbursement', '--amount', '0.10', '--first-loan', '--date', '2024-03-31');
  await run('close', Q, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-03-31');
  await run('assign', P, '--bank', '建行', '--mode', 'designated', '--reason', '工行额度不足', '--date', '2024-04-01');
  await run('coach', 'add', P, '--item', '规范财务制度', '--org', '华容区财政局', '--due', '2024-06-30', '--date', '2024-04-02');
  await run('satisfaction', Q, '--rating', '不满意', '--date', '2024-04-02');
  await run('loan', T, '--kind', 'credit', '--amount', '0.20', '--date', '2024-04-05');
  await run('loan', T, '--kind', 'disbursement', '--amount', '0.20', '--first-loan', '--date', '2024-04-06');
  const items = (await run('coach', 'list', '--json')).json() as { id: number; item: string }[];
  const id = (item: string) => String(items.find((i) => i.item === item)!.id);
  await run('coach', 'fail', id('规范财务制度'), '--note', '制度尚未建立', '--date', '2024-04-25');
  await run('coach', 'done', id('补办环评手续'), '--date', '2024-05-05');
  await run('satisfaction', P, '--rating', '满意', '--date', '2024-06-01');
  await run('satisfaction', T, '--rating', '基本满意', '--date', '2024-06-02');
  await run('close', T, '--outcome', 'financed', '--date', '2024-06-30');
  const feedback = (from: string, month: string, date: string) => run('feedback', 'add', '--from', from, '--month', month, '--text', '工作情况', '--date', date);
  await feedback('华容区', '2024-03', '2024-04-03');
  await feedback('鄂城区', '2024-03', '2024-04-05');
  await feedback('工行', '2024-03', '2024-04-08');
  await feedback('华容区', '2024-04', '2024-05-06');
  store = await openStore(sb.db);
  dir = await Directory.load(store.db);
}, 120_000);
afterAll(async () => {
  await store?.close();
  sb.cleanup();
});

/** The cumulative figures of a row with nothing in them: 本年累计 (monthly, quarterly), 开展以来累计 (annual). */
const CUMULATIVE = ['credit_firms', 'credit_amount', 'loan_firms', 'loan_amount', 'first_loan_firms'];
const YTD_NONE = Object.fromEntries(CUMULATIVE.map((k) => [`${k}_ytd`, 0]));
const SINCE_NONE = Object.fromEntries(CUMULATIVE.map((k) => [`${k}_since_start`, 0]));
/** A district row of a monthly report with nothing in it (capacity 10). */
const EMPTY = {
  recommended: 0, recommendations: 0, recommended_ytd: 0, over_quota: 0, declared: 0, verified_financing: 0, verified_cultivation: 0, rejected: 0,
  confirmed: 0, active: 0, vacancies: 10, assigned: 0, credit_firms: 0, ...YTD_NONE, credit_amount: 0, loan_firms: 0, loan_amount: 0,
  first_loan_firms: 0, coaching_added: 0, coaching_done: 0, coaching_ended: 0, coaching_open: 0, coaching_overdue: 0,
  closed_financed: 0, closed_withdrawn: 0, feedback: false, feedback_owed: 1, feedback_months: 0,
};
/** The same in an annual report: 开展以来累计 instead of 本年累计. */
const EMPTY_YEAR = { ...Object.fromEntries(Object.entries(EMPTY).filter(([k]) => !k.endsWith('_ytd'))), recommended_since_start: 0, ...SINCE_NONE };
/** A bank row with nothing in it: it led no firm, so it owes no feedback (无需报送). */
const EMPTY_BANK = { active: 0, credit_firms: 0, credit_amount: 0, loan_firms: 0, loan_amount: 0, first_loan_firms: 0, ...YTD_NONE, coaching_done: 0, coaching_ended: 0, feedback: null, feedback_owed: 0, feedback_months: 0 };
const EMPTY_BANK_YEAR = { active: 0, credit_firms: 0, credit_amount: 0, loan_firms: 0, loan_amount: 0, first_loan_firms: 0, ...SINCE_NONE, coaching_done: 0, coaching_ended: 0, feedback: null, feedback_owed: 0, feedback_months: 0 };
const ANNUAL_NONE = { service_items: 0, ratings: 0, satisfaction_rate: null };
const OTHERS = [['梁子湖区', '420702'], ['葛店经济技术开发区', 'GDKFQ'], ['临空经济区', 'LKJJQ']];

const bank = (f: Figures, name: string) => f.banks.find((b) => b.bank === name);
const otherBanks = (f: Figures) => f.banks.filter((b) => ![ICBC, ABC, CCB].includes(b.bank));

describe('computeFigures, every figure by hand', () => {
  it('March 2024: events on the last day (放款, 办结) count in March; an item due on 03-31 is not yet overdue', async () => {
    const f = await computeFigures(store.db, dir, monthPeriod(2024, 3));
    expect(f).toMatchObject({ period: '2024-03', start: '2024-03-01', end: '2024-03-31' });
    expect(f.districts.map((d) => d.code)).toEqual(['420704', '420703', '420702', 'GDKFQ', 'LKJJQ']);
    expect(f.districts[1]).toEqual({
      district: '华容区', code: '420703',
      recommended: 3, recommendations: 3, recommended_ytd: 3, over_quota: 0, declared: 3, verified_financing: 1, verified_cultivation: 1, rejected: 1,
      confirmed: 2, active: 1, vacancies: 9, assigned: 2, credit_firms: 1, credit_amount: 100.1, loan_firms: 1, loan_amount: 0.1, first_loan_firms: 1,
      // nothing before March this year: 本年累计 = 本期
      credit_firms_ytd: 1, credit_amount_ytd: 100.1, loan_firms_ytd: 1, loan_amount_ytd: 0.1, first_loan_firms_ytd: 1,
      coaching_added: 1, coaching_done: 0, coaching_ended: 0, coaching_open: 1, coaching_overdue: 0,
      closed_financed: 0, closed_withdrawn: 1, feedback: true, feedback_owed: 1, feedback_months: 1,
    });
    expect(f.districts[0]).toEqual({
      ...EMPTY, district: '鄂城区', code: '420704',
      recommended: 1, recommendations: 1, recommended_ytd: 1, declared: 1, verified_financing: 1, confirmed: 1, active: 1, vacancies: 9, assigned: 1,
      feedback: true, feedback_months: 1,
    });
    for (const [i, [name, c]] of OTHERS.entries()) expect(f.districts[i + 2]).toEqual({ ...EMPTY, district: name, code: c });
    expect(f.total).toEqual({
      district: '合计',
      recommended: 4, recommendations: 4, recommended_ytd: 4, over_quota: 0, declared: 4, verified_financing: 2, verified_cultivation: 1, rejected: 1,
      confirmed: 3, active: 2, vacancies: 48, assigned: 3, credit_firms: 1, credit_amount: 100.1, loan_firms: 1, loan_amount: 0.1, first_loan_firms: 1,
      credit_firms_ytd: 1, credit_amount_ytd: 100.1, loan_firms_ytd: 1, loan_amount_ytd: 0.1, first_loan_firms_ytd: 1,
      coaching_added: 1, coaching_done: 0, coaching_ended: 0, coaching_open: 1, coaching_overdue: 0,
      closed_financed: 0, closed_withdrawn: 1, feedback: false, feedback_owed: 5, feedback_months: 2,
    });
    // lead bank on 03-31: P and T 工行 (P moves to 建行 only on 04-01), Q 农行 but closed that day
    expect(bank(f, ICBC)).toEqual({
      bank: ICBC, active: 2, credit_firms: 1, credit_amount: 100.1, loan_firms: 1, loan_amount: 0.1, first_loan_firms: 1, coaching_done: 0, coaching_ended: 0, feedback: true, feedback_owed: 1, feedback_months: 1,
      credit_firms_ytd: 1, credit_amount_ytd: 100.1, loan_firms_ytd: 1, loan_amount_ytd: 0.1, first_loan_firms_ytd: 1,
    });
    // 农行 led Q from 03-12 to its closing on 03-31: it owed March's feedback; 建行 led nobody in March
    expect(bank(f, ABC)).toEqual({ bank: ABC, ...EMPTY_BANK, feedback: false, feedback_owed: 1 });
    expect(bank(f, CCB)).toEqual({ bank: CCB, ...EMPTY_BANK });
    expect(otherBanks(f).map(({ bank: _, ...rest }) => rest)).toEqual(Array(6).fill(EMPTY_BANK));
  });

  it('April 2024: the next day on the other side — new bank, the 4th recommendation, the item now overdue, 0.1 + 0.2 exact', async () => {
    const f = await computeFigures(store.db, dir, monthPeriod(2024, 4));
    expect(f.districts[1]).toEqual({
      ...EMPTY, district: '华容区', code: '420703',
      // 本年累计 January–April: P, Q, S (March) and R (April); P's March 授信 and 放款, nothing new in April
      recommended: 1, recommendations: 1, recommended_ytd: 4, over_quota: 1, active: 1, vacancies: 9,
      credit_firms_ytd: 1, credit_amount_ytd: 100.1, loan_firms_ytd: 1, loan_amount_ytd: 0.1, first_loan_firms_ytd: 1,
      coaching_added: 1, coaching_done: 1, coaching_ended: 0, coaching_open: 1, coaching_overdue: 1, feedback: true, feedback_months: 1,
    });
    expect(f.districts[0]).toEqual({
      ...EMPTY, district: '鄂城区', code: '420704',
      recommended_ytd: 1, active: 1, vacancies: 9, credit_firms: 1, credit_amount: 0.2, loan_firms: 1, loan_amount: 0.2, first_loan_firms: 1,
      credit_firms_ytd: 1, credit_amount_ytd: 0.2, loan_firms_ytd: 1, loan_amount_ytd: 0.2, first_loan_firms_ytd: 1,
    });
    expect(f.total).toEqual({
      ...EMPTY, district: '合计',
      recommended: 1, recommendations: 1, recommended_ytd: 5, over_quota: 1, active: 2, vacancies: 48, credit_firms: 1, credit_amount: 0.2, loan_firms: 1, loan_amount: 0.2,
      first_loan_firms: 1, credit_firms_ytd: 2, credit_amount_ytd: 100.3, loan_firms_ytd: 2, loan_amount_ytd: 0.3, first_loan_firms_ytd: 2,
      coaching_added: 1, coaching_done: 1, coaching_ended: 0, coaching_open: 1, coaching_overdue: 1, feedback_owed: 5, feedback_months: 1,
    });
    // lead bank on 04-30: P 建行, T 工行; P's failed item Y was the 财政局's: in the 其他单位承办 row, not 建行's
    // both owe April (工行 leads T, 建行 P) and neither fed back; 农行's firm closed on 03-31: it owes nothing
    const owing = { feedback: false, feedback_owed: 1 };
    // 本年累计: P's March loans stay with 工行, which led P on their days, though 建行 leads P from 04-01
    expect(bank(f, ICBC)).toEqual({
      ...EMPTY_BANK, ...owing, bank: ICBC, active: 1, credit_firms: 1, credit_amount: 0.2, loan_firms: 1, loan_amount: 0.2, first_loan_firms: 1,
      credit_firms_ytd: 2, credit_amount_ytd: 100.3, loan_firms_ytd: 2, loan_amount_ytd: 0.3, first_loan_firms_ytd: 2,
    });
    expect(bank(f, CCB)).toEqual({ ...EMPTY_BANK, ...owing, bank: CCB, active: 1 });
    expect(f.banks_other).toEqual({ ...EMPTY_BANK, bank: '其他单位承办', coaching_done: 1 });
    expect(bank(f, ABC)).toEqual({ bank: ABC, ...EMPTY_BANK });
  });

  it('2024Q1: feedback needs every month owed in the quarter (a district all three, 工行 only March); counts run over the quarter', async () => {
    const f = await computeFigures(store.db, dir, quarterPeriod(2024, 1));
    expect(f.districts[1]).toMatchObject({ recommended: 3, declared: 3, confirmed: 2, feedback: false, feedback_months: 1 });
    expect(f.districts[1]).toMatchObject({ feedback_owed: 3 });
    expect(bank(f, ICBC)).toMatchObject({ feedback: true, feedback_owed: 1, feedback_months: 1 });
    expect(f.total).toMatchObject({ recommended: 4, feedback: false, feedback_months: 2 });
  });

  it('2024 annual: service items, ratings, and the total rate from counts (2 good of 3), not the mean of rates', async () => {
    const f = await computeFigures(store.db, dir, yearPeriod(2024), { annual: true });
    // 华容区: items X, Y closed; P financed in March (its 授信 and 放款: one unit); ratings P 满意, Q 不满意
    expect(f.districts[1]).toEqual({
      district: '华容区', code: '420703',
      recommended: 4, recommendations: 4, recommended_since_start: 4, over_quota: 1, declared: 3, verified_financing: 1, verified_cultivation: 1, rejected: 1,
      confirmed: 2, active: 1, vacancies: 9, assigned: 2, credit_firms: 1, credit_amount: 100.1, loan_firms: 1, loan_amount: 0.1, first_loan_firms: 1,
      // the programme began in this history's first year: 开展以来累计 = 本年
      credit_firms_since_start: 1, credit_amount_since_start: 100.1, loan_firms_since_start: 1, loan_amount_since_start: 0.1, first_loan_firms_since_start: 1,
      coaching_added: 2, coaching_done: 2, coaching_ended: 0, coaching_open: 0, coaching_overdue: 0,
      closed_financed: 0, closed_withdrawn: 1, feedback: false, feedback_owed: 12, feedback_months: 2, service_items: 3, rating_events: 2, ratings: 2, satisfaction_rate: 0.5,
    });
    expect(f.districts[0]).toEqual({
      ...EMPTY_YEAR, district: '鄂城区', code: '420704',
      recommended: 1, recommendations: 1, recommended_since_start: 1, declared: 1, verified_financing: 1, confirmed: 1, active: 0, vacancies: 10, assigned: 1,
      credit_firms: 1, credit_amount: 0.2, loan_firms: 1, loan_amount: 0.2, first_loan_firms: 1, closed_financed: 1,
      credit_firms_since_start: 1, credit_amount_since_start: 0.2, loan_firms_since_start: 1, loan_amount_since_start: 0.2, first_loan_firms_since_start: 1,
      feedback_owed: 12, feedback_months: 1, service_items: 1, rating_events: 1, ratings: 1, satisfaction_rate: 1,
    });
    for (const [i, [name, c]] of OTHERS.entries()) expect(f.districts[i + 2]).toEqual({ ...EMPTY_YEAR, ...ANNUAL_NONE, rating_events: 0, feedback_owed: 12, district: name, code: c });
    expect(f.total).toEqual({
      district: '合计',
      recommended: 5, recommendations: 5, recommended_since_start: 5, over_quota: 1, declared: 4, verified_financing: 2, verified_cultivation: 1, rejected: 1,
      confirmed: 3, active: 1, vacancies: 49, assigned: 3, credit_firms: 2, credit_amount: 100.3, loan_firms: 2, loan_amount: 0.3, first_loan_firms: 2,
      credit_firms_since_start: 2, credit_amount_since_start: 100.3, loan_firms_since_start: 2, loan_amount_since_start: 0.3, first_loan_firms_since_start: 2,
      coaching_added: 2, coaching_done: 2, coaching_ended: 0, coaching_open: 0, coaching_overdue: 0,
      closed_financed: 1, closed_withdrawn: 1, feedback: false, feedback_owed: 60, feedback_months: 3, service_items: 4, rating_events: 3, ratings: 3, satisfaction_rate: 0.6667,
    });
    // Events follow the bank that led the firm on their day: P's March loans stay with 工行 (its lead until 03-31),
    // its rating (06-01) goes to 建行; 在库 follows the lead bank on 12-31. P's two items were the departments'
    // (生态环境局, 财政局): in no bank's row, in 其他单位承办. 工行's service: P in March, T in April.
    expect(bank(f, CCB)).toEqual({
      bank: CCB, active: 1, credit_firms: 0, credit_amount: 0, loan_firms: 0, loan_amount: 0, first_loan_firms: 0, ...SINCE_NONE, coaching_done: 0, coaching_ended: 0,
      feedback: false, feedback_owed: 9, feedback_months: 0, service_items: 0, ratings: 1, satisfaction_rate: 1,
    });
    expect(bank(f, ICBC)).toEqual({
      bank: ICBC, active: 0, credit_firms: 2, credit_amount: 100.3, loan_firms: 2, loan_amount: 0.3, first_loan_firms: 2, coaching_done: 0, coaching_ended: 0,
      credit_firms_since_start: 2, credit_amount_since_start: 100.3, loan_firms_since_start: 2, loan_amount_since_start: 0.3, first_loan_firms_since_start: 2,
      feedback: false, feedback_owed: 4, feedback_months: 1, service_items: 2, ratings: 1, satisfaction_rate: 1,
    });
    expect(f.banks_other).toEqual({ ...EMPTY_BANK_YEAR, bank: '其他单位承办', coaching_done: 2, service_items: 2, ratings: 0, satisfaction_rate: null });
    expect(f.banks_total).toMatchObject({ coaching_done: 2, service_items: 4 });
    // months owed: 建行 April–December (P), 工行 March–June (P in March, T until its closing on 06-30), 农行 March
    expect(bank(f, ABC)).toEqual({ bank: ABC, ...EMPTY_BANK_YEAR, feedback: false, feedback_owed: 1, service_items: 0, ratings: 1, satisfaction_rate: 0 });
    expect(otherBanks(f).map(({ bank: _, ...rest }) => rest)).toEqual(Array(6).fill({ ...EMPTY_BANK_YEAR, ...ANNUAL_NONE }));
  });

  it('one district: its row, a 合计 equal to it, and bank rows over its cases only', async () => {
    const f = await computeFigures(store.db, dir, monthPeriod(2024, 3), { district: '华容区' });
    expect(f.districts.map((d) => d.district)).toEqual(['华容区']);
    const { code: _, ...row } = f.districts[0]!;
    expect(f.total).toEqual({ ...row, district: '合计' });
    expect(bank(f, ICBC)).toMatchObject({ active: 1, credit_amount: 100.1 }); // P only; T is 鄂城区's
  });
});

describe('the figure table', () => {
  it('decides which figures each row carries: annual ones and 开展以来累计 only in annual reports, 本年累计 only in monthly and quarterly ones', () => {
    const keys = (fs: readonly { key: string }[]) => fs.map((f) => f.key);
    expect(keys(figuresOf('bank', false))).toEqual([
      'active', 'credit_firms', 'credit_firms_ytd', 'credit_amount', 'credit_amount_ytd', 'loan_firms', 'loan_firms_ytd', 'loan_amount', 'loan_amount_ytd',
      'first_loan_firms', 'first_loan_firms_ytd', 'coaching_done', 'coaching_ended', 'feedback', 'feedback_owed', 'feedback_months',
    ]);
    expect(keys(figuresOf('bank', true))).toEqual([
      'active', 'credit_firms', 'credit_firms_since_start', 'credit_amount', 'credit_amount_since_start', 'loan_firms', 'loan_firms_since_start', 'loan_amount', 'loan_amount_since_start',
      'first_loan_firms', 'first_loan_firms_since_start', 'coaching_done', 'coaching_ended', 'feedback', 'feedback_owed', 'feedback_months', 'service_items', 'ratings', 'satisfaction_rate',
    ]);
    // 26 plain figures + 6 本年累计 (推荐, 授信 户/金额, 放款 户/金额, 首贷); annual: 26 + 6 开展以来累计 + 4 annual ones
    expect(figuresOf('district', false)).toHaveLength(32);
    expect(figuresOf('district', true)).toHaveLength(36);
    expect(keys(figuresOf('district', false)).filter((k) => k.endsWith('_since_start'))).toEqual([]);
    expect(keys(figuresOf('district', true)).filter((k) => k.endsWith('_ytd'))).toEqual([]);
    // an annual report labels the period 本年; the cumulative figures say which cumulation they are
    expect(figuresOf('district', true).map((f) => f.label).filter((l) => l.includes('本期'))).toEqual([]);
    expect(figuresOf('district', true).find((f) => f.key === 'recommended')).toMatchObject({ label: '推荐企业数（本年）', sub: '本年' });
    expect(figuresOf('district', false).find((f) => f.key === 'recommended')).toMatchObject({ label: '推荐企业数（本期）', sub: '本期' });
    for (const annual of [false, true]) {
      for (const f of figuresOf('district', annual)) expect(f.label.replace(/本年累计|开展以来累计/g, '')).not.toContain('累计');
    }
    expect(keys(columnFigures('district', true))).not.toContain('feedback_months');
    expect(new Set(keys(FIGURES)).size).toBe(FIGURES.length);
    expectTypeOf<BankFigures>().toEqualTypeOf<{
      bank: string; active: number; credit_firms: number; credit_amount: number; loan_firms: number; loan_amount: number; first_loan_firms: number;
      coaching_done: number; coaching_ended: number; feedback: boolean | null; feedback_owed: number; feedback_months: number; service_items?: number; ratings?: number; satisfaction_rate?: number | null;
      credit_firms_ytd?: number; credit_amount_ytd?: number; loan_firms_ytd?: number; loan_amount_ytd?: number; first_loan_firms_ytd?: number;
      credit_firms_since_start?: number; credit_amount_since_start?: number; loan_firms_since_start?: number; loan_amount_since_start?: number; first_loan_firms_since_start?: number;
    }>();
  });

  it('totals by each figure\'s rule: rows summed, amounts in cents, rates from counts, feedback only if all reported', () => {
    const row = (over: object) => ({ ...EMPTY, ...EMPTY_YEAR, ...ANNUAL_NONE, ...over });
    // A holds more firms than its capacity (no vacancy), B has 9 free places: 合计 9, not 12 − 4 = 8
    const rows = [row({ vacancies: 0, credit_amount: 0.1, loan_amount_since_start: 1.1, feedback: true, ratings: 3, satisfaction_rate: 0.3333 }), row({ vacancies: 9, credit_amount: 0.2, loan_amount_since_start: 2.2, ratings: 1, satisfaction_rate: 1 })];
    const cols = [{ capacity: 2, active: 3, ratings: 3, good: 1 }, { capacity: 10, active: 1, ratings: 1, good: 1 }];
    const t = totalFigures('district', true, rows, cols);
    expect(t).toMatchObject({ vacancies: 9, credit_amount: 0.3, loan_amount_since_start: 3.3, feedback: false, ratings: 4, satisfaction_rate: 0.5 });
    // why amounts are summed in cents: 0.1 + 0.2 is not 0.3 in floating point
    expect(totalFigures('district', true, [rows[0]!], [cols[0]!])).toMatchObject({ feedback: true, satisfaction_rate: 0.3333 });
    expect(Object.keys(totalFigures('district', false, rows, cols))).not.toContain('ratings');
  });

  it('derives the CSV/sheet columns and the terminal columns (groups share a column there)', async () => {
    expect(districtColumns(false).map((c) => c.header)).toEqual(['区域', ...columnFigures('district', false).map((f) => f.label)]);
    expect(bankColumns(true).map((c) => [c.header, c.kind])).toEqual([
      ['金融机构', 'text'], ['在库企业数（期末）', 'int'], ['授信户数（本年）', 'int'], ['授信户数（开展以来累计）', 'int'], ['授信金额（本年，万元）', 'money'],
      ['授信金额（开展以来累计，万元）', 'money'], ['放款户数（本年）', 'int'], ['放款户数（开展以来累计）', 'int'], ['放款金额（本年，万元）', 'money'],
      ['放款金额（开展以来累计，万元）', 'money'], ['首贷户数（本年）', 'int'], ['首贷户数（开展以来累计）', 'int'], ['辅导事项：办结', 'int'], ['辅导事项：终止', 'int'], ['月度反馈', 'bool'],
      ['服务事项处理总量', 'int'], ['满意度评价户数', 'int'], ['服务满意率', 'rate'],
    ]);
    // the two-level header: the figure over 本期 / 本年累计 (annual: 本年 / 开展以来累计)
    expect(bankColumns(false).filter((c) => c.group === '放款金额（万元）').map((c) => c.sub)).toEqual(['本期', '本年累计']);
    expect(districtColumns(true).filter((c) => c.group === '推荐企业数').map((c) => c.sub)).toEqual(['本年', '开展以来累计']);
    const f = await computeFigures(store.db, dir, yearPeriod(2024), { annual: true });
    const cells = (cols: ReturnType<typeof terminalColumns>, r: object) => cols.map((c) => [c.header, c.value(r)]);
    // the terminal keeps 推荐 and 放款金额's cumulative figures, and leaves the other cumulative ones to CSV and sheets
    expect(cells(terminalColumns('district', true), f.districts[1]!)).toEqual([
      ['推荐 本年/开展以来累计', '4/4'], ['申报', 3], ['核查 融/培', '1/1'], ['未入选', 1], ['新入库', 2], ['在库', 1], ['空缺', 9], ['主办行', 2],
      ['授信 户/万元', '1/100.10'], ['放款 户/万元', '1/0.10'], ['开展以来累计放款', '0.10'], ['首贷', 1], ['辅导 增/结/止/未/逾', '2/2/0/0/0'],
      ['办结 融资/退出', '0/1'], ['反馈', '未报送'], ['服务事项', 3], ['满意率', '50.0%'],
    ]);
    // April: 工行 has P's March loans in 本年累计
    const april = await computeFigures(store.db, dir, monthPeriod(2024, 4));
    expect(cells(terminalColumns('bank', false), bank(april, CCB)!)).toEqual([
      ['在库', 1], ['授信 户/万元', '0/0.00'], ['放款 户/万元', '0/0.00'], ['本年累计放款', '0.00'], ['首贷', 0], ['辅导 结/止', '0/0'], ['反馈', '未报送'],
    ]);
    expect(cells(terminalColumns('bank', false), bank(april, ICBC)!)).toEqual([
      ['在库', 1], ['授信 户/万元', '1/0.20'], ['放款 户/万元', '1/0.20'], ['本年累计放款', '0.30'], ['首贷', 1], ['辅导 结/止', '0/0'], ['反馈', '未报送'],
    ]);
  });

  it('writes the 说明 sheet from the table and fills every figure placeholder of the narrative templates', async () => {
    await run('report', 'annual', '--period', '2024', '--out', sb.path('y.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('y.xlsx'));
    const notes = (wb.getWorksheet('说明')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => [r[1], r[2]]);
    const figureNotes = notes.filter(([k]) => FIGURES.some((f) => labelled(f, true).label === k));
    expect(figureNotes).toEqual(columnFigures('district', true).map((f) => [f.label, f.definition]));
    expect(figureNotes.map(([k]) => k)).toEqual(expect.arrayContaining(['推荐企业数（本年）', '推荐企业数（开展以来累计）', '放款金额（开展以来累计，万元）']));
    // no figure of the annual report is labelled 本期 (its period is 本年)
    expect(notes.filter(([k]) => /（本期/.test(String(k)))).toEqual([]);
    expect(notes.find(([k]) => k === '口径调整（2026-12-07）')?.[1]).toContain('本年累计');
    await run('report', 'annual', '--period', '2024', '--out', sb.path('y.md'));
    const md = readFileSync(sb.path('y.md'), 'utf8');
    expect(md).not.toContain('{{');
    expect(md).toContain('全年授信2户、100.30万元，放款2户、0.30万元，其中首贷2户；工程开展以来累计放款2户、0.30万元。');
    expect(md).toContain('推荐企业5家（工程开展以来累计推荐5家）');
    expect(md).toContain('收到满意度评价3次、涉及企业3家，服务满意率66.7%');
  });
});

describe('docs/figures.md', () => {
  it('is the figure table as written by npm run docs (run it after changing the table)', () => {
    expect(readFileSync('docs/figures.md', 'utf8')).toBe(figuresMarkdown());
    expect(() => execFileSync(process.execPath, ['scripts/docs.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('gives every figure its key, label, unit, total rule and definition', () => {
    const md = figuresMarkdown();
    for (const f of FIGURES) {
      const annual = labelled(f, true).label;
      expect(md).toContain(`| \`${f.key}\` | ${f.label}${annual === f.label ? '' : `（年报：${annual}）`} |`);
      expect(md).toContain(`**${f.label}**（\`${f.key}\`）：${f.definition}`);
    }
    expect(md).toContain('| `satisfaction_rate` | 服务满意率 |  | 比率 | 区域、金融机构；仅年报 | 用各行计数之和重新计算');
  });
});
