/**
 * Returned workbooks as units really send them: made by `collect make` on the scenario database, filled in
 * and re-saved by LibreOffice (test/fixtures/make-collect-libreoffice.mjs made the committed files). The
 * test database is built the same way, so the workbooks' digests match its own `collect make`.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSheetFile, readRows, type SheetRow } from '../src/import/sheets.js';
import { make, ok, S, scenario } from './collect-helpers.js';
import type { Sandbox } from './helpers.js';
import { show as showCase } from './cases.js';
import { zipText } from './zip.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const { CODES, ICBC, HR_ENV, HR_OFFICE, MONTH } = S;
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', 'collect', `${name}.xlsx`);
const show = (code: string) => showCase(sb, code);

async function rows(file: string, sheet: string): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of readRows(file, openSheetFile(file).format)) if (r.sheet === sheet) out.push(r);
  return out;
}

/** The scenario with its workbooks made (recorded), and the fixtures copied into the sandbox. */
async function ready(): Promise<(name: string) => string> {
  sb = await scenario();
  await make(sb);
  return (name) => {
    const to = sb.path(`${name}.xlsx`);
    copyFileSync(fixture(name), to);
    return to;
  };
}

describe('workbooks re-saved by LibreOffice', () => {
  it('are what LibreOffice writes: shared strings, a two-font header as rich text, a date typed as a serial number', async () => {
    const f = fixture('collect-icbc');
    expect(zipText(f, 'docProps/app.xml')).toContain('<Application>LibreOffice');
    const sst = zipText(f, 'xl/sharedStrings.xml');
    expect(sst).toMatch(/<r><rPr>.*?<t xml:space="preserve">\*<\/t><\/r><r><rPr>.*?<t xml:space="preserve">类型<\/t><\/r>/);
    expect(zipText(f, 'xl/worksheets/sheet3.xml')).not.toContain('inlineStr');
    const loans = await rows(f, '放款明细');
    expect(loans.find((r) => r.row === 3)!.cells.map((c) => c.text).slice(0, 4)).toEqual(['统一社会信用代码', '企业名称', '*类型', '金额（万元）']);
    const typed = loans.find((r) => r.row === 4)!.cells;
    expect(typed[4]).toMatchObject({ kind: 'number', num: 45422 });
    expect(typed[2]!.text).toBe('授信');
    expect(typed[0]!.text).toBe(CODES.A); // typed in full-width, read half-width
  });

  it('a bank’s workbook: hand-typed choices with spaces and full-width characters, serial and text dates, rows below the table, a renamed sheet, sorted and deleted pre-filled rows', async () => {
    const copy = await ready();
    // made before the pre-filled totals were titled by their span: 累计授信 / 累计放款 are still read
    expect((await rows(fixture('collect-icbc'), '主办企业')).find((r) => r.row === 3)!.cells.map((c) => c.text).slice(6, 8)).toEqual(['累计授信\n（万元）', '累计放款\n（万元）']);
    const r = await sb.run(['collect', 'import', copy('collect-icbc'), '--json'], { today: '2024-06-09' });
    expect(r.code, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ added: 4, updated: 1, unchanged: 0, withdrawn: 0, errors: [] });
    expect(doc.warnings).toEqual([
      'collect-icbc.xlsx：工作表「放款明细」按表头识别为「授信放款」',
      'collect-icbc.xlsx：「主办企业」有 1 行预填企业被删除（仅供核对，不影响导入）',
      'collect-icbc.xlsx：跳过 1 行表尾（合计、填表人等）',
    ]);
    expect((await show(CODES.A)).loans).toContainEqual({ kind: 'credit', amount: '500.00', date: '2024-05-10', bank: ICBC, rate: '3.95', term_months: 12, guarantee: '信用', first_loan: false });
    const b = (await show(CODES.B)).loans;
    expect(b).toContainEqual({ kind: 'disbursement', amount: '80.00', date: '2024-05-20', bank: ICBC, rate: '4.20', term_months: 6, guarantee: '保证', first_loan: true });
    expect(b).toContainEqual({ kind: 'credit', amount: '200.00', date: '2024-05-25', bank: ICBC, rate: null, term_months: null, guarantee: '抵押', first_loan: false });
    expect((await ok(sb, ['coach', 'list', '--json'])).json().find((i: { id: number }) => i.id === 2)).toMatchObject({ status: 'done', closed_on: '2024-05-28' });
    const fb = (await ok(sb, ['report', 'monthly', '--period', MONTH, '--json'])).json().banks.find((x: { bank: string }) => x.bank === ICBC);
    expect(fb).toMatchObject({ feedback: true, credit_amount: 700, loan_amount: 130 });
    const again = await sb.run(['collect', 'import', copy('collect-icbc'), '--json'], { today: '2024-06-09' });
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 5, withdrawn: 0 });
  });

  it('a bank’s workbook with mistakes: each named by sheet, row, column and value; nothing written', async () => {
    const copy = await ready();
    const r = await sb.run(['collect', 'import', copy('collect-icbc-bad'), '--json'], { today: '2024-06-09' });
    expect(r.code).toBe(3);
    const where = JSON.parse(r.stderr).error.details.map((d: { sheet: string; row: number; column: string; value: string }) => [d.sheet, d.row, d.column, d.value]);
    expect(where).toEqual([
      ['主办企业', 4, '企业名称', '鄂州华晟机械有限公司（新）'],
      ['授信放款', 4, '统一社会信用代码', CODES.C],
      ['授信放款', 5, '日期', '2024-06-02'],
      ['辅导事项', 4, '办理情况', '已完成'],
      ['辅导事项', 6, '编号', '1'],
    ]);
    expect((await show(CODES.B)).loans).toHaveLength(1);
  });

  it('a department’s and a district’s workbooks: an item done with a date cell; the feedback, a sorted list with a row deleted', async () => {
    const copy = await ready();
    const r = await sb.run(['collect', 'import', copy('collect-dept'), copy('collect-district'), '--json'], { today: '2024-06-07' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ added: 1, updated: 1, unchanged: 0 });
    expect(r.json().warnings).toEqual(['collect-district.xlsx：「在库企业」有 1 行预填企业被删除（仅供核对，不影响导入）']);
    expect((await ok(sb, ['coach', 'list', '--json'])).json().find((i: { id: number }) => i.id === 1)).toMatchObject({ status: 'done', closed_on: '2024-05-30', note: '已补办环评批复' });
    const s = (await ok(sb, ['collect', 'status', '--month', MONTH, '--json'])).json().units;
    expect(s.find((u: { unit: string }) => u.unit === HR_ENV)).toMatchObject({ received_on: '2024-06-07', on_time: true, rows: 1 });
    expect(s.find((u: { unit: string }) => u.unit === HR_OFFICE)).toMatchObject({ received_on: '2024-06-07', on_time: true, rows: 1 });
  });
});
