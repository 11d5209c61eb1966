/**
 * A lean streaming reader for .xlsx (SpreadsheetML) files.
 *
 * exceljs's streaming reader corrupts multi-byte UTF-8 characters that straddle chunk edges
 * (exceljs#2063, #2084, #2316), misses shared strings stored after the sheets (#683), and builds a full
 * cell model we do not need, which made it both the slowest part of an import and its largest memory
 * user. This reader locates each part from the zip's central directory (already checked by zipguard),
 * inflates it with zlib, decodes it through a StringDecoder (characters split across chunks stay whole),
 * and splits rows and shared strings out of the chunks with the linear scans of xmlscan.ts: each chunk is
 * scanned once, an element cut by a chunk is kept in pieces until it closes, and a part whose structure is
 * broken (an element never closed, opened twice, larger than any real one) is refused as damaged.
 *
 * It reads what imports need: shared and inline strings (rich text flattened, phonetic runs dropped),
 * numbers, dates (from the cell's number format, 1900 and 1904 systems), booleans, errors, cached
 * formula results, sheet names and hidden sheets.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { constants as zlibConstants, createInflateRaw, inflateRawSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { EMPTY, MAX_COLUMNS, MAX_ROWS, normaliseCell, type Cell } from './cell.js';
import { columnLetter } from './header.js';
import { ElementSplitter, elementsIn, firstIn, Malformed, textOf, type Element } from './xmlscan.js';
import type { ZipEntry } from './zipguard.js';

export interface XlsxRow {
  sheet: string;
  row: number;
  cells: Cell[];
  /** With `looks`: each cell's style index (styles.xml cellXfs), and the row's height when set. */
  styles?: number[];
  height?: number;
}

/** Streams one zip entry as text. `onBytes` counts compressed bytes read from the file. */
export async function* entryText(path: string, e: ZipEntry, onBytes?: (n: number) => void): AsyncGenerator<string> {
  yield* utf8Text(entryBytes(path, e, onBytes));
}

/** Where a zip entry's data begins, from its local header (read from `fd`); undefined when no header is there. */
function dataStart(fd: number, e: ZipEntry): number | undefined {
  const head = Buffer.alloc(30);
  readSync(fd, head, 0, 30, e.offset);
  if (head.readUInt32LE(0) !== 0x04034b50) return undefined;
  return e.offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
}

/** Streams one zip entry's bytes, inflated. */
async function* entryBytes(path: string, e: ZipEntry, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  let start: number | undefined;
  try {
    start = dataStart(fd, e);
  } finally {
    closeSync(fd);
  }
  if (start === undefined) throw new DataError(`${basename(path)} 已损坏（${e.name} 的位置不对）`);
  if (e.compressed === 0) return;
  const raw = createReadStream(path, { start, end: start + e.compressed - 1, highWaterMark: 256 * 1024 });
  if (onBytes) raw.on('data', (c) => onBytes(c.length));
  const source = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  raw.on('error', (err) => source.destroy(err));
  let total = 0;
  async function* sized(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      total += (chunk as Buffer).length;
      // Declared sizes were checked before reading; a zip that lies about them is stopped here.
      if (total > e.uncompressed + 1024) throw new DataError(`${basename(path)} 中的 ${e.name} 实际大小超过声明，疑似“压缩炸弹”，已停止读取`);
      yield chunk as Buffer;
    }
  }
  try {
    yield* sized();
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`${basename(path)} 无法解压（${(err as Error).message}）：文件可能已损坏，请用 Excel/WPS 重新保存为 .xlsx`);
  } finally {
    raw.destroy();
  }
}

/** Decodes UTF-8 chunks; a character split across two chunks is carried over, never replaced by U+FFFD. */
export async function* utf8Text(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) yield decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * The largest element read whole: one shared string (`<si>`) or one row (`<row>`), tags included: 4 Mi
 * characters. Excel holds at most 32,767 characters in a cell, so a shared string may carry 128 characters of
 * markup per character of text (rich text with a formatted run every few characters stays far below), and a
 * row of an import (a few dozen columns) is smaller still. Anything larger is damage or an attack. The cap
 * bounds the memory one element takes (8 MB of text, joined once from its pieces) and the work done before
 * such a file is refused (at most 12 MB of UTF-8 inflated and decoded).
 */
