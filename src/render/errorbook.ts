/**
 * `--errors <out.xlsx>`: a copy of the input as it looks (column widths, fonts, fills, borders, merged title
 * and header rows), every invalid cell filled red in its own font, a 错误说明 column last on each sheet with
 * problems, and a 错误汇总 sheet listing every problem that prints one page wide.
 *
 * A sheet with problems prints, 错误说明 included, one landscape page wide with its text no smaller than
 * MIN_PRINTED_PT: the 错误说明 column takes the room the sheet leaves, and where there is too little (the
 * collection workbooks use the whole page) the widest columns of Chinese text are narrowed and wrap, every
 * row as tall as its wrapped text. A sheet without problems is copied as it is.
 */
import { basename, resolve } from 'node:path';
import type { ErrorCopy, HeaderRows, Problem } from '../domain/imports/index.js';
import { UsageError } from '../errors.js';
import type { Alignment, Borders, Cell, Font, Worksheet } from 'exceljs';
import { readLooks, type CellLook, type Looks } from '../import/looks.js';
import { openSheetFile, readHiddenRows, readRows } from '../import/sheets.js';
import { checkOutputPath, writeFileAtomic } from './files.js';
import { safeText } from './formula.js';
import { BODY_PT, linesIn, MARGINS, MAX_WIDTH, rowHeight, textWidth, unitsFor } from './sheet-layout.js';
import { BODY, BOLD, BORDER, CENTRE } from './xlsx-form.js';

const BAD_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFFC7CE' } };
const BAD_TEXT = { argb: 'FF9C0006' };
/** The 错误说明 column's width where the sheet leaves room for it, the least it is given, and the least at all. */
const NOTE_WIDTH = 40;
const NOTE_MIN = 24;
const NOTE_LEAST = 16;
/** A column of Chinese text is narrowed to no less than four characters a line. */
const MIN_TEXT = 8;
/** A column's width when the file does not give one (Excel's default). */
const DEFAULT_WIDTH = 9;
/**
 * The widest sheet, in column units, that prints one landscape page wide at MIN_PRINTED_PT or more in
 * LibreOffice: MAX_WIDTH less 7 %. LibreOffice sets a unit of the default font (Calibri, or the
 * metric-compatible Carlito) at 5.56 pt where Excel's rule gives about 5.4, and lowers the scale by up to
 * 3 % more to keep the rows off another page (a sheet of 150 units prints at 9.9 pt, one of 146 at 10.1 pt).
 */
const PAGE_WIDTH = Math.floor(MAX_WIDTH * 0.93);
const HAN = /\p{Script=Han}/u;

/** What a column's cells below its header hold: the widest text without Chinese (it never wraps) and with. */
interface ColumnText {
  plain: number;
  han: number;
}

/**
 * Widths for a sheet with a 错误说明 column: the note's width and each column's (narrowed ones only differ).
 * The note takes the room left, between NOTE_MIN and NOTE_WIDTH; if that is not enough, columns narrow, the
 * widest first, none below its widest text without Chinese (a code, a number, a date: they never wrap), text
 * with Chinese wrapping down to MIN_TEXT; if even that is not enough, the note narrows down to NOTE_LEAST.
 */
export function fitWidths(widths: number[], text: (ColumnText | undefined)[]): { note: number; widths: number[] } {
  const sum = (ws: number[]) => ws.reduce((s, w) => s + w, 0);
  const total = sum(widths);
  const note = Math.max(NOTE_MIN, Math.min(NOTE_WIDTH, PAGE_WIDTH - total));
  const room = PAGE_WIDTH - note;
  if (total <= room) return { note, widths };
  const floors = widths.map((w, i) => {
    const t = text[i];
    // An empty column (nothing filled in yet) keeps room for two characters of its header a line.
    const need = unitsFor(t ? Math.max(t.plain, Math.min(t.han, MIN_TEXT)) : MIN_TEXT / 2);
    return Math.min(w, need);
  });
  const at = (cap: number) => widths.map((w, i) => Math.max(floors[i]!, Math.min(w, cap)));
  // The widest cap (in half units) that fits; columns at their floor give no more.
  let lo = 0;
  let hi = Math.max(...widths) * 2;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sum(at(mid / 2)) <= room) lo = mid;
    else hi = mid - 1;
  }
  const narrowed = at(lo / 2);
  return { note: Math.max(NOTE_LEAST, Math.min(note, PAGE_WIDTH - sum(narrowed))), widths: narrowed };
}

