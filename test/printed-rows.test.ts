/**
 * Rows of wrapped text tall enough for the lines an office suite prints: the estimate of lines and row heights
 * (src/render/sheet-layout.ts) against what LibreOffice printed for real 说明 and narrative texts
 * (test/fixtures/printed-lines.json), a long text cut into rows no taller than Excel allows, and the 说明 and
 * narrative sheets as written. test/render.test.ts checks the printed pages themselves.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPORT_NOTES } from '../src/domain/reporting/figure-table.js';
import { BODY_PT, linesIn, MAX_ROW_HEIGHT, NO_INDENT, PRINTABLE, rowHeight, TABLE_TAIL, tailBreak, textPieces } from '../src/render/sheet-layout.js';
import { addNotes, addText } from '../src/render/xlsx-text.js';
import { addTable, table, workbookClass } from '../src/render/xlsx.js';

const printed = JSON.parse(readFileSync(new URL('./fixtures/printed-lines.json', import.meta.url), 'utf8')) as {
  lineEm: number;
  samples: { units: number; pt: number; lines: number; text: string }[];
};
/** A cell's text as written (a rich or formula-safe value as its text). */
const text = (v: ExcelJS.CellValue): string => (v == null ? '' : typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : String(v));

describe('lines and row heights of wrapped text', () => {
  it('never counts fewer lines than LibreOffice printed, and leaves each row room for them', () => {
    expect(printed.samples.length).toBeGreaterThanOrEqual(7);
    for (const s of printed.samples) {
      const n = linesIn(s.text, s.units, s.pt);
      expect(n, s.text.slice(0, 20)).toBeGreaterThanOrEqual(s.lines);
      // not wildly more either: a row a line too tall is fine, a third more is wasted paper
      expect(n, s.text.slice(0, 20)).toBeLessThanOrEqual(Math.ceil(s.lines * 1.25));
      expect(rowHeight(s.lines, s.pt), s.text.slice(0, 20)).toBeGreaterThanOrEqual(s.lines * s.pt * printed.lineEm + 1.5);
    }
  });

  it('measures Latin letters and digits wider than half a Chinese character', () => {
    // a 40-unit column holds 17 Chinese characters on a line, but not the 34 digits of the same display width
    expect(linesIn('汉'.repeat(17), 40)).toBe(1);
    expect(linesIn('1'.repeat(34), 40)).toBe(2);
    expect(linesIn('一行\n二行\n三行', PRINTABLE.portrait)).toBe(3);
    expect(linesIn('', 20)).toBe(1);
  });

  it('gives a cell without an indent the width of its margins only', () => {
    // as LibreOffice printed a unit's collection workbook: 阶段 on one line, 所在区 on two, in 14-unit columns
    expect(linesIn('已确定主办行', 14, BODY_PT, NO_INDENT)).toBe(1);
    expect(linesIn('葛店经济技术开发区', 14, BODY_PT, NO_INDENT)).toBe(2);
    // an indented cell of the same width has less room
    expect(linesIn('已确定主办行', 14)).toBe(2);
  });

  it('cuts a long text after a clause into pieces of at most the lines asked, which put together are the text', () => {
    for (const s of printed.samples) {
      for (const max of [2, 5, 10]) {
        const pieces = textPieces(s.text, s.units, s.pt, max);
        expect(pieces.join(''), s.text.slice(0, 20)).toBe(s.text);
        for (const p of pieces) expect(linesIn(p, s.units, s.pt)).toBeLessThanOrEqual(max);
        // every cut but a forced one falls after a clause
        if (pieces.length > 1 && max >= 5) expect(pieces.slice(0, -1).every((p) => /[。；！？]$/u.test(p)), s.text.slice(0, 20)).toBe(true);
      }
    }
    // a clause longer than a piece is cut at the end of a line, nothing lost
    const long = '甲'.repeat(200);
    const pieces = textPieces(long, 20, BODY_PT, 3);
    expect(pieces.join('')).toBe(long);
    expect(pieces.length).toBeGreaterThan(3);
    // by default a piece is as long as the tallest row Excel opens allows
    for (const p of textPieces('说明文字；'.repeat(600), 69)) expect(rowHeight(linesIn(p, 69))).toBeLessThanOrEqual(MAX_ROW_HEIGHT);
    expect(textPieces('短句。', 69)).toEqual(['短句。']);
  });
});

