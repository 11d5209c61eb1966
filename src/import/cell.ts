/**
 * The one normaliser every spreadsheet cell passes through: rich text, hyperlinks, formulas with cached
 * results, shared strings (already resolved by the reader), errors, booleans, dates and numbers.
 */
import { excelSerialToDate } from '../util/dates.js';
import { normaliseText } from '../util/text.js';

export type CellKind = 'empty' | 'string' | 'number' | 'date' | 'boolean' | 'error';

export interface Cell {
  kind: CellKind;
  /** Normalised text (what a person sees); '' when empty. */
  text: string;
  /** The number when the cell held one. */
  num?: number;
  /** ISO date when the cell held a date (date-formatted number or Date). */
  date?: string;
  /** A formula whose result was never cached: no value can be read. */
  uncachedFormula?: boolean;
}

export const EMPTY: Cell = { kind: 'empty', text: '' };

/**
 * Excel's own limits (columns A–XFD, rows 1–1,048,576). Every reader refuses a reference beyond them before
 * allocating anything for it: a forged `<c r="ZZZZZZZ2">` would otherwise ask for billions of cells.
 */
export const MAX_COLUMNS = 16_384;
export const MAX_ROWS = 1_048_576;

/** Text of a number as a person typed it: no exponent for integers, no float noise. */
export function numberText(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
  return String(Number(n.toPrecision(15)));
}

function richTextOf(v: { richText: { text: string }[] }): string {
  return v.richText.map((r) => r.text ?? '').join('');
}

function dateCell(d: Date): Cell {
  if (Number.isNaN(d.getTime())) return { kind: 'error', text: '#VALUE!' };
  // exceljs puts the wall-clock value in the UTC fields.
  const iso = d.toISOString().slice(0, 10);
  return { kind: 'date', text: iso, date: iso };
}

/** Normalises a raw exceljs cell value (or a CSV string). */
export function normaliseCell(v: unknown): Cell {
  if (v === null || v === undefined) return EMPTY;
  if (typeof v === 'string') {
    // A leading ' before = + - @ is how exports stop formulas (render/formula.ts): read it back as the text.
    const text = normaliseText(v).replace(/^'(?=[=+\-@])/, '');
    return text === '' ? EMPTY : { kind: 'string', text };
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { kind: 'error', text: '#NUM!' };
    return { kind: 'number', text: numberText(v), num: v };
  }
  if (typeof v === 'boolean') return { kind: 'boolean', text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return dateCell(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return normaliseCell(richTextOf(o as { richText: { text: string }[] }));
    if ('error' in o) return { kind: 'error', text: String(o.error) };
    if ('formula' in o || 'sharedFormula' in o) {
      if (o.result === undefined || o.result === null) return { kind: 'empty', text: '', uncachedFormula: true };
      return normaliseCell(o.result);
    }
    if ('hyperlink' in o || 'text' in o) return normaliseCell(o.text ?? o.hyperlink);
  }
  return normaliseCell(String(v));
}

/** A number cell formatted as a date that exceljs did not convert (or a serial typed in a text column). */
export function cellDate(c: Cell): string | undefined {
  if (c.date) return c.date;
  if (c.kind !== 'number' || c.num === undefined || !Number.isInteger(c.num)) return undefined;
  const n = c.num;
  if (n >= 19000101 && n <= 29991231) {
    // 20240305 typed as a number
    const s = String(n);
    const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
    const d = new Date(`${iso}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
  }
  // A date cell saved without its format: serials 1950–2099. A bare year (2015) or count is not a date.
  if (n >= 18264 && n <= 73415) return excelSerialToDate(n);
  return undefined;
}
