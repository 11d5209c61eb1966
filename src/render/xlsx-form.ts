/**
 * The parts of an official statistics form around a table, shared by every workbook the tool writes: the
 * title, the period, the 填报单位 / 单位 line, the signature line, fonts, borders and the A4 page setup.
 * See src/render/sheet-layout.ts for the measures.
 */
import type { Alignment, Borders, Font, Worksheet } from 'exceljs';
import { dateInWords } from '../util/dates.js';
import { BODY_PT, linesIn, MARGINS, PRINTABLE, rowHeight, textWidth, unitsFor } from './sheet-layout.js';

/** Who hands the form up and when: the 填报单位 and the 报出日期 (an ISO date); blank on a form to fill in. */
export interface FormSpec {
  unit: string;
  date?: string;
}

export const FONT_NAME = '宋体';
export const BODY: Partial<Font> = { name: FONT_NAME, size: BODY_PT };
export const BOLD: Partial<Font> = { ...BODY, bold: true };
const TITLE_PT = 16;
export const TITLE: Partial<Font> = { name: FONT_NAME, size: TITLE_PT, bold: true };
const THIN = { style: 'thin' as const };
export const BORDER: Partial<Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
export const CENTRE: Partial<Alignment> = { horizontal: 'center', vertical: 'middle', wrapText: true };

/** The signature line under every form. */
export const SIGNATURE_LABELS = ['单位负责人：', '统计负责人：', '填表人：', '报出日期：'] as const;

/** Sets column widths (1-based from the first). */
export function setWidths(ws: Worksheet, widths: number[]): void {
  // exceljs takes a width of exactly 9 for its default and leaves it out of the file.
  widths.forEach((w, j) => (ws.getColumn(j + 1).width = w === 9 ? 9.05 : w));
}

/** Writes `text` across columns from..to of `row` (merged when wider than one column). */
export function spanCell(ws: Worksheet, row: number, from: number, to: number, text: string, font: Partial<Font>, alignment: Partial<Alignment>): void {
  if (to > from) ws.mergeCells(row, from, row, to);
  const c = ws.getCell(row, from);
  c.value = text;
  c.font = font;
  c.alignment = alignment;
}

/** Column index splitting `widths` so that the columns before it hold at least `units`. */
function splitAt(widths: number[], units: number): number {
  let sum = 0;
  for (let i = 0; i < widths.length - 1; i++) {
    sum += widths[i]!;
    if (sum >= units) return i + 1;
  }
  return Math.max(1, widths.length - 1);
}

/** The width a table needs for its title and its 填报单位 / 单位 line (up to a portrait page's width). */
export function headWidth(head: { title?: string; measure?: string }, form?: FormSpec): number {
  const left = form ? textWidth(`填报单位：${form.unit}`) : 0;
  const right = textWidth(head.measure ?? '');
  return Math.min(PRINTABLE.portrait, Math.max(unitsFor(textWidth(head.title ?? ''), TITLE_PT), unitsFor(left + right + (left && right ? 4 : 0))));
}

/** `widths` widened in proportion to reach `total`. */
export function widen(widths: number[], total: number): number[] {
  const sum = widths.reduce((s, w) => s + w, 0);
  return sum >= total ? widths : widths.map((w) => Math.ceil(((w * total) / sum) * 2) / 2);
}

/**
 * Title, period and the 填报单位 / 单位 line from row 1; returns the next free row. `measure` is the units
 * line (单位：户、万元), empty when the table has no quantities.
 */
export function formHead(ws: Worksheet, widths: number[], head: { title?: string; period?: string; measure?: string }, form?: FormSpec): number {
  const n = widths.length;
  let r = 1;
  if (head.title) {
    spanCell(ws, r, 1, n, head.title, TITLE, CENTRE);
    ws.getRow(r++).height = 14 + rowHeight(linesIn(head.title, widths.reduce((s, w) => s + w, 0), TITLE_PT), TITLE_PT);
  }
  if (head.period) {
    spanCell(ws, r, 1, n, head.period, BODY, CENTRE);
    ws.getRow(r++).height = rowHeight(1);
  }
  const left = form ? `填报单位：${form.unit}` : '';
  const right = head.measure ?? '';
  if (left || right) {
    if (n === 1 || !right || !left) {
      spanCell(ws, r, 1, n, [left, right].filter(Boolean).join('　　'), BODY, { horizontal: left ? 'left' : 'right', vertical: 'middle' });
    } else {
      const k = splitAt(widths, unitsFor(textWidth(left)));
      spanCell(ws, r, 1, k, left, BODY, { horizontal: 'left', vertical: 'middle' });
      spanCell(ws, r, k + 1, n, right, BODY, { horizontal: 'right', vertical: 'middle' });
    }
    ws.getRow(r++).height = rowHeight(1);
  }
  return r;
}

/**
 * Where the four parts of the signature line start (column indexes): at about each quarter of the table's
 * width, else as close as their texts allow; the date ends at the right edge. A single cell when the table
 * is too narrow for four parts.
 */
function signatureStarts(widths: number[], texts: string[]): number[] {
  const need = texts.map((t) => unitsFor(textWidth(t)) + 2);
  const at = [0];
  for (const w of widths) at.push(at.at(-1)! + w);
  const total = at.at(-1)!;
  const last = texts.length - 1;
  const attempt = (spread: boolean): number[] | undefined => {
    const starts = [0];
    for (let q = 1; q <= last; q++) {
      const prev = starts[q - 1]!;
      const after = at[prev]! + need[q - 1]!;
      const target = spread ? Math.max(after, (total * q) / texts.length) : after;
      const i =
        q < last
          ? at.findIndex((x, k) => k > prev && k < widths.length && x >= target)
          : at.findLastIndex((x, k) => k > prev && k < widths.length && x >= after && x <= total - need[q]!);
      if (i < 0) return undefined;
      starts.push(i);
    }
    return starts;
  };
  return attempt(true) ?? attempt(false) ?? [0];
}

/** The signature line at `row`: 单位负责人 … 报出日期, spread over the table's width (one cell if narrow). */
export function formFoot(ws: Worksheet, row: number, widths: number[], form: FormSpec): void {
  const date = form.date ? dateInWords(form.date) : '　　　　年　　月　　日';
  const texts = SIGNATURE_LABELS.map((l, i) => (i === SIGNATURE_LABELS.length - 1 ? `${l}${date}` : l));
  const starts = signatureStarts(widths, texts);
  let lines = 1;
  starts.forEach((start, q) => {
    const end = starts[q + 1] ?? widths.length;
    const text = starts.length === 1 ? texts.join('　　') : texts[q]!;
    spanCell(ws, row, start + 1, end, text, BODY, { horizontal: 'left', vertical: 'middle', wrapText: true });
    lines = Math.max(lines, linesIn(text, widths.slice(start, end).reduce((s, w) => s + w, 0)));
  });
  ws.getRow(row).height = rowHeight(lines) + 6;
}

/** A4, the given orientation, margins, one page wide, the header rows on every page, page numbers. */
export function printSetup(ws: Worksheet, orientation: 'portrait' | 'landscape', titleRows?: [number, number], onePage = false): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: onePage ? 1 : 0,
    horizontalCentered: true,
    margins: MARGINS,
    ...(titleRows ? { printTitlesRow: `${titleRows[0]}:${titleRows[1]}` } : {}),
  };
  ws.headerFooter.oddFooter = onePage ? '' : '&C第 &P 页，共 &N 页';
}
