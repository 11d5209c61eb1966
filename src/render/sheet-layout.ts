/**
 * How a table is laid out on A4 paper, computed before anything is written (pure, so it is tested as such):
 * column widths from the text they hold, header text broken into lines only between words, the orientation
 * that fits, and a table too wide to print readably split into parts that each fit.
 *
 * Widths are in Excel's column units (one digit of the workbook's default font, 7 px at 96 dpi = 1.852 mm);
 * text is measured in display columns (a Chinese character is two) and converted at the body font size.
 */
import { displayWidth } from '../util/text.js';
import { lineCount, wrapText } from '../util/wrap.js';

/** Body text and headers in points; the smallest a printed table may be scaled to. */
export const BODY_PT = 11;
export const MIN_PRINTED_PT = 10;

/** A4 (210 × 297 mm) less 12.7 mm margins left and right, in column units, with a little to spare. */
export const PRINTABLE = { portrait: 97, landscape: 143 } as const;
/**
 * A sheet of text (a report's narrative, 填写说明) is two columns merged on each row, as wide as a portrait
 * page: LibreOffice scales a sheet to the page width only when it uses more than one column, and prints a
 * single wide column at its own size, off both sides of the page.
 */
export const TEXT_COLUMNS = [PRINTABLE.portrait - 10, 10] as const;
/** Page margins in inches (Excel's unit). */
export const MARGINS = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 };

const UNITS_PER_COLUMN = (BODY_PT * 96) / 72 / 2 / 7; // one display column of body text
const PADDING = 2.5; // the cell margins and a one-step indent from the border
/** The cell margins alone, for text written without an indent (column units). */
export const NO_INDENT = 1;
/** Text longer than this wraps inside its cell (display columns); narrower limits are tried for wide tables. */
export const TEXT_LIMITS = [30, 24, 20, 16, 12];
/** Text up to this width (ten Chinese characters) never wraps. */
const KEEP_WHOLE = 20;

/** Column units needed to show `dw` display columns of text at `pt`. */
export function unitsFor(dw: number, pt = BODY_PT): number {
  return Math.ceil((dw * UNITS_PER_COLUMN * (pt / BODY_PT) + PADDING) * 2) / 2;
}

/** Display columns of text at `pt` that fit in a column of `units` less `padding` (an indented cell's unless told). */
export function columnsIn(units: number, pt = BODY_PT, padding = PADDING): number {
  return Math.max(1, Math.floor((units - padding) / (UNITS_PER_COLUMN * (pt / BODY_PT))));
}

/**
 * The printed width of text in display columns (half an em): a Chinese character is two, Latin letters and
 * digits a little over one, since the fonts that stand in for 宋体 where it is missing draw them wider.
 */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0x41 && c <= 0x5a) w += 1.4;
    else if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) w += 1.1;
    else if (c < 0x7f) w += 1;
    else w += wide(ch);
  }
  return w;
}

// The width of each character met, looked up by its code unit (a character outside the BMP by itself).
const wideUnits = new Int8Array(0x10000).fill(-1);
const wideCache = new Map<string, number>();
function wide(ch: string): number {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    let w = wideUnits[c]!;
    if (w < 0) wideUnits[c] = w = displayWidth(ch);
    return w;
  }
  let w = wideCache.get(ch);
  if (w === undefined) wideCache.set(ch, (w = displayWidth(ch)));
  return w;
}

/** The widest line of each cell of a column, measured once however often the table is planned. */
const measured = new WeakMap<LayoutColumn, number[]>();
function cellWidths(c: LayoutColumn): number[] {
  let m = measured.get(c);
  if (!m) measured.set(c, (m = c.cells.map((t) => (t.includes('\n') ? Math.max(...t.split('\n').map(textWidth)) : textWidth(t)))));
  return m;
}

const HAN = /\p{Script=Han}/u;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The pieces a header may break between: words (a lone Chinese character or a punctuation mark joins the word
 * before it, or the next one at the start: 企业|数 → 企业数, 主办|行 → 主办行), a bracketed part kept whole (（万元）).
 */