export const MAX_ELEMENT_CHARS = 4 * 1024 * 1024;
/** The largest part read whole (workbook, relationships, styles; Excel's 64,000 cell formats fit in 30 MB). */
const MAX_WHOLE_PART_CHARS = 64 * 1024 * 1024;

export async function entryWhole(path: string, e: ZipEntry): Promise<string> {
  let s = '';
  for await (const t of entryText(path, e)) {
    s += t;
    if (s.length > MAX_WHOLE_PART_CHARS) throw new DataError(`${basename(path)} 中的 ${e.name} 超过 ${MAX_WHOLE_PART_CHARS / 1048576}M 个字符，远大于真实的工作簿：文件已损坏或被改动过，已拒绝`);
  }
  return s;
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const ESCAPED_CHAR = /_x([0-9A-Fa-f]{4})_/g;

/** A cell pointing past the end of the shared strings: the workbook is damaged. */
class MissingSharedString extends Error {
  constructor(readonly index: string) {
    super(`shared string ${index} missing`);
  }
}

/** A numeric character reference to no character (beyond U+10FFFF, or a lone surrogate). */
export class BadCharacterReference extends Error {
  constructor(readonly reference: string) {
    super(`invalid character reference ${reference}`);
  }
}

function codePointOf(g: string): string {
  const n = g[1] === 'x' ? parseInt(g.slice(2), 16) : parseInt(g.slice(1), 10);
  if (!(n <= 0x10ffff) || (n >= 0xd800 && n <= 0xdfff)) throw new BadCharacterReference(`&${g.length > 12 ? `${g.slice(0, 12)}…` : g};`);
  return String.fromCodePoint(n);
}

/** XML entities and OOXML's _xHHHH_ escapes (control characters Excel writes that way). */
export function unescapeXml(s: string): string {
  if (s.indexOf('&') >= 0) {
    s = s.replace(ENTITY, (_m, g: string) =>
      g === 'amp' ? '&' : g === 'lt' ? '<' : g === 'gt' ? '>' : g === 'quot' ? '"' : g === 'apos' ? "'" : codePointOf(g),
    );
  }
  if (s.indexOf('_x') >= 0) s = s.replace(ESCAPED_CHAR, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return s;
}

// Element names may carry a namespace prefix (<x:row>), as some generators write them. Every pattern here
// stops at the next `<` ([^<>], [^<]): a match that fails cannot run on to the end of the text once per
// candidate, which is what made the old patterns quadratic on crafted parts.
export const P = '(?:[A-Za-z_][\\w.-]{0,63}:)?';
/** How a complete part ends: a part cut short (a damaged or half-copied file) is refused, never read in part. */
const SHEET_END = new RegExp(`</${P}worksheet\\s*>\\s*$`);
const SST_END = new RegExp(`(?:</${P}sst\\s*>|<${P}sst\\b[^<>]*/>)\\s*$`);

function truncated(path: string, part: string): DataError {
  return new DataError(`${basename(path)} 已损坏：${part}的内容不完整（文件可能没有下载或复制完整），请用 Excel/WPS 重新保存为 .xlsx 后再导入`);
}

/** A part whose structure is broken (xmlscan.ts): refused, naming the part and where in it. */
function damaged(path: string, part: string, place: string, err: Malformed): DataError {
  const file = basename(path);
  const tag = `<${err.element}>`;
  // "单元格 A2 的", "第 2 行的"
  const where = /[\w>]$/.test(place) ? `${place} ` : place;
  if (err.atEnd) {
    return new DataError(`${file} 已损坏：${part}的内容不完整（${where}的 ${tag} 没有结束就到了末尾，文件可能没有下载或复制完整），请用 Excel/WPS 重新保存为 .xlsx 后再导入`);
  }
  const what = {
    unclosed: `${where}的 ${tag} 没有结束标记`,
    nested: `${where}的 ${tag} 没有结束，又开始了一个 ${tag}`,
    stray: `${where}有一个多余的结束标记 </${err.element}>`,
    tag: `${where}的标签 ${tag} 不完整（缺少“>”）`,
    markup: `${where}的 ${tag} 中夹有其他标记`,
    size: `${where}超过 ${String(MAX_ELEMENT_CHARS).replace(/\B(?=(\d{3})+$)/g, ',')} 个字符，远大于真实的工作簿（Excel 一个单元格最多 32,767 个字符）`,
  }[err.fault];
  return new DataError(`${file} 已损坏或被改动过：${part}中${what}，已拒绝；请用 Excel/WPS 重新保存为 .xlsx 后再导入`);
}

const VALUE = new RegExp(`<${P}v>([^<]*)</${P}v>`);
const FORMULA = new RegExp(`<${P}f\\b`);
const ATTR_R = /\br="([A-Z]*)(\d*)"/;
const ATTR_T = /\bt="(\w+)"/;
const ATTR_S = /\bs="(\d+)"/;
/** The usual string item, `<t>text</t>` alone, read with one match. */
const PLAIN_RUN = new RegExp(`^<${P}t(?:\\s[^<>]*)?>([^<]*)</${P}t>$`);

/** The text of a string item (`<si>`, `<is>`): its runs joined, phonetic guides (`<rPh>`) dropped. */
function runsText(xml: string): string {
  const plain = PLAIN_RUN.exec(xml);
  if (plain) return unescapeXml(plain[1]!);
  let body = xml;
  if (xml.indexOf('rPh') >= 0) {
    body = '';
    let from = 0;
    for (const ph of elementsIn(xml, 'rPh')) {
      body += xml.slice(from, ph.start);
      from = ph.end;
    }
    body += xml.slice(from);
  }
  let out = '';
  for (const t of elementsIn(body, 't')) out += textOf(t);
  return unescapeXml(out);
}

/** Column number of "A".."XFD"; anything longer than three letters is beyond every limit (Infinity). */
function columnIndex(letters: string): number {
  if (letters.length > 3) return Infinity;
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

/** `where`: "单元格 ZZZZZZZ2" or "第 N 行". */
function outOfRange(path: string, sheet: string, where: string): DataError {
  const shown = where.length > 30 ? `${where.slice(0, 30)}…` : where;
  return new DataError(
    `${basename(path)} 的工作表「${sheet}」中${shown} 超出 Excel 的范围（最多 ${MAX_COLUMNS} 列即 XFD 列、${MAX_ROWS} 行）：文件已损坏或被改动过，已拒绝；请用 Excel/WPS 重新保存`,
  );
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, plus the CJK date formats). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

export function isDateFormat(code: string): boolean {
  // Ignore quoted text, escaped characters and [colour]/[locale] sections, then look for date tokens.
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[ymdhs年月日]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare);
}

function parseStyles(xml: string): boolean[] {
  const custom = new Map<number, string>();
  for (const f of elementsIn(firstIn(xml, 'numFmts')?.inner ?? '', 'numFmt')) {
    const id = /\bnumFmtId="(\d+)"/.exec(f.attrs)?.[1];
    const code = /\bformatCode="([^"]*)"/.exec(f.attrs)?.[1];
    if (id !== undefined && code !== undefined) custom.set(Number(id), unescapeXml(code));
  }
  const cellXfs = firstIn(xml, 'cellXfs')?.inner ?? '';
  const dates: boolean[] = [];
  for (const m of cellXfs.matchAll(new RegExp(`<${P}xf\\b([^<>]*)`, 'g'))) {
    const id = Number(/\bnumFmtId="(\d+)"/.exec(m[1]!)?.[1] ?? 0);
    const code = custom.get(id);
    dates.push(code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id));
  }
  return dates;
}

