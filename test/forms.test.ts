/**
 * Every statistics table as the form a clerk hands up, read back from the .xlsx: title, period in words,
 * 填报单位 and 单位 line, the two-level header with its merged group cells, 序号, 合计, the signature line with the
 * 报出日期, 宋体, and an A4 page setup that prints the table at a readable size with its header on every page.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerWords, linesIn, MARGINS, MIN_PRINTED_PT, PRINTABLE, printedSize, rowHeight, textWidth, unitsFor } from '../src/render/sheet-layout.js';
import { as, demoSandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
const run = (args: string[]) => sb.run(args, as('demo_admin'));
const CITY = '中国人民银行鄂州市分行';
const SIGNED_TODAY = '报出日期：2024年6月15日';
/** A final period's report is dated its publication day, the day after its cut-off (2024年5月: 2024-06-10). */
const PUBLISHED_MAY = '报出日期：2024年6月11日';

beforeAll(async () => {
  sb = await demoSandbox();
}, 120_000);
afterAll(() => sb.cleanup());

async function book(args: string[], name: string): Promise<ExcelJS.Workbook> {
  const r = await run([...args, '--out', sb.path(name)]);
  expect(r.code, r.stderr).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(sb.path(name));
  return wb;
}

const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const widthOf = (ws: ExcelJS.Worksheet, n: number) => Array.from({ length: n }, (_, i) => ws.getColumn(i + 1).width ?? 9).reduce((s, w) => s + w, 0);
const merges = (ws: ExcelJS.Worksheet) => (ws.model as unknown as { merges: string[] }).merges;
const rowTexts = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1).map(text);

/** The columns of a table: those of its header row. */
function columns(ws: ExcelJS.Worksheet): number {
  const [, last] = ws.pageSetup.printTitlesRow!.split(':').map(Number);
  return rowTexts(ws, last!).length;
}

/** The parts every form has, whatever its table. */
function expectForm(ws: ExcelJS.Worksheet, f: { title: string; period?: string; unit: string; spread?: boolean; signed?: string }): void {
  const SIGNED = f.signed ?? SIGNED_TODAY;
  const n = columns(ws);
  const last = String.fromCharCode(64 + n);
  expect(ws.getCell('A1').value).toBe(f.title);
  expect(ws.getCell('A1').font).toMatchObject({ name: '宋体', bold: true, size: 16 });
  expect(merges(ws)).toContain(`A1:${last}1`);
  let r = 2;
  if (f.period) expect(ws.getCell(r++, 1).value).toBe(f.period);
  expect(ws.getCell(r, 1).value).toBe(`填报单位：${f.unit}`);
  // the signature line is the last row, spread over the width (in one cell under a narrow table)
  const foot = [...new Set(rowTexts(ws, ws.rowCount).filter(Boolean))];
  if (f.spread) expect(foot).toEqual(['单位负责人：', '统计负责人：', '填表人：', SIGNED]);
  else expect(foot.join('　')).toMatch(new RegExp(`^单位负责人：\\s*统计负责人：\\s*填表人：\\s*${SIGNED}$`));
  // A4, one page wide, the header on every page, margins, readable once scaled
  const p = ws.pageSetup;
  expect(p).toMatchObject({ paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: MARGINS });
  expect(p.printTitlesRow).toMatch(/^\d+:\d+$/);
  expect(printedSize(widthOf(ws, n), p.orientation!)).toBeGreaterThanOrEqual(MIN_PRINTED_PT);
  ws.eachRow((row) => row.eachCell((c) => expect(c.font?.name, `${ws.name}!${c.address}`).toBe('宋体')));
}

/** A header cell's lines: each ends where a word of the whole header ends. */
function expectWholeWords(header: string): void {
  const whole = header.replace(/\n/g, '');
  const ends = new Set(headerWords(whole).map((_, i, ws) => ws.slice(0, i + 1).join('').length));
  let at = 0;
  for (const line of header.split('\n')) {
    at += line.length;
    expect(ends.has(at), header).toBe(true);
  }
}

