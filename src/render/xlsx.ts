/**
 * Tables as the forms a statistics office hands up: the title, the period in words, the 填报单位 / 单位 line,
 * a two-level header (推荐企业数 over 本期 and 累计) broken only between words, 序号, a bold 合计 row, the
 * signature line, 宋体 throughout, and an A4 page setup with the header repeated on every page. A table too
 * wide to print readably on landscape A4 becomes two sheets (see sheet-layout.ts). Also the 说明 sheet and
 * plain-text sheets for narrative reports. Text cells are made formula-safe; numbers stay numbers. Written
 * atomically.
 */
import type { Alignment, Style, Workbook, Worksheet } from 'exceljs';
import { writeFileSync } from 'node:fs';
import { writeFileAtomic } from './files.js';
import { safeText } from './formula.js';
import { packParts, type Part } from './stable-zip.js';
import { columnsIn, fittedPlan, linesIn, orientationFor, rowHeight, splitColumns, tailBreak, textWidth, type LayoutColumn } from './sheet-layout.js';
import { BODY, BOLD, BORDER, CENTRE, formFoot, formHead, headWidth, printSetup, setWidths, spanCell, widen, type FormSpec } from './xlsx-form.js';
import { addCharts, type ChartSheetSpec } from './xlsx-chart.js';
import { addImages, type ImageSheetSpec } from './xlsx-image.js';
import { bodyRows, installBodyRows, takeBodies } from './xlsx-rows.js';
import type { ZipParts } from './stable-zip.js';
import { addNotes, addText, type NotesSpec, type TextSheetSpec } from './xlsx-text.js';
import { percent } from '../util/rates.js';

export type { FormSpec } from './xlsx-form.js';
export type { ChartSheetSpec } from './xlsx-chart.js';
export type { ImageSheetSpec } from './xlsx-image.js';
export type { NotesSpec, TextSheetSpec } from './xlsx-text.js';

export type ColumnKind = 'text' | 'int' | 'money' | 'date' | 'bool' | 'rate';
type Input = string | number | boolean | null | undefined;

export interface SheetColumn<T> {
  header: string;
  kind: ColumnKind;
  value: (row: T) => Input;
  /** The upper header shared with the neighbouring columns of the same group (推荐企业数 → 本期/累计). */
  group?: string;
  /** This column's header under its group (default: header). */
  sub?: string;
  /** The unit of a count (户, 项, 个) or a two-decimal figure (default 万元), listed in the 单位 line. */
  unit?: string;
  /** Added up in a summed 合计 row (default: counts and amounts). */
  sum?: boolean;
  /** Repeated in each part of a table printed in parts (default: 序号 and the first column). */
  key?: boolean;
  /** Where a table too wide for the page may be split; the part is named after it. */
  section?: string;
  /**
   * Long text wraps in its cell instead of widening the column (default: text columns holding words, not codes,
   * from ten characters on); true: any text wraps at the column's width.
   */
  wrap?: boolean;
  /** Room to type in a blank form, in display columns. */
  minWidth?: number;
}

export interface SheetSpec<T> {
  name: string;
  /** The title above the table. */
  title?: string;
  /** The period in words (2024年3月) under the title. */
  period?: string;
  columns: SheetColumn<T>[];
  rows: T[];
  /** The 合计 row: a row of T, or 'sum' to add up the counts and amounts. Yes/no columns show how many are yes (4/5). */
  total?: T | 'sum';
  /** 序号 as the first column. */
  serial?: boolean;
  /** Shown across the table when it has no rows (e.g. 无). */
  empty?: string;
  /** false: never split, even when too wide (an import form keeps its columns together). */
  split?: boolean;
}

/** A table of rows of any type, typed while it is written (the columns read the rows' own fields). */
export function table<T>(spec: SheetSpec<T>): SheetSpec<unknown> {
  return spec as SheetSpec<unknown>;
}

// `_ ` keeps a space's width after the number, so right-aligned figures do not touch the border.
const NUM_FMT: Partial<Record<ColumnKind, string>> = { int: '0_ ', money: '#,##0.00_ ', rate: '0.0%_ ' };
const ALIGN: Record<ColumnKind, 'left' | 'center' | 'right'> = { text: 'left', date: 'center', bool: 'center', int: 'right', money: 'right', rate: 'right' };
const NUMERALS = '一二三四五六七八九十';