interface SheetRef {
  name: string;
  hidden: boolean;
  path: string;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

export async function workbookParts(path: string, byName: Map<string, ZipEntry>) {
  const entry = byName.get('xl/workbook.xml')!;
  const wb = await entryWhole(path, entry);
  const relsEntry = byName.get('xl/_rels/workbook.xml.rels');
  const rels = new Map<string, { target: string; type: string }>();
  if (relsEntry) {
    for (const m of (await entryWhole(path, relsEntry)).matchAll(new RegExp(`<${P}Relationship\\b([^>]*)`, 'g'))) {
      const a = m[1]!;
      const id = /\bId="([^"]*)"/.exec(a)?.[1];
      const target = /\bTarget="([^"]*)"/.exec(a)?.[1];
      if (id && target) rels.set(id, { target: resolveTarget(unescapeXml(target)), type: /\bType="([^"]*)"/.exec(a)?.[1] ?? '' });
    }
  }
  const sheets: SheetRef[] = [];
  for (const [i, m] of [...wb.matchAll(new RegExp(`<${P}sheet\\b([^>]*)`, 'g'))].entries()) {
    const a = m[1]!;
    const name = unescapeXml(/\bname="([^"]*)"/.exec(a)?.[1] ?? `Sheet${i + 1}`);
    const rid = /\br:id="([^"]*)"|\b[\w]+:id="([^"]*)"/.exec(a);
    const target = rels.get(rid?.[1] ?? rid?.[2] ?? '')?.target ?? `xl/worksheets/sheet${i + 1}.xml`;
    sheets.push({ name, hidden: /\bstate="(hidden|veryHidden)"/.test(a), path: target });
  }
  const ofType = (suffix: string, fallback: string) =>
    [...rels.values()].find((r) => r.type.endsWith(suffix))?.target ?? fallback;
  return {
    sheets,
    date1904: /<[\w:]*workbookPr\b[^<>]*\bdate1904="(1|true)"/.test(wb),
    sharedStrings: ofType('/sharedStrings', 'xl/sharedStrings.xml'),
    styles: ofType('/styles', 'xl/styles.xml'),
  };
}

