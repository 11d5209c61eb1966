/**
 * CSV as Excel and WPS save it in China: UTF-8 with or without BOM, GB18030/GBK, or UTF-16 ("Unicode text",
 * tab-separated). Quoted fields with commas, quotes and line breaks (RFC 4180).
 */

import { DataError } from '../errors.js';
import { MAX_COLUMNS, MAX_ROWS } from './cell.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** Where a UTF-8 file stops being valid UTF-8: 0-based byte offset, 1-based line, the byte. */
export interface Utf8Error {
  offset: number;
  line: number;
  byte: number;
}

/**
 * Counts well-formed multi-byte UTF-8 sequences and invalid bytes from `start`, and finds the first invalid
 * one. Text in GB18030 read as UTF-8 is invalid almost every character; a UTF-8 file damaged in one place
 * has many good sequences and a few bad bytes — that is how the two are told apart.
 */
function scanUtf8(buf: Uint8Array, start: number): { good: number; bad: number; first: number } {
  let good = 0;
  let bad = 0;
  let first = -1;
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < buf.length && buf[i]! >= lo && buf[i]! <= hi;
  for (let i = start; i < buf.length; ) {
    const b = buf[i]!;
    let n = 0;
    if (b < 0x80) n = 1;
    else if (b >= 0xc2 && b <= 0xdf) n = cont(i + 1) ? 2 : 0;
    else if (b >= 0xe0 && b <= 0xef) {
      const lo = b === 0xe0 ? 0xa0 : 0x80;
      const hi = b === 0xed ? 0x9f : 0xbf;
      n = cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xf4 ? 0x8f : 0xbf;
      n = cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (n === 0) {
      bad += 1;
      if (first < 0) first = i;
      i += 1;
    } else {
      if (n > 1) good += 1;
      i += n;
    }
  }
  return { good, bad, first };
}

export function detectEncoding(buf: Uint8Array): { encoding: CsvEncoding; bom: number; invalid?: Utf8Error } {
  if (buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(bom));
    return { encoding: 'utf-8', bom };
  } catch {
    const scan = scanUtf8(buf, bom);
    // A BOM says UTF-8; so does text that is mostly well-formed UTF-8.
    if (bom === 0 && scan.good <= scan.bad) return { encoding: 'gb18030', bom: 0 };
    let line = 1;
    for (let i = 0; i < scan.first; i++) if (buf[i] === 0x0a) line += 1;
    return { encoding: 'utf-8', bom, invalid: { offset: scan.first, line, byte: buf[scan.first]! } };
  }
}

/** The file's text; a UTF-8 file with an invalid byte is refused (exit 3), never guessed as another encoding. */
export function decodeCsv(buf: Uint8Array, file = 'CSV 文件'): { text: string; encoding: CsvEncoding } {
  const { encoding, bom, invalid } = detectEncoding(buf);
  if (invalid) {
    const hex = invalid.byte.toString(16).toUpperCase().padStart(2, '0');
    throw new DataError(
      `${file} 是 UTF-8 编码，但第 ${invalid.line} 行有无效的字节 0x${hex}（文件的第 ${invalid.offset + 1} 个字节）：文件可能损坏，或混入了其他编码的文字。请检查该行，在 Excel/WPS 中另存为“CSV UTF-8”后再导入`,
      [{ file, row: invalid.line, byte_offset: invalid.offset, byte: `0x${hex}`, message: '无效的 UTF-8 字节' }],
    );
  }
  return { text: new TextDecoder(encoding).decode(buf.subarray(bom)), encoding };
}

/** The delimiter most used in the first line outside quotes: comma, tab or semicolon. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let inQuotes = false;
  for (const ch of text.slice(0, 64 * 1024)) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && ch in counts) counts[ch]! += 1;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![1] > 0
    ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0]
    : ',';
}

function tooLarge(file: string, what: string): DataError {
  return new DataError(`${file} 的${what}超出 Excel 的范围（最多 ${MAX_COLUMNS} 列、${MAX_ROWS} 行）：文件可能已损坏，或不是一张表格，已拒绝`);
}

/**
 * Yields each record as an array of raw field strings, with its 1-based record number (the row Excel shows).
 * A record wider than 16,384 fields or beyond row 1,048,576 is refused as it is reached.
 */
export function* parseCsv(text: string, delimiter = detectDelimiter(text), file = 'CSV 文件'): Generator<{ row: number; fields: string[] }> {
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let record = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      if (fields.length >= MAX_COLUMNS) throw tooLarge(file, `第 ${record} 行列数`);
    } else if (ch === '\r' || ch === '\n') {
      fields.push(field);
      if (record > MAX_ROWS) throw tooLarge(file, '行数');
      yield { row: record++, fields };
      fields = [];
      field = '';
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    if (record > MAX_ROWS) throw tooLarge(file, '行数');
    yield { row: record, fields };
  }
}