function cellValue(kind: ColumnKind, v: Input): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (kind === 'bool') return v === true ? '已报送' : v === false ? '未报送' : safeText(String(v));
  if ((kind === 'int' || kind === 'money' || kind === 'rate') && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (typeof v === 'number') return v;
  return safeText(String(v));
}

/** A cell as it prints, for measuring. */
function shown(kind: ColumnKind, v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  // (toLocaleString goes through ICU: at province scale a tenth of the workbook's time)
  if (kind === 'money') return v.toFixed(2).replace(/\B(?=(\d{3})+\.)/g, ',');
  if (kind === 'rate') return percent(v);
  return String(v);
}

const summable = (c: SheetColumn<unknown>) => c.sum ?? (c.kind === 'int' || c.kind === 'money');

/**
 * The 合计 row's values: the given row or the sums; a yes/no column counts its yes rows (4/5). 合计 itself
 * goes in the first text column that every part of a split table repeats (`label`).
 */
export function totalValues<T>(spec: SheetSpec<T>, cols: SheetColumn<T>[], body: Input[][], label: number): (string | number | null)[] {
  return cols.map((c, j) => {
    if (j === label) return '合计';
    if (c.kind === 'bool') return `${body.filter((r) => r[j] === true).length}/${body.filter((r) => typeof r[j] === 'boolean').length}`;
    if (spec.total !== 'sum') return cellValue(c.kind, c.value(spec.total as T));
    if (!summable(c as SheetColumn<unknown>)) return null;
    const cents = body.reduce((s: number, r) => s + Math.round(Number(r[j] ?? 0) * (c.kind === 'money' ? 100 : 1)), 0);
    return c.kind === 'money' ? cents / 100 : cents;
  });
}

/** 单位：户、万元 — the units of the table's quantities, in column order. */
export function measureLine(cols: SheetColumn<unknown>[]): string {
  const units = [...new Set(cols.flatMap((c) => (c.kind === 'money' ? [c.unit ?? '万元'] : c.unit && c.kind === 'int' ? [c.unit] : [])))];
  return units.length ? `单位：${units.join('、')}` : '';
}

const SERIAL: SheetColumn<unknown> = { header: '序号', kind: 'int', value: () => null, key: true, sum: false };

export interface WrittenTable {
  ws: Worksheet;
  /** The last header row and the first and last data rows (1-based). */
  headerRow: number;
  firstRow: number;
  lastRow: number;
  /** The spec's columns on this sheet (with 序号 first when asked), in order. */
  columns: SheetColumn<unknown>[];
}

/**
 * Adds a table to `wb` as one sheet, or as several when it is too wide to print in one piece. `sealed`: the
 * cells of a column share one frozen style object (see writeTable), for a caller that styles no cell further.
 */
export function addTable<T>(wb: Workbook, spec: SheetSpec<T>, form?: FormSpec, sealed = false): WrittenTable[] {
  const cols = (spec.serial ? [SERIAL, ...spec.columns] : spec.columns) as SheetColumn<T>[];
  const raw: Input[][] = spec.rows.map((row, i) => cols.map((c) => (c === SERIAL ? i + 1 : c.value(row))));
  const body = raw.map((r) => r.map((v, j) => cellValue(cols[j]!.kind, v)));
  // Without a key column named, the first one is.
  const firstKey = spec.columns.some((c) => c.key) ? -1 : spec.serial ? 1 : 0;
  const isKey = (c: SheetColumn<T>, j: number) => c.key ?? j === firstKey;
  const label = [cols.findIndex((c, j) => c.kind === 'text' && isKey(c, j)), cols.findIndex((c) => c.kind === 'text')].find((j) => j >= 0) ?? -1;
  const total = spec.total !== undefined && spec.rows.length > 0 ? totalValues(spec, cols, raw, label) : undefined;
  const all = total ? [...body, total] : body;
  const layout: LayoutColumn[] = cols.map((c, j) => ({
    header: c.group ? (c.sub ?? c.header) : c.header,
    group: c.group,
    key: isKey(c, j),
    section: c.section,
    wraps: c.wrap ?? (c.kind === 'text' && body.some((r) => typeof r[j] === 'string' && /[\s\p{Script=Han}]/u.test(r[j] as string))),
    freely: c.wrap,
    cells: [...all.map((r) => shown(c.kind, r[j]!)), ' '.repeat(c.minWidth ?? 0)],
  }));
  const { plan } = fittedPlan(layout);
  const widths = plan.columns.map((c) => c.width);
  const parts = spec.split === false ? [cols.map((_, j) => j)] : splitColumns(layout, widths);
  const names = partNames(parts, layout);
  return parts.map((idx, p) => {
    const part = names[p]!;
    const ws = wb.addWorksheet(part ? `${spec.name}（${part}）`.slice(0, 31) : spec.name);
    const title = spec.title && part ? `${spec.title}（${part}）` : spec.title;
    const pick = <X>(xs: X[]) => idx.map((j) => xs[j]!);
    // A part with nothing to add up (the dates of a ledger) has no 合计 row.
    const partTotal = total && idx.some((j) => j !== label && total[j] !== null) ? pick(total) : undefined;
    return writeTable(ws, { title, period: spec.period, empty: spec.empty }, pick(cols) as SheetColumn<unknown>[], pick(layout), body.map(pick), partTotal, form, sealed);
  });
}

