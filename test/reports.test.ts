/**
 * Report figures (docs/figures.md) over a hand-built history that crosses month and quarter boundaries: a case
 * closed and its slot refilled, a bank change, a reclassification, a coaching item done late and a 4th
 * (over-quota) recommendation. Every expected number below is worked out by hand from this timeline.
 *
 * 华容区 (capacity 2 from 2024-01-01), departments 经信 unless noted; amounts in 万元:
 *   A  rec 01-10  decl 01-20  verified 融资 02-05  confirmed 02-20  工行 02-25  授信 100 03-05
 *      放款 60.50 (首贷) 03-20  closed 获得融资 03-28  满意 04-02
 *   B  rec 01-15  decl 01-25  verified 培植 02-10  confirmed 02-20  农行 02-26
 *      item X added 03-01 due 03-15, done 04-10 (late); item Y added 03-10 due 05-31, open
 *      reclassified 融资 04-15  bank → 建行 04-20  授信 200 04-25  放款 150.25 (首贷) 05-10  不满意 05-20
 *   C  rec 02-01  decl 02-05  verified 融资 03-01  (list full until A closes)  confirmed 04-05  工行 04-08
 *      授信 0.10 and 0.20 on 04-09
 *   D  rec 03-15 (4th of 经信 this year, --over-quota)  decl 03-20  rejected 03-25
 * 鄂城区:  E  rec 03-30 (科技)  decl 04-02
 * Feedback: 华容区 for 2024-01, 02, 03; 工行 for 2024-03.
 */
import ExcelJS from 'exceljs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, dayOf, declare as declareOn, recommend } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';

const TODAY = '2024-06-30';
const [A, B, C, D, E] = [1, 2, 3, 4, 5].map(code) as [string, string, string, string, string];

let sb: Sandbox;
/** Each entry on the day of its event (--date, --meeting), everything else on TODAY. */
const run = async (args: string[]) => {
  const r = await sb.run(args, { today: dayOf(args) ?? TODAY });
  if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
  return r;
};
const json = async (args: string[]) => (await run([...args, '--json'])).json();

const declare = (c: string, district: string, date: string) => declareOn(sb, c, { district, date });
const VERIFY = ['--basic', '经营正常', '--causes', '缺少抵押物', '--advice', '信用方式授信', '--experts', '张三（工行）'];