/**
 * `s` as a string of its own. A string cut from a chunk of the part (13 characters or more) is a view that
 * keeps the whole chunk alive: the table of a 200,000-row sheet held every chunk of its 33 MB part, about
 * 80 MB of the heap, for as long as the sheet was read. A copy keeps only the characters (ASCII ones at one
 * byte each). Shorter strings are copied by the engine already.
 */
function own(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The shared strings; one holding an invalid character reference is kept as that error, for the cell using it. */
async function readSharedStrings(path: string, e: ZipEntry | undefined, onBytes?: (n: number) => void): Promise<(string | BadCharacterReference)[]> {
  const sst: (string | BadCharacterReference)[] = [];
  if (!e) return sst;
  const part = '共享字符串表';
  const split = new ElementSplitter('si', MAX_ELEMENT_CHARS);
  const found: Element[] = [];
  let tail: string;
  try {
    for await (const chunk of entryText(path, e, onBytes)) {
      split.push(chunk, found);
      for (const si of found) {
        try {
          sst.push(si.inner === undefined ? '' : own(runsText(si.inner)));
        } catch (err) {
          if (err instanceof Malformed) throw damaged(path, part, `第 ${sst.length + 1} 个字符串`, err);
          if (!(err instanceof BadCharacterReference)) throw err;
          sst.push(err);
        }
      }
      found.length = 0;
    }
    tail = split.end();
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    // (the strings completed before the fault in the same chunk are in `found`)
    throw damaged(path, part, err.fault === 'stray' ? `第 ${sst.length + found.length} 个字符串之后` : `第 ${split.count} 个字符串`, err);
  }
  if (!SST_END.test(tail)) throw truncated(path, part);
  return sst;
}

/** The number of a row: its `r`, else the one after the last. */
const rowNumber = (attrs: string, last: number) => Number(/\br="(\d+)"/.exec(attrs)?.[1] ?? last + 1);

/**
 * Where a row-level fault is: in the row, by its own number when its open tag was read, else the one after
 * the last row; a stray closing tag after the last row. `found`: rows completed before the fault in its chunk.
 */
function rowWhere(err: Malformed, lastRow: number, found: Element[]): string {
  for (const el of found) if (el.name === 'row') lastRow = rowNumber(el.attrs, lastRow);
  if (err.fault === 'stray') return lastRow ? `第 ${lastRow} 行之后` : '第一行之前';
  return `第 ${rowNumber(err.attrs ?? '', lastRow)} 行`;
}

/**
 * The sheet's merges that span rows within one column. They are listed after the cells, so the sheet is
 * scanned for them first (inflating it is a small part of reading it). The rows' structure is checked in the
 * same scan, their content not kept: a crafted row is refused here, before any row is read.
 */
async function verticalMerges(path: string, e: ZipEntry, sheet: string): Promise<{ col: number; top: number; bottom: number }[]> {
  const out: { col: number; top: number; bottom: number }[] = [];
  const split = new ElementSplitter('row|mergeCell', MAX_ELEMENT_CHARS, ['mergeCell']);
  const found: Element[] = [];
  let rowNo = 0;
  let merges = 0;
  try {
    for await (const chunk of entryText(path, e)) {
      split.push(chunk, found);
      for (const el of found) {
        if (el.name === 'row') {
          rowNo = rowNumber(el.attrs, rowNo);
          continue;
        }
        merges++;
        const m = /\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/.exec(el.attrs);
        if (!m) continue;
        for (const [letters, row] of [[m[1]!, m[2]!], [m[3]!, m[4]!]]) {
          if (columnIndex(letters) > MAX_COLUMNS || Number(row) > MAX_ROWS || Number(row) < 1) throw outOfRange(path, sheet, `合并单元格 ${letters}${row}`);
        }
        if (m[1] === m[3] && Number(m[4]) > Number(m[2])) out.push({ col: columnIndex(m[1]!), top: Number(m[2]), bottom: Number(m[4]) });
      }
      found.length = 0;
    }
    split.end();
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    throw damaged(path, `工作表「${sheet}」`, err.element === 'row' ? rowWhere(err, rowNo, found) : `第 ${merges + found.filter((el) => el.name !== 'row').length + 1} 个合并单元格`, err);
  }
  // a merge listed twice counts once
  return [...new Map(out.map((m) => [`${m.col}:${m.top}`, m])).values()];
}

/** Serial day number → Date carrying the wall-clock value in its UTC fields (as exceljs does). */
function serialDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - (date1904 ? 24107 : 25569)) * 86_400_000));
}