/**
 * What each part of a split table is called: the section it starts in (a part continuing a section carries that
 * section's name), numbered 之一, 之二 … when a section prints in several parts; 一, 二 … without sections.
 */
function partNames(parts: number[][], layout: LayoutColumn[]): string[] {
  if (parts.length === 1) return [''];
  const sections = parts.map((idx) => sectionAt(layout, idx.find((j) => !layout[j]!.key)));
  return sections.map((s, p) => {
    if (s === undefined) return NUMERALS[p]!;
    const same = sections.filter((t) => t === s).length;
    return same === 1 ? s : `${s}之${NUMERALS[sections.slice(0, p).filter((t) => t === s).length]!}`;
  });
}

/** The section column `j` belongs to: the one named last at or before it. */
function sectionAt(layout: LayoutColumn[], j: number | undefined): string | undefined {
  if (j === undefined) return undefined;
  for (let i = j; i >= 0; i--) if (!layout[i]!.key && layout[i]!.section) return layout[i]!.section;
  return undefined;
}

function writeTable(
  ws: Worksheet,
  spec: { title?: string; period?: string; empty?: string },
  cols: SheetColumn<unknown>[],
  layout: LayoutColumn[],
  body: (string | number | null)[][],
  total: (string | number | null)[] | undefined,
  form?: FormSpec,
  sealed = false,
): WrittenTable {
  // A part of a split table has room of its own: long text wraps only as much as that part needs.
  const { plan } = fittedPlan(layout);
  const head = { title: spec.title, period: spec.period, measure: measureLine(cols) };
  const widths = widen(plan.columns.map((c) => c.width), headWidth(head, form));
  const n = cols.length;
  const h1 = formHead(ws, widths, head, form);
  const h2 = h1 + plan.headerRows - 1;
  setWidths(ws, widths);
  plan.columns.forEach((c, j) => {
    const top = cols[j]!.group ? h2 : h1;
    if (top < h2) ws.mergeCells(top, j + 1, h2, j + 1);
    ws.getCell(top, j + 1).value = c.header.join('\n');
  });
  for (const g of plan.groups) {
    if (g.to > g.from) ws.mergeCells(h1, g.from + 1, h1, g.to + 1);
    ws.getCell(h1, g.from + 1).value = g.label.join('\n');
  }
  for (let r = h1; r <= h2; r++) {
    ws.getRow(r).height = rowHeight(plan.headerHeights[r - h1]!);
    for (let j = 1; j <= n; j++) Object.assign(ws.getCell(r, j), { font: BOLD, alignment: CENTRE, border: BORDER });
  }
  let r = h2 + 1;
  const firstRow = r;
  // Every row of the table is as tall as its tallest: rows of one height, whatever each name's length.
  const rows = [...body, ...(total ? [total] : [])];
  // (a loop, not Math.max(...rows): a sheet may have more rows than a call has room for arguments)
  // A text no wider than its column's line is one line: wrapping it would break nowhere (a text of n UTF-16 units
  // is at most 2n display columns, so a short one needs no measuring); a text the column has seen is not wrapped
  // again (at province scale wrapping every cell of the 企业明细 was a tenth of the workbook's time).
  const room = widths.map((w) => columnsIn(w));
  const seen = widths.map(() => new Map<string, number>());
  const linesOf = (v: string, j: number) => {
    if (v.length * 2 <= room[j]! ? !v.includes('\n') : !/[\n\x1b]/.test(v) && textWidth(v) <= room[j]!) return 1;
    let n = seen[j]!.get(v);
    if (n === undefined) seen[j]!.set(v, (n = linesIn(v, widths[j]!)));
    return n;
  };
  const lines = rows.reduce((m, values) => values.reduce((n: number, v, j) => (layout[j]!.wraps && typeof v === 'string' ? Math.max(n, linesOf(v, j)) : n), m), 1);
  // A cell's style: its column's number format and alignment, bold in the 合计 row. Sealed, the cells with the
  // same style share one frozen object: exceljs otherwise gives every cell a style object of its own (most of
  // a large sheet's memory) and, writing the file, looks each one up among the styles it has seen by its
  // content; a shared object it finds by identity.
  const shared = new Map<string, Partial<Style>>();
  const styleOf = (j: number, isTotal: boolean, horizontal: 'left' | 'center' | 'right'): Partial<Style> => {
    const key = `${j}|${isTotal ? 1 : 0}|${horizontal}`;
    let style = shared.get(key);
    if (!style) {
      const fmt = NUM_FMT[cols[j]!.kind];
      const alignment: Partial<Alignment> = { horizontal, vertical: 'middle', wrapText: layout[j]!.wraps, indent: horizontal === 'left' ? 1 : 0 };
      style = { ...(fmt ? { numFmt: fmt } : {}), font: isTotal ? BOLD : BODY, border: BORDER, alignment };
      if (sealed) shared.set(key, Object.freeze(style));
    }
    return style;
  };
  const height = rowHeight(lines);
  const horizontalOf = (j: number, isTotal: boolean, v: string | number | null) => (isTotal && v === '合计' ? 'center' : cols[j] === SERIAL ? 'center' : ALIGN[cols[j]!.kind]);
  if (sealed && rows.length > 0) {
    // Sealed, the rows reach exceljs as one row model that writes them all (see bodyModel): no cell objects.
    // A body row's styles are its columns' (only the 合计 row's depend on the value: 合计 is centred).
    const bodyStyle = cols.map((_, j) => styleOf(j, false, horizontalOf(j, false, null)));
    const style = (k: number, j: number, v: string | number | null) => (k < body.length ? bodyStyle[j]! : styleOf(j, true, horizontalOf(j, true, v)));
    bodyRows(ws, { first: r, height, rows, style });
    r += rows.length;
  }
  for (const [k, values] of (sealed ? [] : rows).entries()) {
    const isTotal = k === body.length;
    const row = ws.getRow(r++);
    values.forEach((v, j) => {
      const cell = row.getCell(j + 1);
      cell.value = v;
      cell.style = styleOf(j, isTotal, horizontalOf(j, isTotal, v));
    });
    row.height = height;
  }
  if (body.length === 0 && spec.empty) {
    spanCell(ws, r, 1, n, spec.empty, BODY, CENTRE);
    for (let j = 1; j <= n; j++) ws.getCell(r, j).border = BORDER;
    ws.getRow(r++).height = rowHeight(1);
  }
  const lastRow = r - 1;
  if (form) formFoot(ws, r, widths, form);
  const keys = layout.findIndex((c) => !c.key);
  ws.views = [{ state: 'frozen', ySplit: h2, xSplit: keys > 0 && keys < n ? keys : 0 }];
  const width = widths.reduce((s, w) => s + w, 0);
  printSetup(ws, orientationFor(width), [h1, h2]);
  // The last rows printed together with the signature line, not the 合计 row alone on a page (see tailBreak).
  const points = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ws.getRow(from + i).height ?? 15).reduce((a, b) => a + b, 0);
  const cut = tailBreak({ width, orientation: orientationFor(width), above: points(1, h1 - 1), header: points(h1, h2), rows: rows.length, height, after: form ? points(r, r) : 0 });
  if (cut !== undefined) (ws as unknown as { rowBreaks: { id: number; max: number; man: number }[] }).rowBreaks.push({ id: firstRow + cut, max: 16383, man: 1 });
  return { ws, headerRow: h2, firstRow, lastRow, columns: cols };
}