/** The widest text with and without Chinese, per column (0-based) of each sheet with problems, below its header. */
async function measure(path: string, format: 'xlsx' | 'csv', sheets: Set<string>, headers: HeaderRows, file: string): Promise<Map<string, ColumnText[]>> {
  const out = new Map<string, ColumnText[]>();
  for await (const r of readRows(path, format)) {
    if (!sheets.has(r.sheet) || r.row <= (headers.get(`${file}\u0000${r.sheet}`) ?? 0)) continue;
    let cols = out.get(r.sheet);
    if (!cols) out.set(r.sheet, (cols = []));
    r.cells.forEach((c, i) => {
      if (c.text === '') return;
      const t = (cols[i] ??= { plain: 0, han: 0 });
      const w = Math.max(...c.text.split('\n').map(textWidth));
      if (c.kind !== 'number' && HAN.test(c.text)) t.han = Math.max(t.han, w);
      else t.plain = Math.max(t.plain, w);
    });
  }
  return out;
}

function sheetTitle(used: Set<string>, name: string): string {
  const clean = name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet';
  let t = clean;
  for (let i = 2; used.has(t); i++) t = `${clean.slice(0, 28)}(${i})`;
  used.add(t);
  return t;
}

/** The --errors copy of an import of `inputs`: checked before anything is read, written only if there are problems. */
export function errorCopy(out: string, inputs: string[]): ErrorCopy {
  const full = checkOutputPath(out, ['.xlsx']);
  if (inputs.some((f) => resolve(f) === full)) throw new UsageError(`--errors 的文件 ${out} 就是要导入的文件：请另给一个文件名，以免覆盖原表`);
  return { path: out, write: (files, problems, headers) => writeErrorWorkbook(files, problems, headers, out) };
}