beforeAll(async () => {
  sb = await initialised();
  await run(['pool', 'capacity', '2', '--district', '华容区', '--date', '2024-01-01']);
  const rec = (c: string, date: string, extra: string[] = [], district = '华容区', dept = '经信') => recommend(sb, c, { date, extra, district, dept });
  await rec(A, '2024-01-10');
  await rec(B, '2024-01-15');
  await declare(A, '华容区', '2024-01-20');
  await declare(B, '华容区', '2024-01-25');
  await rec(C, '2024-02-01');
  await declare(C, '华容区', '2024-02-05');
  await run(['verify', A, '--class', 'financing', ...VERIFY, '--date', '2024-02-05']);
  await run(['verify', B, '--class', 'cultivation', ...VERIFY, '--date', '2024-02-10']);
  await run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-02-20', A, B]);
  await run(['assign', A, '--bank', '工行', '--date', '2024-02-25']);
  await run(['assign', B, '--bank', '农行', '--date', '2024-02-26']);
  await run(['verify', C, '--class', 'financing', ...VERIFY, '--date', '2024-03-01']);
  await run(['coach', 'add', B, '--item', '补办环评手续', '--org', '华容区生态环境局', '--due', '2024-03-15', '--date', '2024-03-01']);
  await run(['loan', A, '--kind', 'credit', '--amount', '100', '--date', '2024-03-05']);
  await run(['coach', 'add', B, '--item', '规范财务制度', '--org', '华容区财政局', '--due', '2024-05-31', '--date', '2024-03-10']);
  await rec(D, '2024-03-15', ['--over-quota', '省级专精特新企业']);
  await run(['loan', A, '--kind', 'disbursement', '--amount', '60.50', '--first-loan', '--date', '2024-03-20']);
  await declare(D, '华容区', '2024-03-20');
  await run(['verify', 'reject', D, '--reason', '经营异常', '--date', '2024-03-25']);
  await run(['close', A, '--outcome', 'financed', '--date', '2024-03-28']);
  await rec(E, '2024-03-30', [], '鄂城区', '科技');
  await run(['satisfaction', A, '--rating', '满意', '--date', '2024-04-02']);
  await declare(E, '鄂城区', '2024-04-02');
  await run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-04-05', C]);
  await run(['assign', C, '--bank', '工行', '--date', '2024-04-08']);
  await run(['loan', C, '--kind', 'credit', '--amount', '0.1', '--date', '2024-04-09']);
  await run(['loan', C, '--kind', 'credit', '--amount', '0.2', '--date', '2024-04-09']);
  const items = await json(['coach', 'list']);
  await run(['coach', 'done', String(items[0].id), '--date', '2024-04-10']);
  await run(['reclassify', B, '--to', 'financing', '--reason', '环评已补办', '--date', '2024-04-15']);
  await run(['assign', B, '--bank', '建行', '--mode', 'designated', '--reason', '农行额度不足', '--date', '2024-04-20']);
  await run(['loan', B, '--kind', 'credit', '--amount', '200', '--date', '2024-04-25']);
  await run(['loan', B, '--kind', 'disbursement', '--amount', '150.25', '--first-loan', '--date', '2024-05-10']);
  await run(['satisfaction', B, '--rating', '不满意', '--date', '2024-05-20']);
  for (const m of ['01', '02', '03']) await run(['feedback', 'add', '--from', '华容区', '--month', `2024-${m}`, '--text', `${m} 月工作情况`, '--date', `2024-${m}-28`]);
  await run(['feedback', 'add', '--from', '工行', '--month', '2024-03', '--text', '走访主办企业', '--date', '2024-04-03']);
}, 120_000);
afterAll(() => sb.cleanup());

const ZERO = {
  recommended: 0, recommendations: 0, recommended_ytd: 0, over_quota: 0, declared: 0, verified_financing: 0, verified_cultivation: 0, rejected: 0,
  confirmed: 0, active: 0, vacancies: 10, assigned: 0, credit_firms: 0, credit_amount: 0, loan_firms: 0, loan_amount: 0, first_loan_firms: 0,
  credit_firms_ytd: 0, credit_amount_ytd: 0, loan_firms_ytd: 0, loan_amount_ytd: 0, first_loan_firms_ytd: 0, coaching_added: 0, coaching_done: 0, coaching_ended: 0, coaching_open: 0, coaching_overdue: 0,
  closed_financed: 0, closed_withdrawn: 0, feedback: false, feedback_owed: 1,
};
const district = (f: { districts: { district: string }[] }, name: string) => f.districts.find((d) => d.district === name);
const bank = (f: { banks: { bank: string }[] }, name: string) => f.banks.find((b) => b.bank === name);