type AnySheet = SheetSpec<unknown> | TextSheetSpec | ImageSheetSpec | ChartSheetSpec;
const isText = (s: AnySheet): s is TextSheetSpec => 'paragraphs' in s;
const isImages = (s: AnySheet): s is ImageSheetSpec => 'images' in s;
const isCharts = (s: AnySheet): s is ChartSheetSpec => 'charts' in s;

/**
 * Writes the tables (and narrative and picture sheets) as one workbook, with a 说明 sheet last when given. With `form`,
 * every table carries the 填报单位 line and the signature line with that 报出日期, and the file is dated that day
 * (the same workbook on the same date has the same bytes, see writeBook).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function writeTableBook(path: string, sheets: (SheetSpec<any> | TextSheetSpec | ImageSheetSpec | ChartSheetSpec | Promise<ImageSheetSpec>)[], notes?: NotesSpec, form?: FormSpec): Promise<void> {
  await writeBook(path, async (wb) => {
    // The charts' own parts, which exceljs does not write, are added to the file when it is packed.
    const amends: ((zip: ZipParts) => void)[] = [];
    for (const sheet of sheets) {
      // A sheet still being made (the pictures, drawn on other threads) is waited for in its turn.
      const s = await sheet;
      if (isText(s)) addText(wb, s);
      else if (isImages(s)) addImages(wb, s);
      else if (isCharts(s)) amends.push(addCharts(wb, s));
      else addTable(wb, s, form, true);
    }
    // 说明 is titled after the workbook's first table unless told otherwise.
    const first = sheets.find((x): x is SheetSpec<unknown> => !(x instanceof Promise) && !isText(x) && !isImages(x) && !isCharts(x) && x.title !== undefined);
    if (notes) addNotes(wb, { ...notes, title: notes.title ?? (first ? `${first.title}说明` : undefined) });
    return amends.length ? (zip: ZipParts) => amends.forEach((a) => a(zip)) : undefined;
  }, form?.date || undefined);
}

/** What `fill` may hand back: changes to the file's parts beyond what exceljs writes (the charts). */
type Amend = (zip: ZipParts) => void;

