/** Sheets of text in a workbook: the 说明 of a report, and narrative reports as paragraphs, on portrait A4. */
import type { Workbook } from 'exceljs';
import { safeText } from './formula.js';
import { BODY_PT, linesIn, textPieces, PRINTABLE, rowHeight, TEXT_COLUMNS, textWidth, unitsFor } from './sheet-layout.js';
import { BODY, BOLD, BORDER, CENTRE, printSetup, setWidths, spanCell, TITLE } from './xlsx-form.js';

/** A sheet of paragraphs (a narrative report), printed on portrait A4. */
export interface TextSheetSpec {
  name: string;
  paragraphs: { text: string; style: 'title' | 'heading' | 'body' | 'plain' | 'right' }[];
}

export interface NotesSpec {
  name?: string;
  title?: string;
  lines: [string, string][];
}

/** The most lines of one row of the 说明 sheet: a longer 说明 continues on the rows below. */
const NOTE_LINES = 10;

/** The 说明 sheet: 项目 and 说明, both wrapped, on portrait A4. */
export function addNotes(wb: Workbook, notes: NotesSpec): void {
  const ws = wb.addWorksheet(notes.name ?? '说明');
  const key = Math.min(24, Math.max(8, ...notes.lines.map(([k]) => textWidth(k))));
  const widths = [unitsFor(key), PRINTABLE.portrait - unitsFor(key)];
  setWidths(ws, widths);
  spanCell(ws, 1, 1, 2, notes.title ?? '说明', TITLE, CENTRE);
  ws.getRow(1).height = 30;
  ['项目', '说明'].forEach((h, j) => Object.assign(ws.getCell(2, j + 1), { value: h, font: BOLD, alignment: CENTRE, border: BORDER }));
  ws.getRow(2).height = rowHeight(1);
  const alignment = { horizontal: 'left' as const, vertical: 'middle' as const, wrapText: true, indent: 1 };
  let r = 3;
  for (const [k, v] of notes.lines) {
    // A long 说明 prints as several rows, its 项目 spanning them at the top (a row of many lines would leave
    // most of a page empty when it moves to the next, and Excel cuts a row taller than MAX_ROW_HEIGHT).
    const pieces = textPieces(v, widths[1]!, BODY_PT, NOTE_LINES);
    pieces.forEach((piece, n) => {
      const row = ws.getRow(r + n);
      Object.assign(row.getCell(2), { value: safeText(piece), font: BODY, border: BORDER, alignment });
      row.height = rowHeight(Math.max(n === 0 && pieces.length === 1 ? linesIn(k, widths[0]!) : 1, linesIn(piece, widths[1]!)));
    });
    Object.assign(ws.getCell(r, 1), { value: safeText(k), font: BODY, border: BORDER, alignment: pieces.length > 1 ? { ...alignment, vertical: 'top' as const } : alignment });
    // (merged after the style is set: exceljs gives the merged cells the style of the first, the border)
    if (pieces.length > 1) ws.mergeCells(r, 1, r + pieces.length - 1, 1);
    r += pieces.length;
  }
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  printSetup(ws, 'portrait', [2, 2]);
}

const TEXT_STYLE = {
  title: { font: { ...TITLE, size: 16 }, alignment: { horizontal: 'center' as const, vertical: 'middle' as const, wrapText: true }, pt: 16 },
  heading: { font: { ...BOLD, size: 12 }, alignment: { horizontal: 'left' as const, vertical: 'middle' as const, wrapText: true }, pt: 12 },
  body: { font: { ...BODY, size: 12 }, alignment: { horizontal: 'left' as const, vertical: 'top' as const, wrapText: true }, pt: 12 },
  plain: { font: { ...BODY, size: 12 }, alignment: { horizontal: 'left' as const, vertical: 'top' as const, wrapText: true }, pt: 12 },
  right: { font: { ...BODY, size: 12 }, alignment: { horizontal: 'right' as const, vertical: 'middle' as const, wrapText: true }, pt: 12 },
};

/** A narrative as one paragraph per row, wrapped to the width of a portrait A4 page. */
export function addText(wb: Workbook, spec: TextSheetSpec): void {
  const ws = wb.addWorksheet(spec.name);
  setWidths(ws, [...TEXT_COLUMNS]);
  let r = 1;
  for (const p of spec.paragraphs) {
    const s = TEXT_STYLE[p.style];
    const text = p.style === 'body' ? `　　${p.text}` : p.text;
    // A paragraph too long for one row (Excel cuts a row taller than MAX_ROW_HEIGHT) goes on in the rows below.
    for (const [n, piece] of textPieces(text, PRINTABLE.portrait, s.pt).entries()) {
      spanCell(ws, r, 1, TEXT_COLUMNS.length, safeText(piece), s.font, s.alignment);
      ws.getRow(r++).height = rowHeight(linesIn(piece, PRINTABLE.portrait, s.pt), s.pt) + (p.style === 'title' && n === 0 ? 12 : 0);
    }
  }
  printSetup(ws, 'portrait');
}

