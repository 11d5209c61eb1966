/**
 * Every kind of document the tool writes, printed as LibreOffice prints it: each report in each office format,
 * the city's and the districts' narratives, 督办清单, 台账, 报备表, 辅导清单, 核查报告, the blank templates, a
 * unit's collection workbook and the --errors copies. All are converted to PDF in one LibreOffice run and read
 * back word by word (`pdftotext -bbox`): no word outside the printable area, no page without text, no table
 * continued onto a page for a single row. Needs LibreOffice and poppler (.ci/run installs them). The HTML
 * reports are printed through Chromium in browser.test.ts.
 */
import ExcelJS from 'exceljs';
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, demoSandbox, type Sandbox } from './helpers.js';
import { DOCX_AREA, fontSizesOf, haveTools, linesOf, overlapsOf, pagesOf, problemsOf, SHEET_AREA, toPdf, type Page } from './pdf-pages.js';

let sb: Sandbox;
const run = async (args: string[], user = 'demo_admin') => {
  const r = await sb.run(args, as(user));
  if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
  return r;
};
const pdfs = new Map<string, Page[]>();
const sizes = new Map<string, number[]>();
/** The --errors copies: a bank's collection workbook, a department's (its 辅导事项 sheet uses the page), a form. */
const ERROR_COPIES = ['报送表错误.xlsx', '辅导事项错误.xlsx', '导入错误.xlsx'];

