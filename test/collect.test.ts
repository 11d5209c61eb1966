/**
 * The monthly collection round trip through the CLI (collect make → a unit fills in → collect import →
 * figures), on the scenario of test/fixtures/collect-scenario.mjs. Workbooks are filled here with exceljs;
 * test/collect-files.test.ts reads workbooks filled and re-saved by LibreOffice.
 */
import ExcelJS from 'exceljs';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linesIn, MIN_PRINTED_PT, PRINTABLE, printedSize, rowHeight } from '../src/render/sheet-layout.js';
import { feedback, fill, loans, make, ok, progress, renamed, rowOf, S, scenario } from './collect-helpers.js';
import { addAccounts, as, type Sandbox } from './helpers.js';
import { show as showCase } from './cases.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const { CODES, NAMES, ICBC, ABC, HR_ENV, HR_LAND, HR_OFFICE, MONTH } = S;
const show = (code: string) => showCase(sb, code);
const loansOf = async (code: string) => (await show(code)).loans.map((l: { kind: string; amount: string; date: string; bank: string }) => `${l.kind} ${l.amount} ${l.date} ${l.bank}`);
const status = async (month = MONTH) => (await ok(sb, ['collect', 'status', '--month', month, '--json'])).json();
const unitStatus = async (unit: string) => (await status()).units.find((u: { unit: string }) => u.unit === unit);
/** Imported on the day the workbooks come back (S.RECEIVED) unless `today` says. */
const importJson = async (files: string[], extra: string[] = [], today = S.RECEIVED) => sb.run(['collect', 'import', ...files, '--json', ...extra], { today });
const monthly = async () => (await ok(sb, ['report', 'monthly', '--period', MONTH, '--json'])).json();
const item = async (id: number) => (await ok(sb, ['coach', 'list', '--json'])).json().find((i: { id: number }) => i.id === id);

