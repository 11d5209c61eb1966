/**
 * `--errors <out.xlsx>`: a copy of the input as it looks (column widths, fonts, fills, borders, merged title
 * and header rows), every invalid cell filled red in its own font, a 错误说明 column last, and a 错误汇总 sheet
 * listing every problem that prints one page wide.
 */
import { basename, resolve } from 'node:path';
import type { ErrorCopy, HeaderRows, Problem } from '../domain/imports/index.js';
import { UsageError } from '../errors.js';
import type { Alignment, Borders, Cell, Font, Worksheet } from 'exceljs';
import { readLooks, type CellLook, type Looks } from '../import/looks.js';
import { openSheetFile, readHiddenRows, readRows } from '../import/sheets.js';
import { checkOutputPath, writeFileAtomic } from './files.js';
import { safeText } from './formula.js';
import { linesIn, MARGINS, rowHeight } from './sheet-layout.js';
import { BODY, BOLD, BORDER, CENTRE } from './xlsx-form.js';

const BAD_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFFC7CE' } };
const BAD_TEXT = { argb: 'FF9C0006' };
/** The 错误说明 column's width. */
const NOTE_WIDTH = 40;

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
      const { format } = openSheetFile(path);
      const looks: Looks = format === 'xlsx' ? await readLooks(path) : { styles: [], sheets: new Map() };
      let ws: ReturnType<typeof wb.addWorksheet> | undefined;
      let sheet: string | undefined;
      let headerRow = 0;
      let noteCol = 0;
      for await (const r of readRows(path, format, undefined, true)) {
        if (!ws || sheet !== r.sheet) {
          ws?.commit();
          sheet = r.sheet;
          const prefix = files.length > 1 ? `${fi + 1}-` : '';
          headerRow = headers.get(`${file}\u0000${sheet}`) ?? 0;
          ws = wb.addWorksheet(sheetTitle(used, prefix + (sheet || file.replace(/\.[^.]+$/, ''))), copyPage(headerRow));
          noteCol = 0;
          const own = looks.sheets.get(sheet);
          if (own) {
            for (const [col, w] of own.widths) ws.getColumn(col).width = w;
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
        if (r.row === headerRow) {
          noteCol = r.cells.length + 1;
          const cell = row.getCell(noteCol);
          cell.value = '错误说明';
          dress(cell, last);
          cell.font = { ...(last?.font ?? {}), bold: true, color: BAD_TEXT };
          ws.getColumn(noteCol).width = NOTE_WIDTH;
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
          const width = noteCol ? NOTE_WIDTH : (ws.getColumn(r.cells.length + 1).width ?? 9);
          row.height = Math.max(r.height ?? 0, rowHeight(linesIn(note, width)));
        }
        // Rows above the header wait, so that the 错误说明 column's width is set before anything is written.
        if (r.row >= headerRow) row.commit();
      }
      ws?.commit();
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