describe('the last page of a long table', () => {
  // the quarterly report's 企业明细（二） of the demo: portrait, a title of 40 pt and two lines above a 52-pt header
  const table = { width: 80, orientation: 'portrait' as const, above: 78, header: 52, height: 19, after: 25 };

  it('keeps the last rows with the signature line when the last page would hold fewer', () => {
    // 71 rows: LibreOffice printed 33 and 37 rows on the first two pages, the 合计 row alone on the third
    expect(tailBreak({ ...table, rows: 71 })).toBe(71 - TABLE_TAIL - 1);
    // the signature line alone on a page, under the repeated header
    expect(tailBreak({ ...table, rows: 70 })).toBe(70 - TABLE_TAIL - 1);
  });

  it('leaves a table alone whose last page holds enough rows, or that fits on one page', () => {
    expect(tailBreak({ ...table, rows: 50 })).toBeUndefined();
    expect(tailBreak({ ...table, rows: 20 })).toBeUndefined();
    expect(tailBreak({ ...table, rows: 2 })).toBeUndefined();
  });

  it('counts a wide table scaled down to the page width as holding more rows', () => {
    // at twice the page width a page holds twice the rows: 71 rows fit on two pages with room to spare
    expect(tailBreak({ ...table, rows: 71 })).toBeDefined();
    expect(tailBreak({ ...table, width: 190, rows: 71 })).toBeUndefined();
  });
});

describe('the 说明 and narrative sheets as written', () => {
  it('every 说明 row is tall enough for its text and no taller than Excel allows; a long 说明 goes on in rows below', async () => {
    const wb = new ExcelJS.Workbook();
    addNotes(wb, { title: '说明', lines: REPORT_NOTES });
    const ws = wb.worksheets[0]!;
    const widths = [ws.getColumn(1).width!, ws.getColumn(2).width!];
    const found: string[] = [];
    let longest = 0;
    for (let r = 3; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells = [row.getCell(1), row.getCell(2)];
      const need = Math.max(...cells.map((c, j) => (c.isMerged && c.master !== c ? 1 : linesIn(text(c.value), widths[j]!))));
      longest = Math.max(longest, row.height);
      if (row.height < rowHeight(need)) found.push(`第${r}行`);
    }
    expect(found).toEqual([]);
    expect(longest).toBeLessThanOrEqual(MAX_ROW_HEIGHT);
    // the 说明 of each 项目, put together from its rows, is the text given
    const values = new Map<string, string>();
    for (let r = 3; r <= ws.rowCount; r++) {
      const key = text(ws.getCell(r, 1).master.value);
      values.set(key, (values.get(key) ?? '') + text(ws.getCell(r, 2).value));
    }
    expect([...values]).toEqual(REPORT_NOTES);
    // the longest (a dated 口径调整) takes several rows, its 项目 merged over them
    const [key, value] = REPORT_NOTES.reduce((a, b) => (b[1].length > a[1].length ? b : a));
    expect(linesIn(value, widths[1]!)).toBeGreaterThan(20);
    let first = 0;
    for (let r = 3; r <= ws.rowCount && !first; r++) if (text(ws.getCell(r, 1).value) === key) first = r;
    expect(ws.getCell(first + 1, 1).master.address).toBe(ws.getCell(first, 1).address);
  });

  it('a narrative row is tall enough for its paragraph at its size', () => {
    const wb = new ExcelJS.Workbook();
    const body = printed.samples.filter((s) => s.pt === 12).map((s) => s.text.replace(/^\u3000\u3000/, ''));
    addText(wb, { name: '文字报告', paragraphs: [{ text: '标题', style: 'title' }, ...body.map((t) => ({ text: t, style: 'body' as const })), { text: '长段落。'.repeat(400), style: 'body' }] });
    const ws = wb.worksheets[0]!;
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      expect(row.height, `第${r}行`).toBeGreaterThanOrEqual(rowHeight(linesIn(text(row.getCell(1).value), PRINTABLE.portrait, 12), 12));
      expect(row.height).toBeLessThanOrEqual(MAX_ROW_HEIGHT);
    }
    expect(ws.rowCount).toBeGreaterThan(body.length + 2);
  });
});

describe('a report table whose wrapped text has Latin letters and digits', () => {
  it('is as tall as the lines its widest-measured text prints on', async () => {
    const Workbook = await workbookClass();
    // Names whose Latin letters print wider than their display columns count: one of each length, so that
    // some fit their column by display columns and not by printed width.
    const names = Array.from({ length: 60 }, (_, i) => `鄂州${'HUBEI ABC COMPANY 2024 LTD '.repeat(4).slice(0, i + 4)}`);
    let checked = 0;
    for (const name of names) {
      const wb = new Workbook();
      addTable(wb, table<{ name: string }>({ name: '企业', rows: [{ name }], columns: [{ header: '企业名称', kind: 'text', wrap: true, value: (r) => r.name }] }));
      const ws = wb.getWorksheet('企业')!;
      let row = 0;
      ws.eachRow((r, n) => {
        if (r.getCell(1).value === name) row = n;
      });
      expect(row).toBeGreaterThan(0);
      const lines = linesIn(name, ws.getColumn(1).width!);
      expect(ws.getRow(row).height, name).toBeGreaterThanOrEqual(rowHeight(lines));
      if (lines > 1) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