interface CellContext {
  sst: (string | BadCharacterReference)[];
  dateStyles: boolean[];
  date1904: boolean;
}

/** The cell's `<v>`: one match when it is the usual `<v>…</v>`, else checked (`<v/>`, markup in it). */
function valueOf(inner: string): string | undefined {
  const v = VALUE.exec(inner);
  if (v) return v[1];
  const e = firstIn(inner, 'v');
  return e && e.inner !== undefined ? textOf(e) : undefined;
}

function readCell(attrs: string, inner: string, c: CellContext): Cell {
  const t = ATTR_T.exec(attrs)?.[1];
  const v = valueOf(inner);
  switch (t) {
    case 's': {
      if (v === undefined) return EMPTY;
      const text = c.sst[Number(v)];
      if (text === undefined) throw new MissingSharedString(v);
      if (text instanceof BadCharacterReference) throw text;
      return normaliseCell(text);
    }
    case 'inlineStr': {
      const is = firstIn(inner, 'is')?.inner;
      return is === undefined ? EMPTY : normaliseCell(runsText(is));
    }
    case 'str':
      return v === undefined ? (FORMULA.test(inner) ? { ...EMPTY, uncachedFormula: true } : EMPTY) : normaliseCell(unescapeXml(v));
    case 'b':
      return v === undefined ? EMPTY : normaliseCell(v === '1' || v === 'true');
    case 'e':
      return normaliseCell({ error: v === undefined ? '#N/A' : unescapeXml(v) });
    case 'd':
      return v === undefined ? EMPTY : normaliseCell(new Date(`${v.slice(0, 10)}T00:00:00Z`));
    default: {
      if (v === undefined || v === '') return FORMULA.test(inner) ? { ...EMPTY, uncachedFormula: true } : EMPTY;
      const n = Number(v);
      if (!Number.isFinite(n)) return normaliseCell(v);
      const style = Number(ATTR_S.exec(attrs)?.[1] ?? 0);
      return c.dateStyles[style] ? normaliseCell(serialDate(n, c.date1904)) : normaliseCell(n);
    }
  }
}