export function headerWords(text: string): string[] {
  // A table is planned at several widths (fittedPlan), each time breaking every header: each text is segmented once.
  let words = headerWordCache.get(text);
  if (!words) headerWordCache.set(text, (words = segmentHeader(text)));
  return [...words];
}
const headerWordCache = new Map<string, string[]>();

function segmentHeader(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/(（[^）]*）|\([^)]*\))/).filter(Boolean)) {
    if (/^[（(]/.test(part)) {
      out.push(part);
      continue;
    }
    const words: string[] = [];
    for (const { segment, isWordLike } of segmenter.segment(part)) {
      // Punctuation (：、，) never starts a line: it stays with the word before it.
      if ((isLone(segment) || !isWordLike) && words.length > 0) words[words.length - 1] += segment;
      else words.push(segment);
    }
    // A lone character or a number (1、) at the start stays with the word after it.
    if (words.length > 1 && (isLone(words[0]!) || /^[\d\p{P}]+$/u.test(words[0]!))) words.splice(0, 2, words[0]! + words[1]!);
    out.push(...words);
  }
  return out;
}

const isLone = (s: string) => Array.from(s).length === 1 && HAN.test(s);

/** Every way of putting `words` on `lines` lines, in order. */
function splits(words: string[], lines: number): string[][] {
  if (lines === 1) return [[words.join('')]];
  const out: string[][] = [];
  for (let i = 1; i <= words.length - lines + 1; i++) {
    for (const rest of splits(words.slice(i), lines - 1)) out.push([words.slice(0, i).join(''), ...rest]);
  }
  return out;
}

/**
 * A header as at most `maxLines` lines broken between words, as narrow as possible but never narrower than
 * `floor` display columns (the data below it); fewer lines win unless more save two columns. A header that
 * already holds line breaks is kept as written.
 */
export function headerLines(text: string, maxLines: number, floor = 0): string[] {
  if (text.includes('\n')) return text.split('\n');
  const words = headerWords(text);
  let best = [text];
  let bestWidth = Math.max(floor, textWidth(text));
  for (let n = 2; n <= Math.min(maxLines, words.length); n++) {
    for (const s of splits(words, n)) {
      const w = Math.max(floor, ...s.map(textWidth));
      if (w <= bestWidth - 2 || (w < bestWidth && best.length === n)) {
        best = s;
        bestWidth = w;
      }
    }
  }
  return best;
}

export interface LayoutColumn {
  /** The header of the column itself (its sub-header inside a group). */
  header: string;
  group?: string;
  key?: boolean;
  section?: string;
  /** Text that wraps in its cell (long names, reasons) rather than widening the column. */
  wraps: boolean;
  /** Wraps even short text (a form with room to type), not only text longer than ten characters. */
  freely?: boolean;
  /** The cell texts as shown, for measuring. */
  cells: string[];
}

export interface ColumnPlan {
  width: number;
  header: string[];
}

export interface TablePlan {
  columns: ColumnPlan[];
  /** Header rows: 1, or 2 when some columns are grouped. */
  headerRows: number;
  /** Lines in each header row. */
  headerHeights: number[];
  /** Groups: first column, last column (0-based), label lines. */
  groups: { from: number; to: number; label: string[] }[];
  width: number;
}

/** Runs of consecutive columns sharing a group (a column outside any group is a run of its own). */
export function runs(cols: { group?: string }[]): { from: number; to: number; group?: string }[] {
  const out: { from: number; to: number; group?: string }[] = [];
  cols.forEach((c, i) => {
    const last = out.at(-1);
    if (c.group && last?.group === c.group) last.to = i;
    else out.push({ from: i, to: i, group: c.group });
  });
  return out;
}