/** 工行 fills in: a 授信 to A, a first 放款 to B, item #2 done, the feedback. */
async function icbcFilled(src: string): Promise<string> {
  return fill(sb, src, (wb) => {
    loans(wb, [
      [CODES.A, '授信', 500, '2024-05-10', 3.95, 12, '信用', '否', '续贷'],
      [CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证', '是'],
    ]);
    progress(wb, 2, '办结', '2024-05-28');
    feedback(wb, '本月走访主办企业 3 家，授信 500 万元，放款 80 万元。');
  });
}

describe('collect make', () => {
  it('makes one workbook per unit that reports, each with only its own data, protected, with drop-downs and _xypz', async () => {
    sb = await scenario();
    const books = await make(sb);
    expect(Object.keys(books).sort()).toEqual(
      ['鄂城区金融办', HR_OFFICE, '梁子湖区金融办', '葛店经济技术开发区金融办', '临空经济区金融办', ICBC, ABC, HR_ENV, HR_LAND].sort(),
    );
    for (const [unit, file] of Object.entries(books)) expect(basename(file)).toBe(`${MONTH}-${unit}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(books[ICBC]!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['填报说明', '主办企业', '授信放款', '辅导事项', '月度反馈', '_xypz']);
    expect(wb.getWorksheet('_xypz')!.state).toBe('hidden');
    const firms = wb.getWorksheet('主办企业')!;
    expect(firms.getCell('A1').value).toBe(`${ICBC} 2024年5月 信用培植工程数据报送`);
    expect(firms.getCell('A2').value).toBe(`填报单位：${ICBC}　报送截止：2024年6月10日`);
    expect(firms.getRow(3).values).toEqual([undefined, '序号', '统一社会信用代码', '企业名称', '所在区', '分类', '阶段', '截至月末\n累计授信\n（万元）', '截至月末\n累计放款\n（万元）']);
    // a title wider than its column breaks between words, never before a lone bracket
    expect(wb.getWorksheet('授信放款')!.getRow(3).values).toEqual(expect.arrayContaining(['金额\n（万元）', '年利率\n（%）', '期限\n（月）']));
    // 工行's firms only: not C, which 农行 leads; its own credit to A (by command, in April) counted.
    const codes = [4, 5, 6].map((r) => firms.getCell(`B${r}`).value);
    expect(codes).toEqual([CODES.A, CODES.B, CODES.D]);
    expect(firms.getCell('B7').value).toBeNull();
    expect(firms.getRow(4).values).toEqual([undefined, 1, CODES.A, NAMES.A, '华容区', '融资类', '已确定主办行', 300, 0]);
    // Amounts are numbers, shown with two decimals.
    expect(firms.getCell('G4').numFmt).toBe('0.00');
    // Protection without a password; pre-filled locked, fill-in unlocked.
    const loanSheet = wb.getWorksheet('授信放款')!;
    for (const ws of [firms, loanSheet]) {
      const protection = (ws as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
      expect(protection).toMatchObject({ sheet: true });
      expect(protection).not.toHaveProperty('hashValue');
    }
    expect(firms.getCell('C4').protection?.locked).not.toBe(false);
    expect(loanSheet.getCell('C4').protection).toMatchObject({ locked: false });
    expect(loanSheet.getCell('B4').protection?.locked).not.toBe(false);
    const items = wb.getWorksheet('辅导事项')!;
    expect(items.getCell('A4').value).toBe(2); // only the item handed to 工行
    expect(items.getCell('A5').value).toBeNull();
    expect(items.getCell('G4').protection).toMatchObject({ locked: false });
    expect(items.getCell('D4').protection?.locked).not.toBe(false);
    // Drop-downs for every closed choice.
    const dv = (ws: ExcelJS.Worksheet, addr: string) => (ws as unknown as { dataValidations: { find(a: string): { type: string; formulae: string[] } | undefined } }).dataValidations.find(addr);
    expect(dv(loanSheet, 'C4')).toMatchObject({ type: 'list', formulae: ['"授信,放款"'] });
    expect(dv(loanSheet, 'H10')).toMatchObject({ type: 'list', formulae: ['"信用,保证,抵押,质押"'] });
    expect(dv(loanSheet, 'I4')).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(dv(loanSheet, 'A4')).toMatchObject({ type: 'list', formulae: ["'主办企业'!$B$4:$B$6"] });
    expect(dv(items, 'G4')).toMatchObject({ type: 'list', formulae: ['"进行中,办结,未办成"'] });
    // Every data sheet prints at 10 pt or more on landscape A4 once scaled to the page width; long text wraps.
    for (const ws of [firms, loanSheet, items, wb.getWorksheet('月度反馈')!]) {
      const width = Array.from({ length: ws.columnCount }, (_, i) => ws.getColumn(i + 1).width ?? 9).reduce((s, w) => s + w, 0);
      expect(ws.pageSetup.orientation, ws.name).toBe('landscape');
      expect(printedSize(width, 'landscape'), ws.name).toBeGreaterThanOrEqual(MIN_PRINTED_PT);
    }
    expect(items.getCell('D4').alignment?.wrapText).toBe(true);
    const meta = wb.getWorksheet('_xypz')!;
    expect([meta.getCell('A1').value, meta.getCell('A3').value, meta.getCell('B3').value, meta.getCell('A5').value]).toEqual(['unit_code', 'month', MONTH, 'digest']);
    expect(String(meta.getCell('B5').value)).toMatch(/^[0-9a-f]{64}$/);
    const guide = wb.getWorksheet('填报说明')!;
    const text = guide.getColumn(1).values.join('\n');
    expect(text).toContain('2024年6月10日前');
    expect(text).toContain('不要修改');
    expect(text).toContain('如有疑问，请联系：中国人民银行鄂州市分行 测试员');
    // Merged cells do not grow with wrapped text: every line of the guide has a row tall enough for all of it.
    guide.eachRow((row, n) => {
      const line = String(row.getCell(1).value ?? '');
      if (n > 3 && linesIn(line, PRINTABLE.portrait) > 1) expect(row.height ?? 0, line).toBeGreaterThanOrEqual(rowHeight(linesIn(line, PRINTABLE.portrait)));
    });

    // A department's workbook: its coaching item only.
    const dept = new ExcelJS.Workbook();
    await dept.xlsx.readFile(books[HR_ENV]!);
    expect(dept.worksheets.map((w) => w.name)).toEqual(['填报说明', '辅导事项', '_xypz']);
    expect(dept.getWorksheet('辅导事项')!.getRow(4).values).toEqual([undefined, 1, CODES.D, NAMES.D, '补办环评手续', HR_ENV, '2024-05-31', '进行中']);
    // A district's: its list at the month's start and the feedback.
    const office = new ExcelJS.Workbook();
    await office.xlsx.readFile(books[HR_OFFICE]!);
    expect(office.worksheets.map((w) => w.name)).toEqual(['填报说明', '在库企业', '月度反馈', '_xypz']);
    expect(office.getWorksheet('在库企业')!.getColumn(2).values.slice(4)).toEqual([CODES.A, CODES.B, CODES.C, CODES.D]);
  });

  it('--unit makes only the units named; a unit with nothing to report is refused', async () => {
    sb = await scenario();
    expect(Object.keys(await make(sb, MONTH, ['--unit', '农行', HR_ENV]))).toEqual([ABC, HR_ENV]);
    const none = await sb.run(['collect', 'make', '--month', MONTH, '--out', sb.path('x'), '--unit', '建行']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('中国建设银行鄂州分行不需要报送2024年5月的数据');
    const future = await sb.run(['collect', 'make', '--month', '2024-07', '--out', sb.path('x')]);
    expect(future.code).toBe(3);
  });
});

describe('collect import', () => {
  it('records loans as the bank’s, coaching progress and the feedback, audited as the importing user; re-importing changes nothing', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const file = await icbcFilled(books[ICBC]!);
    const r = await importJson([file]);
    expect(r.code, r.stderr).toBe(0);
    // 2 loans added, item #2 updated, the feedback added.
    expect(r.json()).toMatchObject({ added: 3, updated: 1, unchanged: 0, withdrawn: 0, written: true, rows: 4, errors: [] });
    expect(await loansOf(CODES.A)).toEqual([`credit 300.00 2024-04-25 ${ICBC}`, `credit 500.00 2024-05-10 ${ICBC}`]);
    expect((await show(CODES.B)).loans).toContainEqual({ kind: 'disbursement', amount: '80.00', date: '2024-05-20', bank: ICBC, rate: '4.20', term_months: 6, guarantee: '保证', first_loan: true });
    expect(await item(2)).toMatchObject({ status: 'done', closed_on: '2024-05-28' });
    // The workbook's loans: one history entry per firm listing them; one audit entry per workbook listing all.
    const history = (await show(CODES.A)).history.at(-1);
    expect(history).toMatchObject({ kind: 'loans_reported', date: '2024-05-10', actor: 'tester', details: { lender: ICBC, month: '2024年5月', loans: ['授信 500.00 万元（2024-05-10，年利率 3.95%，12 个月，信用，续贷）'] } });
    const audit = (await ok(sb, ['audit', 'log', '--json'])).json().filter((a: { command: string }) => a.command === 'collect import');
    expect(audit.every((a: { actor: string }) => a.actor === 'tester')).toBe(true);
    expect(audit.find((a: { entity: string; after: { loans_added?: string[] } }) => a.entity === 'collection_return' && a.after.loans_added)?.after.loans_added).toEqual([
      `${CODES.A} 授信 500.00 2024-05-10`,
      `${CODES.B} 放款 80.00 2024-05-20`,
    ]);
    expect(audit.filter((a: { entity: string }) => a.entity === 'case')).toEqual([expect.objectContaining({ entity_id: CODES.D })]);
    expect(audit.filter((a: { entity: string }) => a.entity === 'feedback')).toHaveLength(1);
    const missing = (await ok(sb, ['feedback', 'missing', '--month', MONTH, '--json'])).json();
    expect(missing.map((m: { name: string }) => m.name)).not.toContain(ICBC);
    const f = await monthly();
    const bank = f.banks.find((b: { bank: string }) => b.bank === ICBC);
    // The feedback was received on the day the workbook came back, the 10th: on time, counted as the month's.
    expect(bank).toMatchObject({ credit_firms: 1, credit_amount: 500, loan_firms: 1, loan_amount: 130, first_loan_firms: 1, feedback: true });
    const late = (await ok(sb, ['report', 'overdue', '--month', MONTH, '--json'])).json().feedback_late;
    expect(late).not.toContainEqual(expect.objectContaining({ name: ICBC }));
    expect(await unitStatus(ICBC)).toMatchObject({ made: true, received_on: S.RECEIVED, returns: 1, rows: 4, on_time: true });

    const again = await importJson([file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 4, withdrawn: 0, written: true });
    expect(await loansOf(CODES.A)).toHaveLength(2);
    expect(await unitStatus(ICBC)).toMatchObject({ returns: 1, rows: 4 });
  });

  it('a loan row typed twice is imported as two loans, and pointed out', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const twice = await fill(sb, books[ICBC]!, (wb) => {
      loans(wb, [
        [CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证', '否'],
        [CODES.A, '授信', 500, '2024-05-10', 3.95, 12, '信用', '否'],
        [CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证', '否'],
        [CODES.B, '放款', 80, '2024-05-21', 4.2, 6, '保证', '否'],
      ]);
    });
    const earlier = (await loansOf(CODES.B)).length;
    const r = await importJson([twice]);
    expect(r.code, r.stderr).toBe(0);
    const same = r.json().warnings.filter((w: string) => w.includes('完全相同'));
    expect(same).toEqual([expect.stringContaining('「授信放款」第 6 行与第 4 行完全相同，两笔都已计入')]);
    expect(await loansOf(CODES.B)).toHaveLength(earlier + 3);
  });

  it('a corrected workbook replaces the unit’s earlier rows for the month, with the audit trail; rows entered by command stay', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const filled = await icbcFilled(books[ICBC]!);
    const before = await sb.fingerprint();
    const month13 = await sb.run(['collect', 'make', '--month', '2024-13', '--out', sb.path('m13')]);
    expect(month13.code).toBe(2); // a bad option value is a usage error, as for every --month
    expect(month13.stderr).toContain('--month 的值「2024-13」不是月份');
    const future = await importJson([filled], ['--received', '2099-01-01']);
    expect(future.code).toBe(3);
    expect(future.stderr).toContain('--received 2099-01-01 晚于今天');
    expect(await sb.fingerprint()).toBe(before);
    // received on 06-05, corrected by the bank on 06-09, both before the month's cut-off
    expect((await importJson([filled], [], '2024-06-05')).code).toBe(0);
    const corrected = await fill(sb, books[ICBC]!, (wb) => {
      loans(wb, [[CODES.B, '放款', 60, '2024-05-20', 4.2, 6, '保证', '是']]);
      progress(wb, 2, '进行中');
      feedback(wb, '本月走访主办企业 3 家，授信 500 万元，放款 80 万元。');
    });
    const r = await importJson([corrected], [], '2024-06-09');
    expect(r.code, r.stderr).toBe(0);
    // A's 500 and B's 80 withdrawn, B's 60 added, item #2 reopened; the feedback text is the same: unchanged.
    expect(r.json()).toMatchObject({ added: 1, updated: 0, unchanged: 1, withdrawn: 3 });
    expect(await loansOf(CODES.A)).toEqual([`credit 300.00 2024-04-25 ${ICBC}`]);
    expect(await loansOf(CODES.B)).toEqual([`disbursement 50.00 2024-05-06 ${ICBC}`, `disbursement 60.00 2024-05-20 ${ICBC}`]);
    expect(await item(2)).toMatchObject({ status: 'open', closed_on: null });
    const a = await show(CODES.A);
    expect(a.history.map((h: { kind: string }) => h.kind).slice(-2)).toEqual(['loans_reported', 'loans_withdrawn']);
    expect(a.history.at(-1)).toMatchObject({ date: '2024-06-09', actor: 'tester', details: { lender: ICBC, loans: [expect.stringContaining('授信 500.00 万元（2024-05-10')] } });
    expect((await show(CODES.D)).history.at(-1)).toMatchObject({ kind: 'coach_reopened' });
    const bank = (await monthly()).banks.find((b: { bank: string }) => b.bank === ICBC);
    expect(bank).toMatchObject({ credit_firms: 0, credit_amount: 0, loan_amount: 110, feedback: true });
    // The feedback kept its first date (on time).
    expect(await unitStatus(ICBC)).toMatchObject({ received_on: '2024-06-05', corrected_on: '2024-06-09', returns: 2, rows: 3, on_time: true });
    const audit = (await ok(sb, ['audit', 'log', '--json'])).json();
    // B's 首贷 of 80, replaced by its 首贷 of 60, is withdrawn before the new one is written (a firm never has two)
    expect(audit.find((e: { entity: string; after: { loans_withdrawn?: string[] } }) => e.entity === 'collection_return' && e.after?.loans_withdrawn?.length)?.after.loans_withdrawn).toEqual([
      `${CODES.B} 放款 80.00 2024-05-20`,
      `${CODES.A} 授信 500.00 2024-05-10`,
    ]);
  });

  it('a department reports an item done or failed; a district its feedback, received the day it is imported', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', HR_ENV, HR_OFFICE]);
    const dept = await fill(sb, books[HR_ENV]!, (wb) => progress(wb, 1, '未办成', new Date('2024-05-30T00:00:00Z'), '企业未能提供用地证明'));
    const office = await fill(sb, books[HR_OFFICE]!, (wb) => feedback(wb, '华容区本月新增入库 0 家，在库 4 家，均已确定主办行。'));
    const r = await importJson([dept, office], [], '2024-06-08');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ added: 1, updated: 1, unchanged: 0 });
    expect(await item(1)).toMatchObject({ status: 'failed', closed_on: '2024-05-30', note: '企业未能提供用地证明' });
    expect((await ok(sb, ['feedback', 'missing', '--month', MONTH, '--json'])).json().map((m: { name: string }) => m.name)).not.toContain('华容区');
    expect(await unitStatus(HR_OFFICE)).toMatchObject({ received_on: '2024-06-08', on_time: true, rows: 1 });
    expect(await unitStatus(HR_ENV)).toMatchObject({ received_on: '2024-06-08', on_time: true, rows: 1 });
    expect((await monthly()).districts.find((d: { district: string }) => d.district === '华容区')).toMatchObject({ feedback: true, coaching_done: 1 });
  });

  it('a firm the bank does not lead, an item not handed to the unit, a date outside the month, a changed pre-filled cell: exit 3 naming each cell, nothing written', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const mistyped = CODES.A.slice(0, 17) + (CODES.A[17] === '0' ? '1' : '0'); // A's code, the check character mistyped
    const bad = await fill(sb, books[ICBC]!, (wb) => {
      loans(wb, [
        [CODES.A, '授信', 500, '2024-05-10'],
        [CODES.C, '授信', 200, '2024-05-11'],
        [CODES.B, '放款', 80, '2024-06-02'],
        [mistyped, '授信', 100, '2024-05-12'],
      ]);
      rowOf(wb.getWorksheet('主办企业')!, 2, CODES.B).getCell(3).value = '鄂州楚天新材料股份有限公司';
      const items = wb.getWorksheet('辅导事项')!;
      items.getRow(5).values = [1, CODES.D, NAMES.D, '补办环评手续', HR_ENV, '2024-05-31', '办结', '2024-05-20'];
      items.getCell('D4').value = '完善财务制度（已改）';
    });
    const r = await importJson([bad], ['--errors', sb.path('errors.xlsx')]);
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({ written: false, added: 0 });
    const details = JSON.parse(r.stderr).error.details;
    const at = (sheet: string, row: number, column: string) => details.find((d: { sheet: string; row: number; column: string }) => d.sheet === sheet && d.row === row && d.column === column);
    expect(at('授信放款', 5, '统一社会信用代码')).toMatchObject({ value: CODES.C, reason: expect.stringContaining('不是该企业的主办行') });
    expect(at('授信放款', 6, '日期')).toMatchObject({ value: '2024-06-02', reason: expect.stringContaining('不在2024年5月内') });
    expect(at('主办企业', 5, '企业名称')).toMatchObject({ reason: expect.stringContaining('预填的单元格被改动') });
    expect(at('辅导事项', 4, '事项')).toMatchObject({ reason: expect.stringContaining('预填的单元格被改动') });
    expect(at('辅导事项', 5, '编号')).toMatchObject({ reason: `辅导事项 #1 交给${HR_ENV}办理，不是交给${ICBC}的` });
    expect(at('授信放款', 7, '统一社会信用代码')).toMatchObject({ value: mistyped, reason: `统一社会信用代码校验位不符（应为 ${CODES.A[17]}）` });
    expect(details).toHaveLength(6);
    expect(await loansOf(CODES.A)).toHaveLength(1);
    expect(await unitStatus(ICBC)).toMatchObject({ returns: 0, received_on: null });
    expect(existsSync(sb.path('errors.xlsx'))).toBe(true);
  });

  it('the --errors copy keeps _xypz and shows each message whole: the bank corrects the copy and it imports', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const bad = await fill(sb, books[ICBC]!, (wb) => {
      loans(wb, [
        [CODES.A, '授信', 500, '2024-05-10'],
        [CODES.B, '放款', 80, '2024-06-02'],
      ]);
      progress(wb, 2, '办结', '2024-06-03');
    });
    const copy = sb.path('2024-05-工行-错误.xlsx');
    expect((await importJson([bad], ['--errors', copy])).code).toBe(3);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(copy);
    expect(wb.getWorksheet('_xypz')!.state).toBe('hidden');
    // Every sheet with a 错误说明 column prints one landscape page wide at 10 pt or more: the 辅导事项 sheet
    // alone uses the page, so its columns of Chinese text narrow and wrap, each row as tall as its lines.
    // A sheet without problems is the workbook's own.
    const original = new ExcelJS.Workbook();
    await original.xlsx.readFile(books[ICBC]!);
    const widths = (ws: ExcelJS.Worksheet) => Array.from({ length: ws.columnCount }, (_, i) => ws.getColumn(i + 1).width ?? 9);
    const marked = wb.worksheets.filter((ws) => (ws.getRow(3).values as unknown[]).includes('错误说明')).map((ws) => ws.name);
    expect(marked.sort()).toEqual(['授信放款', '辅导事项']);
    for (const name of marked) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.pageSetup, name).toMatchObject({ orientation: 'landscape', fitToWidth: 1 });
      expect(printedSize(widths(ws).reduce((a, b) => a + b, 0), 'landscape'), name).toBeGreaterThanOrEqual(MIN_PRINTED_PT);
      widths(ws).forEach((w, i) => {
        const was = original.getWorksheet(name)!.getColumn(i + 1).width ?? 9;
        if (w >= was) return;
        ws.eachRow((row, n) => {
          const cell = row.getCell(i + 1);
          if (n < 3 || cell.value === null) return;
          expect(cell.alignment?.wrapText, `${name}!${cell.address}`).toBe(true);
          expect(row.height ?? 15, `${name}!${cell.address}`).toBeGreaterThanOrEqual(rowHeight(linesIn(String(cell.value), w)));
        });
      });
    }
    const items = wb.getWorksheet('辅导事项')!;
    expect(widths(items).slice(0, 9)).not.toEqual(widths(original.getWorksheet('辅导事项')!));
    expect(String(items.getRow(4).getCell(10).value)).toContain('不在2024年5月内');
    expect(widths(wb.getWorksheet('主办企业')!)).toEqual(widths(original.getWorksheet('主办企业')!));
    // The message in its row, the row tall enough for every line of it; in 错误汇总 too.
    const sheet = wb.getWorksheet('授信放款')!;
    const note = sheet.getRow(3).values as unknown[];
    const noteCol = note.indexOf('错误说明');
    const message = String(sheet.getRow(5).getCell(noteCol).value);
    expect(message).toContain('不在2024年5月内');
    const lines = Math.ceil((message.length * 2) / (sheet.getColumn(noteCol).width! - 3));
    expect(sheet.getRow(5).height).toBeGreaterThanOrEqual(lines * 11 * 1.2);
    const summary = wb.getWorksheet('错误汇总')!;
    expect(summary.getRow(2).height).toBeGreaterThan(15);
    // The bank corrects the date in the copy and sends it back: it imports as the workbook it was made as.
    const fixed = await fill(sb, copy, (w) => {
      w.getWorksheet('授信放款')!.getCell('E5').value = '2024-05-20';
      w.getWorksheet('辅导事项')!.getCell('H4').value = '2024-05-28';
    }, `${MONTH}-${ICBC}.xlsx`);
    const r = await importJson([fixed]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ written: true, added: 2, errors: [] });
  });

  it('refuses a workbook of another unit or month passed as this one, a changed title, an edited _xypz, and one not made here', async () => {
    sb = await scenario();
    const books = await make(sb);
    const april = await make(sb, '2024-04', ['--unit', '工行']);
    const expectFileProblem = async (file: string, text: string, where: Record<string, unknown> = {}) => {
      const r = await importJson([file]);
      expect(r.code, r.stderr).toBe(3);
      expect(JSON.parse(r.stderr).error.details).toEqual([expect.objectContaining({ ...where, reason: expect.stringContaining(text) })]);
    };
    await expectFileProblem(renamed(sb, books[ICBC]!, `${MONTH}-${ABC}.xlsx`), `表内（_xypz 工作表）记录的是${ICBC}2024年5月的报送表`);
    await expectFileProblem(renamed(sb, april[ICBC]!, `${MONTH}-${ICBC}.xlsx`), `记录的是${ICBC}2024年4月的报送表`);
    const retitled = await fill(sb, books[ICBC]!, (wb) => (wb.getWorksheet('授信放款')!.getCell('A1').value = `${ABC} 2024年5月 信用培植工程数据报送`), 'x.xlsx');
    await expectFileProblem(retitled, '与本报送表不符', { sheet: '授信放款', row: 1, column: 'A' });
    const tampered = await fill(sb, books[ICBC]!, (wb) => (wb.getWorksheet('_xypz')!.getCell('B3').value = '2024-04'), 'y.xlsx');
    await expectFileProblem(tampered, '_xypz 工作表被改动', { sheet: '_xypz', column: 'digest' });
    // A workbook made on another database (same unit and month, other contents).
    const other = await scenario();
    const foreign = await make(other, MONTH, ['--unit', '工行']);
    await ok(other, ['loan', CODES.A, '--kind', 'credit', '--amount', '1', '--date', '2024-05-02'], { today: '2024-05-02' });
    const otherBooks = await make(other, MONTH, ['--unit', '工行']);
    await expectFileProblem(renamed(sb, otherBooks[ICBC]!, 'z.xlsx'), '不是本数据库为中国工商银行鄂州分行生成的2024年5月报送表');
    expect(foreign[ICBC]).toBeDefined();
    other.cleanup();
    const twice = await importJson([books[ICBC]!, renamed(sb, books[ICBC]!, 'copy.xlsx')]);
    expect(twice.code).toBe(3);
    expect(JSON.parse(twice.stderr).error.details[0].reason).toContain('同一单位同一月份一次只导入一份');
    expect(await unitStatus(ICBC)).toMatchObject({ returns: 0 });
  });

  it('a bank’s own account imports its workbook; another bank’s account cannot', async () => {
    sb = await scenario();
    await addAccounts(sb, [
      { login: 'icbc_op', org: ICBC, kind: '金融机构', region: '鄂州市' },
      { login: 'abc_op', org: ABC, kind: '金融机构', region: '鄂州市', phone: '13800000002' },
    ]);
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const file = await icbcFilled(books[ICBC]!);
    const refused = await sb.run(['collect', 'import', file, '--json'], { ...as('abc_op'), today: S.RECEIVED });
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stderr).error.details[0].reason).toContain(`${ABC}的账号不能导入${ICBC}2024年5月的报送表`);
    const own = await sb.run(['collect', 'import', file, '--json'], { ...as('icbc_op'), today: S.RECEIVED });
    expect(own.code, own.stderr).toBe(0);
    expect((await show(CODES.A)).history.at(-1)).toMatchObject({ kind: 'loans_reported', actor: 'icbc_op' });
  });

  it('--dry-run and --partial follow the batch rules; a partial import withdraws nothing', async () => {
    sb = await scenario();
    const books = await make(sb, MONTH, ['--unit', ICBC]);
    const dry = await importJson([await icbcFilled(books[ICBC]!)], ['--dry-run']);
    expect(dry.json()).toMatchObject({ added: 3, written: false });
    expect(await loansOf(CODES.A)).toHaveLength(1);
    expect(await unitStatus(ICBC)).toMatchObject({ returns: 0 });
    expect((await importJson([await icbcFilled(books[ICBC]!)])).code).toBe(0);
    const partly = await fill(sb, books[ICBC]!, (wb) => {
      loans(wb, [[CODES.B, '放款', 'abc', '2024-05-20']]);
      progress(wb, 2, '办结', '2024-05-28');
    });
    const r = await importJson([partly], ['--partial']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ written: true, withdrawn: 0, errors: [expect.objectContaining({ sheet: '授信放款', row: 4, column: '金额（万元）' })] });
    expect(r.json().warnings).toContainEqual(expect.stringContaining('此前报送的记录一概保留'));
    expect(await loansOf(CODES.A)).toHaveLength(2);
  });
});