/**
 * What reading any sheet of a workbook needs, read once: its parts (sheet names, paths, which are hidden), its
 * shared strings and which cell formats are dates. Kept by the caller that reads the same file twice (a sheet of
 * it, then its rows: SheetFile in sheets.ts), so that the shared strings are inflated and split once.
 */
export interface XlsxBook {
  parts: Awaited<ReturnType<typeof workbookParts>>;
  ctx: CellContext;
  /** The compressed bytes the shared strings took (a later reading reports them to its progress at once). */
  sstBytes: number;
}

/** Reads the workbook's parts, shared strings and styles; `onBytes` counts the shared strings' compressed bytes. */
export async function openXlsxBook(path: string, entries: ZipEntry[], onBytes?: (n: number) => void): Promise<XlsxBook> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  try {
    const parts = await workbookParts(path, byName);
    const stylesEntry = byName.get(parts.styles);
    const sstEntry = byName.get(parts.sharedStrings);
    return {
      parts,
      ctx: {
        sst: await readSharedStrings(path, sstEntry, onBytes),
        dateStyles: stylesEntry ? parseStyles(await entryWhole(path, stylesEntry)) : [],
        date1904: parts.date1904,
      },
      sstBytes: sstEntry?.compressed ?? 0,
    };
  } catch (err) {
    // (the shared strings report their own faults; one here is in styles.xml)
    if (err instanceof Malformed) throw damaged(path, '样式表', '', err);
    if (!(err instanceof BadCharacterReference)) throw err;
    throw new DataError(`${basename(path)} 的工作簿结构（工作表名、样式或关系）中含有无效的字符引用 ${err.reference}：文件已损坏或被改动过，已拒绝`);
  }
}

/**
 * Yields every row of every visible sheet, in workbook order. `entries` come from guardXlsx; `progress`
 * receives compressed bytes read so far and the file's size. `book`: the workbook as an earlier reading of the
 * same file opened it (openXlsxBook); read here when not given.
 */
export async function* readXlsx(
  path: string,
  entries: ZipEntry[],
  size: number,
  progress?: (bytes: number, total: number) => void,
  opts: { pick?: (sheet: { name: string; hidden: boolean }) => boolean; looks?: boolean; book?: () => Promise<XlsxBook> } = {},
): AsyncGenerator<XlsxRow> {
  const pick = opts.pick ?? ((s) => !s.hidden);
  const looks = opts.looks === true;
  const byName = new Map(entries.map((e) => [e.name, e]));
  let read = 0;
  const onBytes = progress
    ? (n: number) => {
        read += n;
        progress(read, size);
      }
    : undefined;
  let book: XlsxBook;
  if (opts.book) {
    book = await opts.book();
    if (book.sstBytes > 0) onBytes?.(book.sstBytes);
  } else book = await openXlsxBook(path, entries, onBytes);
  for (const sheet of book.parts.sheets) {
    const e = byName.get(sheet.path);
    if (!e || !pick(sheet)) continue;
    yield* sheetRows(path, e, { ...book.ctx, sheet: sheet.name, looks, merged: await verticalMerges(path, e, sheet.name) }, onBytes);
  }
}

interface SheetContext extends CellContext {
  sheet: string;
  looks: boolean;
  merged: { col: number; top: number; bottom: number }[];
}

