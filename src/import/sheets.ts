/**
 * Streams the rows of a spreadsheet file (.xlsx through our streaming reader, .csv decoded in memory),
 * every cell normalised. Hidden sheets (drop-down lists) are skipped.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { EMPTY, normaliseCell, type Cell } from './cell.js';
import { decodeCsv, parseCsv } from './csv.js';
import { sniffFormat, type SheetFormat } from './sniff.js';
import { openXlsxBook, readXlsx, readXlsxSheet, xlsxRowsAtMost, type XlsxBook } from './xlsx.js';
import { guardXlsx, type ZipEntry } from './zipguard.js';

export interface SheetRow {
  /** Sheet name ('' for CSV). */
  sheet: string;
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  /** cells[0] is column A. */
  cells: Cell[];
  /** .xlsx read with `looks`: each cell's style index, the row's height when set. */
  styles?: number[];
  height?: number;
}

export type Progress = (bytesRead: number, totalBytes: number) => void;

/** Opens a file for reading rows: checks format and (for .xlsx) the zip before anything is parsed. */
export function openSheetFile(path: string): { format: SheetFormat; size: number } {
  const format = sniffFormat(path);
  if (format === 'xlsx') guardXlsx(path);
  return { format, size: statSync(path).size };
}

/**
 * At most how many rows the file holds, found without reading them: for .xlsx its sheets' used ranges
 * (xlsxRowsAtMost, which counts a large sheet's row tags when `limit` needs it), for .csv its line breaks. An
 * import counts its rows first only when this passes its limit.
 */
export async function rowsAtMost(path: string, format: SheetFormat, limit: number): Promise<number> {
  if (format === 'xlsx') return xlsxRowsAtMost(path, guardXlsx(path), limit);
  const buf = readFileSync(path);
  let lf = 0;
  let cr = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lf++;
  for (let i = buf.indexOf(13); i >= 0; i = buf.indexOf(13, i + 1)) cr++;
  return Math.max(lf, cr); // lines, but the header's
}

/** `looks`: also each cell's style (for copying a sheet as it looks; see looks.ts). */
export async function* readRows(path: string, format: SheetFormat, progress?: Progress, looks = false): AsyncGenerator<SheetRow> {
  if (format === 'csv') yield* readCsvRows(path, progress);
  else yield* readXlsxRows(path, progress, looks);
}

function* readCsvRows(path: string, progress?: Progress): Generator<SheetRow> {
  const buf = readFileSync(path);
  const { text } = decodeCsv(buf, basename(path));
  progress?.(buf.length, buf.length);
  for (const { row, fields } of parseCsv(text, undefined, basename(path))) {
    yield { sheet: '', row, cells: fields.map((f) => (f === '' ? EMPTY : normaliseCell(f))) };
  }
}

async function* readXlsxRows(path: string, progress?: Progress, looks = false): AsyncGenerator<SheetRow> {
  const entries = guardXlsx(path);
  yield* readXlsx(path, entries, statSync(path).size, progress, { looks });
}

/** The rows of an .xlsx file's hidden sheets (drop-down lists, a workbook's identity sheet), for copying them. */
export async function* readHiddenRows(path: string): AsyncGenerator<SheetRow> {
  const entries = guardXlsx(path);
  yield* readXlsx(path, entries, statSync(path).size, undefined, { pick: (s) => s.hidden });
}

/**
 * One file read more than once by an import: one sheet of it first (a collection workbook's _xypz sheet, which says
 * whose it is), then its rows. An .xlsx file's zip directory, workbook parts, shared strings and styles are read
 * by the first reading that needs them and kept for the next, so that the shared strings are inflated and split
 * once, not once a reading (for the bench's collection workbooks that was a seventh of reading them).
 */
export class SheetFile {
  private entries?: ZipEntry[];
  private book?: Promise<XlsxBook>;
  constructor(
    readonly path: string,
    readonly format: SheetFormat,
  ) {}

  private zip(): ZipEntry[] {
    return (this.entries ??= guardXlsx(this.path));
  }

  private opened = (): Promise<XlsxBook> => (this.book ??= openXlsxBook(this.path, this.zip()));

  /** The rows of every visible sheet, as readRows gives them. */
  async *rows(progress?: Progress): AsyncGenerator<SheetRow> {
    if (this.format === 'csv') yield* readCsvRows(this.path, progress);
    else yield* readXlsx(this.path, this.zip(), statSync(this.path).size, progress, { book: this.opened });
  }

  /** The rows of one sheet by its name, even a hidden one, none if there is no such sheet (nor in a .csv file). */
  async *named(name: string): AsyncGenerator<SheetRow> {
    if (this.format === 'xlsx') yield* readXlsxSheet(this.path, this.zip(), statSync(this.path).size, name, this.opened);
  }
}