describe('monthly figures', () => {
  it('March 2024: a case closed, a 4th over-quota recommendation, a coaching item overdue at month end', async () => {
    const f = await json(['report', 'monthly', '--period', '2024-03']);
    expect(f).toMatchObject({ period: '2024-03', start: '2024-03-01', end: '2024-03-31' });
    expect(district(f, '华容区')).toEqual({
      ...ZERO, district: '华容区', code: '420703',
      // 本年累计 January–March: A, B, C and D recommended; A's 授信 and 放款 (nothing in January or February)
      recommended: 1, recommendations: 1, recommended_ytd: 4, over_quota: 1, declared: 1, verified_financing: 1, rejected: 1,
      active: 1, vacancies: 1, credit_firms: 1, credit_amount: 100, loan_firms: 1, loan_amount: 60.5, first_loan_firms: 1,
      credit_firms_ytd: 1, credit_amount_ytd: 100, loan_firms_ytd: 1, loan_amount_ytd: 60.5, first_loan_firms_ytd: 1, coaching_added: 2, coaching_open: 2, coaching_overdue: 1, closed_financed: 1,
      feedback: true, feedback_months: 1,
    });
    expect(district(f, '鄂城区')).toEqual({ ...ZERO, district: '鄂城区', code: '420704', recommended: 1, recommendations: 1, recommended_ytd: 1, feedback_months: 0 });
    expect(district(f, '梁子湖区')).toEqual({ ...ZERO, district: '梁子湖区', code: '420702', feedback_months: 0 });
    expect(f.total).toEqual({
      ...ZERO, district: '合计',
      recommended: 2, recommendations: 2, recommended_ytd: 5, over_quota: 1, declared: 1, verified_financing: 1, rejected: 1,
      active: 1, vacancies: 41, credit_firms: 1, credit_amount: 100, loan_firms: 1, loan_amount: 60.5, first_loan_firms: 1,
      credit_firms_ytd: 1, credit_amount_ytd: 100, loan_firms_ytd: 1, loan_amount_ytd: 60.5, first_loan_firms_ytd: 1, coaching_added: 2, coaching_open: 2, coaching_overdue: 1, closed_financed: 1,
      feedback: false, feedback_owed: 5, feedback_months: 1,
    });
    // banks: lead bank at 03-31 — A: 工行 (closed, no longer active), B: 农行
    expect(bank(f, '中国工商银行鄂州分行')).toEqual({
      bank: '中国工商银行鄂州分行', active: 0, credit_firms: 1, credit_amount: 100, loan_firms: 1, loan_amount: 60.5, first_loan_firms: 1, coaching_done: 0, coaching_ended: 0, feedback: true, feedback_owed: 1, feedback_months: 1,
      credit_firms_ytd: 1, credit_amount_ytd: 100, loan_firms_ytd: 1, loan_amount_ytd: 60.5, first_loan_firms_ytd: 1,
    });
    expect(bank(f, '中国农业银行鄂州分行')).toMatchObject({ active: 1, credit_firms: 0, coaching_done: 0, feedback: false });
    expect(bank(f, '中国建设银行鄂州分行')).toMatchObject({ active: 0, credit_amount: 0, loan_amount: 0, feedback: null }); // led no firm: 无需报送
  });

  it('April 2024: the slot refilled, the bank changed, a late item done, amounts exact (0.1 + 0.2)', async () => {
    const f = await json(['report', 'monthly', '--period', '2024-04']);
    expect(district(f, '华容区')).toEqual({
      ...ZERO, district: '华容区', code: '420703',
      recommended_ytd: 4, confirmed: 1, active: 2, vacancies: 0, assigned: 1, credit_firms: 2, credit_amount: 200.3,
      // 本年累计 January–April: 授信 to A (March), B and C (April): 3 firms, 100 + 200 + 0.1 + 0.2; 放款 A's only
      credit_firms_ytd: 3, credit_amount_ytd: 300.3, loan_firms_ytd: 1, loan_amount_ytd: 60.5, first_loan_firms_ytd: 1,
      coaching_done: 1, coaching_open: 1, feedback_months: 0,
    });
    expect(district(f, '鄂城区')).toMatchObject({ recommended: 0, recommendations: 0, recommended_ytd: 1, declared: 1 });
    // 在库 by the lead bank at 04-30: B 建行 (changed 04-20), C 工行; item X, done 04-10, by the unit that handled it,
    // the 生态环境局 (其他单位承办), not 农行, B's lead bank that day
    // 本年累计 by the lead bank of each loan's day: A's March loans and C's 工行, B's 授信 (04-25) 建行
    expect(bank(f, '中国工商银行鄂州分行')).toMatchObject({ active: 1, credit_firms: 1, credit_amount: 0.3, loan_firms: 0, coaching_done: 0, credit_firms_ytd: 2, credit_amount_ytd: 100.3, loan_firms_ytd: 1, loan_amount_ytd: 60.5 });
    expect(bank(f, '中国建设银行鄂州分行')).toMatchObject({ active: 1, credit_firms: 1, credit_amount: 200, coaching_done: 0, credit_firms_ytd: 1, credit_amount_ytd: 200, loan_firms_ytd: 0 });
    expect(bank(f, '中国农业银行鄂州分行')).toMatchObject({ active: 0, credit_firms: 0, coaching_done: 0, credit_firms_ytd: 0 });
    expect(f.banks_other).toMatchObject({ active: 0, credit_firms: 0, coaching_done: 1, feedback: null, credit_firms_ytd: 0, loan_amount_ytd: 0 });
    expect(f.banks_total).toMatchObject({ coaching_done: 1, credit_firms_ytd: 3, credit_amount_ytd: 300.3 });
    expect(f.total.credit_amount).toBe(200.3);
  });

  it('May 2024: B financed as 融资类 after reclassification; the open item is not yet overdue at 05-31', async () => {
    const f = await json(['report', 'monthly', '--period', '2024-05']);
    expect(district(f, '华容区')).toMatchObject({ loan_firms: 1, loan_amount: 150.25, first_loan_firms: 1, coaching_open: 1, coaching_overdue: 0, active: 2 });
    // 本年累计 January–May: A (March) and B (May) got loans: 2 firms, 60.50 + 150.25, two first loans
    expect(district(f, '华容区')).toMatchObject({ loan_firms_ytd: 2, loan_amount_ytd: 210.75, first_loan_firms_ytd: 2, credit_firms_ytd: 3 });
    expect(bank(f, '中国建设银行鄂州分行')).toMatchObject({ loan_firms: 1, loan_amount: 150.25, first_loan_firms: 1 });
  });

  it('defaults to the previous month and gives the same document on every run', async () => {
    const a = (await run(['report', 'monthly', '--json'])).stdout;
    const b = (await run(['report', 'monthly', '--json'])).stdout;
    expect(a).toBe(b);
    expect(JSON.parse(a).period).toBe('2024-05');
    expect(a).not.toMatch(/generated|生成/);
  });

  it('--district restricts the districts and the bank rows to that district', async () => {
    const f = await json(['report', 'monthly', '--period', '2024-04', '--district', '鄂城区']);
    expect(f.districts.map((d: { district: string }) => d.district)).toEqual(['鄂城区']);
    expect(f.total).toMatchObject({ recommended_ytd: 1, declared: 1, vacancies: 10 });
    expect(bank(f, '中国建设银行鄂州分行')).toMatchObject({ active: 0, credit_amount: 0 });
  });
});