describe('the monthly report', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await book(['report', 'monthly', '--period', '2024-05'], '月报.xlsx');
  });

  it('is three district tables, banks, the enterprise detail and 说明, each table an official form', () => {
    // 企业明细 is too wide for landscape A4 at 10 pt: it prints in two parts, each naming the enterprise. So is the
    // district table with its 本年累计 columns: one part per section, named after it.
    expect(wb.worksheets.map((w) => w.name)).toEqual(['分区域（推荐核查入库）', '分区域（授信放款）', '分区域（辅导办结）', '金融机构', '企业明细（一）', '企业明细（二）', '图表', '说明']);
    const titles = ['（推荐核查入库）', '（授信放款）', '（辅导办结）', '（金融机构）', '（企业明细，期末状态）（一）'].map((t) => `鄂州市信用培植工程月报${t}`);
    // 辅导办结 is narrow: its signature line is one cell
    wb.worksheets.slice(0, 5).forEach((ws, i) => expectForm(ws, { title: titles[i]!, period: '2024年5月', unit: CITY, spread: i !== 2, signed: PUBLISHED_MAY }));
    expect(rowTexts(wb.worksheets[0]!, 3).at(-1)).toBe('单位：户、个');
    expect(rowTexts(wb.worksheets[1]!, 3).at(-1)).toBe('单位：户、万元');
    expect(rowTexts(wb.worksheets[2]!, 3).at(-1)).toBe('单位：项、户');
  });

  it('has a two-level header with merged groups, never broken inside a word', () => {
    const [a, b1, b2] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(a.pageSetup.printTitlesRow).toBe('4:5');
    expect(merges(a)).toEqual(expect.arrayContaining(['A4:A5', 'B4:C4']));
    expect(rowTexts(a, 4).slice(0, 3)).toEqual(['区域', '推荐企业数', '推荐企业数']);
    expect(rowTexts(a, 5).slice(1, 3).map((h) => h.replace(/\n/g, ''))).toEqual(['本期', '本年累计']);
    const flat = (h: string) => h.replace(/\n/g, '');
    const subs = (ws: ExcelJS.Worksheet, group: string) => rowTexts(ws, 5).map(flat).filter((_, j) => flat(rowTexts(ws, 4)[j]!) === group);
    expect(subs(a, '核查')).toEqual(['融资类', '培植类']);
    // each flow over 本期 and 本年累计; none says 累计 alone
    const both = (group: string) => [...subs(b1, group), ...subs(b2, group)];
    for (const group of ['授信户数', '授信金额（万元）', '放款户数', '放款金额（万元）', '首贷户数']) expect(both(group), group).toEqual(['本期', '本年累计']);
    for (const ws of [a, b1, b2]) expect(rowTexts(ws, 5).map(flat)).not.toContain('累计');
    expect(both('辅导事项')).toEqual(['新增', '办结', '终止', '未办结', '逾期']);
    expect(both('办结')).toEqual(['获得融资', '退出']);
    for (const ws of wb.worksheets.slice(0, 5)) {
      const rows = ws.pageSetup.printTitlesRow!.split(':').map(Number);
      for (let r = rows[0]!; r <= rows[1]!; r++) {
        for (const h of rowTexts(ws, r)) expectWholeWords(h);
        ws.getRow(r).eachCell((c) => expect(c.font?.bold).toBe(true));
      }
    }
  });

  it('ends each table with a bold 合计; 月度反馈 in 合计 counts those that reported', () => {
    const b = wb.getWorksheet('分区域（辅导办结）')!;
    const rows = Array.from({ length: 5 }, (_, i) => rowTexts(b, 6 + i));
    const total = b.getRow(11);
    expect(total.getCell(1).value).toBe('合计');
    expect(total.getCell(1).font?.bold).toBe(true);
    const fb = rowTexts(b, 4).map((h) => h.replace(/\n/g, '')).indexOf('月度反馈');
    expect(total.getCell(fb + 1).value).toBe(`${rows.filter((r) => r[fb] === '已报送').length}/5`);
    const banks = wb.getWorksheet('金融机构')!;
    const bankTotal = rowTexts(banks, banks.rowCount - 1);
    expect(bankTotal[0]).toBe('合计');
    expect(bankTotal.at(-1)).toMatch(/^\d\/\d+$/);
  });

  it('numbers the enterprise detail and adds up its amounts', () => {
    // the amounts are in the second part of the detail
    const d = wb.getWorksheet('企业明细（二）')!;
    const header = rowTexts(d, 4).map((h) => h.replace(/\n/g, ''));
    expect(header[0]).toBe('序号');
    const body: unknown[][] = [];
    d.eachRow((row, n) => {
      if (n > 4 && typeof row.getCell(1).value === 'number') body.push(row.values as unknown[]);
    });
    expect(body.map((r) => r[1])).toEqual(body.map((_, i) => i + 1));
    // 本期 in the first part, 本年累计 in the second
    expect(rowTexts(wb.getWorksheet('企业明细（一）')!, 4).map((h) => h.replace(/\n/g, ''))).toContain('本期放款（万元）');
    const col = header.indexOf('本年累计放款（万元）') + 1;
    expect(col).toBeGreaterThan(0);
    const total = d.getRow(4 + body.length + 1);
    expect(total.getCell(header.indexOf('企业名称') + 1).value ?? total.getCell(2).value).toBe('合计');
    const cents = body.reduce((s, r) => s + Math.round(Number(r[col] ?? 0) * 100), 0);
    expect(total.getCell(col).value).toBe(cents / 100);
  });

  it('prints 说明 on portrait A4, both columns one page wide, long definitions wrapped', () => {
    const notes = wb.getWorksheet('说明')!;
    expect(notes.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToWidth: 1 });
    expect(widthOf(notes, 2)).toBeLessThanOrEqual(PRINTABLE.portrait);
    notes.eachRow((row, n) => {
      if (n > 2) expect(row.getCell(2).alignment?.wrapText).toBe(true);
    });
  });
});