describe('collect status and report overdue', () => {
  it('lists every unit expected, made or not, back or not, on time or not; overdue lists those not back after the deadline', async () => {
    sb = await scenario();
    const before = await status();
    expect(before.deadline).toBe('2024-06-10');
    expect(before.units).toHaveLength(9);
    expect(before.units.every((u: { made: boolean }) => !u.made)).toBe(true);
    // Nothing sent: nothing overdue.
    expect((await ok(sb, ['report', 'overdue', '--month', MONTH, '--json'])).json().collection).toEqual([]);
    const books = await make(sb, MONTH, ['--unit', '工行', '农行']);
    const overdue = async () => (await ok(sb, ['report', 'overdue', '--month', MONTH, '--json'])).json().collection.map((c: { unit: string }) => c.unit);
    expect(await overdue()).toEqual([ICBC, ABC]);
    // Before the deadline, not overdue yet.
    const early = await sb.run(['report', 'overdue', '--month', MONTH, '--json'], { today: '2024-06-09' });
    expect(early.json().collection).toEqual([]);
    expect((await importJson([books[ICBC]!], [], '2024-06-10')).code).toBe(0);
    expect(await overdue()).toEqual([ABC]);
    const s = await status();
    expect(s.units.find((u: { unit: string }) => u.unit === ICBC)).toMatchObject({ made: true, received_on: '2024-06-10', on_time: true, rows: 1 });
    expect(s.units.find((u: { unit: string }) => u.unit === ABC)).toMatchObject({ made: true, received_on: null, on_time: false });
    expect(s.units.find((u: { unit: string }) => u.unit === HR_OFFICE)).toMatchObject({ made: false, on_time: false });
    const text = await ok(sb, ['collect', 'status', '--month', MONTH]);
    expect(text.stdout).toContain('逾期未交');
    expect(text.stdout).toContain('应报 9 个单位，已交回 1 个');
    const overdueText = await ok(sb, ['report', 'overdue', '--month', MONTH]);
    expect(overdueText.stdout).toContain(`六、2024-05 月度报送表逾期未交回（截止 2024-06-10）：${ABC}`);
    // The workbook carries the same sixth list as the terminal.
    await ok(sb, ['report', 'overdue', '--month', MONTH, '--out', sb.path('督办.xlsx')]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('督办.xlsx'));
    const sheet = wb.getWorksheet('报送表逾期未交回')!;
    expect(String(sheet.getCell('A1').value)).toContain('月度报送表逾期未交回');
    const rows = (sheet.getSheetValues() as unknown[][]).filter((row) => row && typeof row[1] === 'number');
    expect(rows.map((row) => row[2])).toEqual([ABC]);
  });
});