async function* sheetRows(path: string, e: ZipEntry, x: SheetContext, onBytes?: (n: number) => void): AsyncGenerator<XlsxRow> {
  const part = `工作表「${x.sheet}」`;
  const mergedValue = new Map<string, Cell>();
  const split = new ElementSplitter('row', MAX_ELEMENT_CHARS);
  const found: Element[] = [];
  let rowNo = 0;
  let tail: string;
  try {
    for await (const chunk of entryText(path, e, onBytes)) {
      split.push(chunk, found);
      for (const row of found) {
        const r = /\br="(\d+)"/.exec(row.attrs);
        rowNo = r ? Number(r[1]) : rowNo + 1;
        if (rowNo > MAX_ROWS || rowNo < 1) throw outOfRange(path, x.sheet, `第 ${r?.[1] ?? rowNo} 行`);
        const { cells, styles } = rowCells(path, row.inner ?? '', rowNo, x);
        // A cell merged down several rows (所属机构 written once for a unit's staff) counts in each of them.
        for (const m of x.merged) {
          if (rowNo === m.top) mergedValue.set(`${m.col}:${m.top}`, cells[m.col - 1] ?? EMPTY);
          else if (rowNo > m.top && rowNo <= m.bottom && !cells[m.col - 1]?.text) {
            while (cells.length < m.col - 1) cells.push(EMPTY);
            cells[m.col - 1] = mergedValue.get(`${m.col}:${m.top}`) ?? EMPTY;
          }
        }
        if (styles) {
          const ht = /\bcustomHeight="(1|true)"/.test(row.attrs) ? /\bht="([\d.]+)"/.exec(row.attrs)?.[1] : undefined;
          yield { sheet: x.sheet, row: rowNo, cells, styles, height: ht ? Number(ht) : undefined };
        } else yield { sheet: x.sheet, row: rowNo, cells };
      }
      found.length = 0;
    }
    tail = split.end();
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    throw damaged(path, part, rowWhere(err, rowNo, found), err);
  }
  if (!SHEET_END.test(tail)) throw truncated(path, part);
}

/** The cells of one row (its content, complete); a fault in them is reported with the cell it is in. */
function rowCells(path: string, body: string, rowNo: number, x: SheetContext): { cells: Cell[]; styles?: number[] } {
  const cells: Cell[] = [];
  const styles: number[] | undefined = x.looks ? [] : undefined;
  if (!body) return { cells, styles };
  const part = `工作表「${x.sheet}」`;
  let found: Element[];
  try {
    found = elementsIn(body, 'c');
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    const ref = ATTR_R.exec(err.attrs ?? '');
    throw damaged(path, part, ref?.[1] ? `单元格 ${ref[1]}${ref[2]}` : `第 ${rowNo} 行`, err);
  }
  let col = 0;
  for (const c of found) {
    const ref = ATTR_R.exec(c.attrs);
    col = ref && ref[1] ? columnIndex(ref[1]) : col + 1;
    const name = ref && ref[1] ? `${ref[1]}${ref[2]}` : `${columnLetter(Math.min(col, MAX_COLUMNS + 1))}${rowNo}`;
    if (col > MAX_COLUMNS || (ref?.[2] && Number(ref[2]) > MAX_ROWS)) throw outOfRange(path, x.sheet, `单元格 ${name}`);
    let cell: Cell;
    try {
      cell = readCell(c.attrs, c.inner ?? '', x);
    } catch (err) {
      if (err instanceof Malformed) throw damaged(path, part, `单元格 ${name}`, err);
      if (err instanceof MissingSharedString) throw new DataError(`${basename(path)} 已损坏：工作表「${x.sheet}」单元格 ${name} 引用的第 ${Number(err.index) + 1} 个共享字符串不存在，请用 Excel/WPS 重新保存为 .xlsx 后再导入`);
      if (!(err instanceof BadCharacterReference)) throw err;
      throw new DataError(`${basename(path)} 的工作表「${x.sheet}」单元格 ${name} 含有无效的字符引用 ${err.reference}（不是任何字符）：文件已损坏或被改动过，已拒绝`);
    }
    while (cells.length < col - 1) cells.push(EMPTY);
    cells[col - 1] = cell;
    if (styles) styles[col - 1] = Number(ATTR_S.exec(c.attrs)?.[1] ?? 0);
  }
  return { cells, styles };
}

/** The smallest `<row>` that holds a value: `<row><c><v>1</v></c></row>`. */
const MIN_ROW_CHARS = 26;
const DIMENSION = new RegExp(`<${P}dimension\\b[^<>]*\\bref="[A-Z]*(\\d+)(?::[A-Z]*(\\d+))?"`);
const SHEET_DATA = new RegExp(`<${P}sheetData\\b`);