describe('quarterly and annual figures', () => {
  it('2024Q1 over the whole quarter; feedback only when every month was reported', async () => {
    const f = await json(['report', 'quarterly', '--period', '2024Q1']);
    expect(f).toMatchObject({ period: '2024Q1', start: '2024-01-01', end: '2024-03-31' });
    expect(district(f, '华容区')).toEqual({
      ...ZERO, district: '华容区', code: '420703',
      // the first quarter: 本年累计 = 本期
      recommended: 4, recommendations: 4, recommended_ytd: 4, over_quota: 1, declared: 4, verified_financing: 2, verified_cultivation: 1, rejected: 1,
      confirmed: 2, active: 1, vacancies: 1, assigned: 2, credit_firms: 1, credit_amount: 100, loan_firms: 1, loan_amount: 60.5, first_loan_firms: 1,
      credit_firms_ytd: 1, credit_amount_ytd: 100, loan_firms_ytd: 1, loan_amount_ytd: 60.5, first_loan_firms_ytd: 1, coaching_added: 2, coaching_open: 2, coaching_overdue: 1, closed_financed: 1,
      feedback: true, feedback_owed: 3, feedback_months: 3,
    });
    // 工行 led A from 02-25 to its closing on 03-28: it owed February and March, and fed back for March only
    expect(bank(f, '中国工商银行鄂州分行')).toMatchObject({ feedback: false, feedback_owed: 2, feedback_months: 1 });
  });

  it('2024: service items, satisfaction rates and the 通报 ranking', async () => {
    const f = await json(['report', 'annual', '--period', '2024']);
    // HR: items handled 1 (X) + firms financed per month 4 (A March; B April and May; C April, its two 授信 one unit);
    // ratings 满意 + 不满意
    expect(district(f, '华容区')).toMatchObject({ service_items: 5, ratings: 2, satisfaction_rate: 0.5, loan_amount: 210.75, active: 2 });
    expect(district(f, '鄂城区')).toMatchObject({ service_items: 0, ratings: 0, satisfaction_rate: null });
    // a firm's month by the lead bank of its last loan's day: A March and C April 工行, B April and May (after 04-20)
    // 建行; ratings likewise; item X was the 生态环境局's: in no bank's row (农行 led B when it was done), in 其他单位承办
    expect(bank(f, '中国工商银行鄂州分行')).toMatchObject({ service_items: 2, ratings: 1, satisfaction_rate: 1 });
    expect(bank(f, '中国建设银行鄂州分行')).toMatchObject({ service_items: 2, ratings: 1, satisfaction_rate: 0, coaching_done: 0 });
    expect(bank(f, '中国农业银行鄂州分行')).toMatchObject({ service_items: 0, ratings: 0, satisfaction_rate: null, coaching_done: 0 });
    expect(f.banks_other).toMatchObject({ bank: '其他单位承办', service_items: 1, coaching_done: 1, ratings: 0, satisfaction_rate: null });
    expect(f.banks_total).toMatchObject({ service_items: 5, coaching_done: 1, ratings: 2, satisfaction_rate: 0.5 });
    expect(f.total).toMatchObject({ service_items: 5, coaching_done: 1, ratings: 2, satisfaction_rate: 0.5 });
    // 华容区: 40 (loans, the best) + 20 (service items, the best) + 13.125 (the list at the 12 month-ends: 0, 2, 1, then
    // 2 nine times = 21, of capacity 2 × 12 = 24: 21/24 × 15) + 7.5 (0.5 × 15) + 2.5 (3/12 × 10) = 83.125
    expect(f.ranking.districts[0]).toMatchObject({ rank: 1, name: '华容区', score: 83.13 });
    expect(f.ranking.districts.slice(1).every((r: { score: number }) => r.score === 0)).toBe(true);
    // 建行: 40 + 20 + 15 + 0 + 0 (owed April–December, fed back none) = 75; 工行: 40 × 60.50/150.25 = 16.11, + 20
    // + 15 + 15 + 10 × 1/11 = 0.91 (it owed February–December: A, then C from 04-08; fed back March) → 67.02
    expect(f.ranking.banks.slice(0, 2)).toMatchObject([
      { rank: 1, name: '中国建设银行鄂州分行', score: 75 },
      { rank: 2, name: '中国工商银行鄂州分行', score: 67.02 },
    ]);
  });
});