describe('narratives inside a workbook', () => {
  it('the quarterly report sheet holds plain paragraphs, one per row, wrapped to a portrait page', async () => {
    const wb = await book(['report', 'quarterly', '--period', '2024Q1'], '季报.xlsx');
    const ws = wb.getWorksheet('季度报告')!;
    const texts = (ws.getSheetValues() as unknown[][]).filter(Boolean).map((r) => text(r[1]));
    for (const t of texts) expect(t).not.toMatch(/^#|\*\*|\||\{\{/);
    // The city's workbook carries the city's own report, signed by the PBOC office.
    expect(texts[0]).toBe('鄂州市2024年第一季度信用培植工程工作开展情况报告');
    expect(texts.some((t) => t.startsWith('　　一、推荐与申报。全市成员部门'))).toBe(true);
    expect(texts).toContain(CITY);
    expect(ws.getColumn(1).width! + ws.getColumn(2).width!).toBe(PRINTABLE.portrait);
    expect((ws.model as unknown as { merges: string[] }).merges).toContain('A1:B1');
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToWidth: 1 });
    ws.eachRow((row) => expect(row.getCell(1).alignment?.wrapText).toBe(true));
  });
});

describe('lists', () => {
  it('the district ledger: 序号, 合计 of the amounts, printed in three parts that all name the enterprise', async () => {
    const wb = await book(['ledger', '--district', '华容区'], '台账.xlsx');
    // 办理过程 is too wide for landscape A4 at 10 pt by itself: it prints in two parts.
    expect(wb.worksheets.map((w) => w.name)).toEqual(['工作台账（办理过程之一）', '工作台账（办理过程之二）', '工作台账（办理结果）', '说明']);
    for (const ws of wb.worksheets.slice(0, 3)) {
      // (the first part is narrow enough for a portrait page: its signature line is one cell)
      const spread = ws !== wb.worksheets[0];
      expectForm(ws, { title: ws.name.replace('工作台账', '华容区信用培植工程工作台账'), period: '截至2024年6月15日', unit: '华容区金融办', spread });
      const header = rowTexts(ws, 4).map((h) => h.replace(/\n/g, ''));
      expect(header[0]).toBe('序号');
      expect(header).toContain('企业名称');
    }
    const result = wb.worksheets[2]!;
    const loans = rowTexts(result, 4).map((h) => h.replace(/\n/g, '')).indexOf('放款合计（万元）') + 1;
    let cents = 0;
    let total: ExcelJS.Row | undefined;
    result.eachRow((row) => {
      if (typeof row.getCell(1).value === 'number') cents += Math.round(Number(row.getCell(loans).value ?? 0) * 100);
      if (row.getCell(2).value === '合计') total = row;
    });
    expect(total!.getCell(loans).value).toBe(cents / 100);
    // 办理过程 holds nothing to add up: no 合计 row there.
    const steps: string[] = [];
    for (const ws of wb.worksheets.slice(0, 2)) ws.eachRow((row) => steps.push(text(row.getCell(2).value)));
    expect(steps).not.toContain('合计');
    // Rows of one height in each part, whatever the length of each name.
    for (const ws of wb.worksheets.slice(0, 3)) {
      const heights = new Set<number>();
      ws.eachRow((row) => {
        if (typeof row.getCell(1).value === 'number') heights.add(row.height);
      });
      expect(heights.size, ws.name).toBe(1);
    }
  });

  it('the city ledger (--out without --district): 汇总 with a row per district and 合计, then every district', async () => {
    const wb = await book(['ledger'], '全市台账.xlsx');
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe('汇总');
    expect(names.at(-1)).toBe('说明');
    const summary = wb.worksheets[0]!;
    expectForm(summary, { title: '鄂州市信用培植工程工作台账（汇总）', period: '截至2024年6月15日', unit: CITY });
    const districts = ['鄂城区', '华容区', '梁子湖区', '葛店经济技术开发区', '临空经济区'];
    const rows: string[][] = [];
    summary.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(text)));
    const firmsCol = rows.findIndex((r) => r.includes('区域'));
    const listed = rows.filter((r) => typeof r[0] === 'string' && /^\d+$/.test(r[0]!)).map((r) => r[1]);
    expect(listed.sort()).toEqual([...districts].sort());
    expect(firmsCol).toBeGreaterThan(0);
    for (const d of districts) expect(names).toContain(`${d}（办理结果）`);
    // Each district's sheet holds as many firms as its own ledger, and as 汇总 says.
    const hr = (await run(['ledger', '--district', '华容区', '--json'])).json() as unknown[];
    const hrSheet = wb.getWorksheet('华容区（办理过程之一）')!;
    let n = 0;
    hrSheet.eachRow((row) => (typeof row.getCell(1).value === 'number' ? n++ : 0));
    expect(n).toBe(hr.length);
    expect(Number(rows.find((r) => r[1] === '华容区')![2])).toBe(hr.length);
  });

  it('the list filed with the city: 序号, the district 金融办, the filing date', async () => {
    const wb = await book(['pool', 'filing', '--district', '华容区'], '报备.xlsx');
    const ws = wb.worksheets[0]!;
    expectForm(ws, { title: '华容区信用培植企业名单', period: '报备日期：2024年6月15日', unit: '华容区金融办' });
    expect(rowTexts(ws, 4)[0]).toBe('序号');
    expect(ws.getCell('A5').value).toBe(1);
  });

  it('the 督办清单: one form per list, 合计 of the vacancies, 无 for an empty list', async () => {
    const r = await run(['report', 'overdue', '--out', sb.path('督办.xlsx'), '--json']);
    expect(r.json()).toEqual({ path: sb.path('督办.xlsx') });
    const o = (await run(['report', 'overdue', '--json'])).json();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('督办.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['名单空缺', '无进展企业', '逾期辅导事项', '未报送月度反馈', '逾期报送月度反馈', '报送表逾期未交回']);
    for (const ws of wb.worksheets) {
      expectForm(ws, { title: rowTexts(ws, 1)[0]!, period: '截至2024年6月15日', unit: CITY });
      expect(rowTexts(ws, 1)[0]).toMatch(/^鄂州市信用培植工程督办清单（/);
      expect(rowTexts(ws, 4)[0]).toBe('序号');
    }
    const lists = [o.vacancies, o.stalled, o.coaching, o.feedback, o.feedback_late, o.collection] as unknown[][];
    wb.worksheets.forEach((ws, i) => {
      const numbered = (ws.getSheetValues() as unknown[][]).filter((row) => row && typeof row[1] === 'number').length;
      expect(numbered, ws.name).toBe(lists[i]!.length);
      if (lists[i]!.length === 0) expect(ws.getCell('A5').value).toBe('无');
    });
    if (o.vacancies.length) {
      const v = wb.worksheets[0]!;
      const total = rowTexts(v, 5 + o.vacancies.length);
      expect(total[1]).toBe('合计');
      expect(Number(total[rowTexts(v, 4).indexOf('空缺数')])).toBe(o.vacancies.reduce((s: number, x: { vacancies: number }) => s + x.vacancies, 0));
    }
  });
});