/** Widths and header lines of one table, long text wrapping at `limit` display columns. */
export function planTable(cols: LayoutColumn[], limit = TEXT_LIMITS[0]!): TablePlan {
  const grouped = cols.some((c) => c.group);
  const headerRows = grouped ? 2 : 1;
  const columns = cols.map((c) => {
    // A short text (a district, a stage) stays on one line; a longer one may wrap at `limit`.
    const widths = cellWidths(c);
    const keep = c.freely ? 0 : KEEP_WHOLE;
    // (a loop, not Math.max(...cells): a sheet may have more rows than a call has room for arguments)
    const floor = widths.reduce((m, w) => Math.max(m, c.wraps && w > keep ? Math.max(keep, Math.min(w, limit)) : w), 0);
    // A sub-header has one row of its own; a column outside any group spans both rows, or three lines.
    const header = headerLines(c.header, c.group ? 2 : 3, floor);
    return { width: unitsFor(Math.max(floor, ...header.map(textWidth))), header };
  });
  const groups: TablePlan['groups'] = [];
  for (const r of runs(cols)) {
    if (!r.group) continue;
    const span = columns.slice(r.from, r.to + 1);
    const have = span.reduce((sum, c) => sum + c.width, 0);
    const label = textWidth(r.group) <= columnsIn(have) ? [r.group] : headerLines(r.group, 2);
    const need = unitsFor(Math.max(...label.map(textWidth)));
    if (need > have) span.at(-1)!.width += need - have;
    groups.push({ from: r.from, to: r.to, label });
  }
  const groupLines = Math.max(1, ...groups.map((g) => g.label.length));
  const subLines = Math.max(1, ...cols.map((c, i) => (c.group ? columns[i]!.header.length : 0)));
  const aloneLines = Math.max(1, ...cols.map((c, i) => (c.group ? 0 : columns[i]!.header.length)));
  const headerHeights = grouped ? [groupLines, Math.max(subLines, aloneLines - groupLines)] : [aloneLines];
  return { columns, headerRows, headerHeights, groups, width: columns.reduce((s, c) => s + c.width, 0) };
}

/** The widest table (column units) that prints on landscape A4 with its text no smaller than MIN_PRINTED_PT. */
export const MAX_WIDTH = (PRINTABLE.landscape * BODY_PT) / MIN_PRINTED_PT;

/**
 * The parts a table prints as: all its columns when they fit MAX_WIDTH, else consecutive pieces (each section
 * in parts of its own when the columns name sections, else split between groups), each with the key columns
 * repeated.
 */
export function splitColumns(cols: LayoutColumn[], widths: number[], max = MAX_WIDTH): number[][] {
  const all = cols.map((_, i) => i);
  const total = widths.reduce((s, w) => s + w, 0);
  if (total <= max) return [all];
  const keys = all.filter((i) => cols[i]!.key);
  const keyWidth = keys.reduce((s, i) => s + widths[i]!, 0);
  const rest = all.filter((i) => !cols[i]!.key);
  const hasSections = rest.some((i) => cols[i]!.section);
  // Pieces that stay together: a section, or a run of one group.
  const pieces: number[][] = [];
  rest.forEach((i, n) => {
    const prev = rest[n - 1];
    const starts = prev === undefined || (hasSections ? cols[i]!.section !== undefined : !cols[i]!.group || cols[i]!.group !== cols[prev]!.group);
    if (starts) pieces.push([i]);
    else pieces.at(-1)!.push(i);
  });
  const widthOf = (p: number[]) => p.reduce((s, i) => s + widths[i]!, 0);
  const parts: number[][] = [];
  for (const piece of pieces) {
    // A section too wide by itself is packed again by its groups.
    const units = hasSections && keyWidth + widthOf(piece) > max ? piecesOf(cols, piece) : [piece];
    for (const [n, u] of units.entries()) {
      const last = parts.at(-1);
      // each section starts a part of its own, so that a part is what its section's name says
      const own = hasSections && n === 0;
      if (last && !own && keyWidth + widthOf(last) + widthOf(u) <= max) last.push(...u);
      else parts.push([...u]);
    }
  }
  return parts.map((p) => [...keys, ...p].sort((a, b) => a - b));
}