beforeAll(async () => {
  if (!haveTools()) throw new Error('渲染测试需要 LibreOffice、poppler 和字体：apt-get install libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-crosextra-carlito fonts-liberation');
  sb = await demoSandbox();
  const out = sb.path('docs');
  mkdirSync(out);
  const f = (name: string) => join(out, name);
  for (const kind of ['monthly', 'quarterly', 'annual']) await run(['report', kind, '--out', f(`${kind}.xlsx`)]);
  // The narratives of the city and of one district (the others differ only in their figures).
  const narratives = sb.path('narratives');
  await run(['report', 'quarterly', '--out', `${narratives}/`]);
  await run(['report', 'annual', '--out', `${narratives}/`]);
  for (const n of readdirSync(narratives).filter((x) => /^(鄂州市|华容区)/.test(x))) renameSync(join(narratives, n), f(n));
  // A revised quarterly report with its 修订说明 table (a correction by the 人民银行 after the quarter was published).
  await run(['loan', '91420702MAFPCPT8XU', '--kind', 'disbursement', '--amount', '50', '--date', '2024-03-20', '--bank', '农行', '--correction', '纸质报送表漏录']);
  await run(['report', 'quarterly', '--period', '2024Q1', '--revised', '--out', f('修订季报.docx')]);
  await run(['report', 'overdue', '--out', f('督办清单.xlsx')]);
  await run(['ledger', '--district', '华容区', '--out', f('工作台账.xlsx')]);
  await run(['ledger', '--out', f('全市工作台账.xlsx')]);
  await run(['pool', 'filing', '--district', '华容区', '--out', f('名单报备表.xlsx')]);
  await run(['coach', 'list', '--out', f('辅导清单.xlsx')]);
  const cases = (await run(['enterprise', 'list', '--json'])).json() as { code: string; stage: string }[];
  const verified = cases.find((c) => c.stage === 'assigned')!;
  await run(['verify', 'report', verified.code, '--out', f('核查报告.docx')]);
  await run(['verify', 'report', verified.code, '--out', f('核查报告表.xlsx')]);
  await run(['users', 'template', f('用户信息批量导入表.xlsx')]);
  await run(['recommend', 'template', f('推荐名单表.xlsx')]);
  await run(['assign', 'template', f('主办行确定表.xlsx')]);
  await run(['declare', 'template', f('申报问卷模板.xlsx')]);
  // A bank's collection workbook, and the --errors copy of one sent back with a date outside the month.
  const made = (await run(['collect', 'make', '--month', '2024-05', '--out', sb.path('collect'), '--json'])).json().workbooks as { unit: string; file: string }[];
  const bank = made.find((w) => /工商银行/.test(w.unit))!;
  const office = made.find((w) => /金融办/.test(w.unit))!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(bank.file);
  const loans = wb.getWorksheet('授信放款')!;
  loans.getCell('A4').value = wb.getWorksheet('主办企业')!.getCell('B4').value;
  loans.getCell('C4').value = '授信';
  loans.getCell('D4').value = 100;
  loans.getCell('E4').value = '2024-06-05';
  mkdirSync(sb.path('returned'));
  await wb.xlsx.writeFile(join(sb.path('returned'), basename(bank.file)));
  expect((await sb.run(['collect', 'import', join(sb.path('returned'), basename(bank.file)), '--errors', f('报送表错误.xlsx')], as('demo_admin'))).code).toBe(3);
  // A department's workbook with a 办结日期 outside the month: its 辅导事项 sheet is the widest of all.
  const dept = made.find((w) => /局$/.test(w.unit))!;
  const deptBook = new ExcelJS.Workbook();
  await deptBook.xlsx.readFile(dept.file);
  const items = deptBook.getWorksheet('辅导事项')!;
  items.getCell('G4').value = '办结';
  items.getCell('H4').value = '2024-06-03';
  await deptBook.xlsx.writeFile(join(sb.path('returned'), basename(dept.file)));
  expect((await sb.run(['collect', 'import', join(sb.path('returned'), basename(dept.file)), '--errors', f('辅导事项错误.xlsx')], as('demo_admin'))).code).toBe(3);
  // The user export with a bad phone number: the --errors copy of a 用户信息批量导入表.
  await run(['users', 'export', sb.path('用户信息.xlsx')]);
  const users = new ExcelJS.Workbook();
  await users.xlsx.readFile(sb.path('用户信息.xlsx'));
  const ws = users.worksheets[0]!;
  let header = 0;
  ws.eachRow((row, n) => {
    if (!header && (row.values as unknown[]).includes('*手机号码')) header = n;
  });
  ws.getCell(header + 1, (ws.getRow(header).values as unknown[]).indexOf('*手机号码')).value = '1380000';
  await users.xlsx.writeFile(sb.path('有错误的导入表.xlsx'));
  expect((await sb.run(['users', 'import', sb.path('有错误的导入表.xlsx'), '--errors', f('导入错误.xlsx')], as('demo_admin'))).code).not.toBe(0);
  const files = [...readdirSync(out).map(f), bank.file, office.file];
  for (const [file, pdf] of toPdf(files, sb.path('render'))) {
    pdfs.set(basename(file), pagesOf(pdf));
    sizes.set(basename(file), fontSizesOf(pdf));
  }
  expect(pdfs.size, `LibreOffice 没有转换：${files.map((x) => basename(x)).filter((x) => !pdfs.has(x)).join('、')}`).toBe(files.length);
}, 180_000);
afterAll(() => sb?.cleanup());