/**
 * How many `<row` (or `:row`, a prefixed one) a part holds, counted in its inflated bytes without decoding
 * them: at least as many as its rows.
 */
async function rowTags(path: string, e: ZipEntry): Promise<number> {
  let n = 0;
  let tail: Buffer = Buffer.alloc(0);
  const ROW = Buffer.from('row');
  const tagAt = (b: Buffer, i: number) => b[i - 1] === 0x3c || b[i - 1] === 0x3a;
  for await (const chunk of entryBytes(path, e)) {
    // a tag cut by the chunk's start: the previous chunk's last 3 bytes and this one's first 3
    const seam = Buffer.concat([tail, chunk.subarray(0, 3)]);
    for (let i = seam.indexOf(ROW, 1); i >= 0 && i <= tail.length; i = seam.indexOf(ROW, i + 1)) if (tagAt(seam, i)) n++;
    for (let i = chunk.indexOf(ROW, 1); i >= 0; i = chunk.indexOf(ROW, i + 3)) if (tagAt(chunk, i)) n++;
    tail = chunk.subarray(Math.max(0, chunk.length - 3));
  }
  return n;
}

/** Compressed bytes entryHead reads: the start of a sheet up to its rows is a few hundred bytes inflated. */
const HEAD_BYTES = 4096;

/**
 * The start of a deflated part as text, read and inflated at once (no stream: a batch asks this of every sheet of
 * every file before reading any, and nine collection workbooks' 45 streams cost more than the 4 KB each reads);
 * undefined when the part is not deflated or its start cannot be inflated here (the caller streams it instead).
 * The text may end inside a character or an element: only what lies before the rows is looked at.
 */
function entryHead(path: string, e: ZipEntry): string | undefined {
  if (e.method !== 8 || e.compressed === 0) return undefined;
  const fd = openSync(path, 'r');
  try {
    const start = dataStart(fd, e);
    if (start === undefined) return undefined;
    const bytes = Buffer.alloc(Math.min(HEAD_BYTES, e.compressed));
    const n = readSync(fd, bytes, 0, bytes.length, start);
    const text = inflateRawSync(bytes.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
    return text.toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * At most how many rows with a value the visible sheets hold, found without reading their rows: each sheet's
 * `<dimension>` (the used range, which Excel, WPS and LibreOffice write before the rows), else the most rows
 * its size allows, and when that is more than `limit`, its row tags counted in the inflated bytes (a
 * fraction of reading them). A file that lies in its dimension is still refused as its rows are read, only later.
 */
export async function xlsxRowsAtMost(path: string, entries: ZipEntry[], limit: number): Promise<number> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const parts = await workbookParts(path, byName);
  let total = 0;
  for (const sheet of parts.sheets) {
    const e = byName.get(sheet.path);
    if (!e || sheet.hidden) continue;
    let head = entryHead(path, e);
    if (head === undefined || !SHEET_DATA.test(head)) {
      head = '';
      for await (const t of entryText(path, e)) {
        head += t;
        if (SHEET_DATA.test(head) || head.length > 1 << 20) break;
      }
    }
    const dim = DIMENSION.exec(head.slice(0, SHEET_DATA.exec(head)?.index ?? head.length));
    // (a sheet's data rows are below its header row: one fewer than its rows)
    if (dim) total += Number(dim[2] ?? dim[1]) - 1;
    else if (e.uncompressed / MIN_ROW_CHARS <= limit) total += Math.floor(e.uncompressed / MIN_ROW_CHARS);
    else total += Math.max(0, (await rowTags(path, e)) - 1);
  }
  return total;
}

/** The rows of one sheet, hidden or not (a workbook's machine-readable identity sheet). */
export function readXlsxSheet(path: string, entries: ZipEntry[], size: number, name: string, book?: () => Promise<XlsxBook>): AsyncGenerator<XlsxRow> {
  return readXlsx(path, entries, size, undefined, { pick: (s) => s.name === name, book });
}