/** The group runs of some columns. */
function piecesOf(cols: LayoutColumn[], idx: number[]): number[][] {
  const out: number[][] = [];
  idx.forEach((i, n) => {
    const prev = idx[n - 1];
    if (prev !== undefined && cols[i]!.group && cols[i]!.group === cols[prev]!.group) out.at(-1)!.push(i);
    else out.push([i]);
  });
  return out;
}

/**
 * The widest wrapping limit that lets the table fit landscape A4 at 90 % or more and with its text no smaller
 * than MIN_PRINTED_PT (else the narrowest), and its plan.
 */
export function fittedPlan(cols: LayoutColumn[]): { limit: number; plan: TablePlan } {
  let best = { limit: TEXT_LIMITS[0]!, plan: planTable(cols) };
  const fits = Math.min(PRINTABLE.landscape / 0.9, MAX_WIDTH);
  for (const limit of TEXT_LIMITS) {
    best = { limit, plan: planTable(cols, limit) };
    if (best.plan.width <= fits) break;
  }
  return best;
}

/** Portrait when the table fits a portrait page (allowing a slight scaling), else landscape. */
export function orientationFor(width: number): 'portrait' | 'landscape' {
  return width <= PRINTABLE.portrait * 1.05 ? 'portrait' : 'landscape';
}

/** The printed size of body text once the table is scaled to the page width. */
export function printedSize(width: number, orientation: 'portrait' | 'landscape'): number {
  return BODY_PT * Math.min(1, PRINTABLE[orientation] / width);
}

/**
 * Lines a text needs in a column of `units` (wrapped between words, as the writer sets wrapText), counting its
 * own line breaks. The width left for text is the column less its cell margins and a one-step indent (PADDING:
 * Excel indents a step by about 10 px); a Chinese character takes a full em in every font, Latin letters and
 * digits are measured as the wider fonts that stand in for 宋体 draw them (textWidth). The estimate errs on the
 * side of one line too many: Excel, the narrowest, fits 31 Chinese characters of 11 pt in a 69-unit column,
 * LibreOffice (whose column units are about 6 % wider) 33; the estimate counts 31. A cell written without an
 * indent is measured with `padding` NO_INDENT.
 */
export function linesIn(text: string, units: number, pt = BODY_PT, padding = PADDING): number {
  if (text === '') return 1;
  return lineCount(text, columnsIn(units, pt, padding), textWidth);
}

/**
 * The height of one printed line in ems. LibreOffice sets a line of Chinese text at the height of the Noto CJK
 * fonts that stand in for 宋体 (1.44 em for the serif, 1.46 em when Latin text falls back to DejaVu Sans; 宋体
 * itself in Excel and WPS needs 1.3 em): 1.5 em leaves a little room in every office suite.
 */
const LINE_EM = 1.5;
/** Room above and below the lines of a cell, in points. */
const ROW_PADDING = 2;
/** The tallest row Excel opens (points); a taller one is cut to it. */
export const MAX_ROW_HEIGHT = 409;

/** Row height in points for `lines` lines of body text at `pt`. */
export function rowHeight(lines: number, pt = BODY_PT): number {
  return Math.ceil(lines * pt * LINE_EM + ROW_PADDING);
}

/** The most lines of text at `pt` a row of at most `height` points holds. */
export function linesWithin(height: number, pt = BODY_PT): number {
  return Math.max(1, Math.floor((height - ROW_PADDING) / (pt * LINE_EM)));
}

/**
 * A long text cut into consecutive pieces of at most `maxLines` lines each in a column of `units`, to print as
 * one row each (a row is never taller than MAX_ROW_HEIGHT, and a shorter one leaves less of a page empty when it
 * moves to the next). The cuts fall after a sentence or a clause (。；！？ or a line break) where they can, else
 * at the end of a wrapped line. The pieces put together are the text (less the line breaks cut at).
 */
