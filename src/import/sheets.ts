/**
 * Streams the rows of a spreadsheet file (.xlsx through exceljs's streaming reader, .csv decoded in memory),
 * every cell normalised. Hidden sheets (drop-down lists) are skipped.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { basename } from 'node:path';
import { DataError } from '../errors.js';
import { EMPTY, normaliseCell, type Cell } from './cell.js';
import { decodeCsv, parseCsv } from './csv.js';
import { sniffFormat, type SheetFormat } from './sniff.js';
import { guardXlsx } from './zipguard.js';

export interface SheetRow {
  /** Sheet name ('' for CSV). */
  sheet: string;
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  /** cells[0] is column A. */
  cells: Cell[];
}

export type Progress = (bytesRead: number, totalBytes: number) => void;

/** Opens a file for reading rows: checks format and (for .xlsx) the zip before anything is parsed. */
export function openSheetFile(path: string): { format: SheetFormat; size: number } {
  const format = sniffFormat(path);
  if (format === 'xlsx') guardXlsx(path);
  return { format, size: statSync(path).size };
}

export async function* readRows(path: string, format: SheetFormat, progress?: Progress): AsyncGenerator<SheetRow> {
  if (format === 'csv') yield* readCsvRows(path, progress);
  else yield* readXlsxRows(path, progress);
}

function* readCsvRows(path: string, progress?: Progress): Generator<SheetRow> {
  const buf = readFileSync(path);
  const { text } = decodeCsv(buf);
  progress?.(buf.length, buf.length);
  for (const { row, fields } of parseCsv(text)) {
    yield { sheet: '', row, cells: fields.map((f) => (f === '' ? EMPTY : normaliseCell(f))) };
  }
}

async function* readXlsxRows(path: string, progress?: Progress): AsyncGenerator<SheetRow> {
  const { default: ExcelJS } = await import('exceljs');
  const total = statSync(path).size;
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      read += chunk.length;
      progress?.(read, total);
      cb(null, chunk);
    },
  });
  const input = createReadStream(path).pipe(counter);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const ws of reader) {
      const sheet = ws as unknown as AsyncIterable<{ number: number; values: unknown[] }> & { name: string; state?: string };
      const hidden = sheet.state === 'hidden' || sheet.state === 'veryHidden';
      for await (const row of sheet) {
        if (hidden) continue; // the sheet must still be consumed for the reader to move on
        const values = row.values;
        const cells: Cell[] = [];
        for (let c = 1; c < values.length; c++) cells.push(normaliseCell(values[c]));
        yield { sheet: sheet.name, row: row.number, cells };
      }
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    input.destroy();
    throw new DataError(`${basename(path)} 无法读取（${(e as Error).message}）：文件可能已损坏，请用 Excel/WPS 打开后重新保存为 .xlsx`);
  } finally {
    input.destroy();
  }
}