describe('the 核查报告 as a workbook', () => {
  it('fits one portrait A4 page: title, identity, labelled blocks of wrapped text, amounts in 万元', async () => {
    const list = (await run(['enterprise', 'list', '--json'])).json() as { code: string; stage: string; name: string }[];
    const c = list.find((x) => x.stage === 'assigned')!;
    const wb = await book(['verify', 'report', c.code], '核查.xlsx');
    const ws = wb.worksheets[0]!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 1 });
    expect(widthOf(ws, 4)).toBeLessThanOrEqual(PRINTABLE.portrait);
    expect(ws.getCell('A1').value).toBe(`${c.name}核查报告`);
    const label = (l: string) => {
      let found: ExcelJS.Cell | undefined;
      ws.eachRow((row) => row.eachCell((cell) => {
        if (cell.value === l) found = cell;
      }));
      return found!;
    };
    expect(text(ws.getCell(label('注册资本').row, label('注册资本').col + 1).value)).toMatch(/ 万元$/);
    for (const block of ['基本情况', '原因分析', '对策建议', '核查人员']) {
      const cell = label(block);
      expect(cell.col).toBe(1);
      expect(merges(ws)).toContain(`B${cell.row}:D${cell.row}`);
      expect(ws.getCell(cell.row, 2).alignment?.wrapText).toBe(true);
    }
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.font?.name).toBe('宋体')));
  });
});