export async function writeErrorWorkbook(files: string[], problems: Problem[], headers: HeaderRows, out: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  await writeFileAtomic(out, async (tmp) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    const used = new Set<string>();
    writeSummary(wb.addWorksheet(sheetTitle(used, '错误汇总'), SUMMARY_PAGE), problems);
    for (const [fi, path] of files.entries()) {
      const file = basename(path);
      const byRow = new Map<string, Problem[]>();
      for (const p of problems) {
        if (p.file !== file || p.row === null) continue;
        const k = `${p.sheet}\u0000${p.row}`;
        byRow.set(k, [...(byRow.get(k) ?? []), p]);
      }
      const marked = new Set([...byRow.keys()].map((k) => k.slice(0, k.indexOf('\u0000'))));
      const { format } = openSheetFile(path);
      const looks: Looks = format === 'xlsx' ? await readLooks(path) : { styles: [], sheets: new Map() };
      const texts = await measure(path, format, marked, headers, file);
      let ws: ReturnType<typeof wb.addWorksheet> | undefined;
      let sheet: string | undefined;
      let headerRow = 0;
      let noteCol = 0;
      let noteWidth = NOTE_WIDTH;
      /** Columns narrowed to fit the page (1-based → width): their text wraps, rows grow to hold it. */
      let narrowed = new Map<number, number>();
      let own: ReturnType<typeof looks.sheets.get>;
      let pages = new Pages();
      const close = () => {
        if (ws) pages.keepTail(ws as unknown as Breaks);
        ws?.commit();
      };
      for await (const r of readRows(path, format, undefined, true)) {
        if (!ws || sheet !== r.sheet) {
          close();
          sheet = r.sheet;
          const prefix = files.length > 1 ? `${fi + 1}-` : '';
          headerRow = headers.get(`${file}\u0000${sheet}`) ?? 0;
          ws = wb.addWorksheet(sheetTitle(used, prefix + (sheet || file.replace(/\.[^.]+$/, ''))), copyPage(headerRow));
          noteCol = 0;
          noteWidth = NOTE_WIDTH;
          narrowed = new Map();
          pages = new Pages();
          own = looks.sheets.get(sheet);
          if (own) {
            for (const [col, w] of own.widths) setWidth(ws, col, w);
            for (const m of own.merges) {
              try {
                ws.mergeCells(m);
              } catch {
                // overlapping merges in a damaged file: the copy goes without that one
              }
            }
          } else ws.getColumn(1).width = 12;
        }
        const row = ws.getRow(r.row);
        const look = (i: number) => looks.styles[r.styles?.[i] ?? -1];
        r.cells.forEach((c, i) => {
          const cell = row.getCell(i + 1);
          if (c.kind === 'number') cell.value = c.num!;
          else if (c.text !== '') cell.value = safeText(c.text);
          dress(cell, look(i));
        });
        if (r.height) row.height = r.height;
        const last = look(r.cells.length - 1);
        if (r.row === headerRow && marked.has(sheet)) {
          noteCol = r.cells.length + 1;
          const columns = texts.get(sheet) ?? [];
          const widths = Array.from({ length: Math.max(r.cells.length, columns.length) }, (_, i) => own?.widths.get(i + 1) ?? (own ? DEFAULT_WIDTH : i === 0 ? 12 : DEFAULT_WIDTH));
          const fit = fitWidths(widths, columns);
          noteWidth = fit.note;
          fit.widths.forEach((w, i) => {
            if (w < widths[i]!) {
              narrowed.set(i + 1, w);
              setWidth(ws!, i + 1, w);
            }
          });
          noteCol = Math.max(noteCol, widths.length + 1);
          pages.width = fit.widths.reduce((sum, w) => sum + w, noteWidth);
          const cell = row.getCell(noteCol);
          cell.value = '错误说明';
          dress(cell, last);
          cell.font = { ...(last?.font ?? {}), bold: true, color: BAD_TEXT };
          setWidth(ws, noteCol, noteWidth);
        }
        // Text in a narrowed column wraps, and its row is as tall as the most lines it needs.
        let lines = 1;
        let linePt = BODY_PT;
        if (narrowed.size > 0 && r.row >= headerRow) {
          for (const [col, w] of narrowed) {
            const c = r.cells[col - 1];
            if (!c || c.text === '') continue;
            const cell = row.getCell(col);
            cell.alignment = { ...(cell.alignment ?? {}), wrapText: true } as Partial<Alignment>;
            const pt = look(col - 1)?.font?.size ?? BODY_PT;
            const n = linesIn(c.text, w, pt);
            if (n > lines) [lines, linePt] = [n, pt];
          }
          if (lines > 1) row.height = Math.max(r.height ?? 0, rowHeight(lines, linePt));
        }
        const list = byRow.get(`${sheet}\u0000${r.row}`);
        if (list) {
          const cell = row.getCell(noteCol || r.cells.length + 1);
          const note = list.map((p) => `${p.column ? `${p.column}：` : ''}${p.reason}`).join('；');
          cell.value = note;
          dress(cell, last);
          cell.font = { ...(last?.font ?? {}), color: BAD_TEXT };
          cell.alignment = { ...(last?.alignment ?? {}), wrapText: true, vertical: 'top' } as Partial<Alignment>;
          for (const p of list) if (p.col) row.getCell(p.col).fill = BAD_FILL;
          // The row grows to show the whole message, never less than it was.
          const width = noteCol ? noteWidth : (ws.getColumn(r.cells.length + 1).width ?? DEFAULT_WIDTH);
          const pt = last?.font?.size ?? BODY_PT;
          row.height = Math.max(row.height ?? 0, r.height ?? 0, rowHeight(linesIn(note, width, pt), pt));
        }
        pages.add(r.row, r.row <= headerRow, row.height ?? DEFAULT_ROW);
        // Rows above the header wait, so that the 错误说明 column's width is set before anything is written.
        if (r.row >= headerRow) row.commit();
      }
      close();
      // Hidden sheets stay, hidden: a workbook that says in one whose it is (a collection workbook's _xypz)
      // is still that workbook once corrected, and imports.
      if (format === 'xlsx') {
        let hidden: ReturnType<typeof wb.addWorksheet> | undefined;
        let name: string | undefined;
        for await (const r of readHiddenRows(path)) {
          if (!hidden || name !== r.sheet) {
            hidden?.commit();
            name = r.sheet;
            hidden = wb.addWorksheet(sheetTitle(used, (files.length > 1 ? `${fi + 1}-` : '') + r.sheet), { state: 'hidden' });
          }
          const row = hidden.getRow(r.row);
          r.cells.forEach((c, i) => {
            if (c.kind === 'number') row.getCell(i + 1).value = c.num!;
            else if (c.text !== '') row.getCell(i + 1).value = safeText(c.text);
          });
          row.commit();
        }
        hidden?.commit();
      }
    }
    await wb.commit();
  });
}

/** A streamed sheet's manual page breaks (exceljs writes them when the sheet is committed). */
interface Breaks {
  rowBreaks: { id: number; max: number; man: number }[];
}