describe('report files', () => {
  it('writes the statistics workbook: frozen header, 合计 bold, number formats, 说明 with every definition', async () => {
    const out = sb.path('月报-{period}.xlsx');
    const r = await run(['report', 'monthly', '--period', '2024-03', '--out', out]);
    const path = sb.path('月报-2024-03.xlsx');
    expect(r.stdout.trim()).toBe(path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    // the district table prints as two tables, each with the 区域 column: title, period, unit line, a two-row header
    const first = wb.getWorksheet('分区域（推荐核查入库）')!;
    const ws = wb.getWorksheet('分区域（授信放款）')!;
    for (const w of [first, ws, wb.getWorksheet('分区域（辅导办结）')!]) expect(w.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    const header = (ws.getRow(5).values as string[]).map((h) => h?.replace(/\n/g, ''));
    const upper = (i: number) => String(ws.getRow(4).getCell(i).value).replace(/\n/g, '');
    // two-level header: 授信金额（万元） over 本期 and 本年累计
    const creditCol = header.findIndex((h, i) => h === '本期' && upper(i) === '授信金额（万元）');
    expect(creditCol).toBeGreaterThan(0);
    expect([header[creditCol + 1], upper(creditCol + 1)]).toEqual(['本年累计', '授信金额（万元）']);
    expect(header.filter((h) => h === '累计')).toEqual([]);
    const hr = ws.getRow(7);
    expect(hr.getCell(1).value).toBe('华容区');
    expect(hr.getCell(creditCol).value).toBe(100);
    expect(hr.getCell(creditCol + 1).value).toBe(100);
    expect(hr.getCell(creditCol).numFmt).toBe('#,##0.00_ ');
    const total = ws.getRow(5 + 5 + 1); // unit line and header, five districts, then 合计
    expect(total.getCell(1).value).toBe('合计');
    expect(total.getCell(1).font?.bold).toBe(true);
    const firstHeader = (first.getRow(4).values as string[]).map((h) => h?.replace(/\n/g, ''));
    expect(first.getRow(11).getCell(firstHeader.indexOf('空缺数')).value).toBe(41);
    expect(first.getColumn(1).width).toBeGreaterThanOrEqual(18); // 葛店经济技术开发区 is 18 columns wide
    expect(wb.getWorksheet('金融机构')).toBeDefined();
    const detail = wb.getWorksheet('企业明细（一）')!; // the first of its two parts
    const rows = detail.getSheetValues().slice(5).filter((r) => Array.isArray(r) && typeof r[1] === 'number') as unknown[][];
    // alive in March: A (closed in March), B, C, D (rejected in March), E; 序号 first
    expect(rows.map((r) => r[1])).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r[3]).sort()).toEqual([A, B, C, D, E].sort());
    const a = rows.find((r) => r[3] === A)!;
    expect(a.slice(5, 8)).toEqual(['已办结', '融资类', '中国工商银行鄂州分行']);
    const b = rows.find((r) => r[3] === B)!;
    expect(b.slice(5, 8)).toEqual(['已确定主办行', '培植类', '中国农业银行鄂州分行']); // as at 03-31, not today
    const notes = wb.getWorksheet('说明')!;
    const text = JSON.stringify(notes.getSheetValues());
    for (const label of ['推荐企业数（本期）', '推荐企业数（本年累计）', '放款金额（本年累计，万元）', '在库企业数（期末）', '首贷户数', '辅导事项：逾期', '月度反馈', '生成日期', '2024-03-01 至 2024-03-31']) expect(text).toContain(label);
  });

  it('gives identical sheet contents on every run', async () => {
    const cells = async (p: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(p);
      return wb.worksheets.filter((w) => w.name !== '说明').map((w) => JSON.stringify(w.getSheetValues()));
    };
    await run(['report', 'annual', '--period', '2024', '--out', sb.path('y1.xlsx')]);
    await run(['report', 'annual', '--period', '2024', '--out', sb.path('y2.xlsx')]);
    expect(await cells(sb.path('y1.xlsx'))).toEqual(await cells(sb.path('y2.xlsx')));
    const names = (await new ExcelJS.Workbook().xlsx.readFile(sb.path('y1.xlsx'))).worksheets.map((w) => w.name);
    // the annual tables, wider with their 开展以来累计 columns, print in more parts, one per section
    expect(names).toEqual([
      '分区域（推荐核查入库）', '分区域（授信放款）', '分区域（辅导办结）', '金融机构（在库融资）', '金融机构（辅导反馈）',
      '企业明细（一）', '企业明细（二）', '区域通报排名', '金融机构通报排名', '年度总结', '图表', '说明',
    ]);
  });

  it('writes CSV with every table of the report, each under its title line, and JSON identical to --json', async () => {
    await run(['report', 'monthly', '--period', '2024-03', '--out', sb.path('m.csv')]);
    const csv = readFileSync(sb.path('m.csv'), 'utf8');
    expect(csv.startsWith('\ufeff鄂州市信用培植工程月报（2024-03）\r\n区域,推荐企业数（本期）')).toBe(true);
    const [districts, banks, ...more] = csv.slice(1).trimEnd().split('\r\n\r\n').map((b) => b.split('\r\n'));
    expect(more).toEqual([]);
    expect(districts).toHaveLength(1 + 1 + 5 + 1);
    expect(districts![1]).toContain(',授信户数（本期）,授信户数（本年累计）,授信金额（本期，万元）,授信金额（本年累计，万元）,');
    expect(districts![3]).toBe('华容区,1,4,1,1,1,0,1,0,1,1,0,1,1,100.00,100.00,1,1,60.50,60.50,1,1,2,0,0,2,1,1,0,已报送');
    expect(districts!.at(-1)).toMatch(/^合计,2,5,/);
    expect(banks!.slice(0, 2)).toEqual([
      '鄂州市信用培植工程月报（2024-03）（金融机构）',
      '金融机构,在库企业数（期末）,授信户数（本期）,授信户数（本年累计）,授信金额（本期，万元）,授信金额（本年累计，万元）,放款户数（本期）,放款户数（本年累计）,' +
        '放款金额（本期，万元）,放款金额（本年累计，万元）,首贷户数（本期）,首贷户数（本年累计）,辅导事项：办结,辅导事项：终止,月度反馈',
    ]);
    expect(banks).toHaveLength(2 + 9 + 1 + 1 + 1);
    // no firm of the list was without a lead bank at 03-31, and none owes feedback for it
    expect(banks!.at(-3)).toBe('未确定主办行,0,0,0,0.00,0.00,0,0,0.00,0.00,0,0,0,0,无需报送');
    // no department closed an item in March (X was done in April)
    expect(banks!.at(-2)).toBe('其他单位承办,0,0,0,0.00,0.00,0,0,0.00,0.00,0,0,0,0,无需报送');
    expect(banks).toContain('中国工商银行鄂州分行,0,1,1,100.00,100.00,1,1,60.50,60.50,1,1,0,0,已报送');
    // 合计: B (农行) in the list at 03-31; A's loans; of the two banks owing March (工行, 农行) only 工行 reported (1/2,
    // worded so that a spreadsheet opening the CSV does not take it for a date)
    expect(banks!.filter((l) => l.endsWith(',已报送'))).toHaveLength(1);
    expect(banks!.at(-1)).toBe('合计,1,1,1,100.00,100.00,1,1,60.50,60.50,1,1,0,0,已报送 1 家/应报送 2 家');
    const reportedDistricts = districts!.slice(2, -1).filter((l) => l.endsWith(',已报送')).length;
    expect(districts!.at(-1)).toMatch(new RegExp(`,已报送 ${reportedDistricts} 家/应报送 5 家$`));
    // the terminal table's 合计 rows say the same
    const totals = (await run(['report', 'monthly', '--period', '2024-03'])).stdout.split('\n').filter((l) => l.includes('合计'));
    expect(totals).toHaveLength(2);
    expect(totals[0]).toContain(`${reportedDistricts}/5`);
    expect(totals[1]).toContain('1/2');
    expect(totals.join('')).not.toContain('未报送');
    await run(['report', 'monthly', '--period', '2024-03', '--out', sb.path('m.json')]);
    expect(readFileSync(sb.path('m.json'), 'utf8')).toBe((await run(['report', 'monthly', '--period', '2024-03', '--json'])).stdout);
  });

  it('an annual CSV also carries both rankings', async () => {
    await run(['report', 'annual', '--period', '2024', '--out', sb.path('y.csv')]);
    const blocks = readFileSync(sb.path('y.csv'), 'utf8').slice(1).trimEnd().split('\r\n\r\n').map((b) => b.split('\r\n'));
    expect(blocks.map((b) => b[0])).toEqual(['鄂州市信用培植工程年报（2024）', '（金融机构）', '（区域通报排名）', '（金融机构通报排名）'].map((t, i) => (i === 0 ? t : `鄂州市信用培植工程年报（2024）${t}`)));
    expect(blocks[2]!.slice(1, 3)).toEqual(['名次,名称,得分,放款金额分,服务事项分,名单在库率分,满意率分,月度反馈分', '1,华容区,83.13,40.00,20.00,13.13,7.50,2.50']);
    expect(blocks[3]![2]).toBe('1,中国建设银行鄂州分行,75.00,40.00,20.00,15.00,0.00,0.00');
  });

  it('renders the quarterly narrative from the template', async () => {
    await run(['report', 'quarterly', '--period', '2024Q1', '--district', '华容区', '--out', sb.path('季报.md')]);
    const md = readFileSync(sb.path('季报.md'), 'utf8');
    expect(md).toContain('华容区2024年第一季度信用培植工程工作开展情况报告');
    expect(md).toContain('本季度（2024年1月1日至3月31日）');
    expect(md).toContain('成员部门本季度推荐企业4家（其中超额推荐1家），本年累计推荐4家');
    expect(md).toContain('放款1户、60.50万元');
    expect(md).toContain('本年累计授信1户、100.00万元，放款1户、60.50万元，其中首贷1户。');
    expect(md.replace(/本年累计/g, '')).not.toContain('累计');
    expect(md).toContain('本季度3个月的月度反馈均已按时报送');
    expect(md).not.toContain('{{');
    // One district's report only, signed by its 金融办.
    expect(md.match(/工作开展情况报告/g)).toHaveLength(1);
    expect(md).toContain('华容区金融办');
  });

  it('a folder gets one report per district and the city’s own, each a document of its own', async () => {
    const r = await run(['report', 'quarterly', '--period', '2024Q1', '--out', `${sb.path('季报')}/`, '--json']);
    const files = (r.json().files as string[]).map((f) => f.slice(sb.path('季报').length + 1));
    expect(files).toEqual(['鄂州市', '鄂城区', '华容区', '梁子湖区', '葛店经济技术开发区', '临空经济区'].map((p) => `${p}2024年第一季度工作开展情况报告.docx`));
    const one = await run(['report', 'quarterly', '--period', '2024Q1', '--district', '华容区', '--out', `${sb.path('华容区季报')}/`, '--json']);
    expect(one.json().files).toEqual([sb.path('华容区季报/华容区2024年第一季度工作开展情况报告.docx')]);
    const year = await run(['report', 'annual', '--period', '2024', '--out', `${sb.path('年报')}/`, '--json']);
    expect(year.json().files).toHaveLength(6);
    expect(year.json().files[0]).toBe(sb.path('年报/鄂州市2024年度工作总结.docx'));
    expect((await sb.run(['report', 'monthly', '--out', `${sb.path('月报')}/`], { today: TODAY })).code).toBe(2);
  });

  it('refuses a missing directory (exit 3) and keeps an existing file when a run fails', async () => {
    const missing = await sb.run(['report', 'monthly', '--out', sb.path('nope/m.xlsx')], { today: TODAY });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('不存在');
    writeFileSync(sb.path('keep.xlsx'), 'old');
    const bad = await sb.run(['report', 'monthly', '--period', '2024-13', '--out', sb.path('keep.xlsx')], { today: TODAY });
    expect(bad.code).toBe(2);
    expect(readFileSync(sb.path('keep.xlsx'), 'utf8')).toBe('old');
    expect((await sb.run(['report', 'monthly', '--out', sb.path('m.md')], { today: TODAY })).code).toBe(2);
    expect(existsSync(sb.path('m.md'))).toBe(false);
  });
});

