/** Sheets of text in a workbook: the 说明 of a report, and narrative reports as paragraphs, on portrait A4. */
import type { Workbook } from 'exceljs';
import { safeText } from './formula.js';
import { linesIn, PRINTABLE, rowHeight, TEXT_COLUMNS, textWidth, unitsFor } from './sheet-layout.js';
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
  notes.lines.forEach(([k, v], i) => {
    const row = ws.getRow(i + 3);
    [k, v].forEach((t, j) => Object.assign(row.getCell(j + 1), { value: safeText(t), font: BODY, border: BORDER, alignment: { horizontal: 'left', vertical: 'middle', wrapText: true, indent: 1 } }));
    row.height = rowHeight(Math.max(linesIn(k, widths[0]!), linesIn(v, widths[1]!)));
  });
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
  spec.paragraphs.forEach((p, i) => {
    const s = TEXT_STYLE[p.style];
    const text = p.style === 'body' ? `　　${p.text}` : p.text;
    spanCell(ws, i + 1, 1, TEXT_COLUMNS.length, safeText(text), s.font, s.alignment);
    ws.getRow(i + 1).height = rowHeight(linesIn(text, PRINTABLE.portrait, s.pt), s.pt) + (p.style === 'title' ? 12 : 0);
  });
  printSetup(ws, 'portrait');
}