/**
 * A new workbook filled by `fill`, written atomically. With `date` (the document's date, YYYY-MM-DD) the file's
 * bytes depend on its content only: created and modified are that day, and so are the zip's entries
 * (stable-zip.ts); without it the libraries stamp the time of writing.
 */
export async function writeBook(path: string, fill: (wb: Workbook) => void | Amend | Promise<void | Amend>, date?: string): Promise<void> {
  const WorkbookClass = await workbookClass();
  await writeFileAtomic(path, async (tmp) => {
    const wb = new WorkbookClass();
    wb.creator = 'xypz';
    const amend = (await fill(wb)) ?? undefined;
    if (date !== undefined) {
      const day = new Date(`${date}T00:00:00Z`);
      wb.created = day;
      wb.modified = day;
    }
    // exceljs's zip library compresses in JavaScript (tens of milliseconds for each part, however small) and, even
    // storing them, encodes every part to UTF-8 and sums its CRC in JavaScript: the parts are taken as exceljs
    // writes them and packParts packs them with Node's zlib.
    writeFileSync(tmp, await packParts(await workbookParts(wb), date, amend));
  });
}

/** exceljs's workbook writer (lib/xlsx/xlsx.js): the steps of its write(), each handing parts to a zip. */
interface PartSink {
  append(data: string | Buffer | Uint8Array, options: { name: string; base64?: boolean }): void;
}
type Step = (zip: PartSink, model: unknown) => Promise<void> | void;
interface XlsxWriter {
  prepareModel(model: unknown, options: object): void;
  addContentTypes: Step;
  addOfficeRels: Step;
  addWorkbookRels: Step;
  addWorksheets: Step;
  addSharedStrings: Step;
  addDrawings: Step;
  addTables: Step;
  addThemes: Step;
  addStyles: Step;
  addMedia: Step;
  addApp: Step;
  addCore: Step;
  addWorkbook: Step;
}