describe('coach list --out', () => {
  it('writes the list handed to one department as a printable table', async () => {
    sb = await scenario();
    const r = await ok(sb, ['coach', 'list', '--org', HR_ENV, '--out', sb.path('辅导清单.xlsx'), '--json']);
    expect(r.json()).toMatchObject({ items: 1 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('辅导清单.xlsx'));
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('信用培植工程辅导清单');
    expect(ws.getCell('A2').value).toBe(`承办单位：${HR_ENV}`);
    // The 填报单位 line and the date once, in the signature line, as on every form; 宋体 of at least 10 pt.
    expect(ws.getCell('A3').value).toMatch(/^填报单位：/);
    expect(ws.getRow(5).values).toEqual([undefined, 1, NAMES.D, CODES.D, '华容区', '补办环评手续', undefined, '2024-04-25', '2024-05-31', '逾期未办结']);
    const texts = (ws.getSheetValues() as unknown[][]).flatMap((row) => (row ?? []).filter((v) => typeof v === 'string') as string[]);
    expect([...new Set(texts.filter((t) => t.includes('年') && t.includes('月') && t.includes('日')))]).toEqual([expect.stringMatching(/^报出日期：\d{4}年\d{1,2}月\d{1,2}日$/)]);
    expect(texts).toContain('填表人：');
    ws.eachRow((row) => row.eachCell((c) => {
      expect(c.font?.name).toBe('宋体');
      expect(c.font?.size).toBeGreaterThanOrEqual(10);
    }));
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '4:4' });
    // printed no smaller than 10 pt once scaled to the page width
    const width = Array.from({ length: 11 }, (_, i) => ws.getColumn(i + 1).width ?? 9).reduce((s, w) => s + w, 0);
    expect(11 * Math.min(1, 143 / width)).toBeGreaterThanOrEqual(10);
  });
});