describe('feedback and the 督办清单', () => {
  it('feedback missing lists districts and lead banks without the month\'s feedback', async () => {
    const rows = await json(['feedback', 'missing', '--month', '2024-03']);
    expect(rows).toEqual([
      { kind: 'district', name: '鄂城区' },
      { kind: 'district', name: '梁子湖区' },
      { kind: 'district', name: '葛店经济技术开发区' },
      { kind: 'district', name: '临空经济区' },
      { kind: 'bank', name: '中国农业银行鄂州分行' },
    ]);
  });

  it('report overdue lists vacancies, stalled cases, overdue items and missing feedback', async () => {
    const o = await json(['report', 'overdue']);
    expect(o.feedback_month).toBe('2024-05');
    expect(o.vacancies.find((v: { district: string }) => v.district === '华容区')).toBeUndefined();
    expect(o.vacancies.find((v: { district: string }) => v.district === '鄂城区')).toMatchObject({ vacancies: 10, since: '2024-03-30', days: 92 });
    expect(o.stalled.map((s: { code: string; days: number }) => [s.code, s.days])).toEqual([
      [E, 89],
      [C, 82],
    ]);
    expect(o.coaching).toEqual([expect.objectContaining({ code: B, item: '规范财务制度', due: '2024-05-31', days: 30, org: '华容区财政局' })]);
    expect(o.feedback.filter((f: { kind: string }) => f.kind === 'bank').map((f: { name: string }) => f.name)).toEqual(['中国工商银行鄂州分行', '中国建设银行鄂州分行']);
  });
});