export function textPieces(text: string, units: number, pt = BODY_PT, maxLines = linesWithin(MAX_ROW_HEIGHT, pt)): string[] {
  if (linesIn(text, units, pt) <= maxLines) return [text];
  const out: string[] = [];
  let cur = '';
  const push = (t: string) => {
    const piece = t.replace(/\r?\n$/, '');
    if (piece !== '') out.push(piece);
  };
  for (const clause of text.split(/(?<=[。；！？\n])/u)) {
    if (cur !== '' && linesIn((cur + clause).replace(/\r?\n$/, ''), units, pt) > maxLines) {
      push(cur);
      cur = '';
    }
    cur += clause;
    // A clause longer than a piece by itself is cut at the end of a wrapped line.
    while (linesIn(cur.replace(/\r?\n$/, ''), units, pt) > maxLines) {
      const head = wrapText(cur, columnsIn(units, pt), textWidth).slice(0, maxLines).join('');
      let k = 0;
      // the same characters in `cur` (wrapping dropped the spaces and line breaks at the ends of lines)
      for (let i = 0; i < head.length; i++) {
        while (k < cur.length && cur[k] !== head[i]) k++;
        k++;
      }
      if (k === 0 || k >= cur.length) break;
      push(cur.slice(0, k));
      cur = cur.slice(k).replace(/^[ \r\n]+/, '');
    }
  }
  push(cur);
  return out;
}

/** A4 in points, by orientation. */
const PAGE_PT = { portrait: { width: 595, height: 842 }, landscape: { width: 842, height: 595 } } as const;
/** A column unit as LibreOffice prints it, in points (Excel's 7 px and about 6 % more). */
const UNIT_PT = 5.56;
/**
 * The height a page gives its rows, in points: Excel the page less its top and bottom margins; LibreOffice,
 * measured, about 15 pt more (its footer takes less than the bottom margin).
 */
const PAGE_ROOMS = (orientation: 'portrait' | 'landscape') => {
  const h = PAGE_PT[orientation].height - (MARGINS.top + MARGINS.bottom) * 72;
  return [h, h + 15];
};
/** The fewest rows of a table that runs on to more than one page its last page holds. */
export const TABLE_TAIL = 3;

export interface TablePages {
  /** The table's width in column units and its orientation (a wider table is scaled down to the page width). */
  width: number;
  orientation: 'portrait' | 'landscape';
  /** Points above the header on the first page (the title and 填报单位 lines). */
  above: number;
  /** Points of the header rows, printed at the top of every page. */
  header: number;
  /** The body rows (the 合计 row included), each `height` points. */
  rows: number;
  height: number;
  /** Points of what follows the last row on its page (the signature line). */
  after: number;
}

/**
 * Where a manual page break keeps the last TABLE_TAIL rows of a table together with what follows them: after
 * the body row of this index (from 0), when printing would otherwise leave fewer rows on the last page (the
 * 合计 row alone with the signature line, or the signature line alone under the repeated header); undefined
 * when it would not. The pages are estimated as they print in Excel and in LibreOffice (see PAGE_ROOMS),
 * scaled to the page width, the header repeated on every page; a break is made when either would.
 */
export function tailBreak(t: TablePages): number | undefined {
  if (t.rows <= TABLE_TAIL) return undefined;
  const printable = PAGE_PT[t.orientation].width - (MARGINS.left + MARGINS.right) * 72;
  const scale = Math.min(1, printable / (t.width * UNIT_PT));
  const short = PAGE_ROOMS(t.orientation).some((points) => {
    const room = points / scale - t.header;
    const first = Math.max(1, Math.floor((room - t.above) / t.height));
    const next = Math.max(1, Math.floor(room / t.height));
    // the rows on the last page, and whether what follows them fits there too
    const onLast = t.rows <= first ? t.rows : ((t.rows - first - 1) % next) + 1;
    const used = (t.rows <= first ? t.above : 0) + onLast * t.height;
    if (t.rows <= first && used + t.after <= room) return false;
    return (used + t.after <= room ? onLast : 0) < TABLE_TAIL;
  });
  return short ? t.rows - TABLE_TAIL - 1 : undefined;
}