/**
 * The parts of `wb` as exceljs's write() makes them, in its order, with the folder entries its zip library adds
 * before a part in a new folder (so the packed file is the same, byte for byte), but collected as they come instead
 * of going through that library.
 */
export async function workbookParts(wb: Workbook): Promise<Part[]> {
  const xlsx = wb.xlsx as unknown as XlsxWriter;
  const { model } = wb as unknown as { model: unknown };
  const parts: Part[] = [];
  const index = new Map<string, number>();
  const put = (part: Part) => {
    const at = index.get(part.name);
    if (at === undefined) index.set(part.name, parts.push(part) - 1);
    else parts[at] = part;
  };
  return takeBodies(async (withBodies) => {
    const zip: PartSink = {
      append(data, { name, base64 }) {
        for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
          const folder = name.slice(0, i + 1);
          if (!index.has(folder)) put({ name: folder, data: Buffer.alloc(0), folder: true });
        }
        put({ name, data: typeof data === 'string' ? (base64 ? Buffer.from(data, 'base64') : withBodies(data)) : Buffer.from(data) });
      },
    };
    await writeParts(xlsx, zip, model);
    return parts;
  });
}

/** exceljs's write() (lib/xlsx/xlsx.js), step by step into `zip`, with the shared strings written by sharedStrings. */
async function writeParts(xlsx: XlsxWriter, zip: PartSink, model: unknown): Promise<void> {
  xlsx.prepareModel(model, {});
  await xlsx.addContentTypes(zip, model);
  await xlsx.addOfficeRels(zip, model);
  await xlsx.addWorkbookRels(zip, model);
  await xlsx.addWorksheets(zip, model);
  sharedStrings(zip, model as BookModel);
  await xlsx.addDrawings(zip, model);
  await xlsx.addTables(zip, model);
  await Promise.all([xlsx.addThemes(zip, model), xlsx.addStyles(zip, model)]);
  await xlsx.addMedia(zip, model);
  await Promise.all([xlsx.addApp(zip, model), xlsx.addCore(zip, model)]);
  await xlsx.addWorkbook(zip, model);
}

/** What workbookParts reads of exceljs's prepared model: the shared strings (lib/xlsx/xform/strings/). */
interface BookModel {
  sharedStrings?: { count: number; values: unknown[]; xml: string };
}

/**
 * xl/sharedStrings.xml as exceljs's SharedStringsXform writes it, joined once rather than through its XML writer's
 * pieces (at province scale tens of thousands of names); a rich text, which no report table holds, is left to it.
 */
function sharedStrings(zip: PartSink, model: BookModel): void {
  const shared = model.sharedStrings;
  if (!shared?.count) return;
  if (!shared.values.every((v) => typeof v === 'string')) {
    zip.append(shared.xml, { name: 'xl/sharedStrings.xml' });
    return;
  }
  const encode = xmlEncode!;
  const out = [
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.count}" uniqueCount="${shared.values.length}">`,
  ];
  for (const v of shared.values as string[]) out.push(/^\s|\n|\s$/.test(v) ? `<si><t xml:space="preserve">${encode(v)}</t></si>` : `<si><t>${encode(v)}</t></si>`);
  out.push('</sst>');
  zip.append(out.join(''), { name: 'xl/sharedStrings.xml' });
}

/**
 * exceljs's Workbook class, without the rest of its package (the streaming reader and writer and their zip
 * libraries, which a workbook written in memory does not use), its row writer taught the table bodies of
 * xlsx-rows.ts. Loaded once, on first use.
 */
export function workbookClass(): Promise<typeof Workbook> {
  workbookLoad ??= Promise.all([import('exceljs/lib/doc/workbook.js'), import('exceljs/lib/xlsx/xform/sheet/row-xform.js'), import('exceljs/lib/utils/utils.js')]).then(([workbook, rows, utils]) => {
    installBodyRows(rows.default);
    xmlEncode = utils.default.xmlEncode;
    return workbook.default;
  });
  return workbookLoad;
}
let workbookLoad: Promise<typeof Workbook> | undefined;
let xmlEncode: ((text: string) => string) | undefined;