describe('the --errors copy of an import', () => {
  it('looks like the input: widths, fonts, title and header rows; bad cells filled red in their own font; 错误说明 last', async () => {
    expect((await run(['users', 'export', sb.path('用户.xlsx')])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('用户.xlsx'));
    const ws = wb.worksheets[0]!;
    const phone = rowTexts(ws, 3).indexOf('*手机号码') + 1;
    ws.getCell(5, phone).value = '1380000';
    await wb.xlsx.writeFile(sb.path('有错.xlsx'));
    const r = await run(['users', 'import', sb.path('有错.xlsx'), '--errors', sb.path('错误.xlsx')]);
    expect(r.code).toBe(3);
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(sb.path('错误.xlsx'));
    const copy = out.getWorksheet('用户信息')!;
    const n = rowTexts(ws, 3).length;
    // The form's own width and a 错误说明 column do not fit one page at 10 pt: the columns narrow, those of
    // Chinese text wrapping (rows as tall as their lines), none below its longest text without Chinese.
    const narrowed: number[] = [];
    for (let j = 1; j <= n; j++) {
      const w = copy.getColumn(j).width ?? 9;
      if (w === ws.getColumn(j).width) continue;
      narrowed.push(j);
      expect(w, `column ${j}`).toBeLessThan(ws.getColumn(j).width!);
    }
    expect(narrowed.length).toBeGreaterThan(0);
    // a phone number never wraps: its column keeps the width of the longest
    expect(copy.getColumn(phone).width).toBeGreaterThanOrEqual(unitsFor(textWidth('139****1000')));
    const unit = rowTexts(ws, 3).indexOf('*所属机构') + 1;
    expect(narrowed).toContain(unit);
    for (let r = 4; r <= 6; r++) {
      const cell = copy.getCell(r, unit);
      expect(cell.alignment?.wrapText).toBe(true);
      expect(copy.getRow(r).height ?? 0).toBeGreaterThanOrEqual(rowHeight(linesIn(text(cell.value), copy.getColumn(unit).width!)));
    }
    expect(printedSize(widthOf(copy, n + 1), 'landscape')).toBeGreaterThanOrEqual(MIN_PRINTED_PT);
    expect(copy.getCell('A1').value).toBe('用户信息批量导入表');
    expect(copy.getCell('A1').font).toMatchObject({ name: '宋体', size: 16, bold: true });
    expect(merges(copy)).toContain(merges(ws).find((m) => m.startsWith('A1:'))!);
    expect(rowTexts(copy, 3).slice(0, n)).toEqual(rowTexts(ws, 3));
    expect(copy.getCell(3, phone).font).toMatchObject({ name: '宋体', bold: true, color: { argb: 'FFC00000' } });
    expect(copy.getCell(3, n + 1).value).toBe('错误说明');
    const bad = copy.getCell(5, phone);
    expect((bad.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(bad.font).toMatchObject({ name: ws.getCell(5, phone).font!.name, size: ws.getCell(5, phone).font!.size });
    const note = copy.getCell(5, n + 1);
    expect(text(note.value)).toContain('手机号码');
    expect(note.alignment?.wrapText).toBe(true);
    expect(copy.getRow(5).height ?? 0).toBeGreaterThanOrEqual(rowHeight(linesIn(text(note.value), copy.getColumn(n + 1).width!)));
    expect(copy.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1, printTitlesRow: '1:3' });
    const summary = out.getWorksheet('错误汇总')!;
    expect(summary.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(widthOf(summary, 6)).toBeLessThanOrEqual(PRINTABLE.landscape);
  });
});

describe('the questionnaire template', () => {
  it('prints its question list as a table on A4; the blank sheet keeps one header row, wrapped between words', async () => {
    const r = await run(['declare', 'template', sb.path('问卷.xlsx')]);
    expect(r.code, r.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('问卷.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['问卷题目', '申报数据', '说明']);
    const list = wb.getWorksheet('问卷题目')!;
    expect(list.getCell('A1').value).toBe('信用培植工程网上申报问卷题目');
    expect(list.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1, printTitlesRow: '2:2' });
    expect(printedSize(widthOf(list, 5), list.pageSetup.orientation!)).toBeGreaterThanOrEqual(MIN_PRINTED_PT);
    const blank = wb.getWorksheet('申报数据')!;
    const header = rowTexts(blank, 1);
    expect(header.slice(0, 3).map((h) => h.replace(/\n/g, ''))).toEqual(['序号', '提交答卷时间', '1、企业名称']);
    for (const h of header) expectWholeWords(h);
    expect(blank.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', printTitlesRow: '1:1' });
  });
});