/** A row's height where the file sets none (Calibri 11 pt). */
const DEFAULT_ROW = 15;
/** A4 landscape less the top and bottom margins, in points; the units LibreOffice prints across the page. */
const PAGE_HEIGHT = 595 - (MARGINS.top + MARGINS.bottom) * 72;
const PAGE_UNITS = 770 / 5.56;
/** The fewest rows the last page of a sheet with a 错误说明 column holds. */
const TAIL = 3;

/**
 * Where a sheet's rows fall on its pages, estimated as LibreOffice prints it (scaled to the page width, the
 * rows down to the header on every page): a sheet whose rows grew (wrapped in narrowed columns) would
 * otherwise leave the last row or the form's signature line alone on a page. A sheet without a 错误说明
 * column (width 0) is left as the file had it.
 */
class Pages {
  private title = 0;
  private readonly rows: { row: number; height: number }[] = [];
  /** The sheet's width in column units, 错误说明 included, once its header is read. */
  width = 0;

  add(row: number, title: boolean, height: number): void {
    if (title) this.title += height;
    else if (!this.width) return;
    else this.rows.push({ row, height });
  }

  /** A manual page break that leaves TAIL rows for the last page, when it would hold fewer. */
  keepTail(ws: Breaks): void {
    if (!this.width || this.rows.length <= TAIL) return;
    const room = PAGE_HEIGHT / Math.min(1, PAGE_UNITS / this.width) - this.title;
    let used = 0;
    let onLast = 0;
    let pages = 1;
    for (const { height } of this.rows) {
      if (used + height > room && used > 0) [used, onLast, pages] = [0, 0, pages + 1];
      used += height;
      onLast++;
    }
    if (pages > 1 && onLast < TAIL) ws.rowBreaks.push({ id: this.rows.at(-TAIL - 1)!.row, max: 16383, man: 1 });
  }
}

/**
 * A column's width, written even when it is 9: exceljs leaves a width of 9 out as its default, and LibreOffice
 * gives a column without one about 9.5.
 */
function setWidth(ws: { getColumn(n: number): { width?: number } }, col: number, w: number): void {
  ws.getColumn(col).width = w === 9 ? 9.01 : w;
}

/** A copied cell looks as it did: font, fill, borders, alignment, number format. */
function dress(cell: Cell, look: CellLook | undefined): void {
  if (!look) return;
  if (look.font) cell.font = look.font as Partial<Font>;
  if (look.fill) cell.fill = look.fill;
  if (look.border) cell.border = look.border as Partial<Borders>;
  if (look.alignment) cell.alignment = look.alignment as Partial<Alignment>;
  if (look.numFmt) cell.numFmt = look.numFmt;
}

/** A4 landscape, one page wide, the rows down to the header on every page. */
function copyPage(headerRow: number) {
  return {
    views: headerRow ? [{ state: 'frozen' as const, ySplit: headerRow }] : [],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape' as const,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: MARGINS,
      ...(headerRow ? { printTitlesRow: `1:${headerRow}` } : {}),
    },
  };
}

/** 错误汇总: one row per problem, printed like the copies. */
const SUMMARY_PAGE = copyPage(1);
const SUMMARY_COLUMNS = [
  { header: '文件', key: 'file', width: 24 },
  { header: '工作表', key: 'sheet', width: 14 },
  { header: '行', key: 'row', width: 6 },
  { header: '列', key: 'column', width: 14 },
  { header: '值', key: 'value', width: 24 },
  { header: '错误说明', key: 'reason', width: 58 },
];

function writeSummary(ws: Worksheet, problems: Problem[]): void {
  ws.columns = SUMMARY_COLUMNS;
  const header = ws.getRow(1);
  header.eachCell((c) => Object.assign(c, { font: BOLD, alignment: CENTRE, border: BORDER }));
  header.commit();
  for (const p of problems) {
    const values = { file: p.file, sheet: p.sheet, row: p.row, column: p.column, value: safeText(p.value ?? ''), reason: p.reason };
    const row = ws.addRow(values);
    row.eachCell({ includeEmpty: true }, (c) => Object.assign(c, { font: BODY, border: BORDER, alignment: { vertical: 'top', wrapText: true } }));
    // Tall enough for the longest text of the row, wrapped in its column.
    row.height = rowHeight(Math.max(...SUMMARY_COLUMNS.map((c) => linesIn(String(values[c.key as keyof typeof values] ?? ''), c.width))));
    row.commit();
  }
  ws.commit();
}
