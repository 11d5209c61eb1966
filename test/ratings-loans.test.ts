/**
 * Who may record satisfaction ratings and loans, and how they count. Today 2024-06-15.
 *   R1 华容区  lead 工行 04-20, 建行 from 05-01;  建行 放款 100 (05-05), 工行 放款 50 (05-06, entered by 华容区金融办)
 *              ratings: 不满意 05-10 (华容区金融办), 满意 06-01 (人民银行) → counts 满意
 *   R2 华容区  lead 工行 04-20;  ratings: 满意 then 不满意, both 05-15 → counts 不满意 (recorded later)
 *   R3 鄂城区  lead 建行 04-20;  工行 授信 30 (05-07, entered by 人民银行);  基本满意 06-02
 *   R4 华容区  rejected 04-05;  R5 华容区  recommended 05-20
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, nameOf, onItsDay, recommend, show } from './cases.js';
import { addAccounts, as, initialised, type Sandbox } from './helpers.js';

const [R1, R2, R3, R4, R5] = [1, 2, 3, 4, 5].map((n) => code(900 + n)) as [string, string, string, string, string];
const [ICBC, CCB] = ['中国工商银行鄂州分行', '中国建设银行鄂州分行'];
let sb: Sandbox;
/** Each command entered on the day its date says (the clock at the event, as staff enter it). */
const run = (args: string[], login = 'tester') => sb.run(args, onItsDay(args, as(login)));
const ok = async (args: string[], login = 'tester') => {
  const r = await run(args, login);
  expect(r.code, `${login}: ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const rate = (c: string, rating: string, date: string, login = 'tester') => run(['satisfaction', c, '--rating', rating, '--date', date], login);
const lend = (c: string, kind: string, amount: string, date: string, login: string, bank?: string) =>
  run(['loan', c, '--kind', kind, '--amount', amount, '--date', date, ...(bank ? ['--bank', bank] : [])], login);
const report = async (kind: string, period: string) => (await ok(['report', kind, '--period', period, '--json'])).json();

beforeAll(async () => {
  sb = await initialised();
  await addAccounts(sb, [
    { login: 'icbc_op', org: ICBC, kind: '金融机构', region: '鄂州市' },
    { login: 'ccb_op', org: CCB, kind: '金融机构', region: '鄂州市' },
    { login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区' },
    { login: 'ec_jrb', org: '鄂城区金融办', kind: '金融办', region: '鄂城区' },
  ]);
  await caseAt(sb, 'assigned', [R1, R2]);
  await caseAt(sb, 'assigned', R3, { district: '鄂城区', bank: '建行' });
  await caseAt(sb, 'declared', R4);
  await ok(['verify', 'reject', R4, '--reason', '经营异常', '--date', '2024-04-05']);
  await recommend(sb, R5, { date: '2024-05-20' });
  await ok(['assign', R1, '--bank', '建行', '--mode', 'designated', '--reason', '工行额度不足', '--date', '2024-05-01']);
}, 60_000);
afterAll(() => sb.cleanup());

describe('satisfaction ratings', () => {
  it('no bank rates a firm it leads or led this year, nor one outside its scope; PBOC and the district office may', async () => {
    const refused = [
      [R2, 'icbc_op', '满意度是企业对主办行服务的评价，不能由本年主办过该企业的银行登记'], // its own firm
      [R1, 'ccb_op', '不能由本年主办过该企业的银行登记'],
    ] as const;
    for (const [c, login, why] of refused) {
      const r = await rate(c, '满意', '2024-05-10', login);
      expect(r.code, `${login} ${c}`).toBe(4);
      expect(r.stderr).toContain(why);
    }
    // A firm outside the unit's scope (another bank's, one 工行 led until 05-01, another district's) answers as an
    // unknown code does (exit 5), naming neither firm nor district.
    for (const [c, login] of [[R3, 'icbc_op'], [R1, 'icbc_op'], [R1, 'ec_jrb'], [code(999), 'ec_jrb']] as const) {
      const r = await rate(c, '满意', '2024-05-10', login);
      expect(r.code, `${login} ${c}`).toBe(5);
      expect(r.stderr).toContain(`没有可查看的企业记录：${c}`);
      expect(r.stderr).not.toMatch(/华容区|鄂城区|实业/);
    }
    expect((await show(sb, R1)).ratings).toEqual([]);
    expect((await rate(R1, '不满意', '2024-05-10', 'hr_jrb')).code).toBe(0);
    expect((await rate(R1, '满意', '2024-06-01')).code).toBe(0);
    expect((await rate(R2, '满意', '2024-05-15', 'hr_jrb')).code).toBe(0);
    expect((await rate(R2, '不满意', '2024-05-15', 'hr_jrb')).code).toBe(0);
    expect((await rate(R3, '基本满意', '2024-06-02')).code).toBe(0);
  });

  it('counts one rating per case per year, the latest; the rate comes from counts, for 合计 too', async () => {
    expect((await show(sb, R1)).ratings).toEqual([{ rating: 'unsatisfied', date: '2024-05-10' }, { rating: 'satisfied', date: '2024-06-01' }]);
    const y = await report('annual', '2024');
    const d = (name: string) => y.districts.find((r: { district: string }) => r.district === name);
    const b = (name: string) => y.banks.find((r: { bank: string }) => r.bank === name);
    // 华容区: R1 满意, R2 不满意; 鄂城区: R3 基本满意
    expect(d('华容区')).toMatchObject({ ratings: 2, satisfaction_rate: 0.5 });
    expect(d('鄂城区')).toMatchObject({ ratings: 1, satisfaction_rate: 1 });
    expect(y.total).toMatchObject({ ratings: 3, satisfaction_rate: 0.6667 }); // 2 of 3, not (0.5 + 1) / 2
    // by the lead bank on the day of the rating counted: 建行 R1 (06-01) and R3, 工行 R2
    expect(b(CCB)).toMatchObject({ ratings: 2, satisfaction_rate: 1 });
    expect(b(ICBC)).toMatchObject({ ratings: 1, satisfaction_rate: 0 });
    expect(y.banks_total).toMatchObject({ bank: '合计', ratings: 3, satisfaction_rate: 0.6667 });
  });
});

describe('loans by their lender', () => {
  it('a bank records only its own loans; finance offices and PBOC record a loan by any bank of their scope', async () => {
    const other = await lend(R1, 'credit', '10', '2024-05-04', 'ccb_op', '工行');
    expect(other.code).toBe(4);
    expect(other.stderr).toContain('中国建设银行鄂州分行的操作员不能登记华容区企业的授信或放款（只能登记本行发放的授信或放款');
    // No longer its firm, another district's firm: out of scope, as unknown as a code never recorded.
    expect((await lend(R1, 'credit', '10', '2024-05-04', 'icbc_op', '工行')).stderr).toContain(`没有可查看的企业记录：${R1}`);
    expect((await lend(R1, 'disbursement', '50', '2024-05-06', 'ec_jrb', '工行')).code).toBe(5);
    expect((await show(sb, R1)).loans).toEqual([]);
    expect((await lend(R1, 'disbursement', '100', '2024-05-05', 'ccb_op')).code).toBe(0);
    expect((await lend(R1, 'disbursement', '50', '2024-05-06', 'hr_jrb', '工行')).code).toBe(0);
    expect((await lend(R3, 'credit', '30', '2024-05-07', 'tester', '工行')).code).toBe(0);
    expect((await show(sb, R1)).loans.map((l: { bank: string; amount: string }) => [l.bank, l.amount])).toEqual([[CCB, '100.00'], [ICBC, '50.00']]);
  });

  it('bank rows count a loan for the lead bank on its day; the detail names the other lender; the bank 合计', async () => {
    const may = await report('monthly', '2024-05');
    const b = (name: string) => may.banks.find((r: { bank: string }) => r.bank === name);
    expect(b(CCB)).toMatchObject({ active: 2, credit_firms: 1, credit_amount: 30, loan_firms: 1, loan_amount: 150 });
    expect(b(ICBC)).toMatchObject({ active: 1, credit_amount: 0, loan_amount: 0 });
    expect(may.banks_total).toEqual({
      bank: '合计', active: 3, credit_firms: 1, credit_amount: 30, loan_firms: 1, loan_amount: 150, first_loan_firms: 0, coaching_done: 0, coaching_ended: 0, feedback: false, feedback_owed: 2, feedback_months: 0,
      // every loan of the year is in May: 本年累计 equals 本期
      credit_firms_ytd: 1, credit_amount_ytd: 30, loan_firms_ytd: 1, loan_amount_ytd: 150, first_loan_firms_ytd: 0,
    });
    // each loan by a bank other than the lead bank on the day of the loan, with both banks
    expect(may.other_lenders).toEqual([
      { district: '华容区', code: R1, name: nameOf(R1), lead_bank: CCB, bank: ICBC, kind: 'disbursement', amount: 50, date: '2024-05-06' },
      { district: '鄂城区', code: R3, name: nameOf(R3), lead_bank: CCB, bank: ICBC, kind: 'credit', amount: 30, date: '2024-05-07' },
    ]);
    // in April R1's lead was still 工行, and nothing was lent
    expect((await report('monthly', '2024-04')).other_lenders).toEqual([]);
  });
});

describe('the enterprise detail', () => {
  const detail = async (period: string, column = '其他放贷银行') => {
    const file = sb.path(`detail-${period}.xlsx`);
    await ok(['report', 'monthly', '--period', period, '--out', file]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    // The detail may print in parts (企业明细（一）, （二）), each with 序号: its rows are joined on 序号.
    const sheets = wb.worksheets.filter((w) => w.name.startsWith('企业明细'));
    expect(sheets.length).toBeGreaterThan(0);
    const byNo = new Map<unknown, Map<string, unknown>>();
    for (const sheet of sheets) {
      // under the title, period and unit lines; the rows are those numbered in 序号 (合计 and the signature line are not)
      const all = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.map((v) => (typeof v === 'string' ? v.replace(/\n/g, '') : v)));
      const header = all.find((r) => r.includes('序号'))!;
      for (const r of all.filter((r) => typeof r[header.indexOf('序号')] === 'number')) {
        const row = byNo.get(r[header.indexOf('序号')]) ?? new Map<string, unknown>();
        header.forEach((h, j) => typeof h === 'string' && row.set(h, r[j]));
        byNo.set(r[header.indexOf('序号')], row);
      }
    }
    return [...byNo.values()].map((r) => [r.get('统一社会信用代码'), r.get(column) ?? null]);
  };

  it('gives each case its stage at the period end: declared or only recommended by then, whatever came later', async () => {
    // all recommended 03-01 and declared 03-05; R1–R3 verified 04-01 and in the list from 04-15, R4 rejected 04-05
    expect(await detail('2024-03', '期末阶段')).toEqual([R3, R1, R2, R4].map((c) => [c, '已申报']));
    expect(await detail('2024-04', '期末阶段')).toEqual([[R3, '已确定主办行'], [R1, '已确定主办行'], [R2, '已确定主办行'], [R4, '未入选']]);
    // R5, recommended 05-20, is not declared by the end of May
    expect(await detail('2024-05', '期末阶段')).toEqual([[R3, '已确定主办行'], [R1, '已确定主办行'], [R2, '已确定主办行'], [R5, '已推荐']]);
  });

  it('lists every case open at some moment of the period, in the district order of the other tables', async () => {
    // 鄂城区 comes first, as in the district table; R4 (rejected 04-05) is in April only, R5 (recommended 05-20) in May only
    expect((await detail('2024-04')).map(([c]) => c)).toEqual([R3, R1, R2, R4]);
    expect((await detail('2024-05')).map(([c]) => c)).toEqual([R3, R1, R2, R5]);
    expect(await detail('2024-02')).toEqual([]);
  });

  it('the workbook shows the other lender and states the scope in 说明', async () => {
    expect(await detail('2024-05')).toEqual([
      [R3, `${ICBC} 授信 30.00 万元（2024-05-07）`],
      [R1, `${ICBC} 放款 50.00 万元（2024-05-06）`],
      [R2, null],
      [R5, null],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('detail-2024-05.xlsx'));
    const banks = (wb.getWorksheet('金融机构')!.getSheetValues() as unknown[][]).filter(Boolean);
    expect(banks.find((r) => r[1] === '合计')!.slice(1, 3)).toEqual(['合计', 3]);
    const notes = JSON.stringify(wb.getWorksheet('说明')!.getSheetValues());
    expect(notes).toContain('统计期间任一时刻处于办理中的企业');
    expect(notes).toContain('流量指标（授信、放款、首贷、服务事项中的融资月份、满意度评价）计入事件发生当天主办该企业的银行，无论由哪家银行发放');
    expect(notes).toContain('辅导事项办结和终止（及服务事项中的辅导事项）计入承办该事项的单位');
  });
});