describe('every document, printed by LibreOffice', () => {
  it('keeps every word inside the printable area, has text on every page, and leaves no table row alone on a page', () => {
    const found: string[] = [];
    for (const [name, pages] of pdfs) {
      for (const p of problemsOf(pages, name.endsWith('.docx') ? DOCX_AREA : SHEET_AREA)) found.push(`${name}：${p}`);
    }
    expect(found).toEqual([]);
    // every kind is there: the narratives of the city and of each district among them
    const names = [...pdfs.keys()];
    expect(names).toEqual(expect.arrayContaining(['鄂州市2024年第一季度工作开展情况报告.docx', '华容区2024年第一季度工作开展情况报告.docx', '鄂州市2023年度工作总结.docx', '华容区2023年度工作总结.docx']));
    expect(names.length).toBeGreaterThanOrEqual(22);
  });

  it('every --errors copy prints its text at 10 pt or more, the 错误说明 column included, each message whole', () => {
    for (const name of ERROR_COPIES) {
      const printed = sizes.get(name)!;
      expect(printed.length, name).toBeGreaterThan(0);
      expect(Math.min(...printed), name).toBeGreaterThanOrEqual(10);
    }
    // the message of the widest sheet is all there in its column (the last), line after line
    const page = pdfs.get('辅导事项错误.xlsx')!.at(-1)!;
    const start = page.words.find((w) => w.text.startsWith('办结日期：'))!;
    expect(start).toBeDefined();
    const note = page.words.filter((w) => w.x0 >= start.x0 - 1 && w.y0 >= start.y0 - 1).sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0).map((w) => w.text).join('');
    expect(note).toContain('办结日期：不在2024年5月内：本报送表只报送2024年5月的数据');
  });

  it('every workbook prints each cell’s lines whole: the 说明 and narrative rows tall enough, no line over another', () => {
    const found: string[] = [];
    for (const [name, pages] of pdfs) {
      if (name.endsWith('.xlsx')) pages.forEach((p, i) => found.push(...overlapsOf(p).map((o) => `${name} 第${i + 1}页：${o}`)));
    }
    expect(found).toEqual([]);
    // the longest 说明 (a dated 口径调整, on several rows) is printed to its last words
    const notes = pdfs.get('monthly.xlsx')!.flatMap((p) => p.words.map((w) => w.text)).join('');
    expect(notes).toContain('口径调整（2026-12-07）');
    expect(notes).toContain('打印时文字不再被截去');
  });

  it('a district’s narrative is its own document: page numbers from — 1 —, one title, its own signature', () => {
    const pages = pdfs.get('华容区2024年第一季度工作开展情况报告.docx')!;
    const lines = pages.flatMap((p) => linesOf(p).map((l) => l.text));
    expect(lines.filter((t) => /^— ?\d+ ?—$/.test(t))[0]).toMatch(/^— ?1 ?—$/);
    expect(lines.filter((t) => t.includes('工作开展情况报告'))).toHaveLength(1);
    expect(lines).toContain('华容区金融办');
    expect(lines.join('')).not.toContain('鄂城区金融办');
  });

  it('the 督办清单 prints all six lists the terminal shows', () => {
    const text = pdfs.get('督办清单.xlsx')!.flatMap((p) => linesOf(p).map((l) => l.text)).join('\n');
    for (const list of ['名单空缺', '没有进展的企业', '逾期未办结的辅导事项', '月度反馈未报送', '月度反馈逾期报送', '月度报送表逾期未交回']) expect(text).toContain(list);
  });

  it('the 修订说明 table of a revised report has columns wide enough for its words, on one page', () => {
    const pages = pdfs.get('修订季报.docx')!;
    const lines = pages.map((p) => linesOf(p).map((l) => l.text));
    const at = lines.findIndex((p) => p.some((t) => /序号 ?更正内容 ?登记时间 ?登记人 ?理由 ?影响的数字/.test(t)));
    expect(at, lines.flat().join('\n')).toBeGreaterThanOrEqual(0);
    // the correction's row on the same page, its date and account each on one line (not a character a line)
    const words = pages[at]!.words.map((w) => w.text);
    expect(words).toContain('2024-06-15');
    expect(words).toContain('demo_admin');
    expect(lines[at]!.join('').replace(/\s/g, '')).toContain('分区域·梁子湖区·放款金额');
  });

  it('the 核查报告 keeps its table on one page', () => {
    const pages = pdfs.get('核查报告.docx')!;
    const pageOf = (text: string) => pages.findIndex((p) => linesOf(p).some((l) => l.text.startsWith(text)));
    expect(pageOf('项目')).toBeGreaterThanOrEqual(0);
    expect(pageOf('可提供担保方式')).toBe(pageOf('所属行业'));
  });
});
