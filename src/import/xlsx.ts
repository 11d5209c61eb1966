/**
 * A lean streaming reader for .xlsx (SpreadsheetML) files.
 *
 * exceljs's streaming reader corrupts multi-byte UTF-8 characters that straddle chunk edges
 * (exceljs#2063, #2084, #2316), misses shared strings stored after the sheets (#683), and builds a full
 * cell model we do not need, which made it both the slowest part of an import and its largest memory
 * user. This reader locates each part from the zip's central directory (already checked by zipguard),
 * inflates it with zlib, decodes it through a StringDecoder (characters split across chunks stay whole),
 * and scans rows and cells with regular expressions, carrying incomplete elements to the next chunk.
 *
 * It reads what imports need: shared and inline strings (rich text flattened, phonetic runs dropped),
 * numbers, dates (from the cell's number format, 1900 and 1904 systems), booleans, errors, cached
 * formula results, sheet names and hidden sheets.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { DataError } from '../errors.js';
import { EMPTY, MAX_COLUMNS, MAX_ROWS, normaliseCell, type Cell } from './cell.js';
import { columnLetter } from './header.js';
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
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(30);
  try {
    readSync(fd, head, 0, 30, e.offset);
  } finally {
    closeSync(fd);
  }
  if (head.readUInt32LE(0) !== 0x04034b50) throw new DataError(`${basename(path)} 已损坏（${e.name} 的位置不对）`);
  const start = e.offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
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
    yield* utf8Text(sized());
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

export async function entryWhole(path: string, e: ZipEntry): Promise<string> {
  let s = '';
  for await (const t of entryText(path, e)) s += t;
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

// Element names may carry a namespace prefix (<x:row>), as some generators write them.
export const P = '(?:[A-Za-z_][\\w.-]*:)?';
const PHONETIC = new RegExp(`<${P}rPh\\b[\\s\\S]*?</${P}rPh>`, 'g');
const TEXT_RUN = new RegExp(`<${P}t(?:\\s[^>]*)?>([^<]*)</${P}t>`, 'g');
const SI = new RegExp(`<${P}si>([\\s\\S]*?)</${P}si>|<${P}si/>`, 'g');
const ROW = new RegExp(`<${P}row\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${P}row>)`, 'g');
/** How a complete part ends: a part cut short (a damaged or half-copied file) is refused, never read in part. */
const SHEET_END = new RegExp(`</${P}worksheet>\\s*$`);
const SST_END = new RegExp(`(?:</${P}sst>|<${P}sst\\b[^>]*/>)\\s*$`);

function truncated(path: string, part: string): DataError {
  return new DataError(`${basename(path)} 已损坏：${part}的内容不完整（文件可能没有下载或复制完整），请用 Excel/WPS 重新保存为 .xlsx 后再导入`);
}
const CELL = new RegExp(`<${P}c\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${P}c>)`, 'g');
const VALUE = new RegExp(`<${P}v>([^<]*)</${P}v>`);
const INLINE = new RegExp(`<${P}is>([\\s\\S]*?)</${P}is>`);
const FORMULA = new RegExp(`<${P}f\\b`);
const ATTR_R = /\br="([A-Z]*)(\d*)"/;
const ATTR_T = /\bt="(\w+)"/;
const ATTR_S = /\bs="(\d+)"/;

/** The text of a string item: its runs joined, phonetic guides dropped. */
function runsText(xml: string): string {
  const body = xml.indexOf('rPh') >= 0 ? xml.replace(PHONETIC, '') : xml;
  let out = '';
  TEXT_RUN.lastIndex = 0;
  for (let m = TEXT_RUN.exec(body); m; m = TEXT_RUN.exec(body)) out += m[1];
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
  for (const m of xml.matchAll(new RegExp(`<${P}numFmt\\b[^>]*?numFmtId="(\\d+)"[^>]*?formatCode="([^"]*)"`, 'g'))) {
    custom.set(Number(m[1]), unescapeXml(m[2]!));
  }
  const cellXfs = new RegExp(`<${P}cellXfs\\b[^>]*>([\\s\\S]*?)</${P}cellXfs>`).exec(xml)?.[1] ?? '';
  const dates: boolean[] = [];
  for (const m of cellXfs.matchAll(new RegExp(`<${P}xf\\b([^>]*)`, 'g'))) {
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
    date1904: /<[\w:]*workbookPr\b[^>]*\bdate1904="(1|true)"/.test(wb),
    sharedStrings: ofType('/sharedStrings', 'xl/sharedStrings.xml'),
    styles: ofType('/styles', 'xl/styles.xml'),
  };
}

/** The shared strings; one holding an invalid character reference is kept as that error, for the cell using it. */
async function readSharedStrings(path: string, e: ZipEntry | undefined, onBytes?: (n: number) => void): Promise<(string | BadCharacterReference)[]> {
  const sst: (string | BadCharacterReference)[] = [];
  if (!e) return sst;
  let carry = '';
  for await (const chunk of entryText(path, e, onBytes)) {
    const s = carry + chunk;
    SI.lastIndex = 0;
    let last = 0;
    for (let m = SI.exec(s); m; m = SI.exec(s)) {
      try {
        sst.push(m[1] === undefined ? '' : runsText(m[1]));
      } catch (err) {
        if (!(err instanceof BadCharacterReference)) throw err;
        sst.push(err);
      }
      last = SI.lastIndex;
    }
    carry = s.slice(last);
  }
  if (!SST_END.test(carry)) throw truncated(path, '共享字符串表');
  return sst;
}

const MERGE = new RegExp(`<${P}mergeCell\\b[^>]*\\bref="([A-Z]+)(\\d+):([A-Z]+)(\\d+)"`, 'g');

/**
 * The sheet's merges that span rows within one column. They are listed after the cells, so the sheet is
 * scanned for them first (inflating it is a small part of reading it).
 */
async function verticalMerges(path: string, e: ZipEntry, sheet: string): Promise<{ col: number; top: number; bottom: number }[]> {
  const out: { col: number; top: number; bottom: number }[] = [];
  let carry = '';
  for await (const chunk of entryText(path, e)) {
    const s = carry + chunk;
    if (s.indexOf('mergeCell') >= 0) {
      MERGE.lastIndex = 0;
      for (let m = MERGE.exec(s); m; m = MERGE.exec(s)) {
        for (const [letters, row] of [[m[1]!, m[2]!], [m[3]!, m[4]!]]) {
          if (columnIndex(letters) > MAX_COLUMNS || Number(row) > MAX_ROWS || Number(row) < 1) throw outOfRange(path, sheet, `合并单元格 ${letters}${row}`);
        }
        if (m[1] === m[3] && Number(m[4]) > Number(m[2])) out.push({ col: columnIndex(m[1]!), top: Number(m[2]), bottom: Number(m[4]) });
      }
    }
    carry = s.slice(-200);
  }
  // a merge seen in the overlap of two chunks is found twice
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

function readCell(attrs: string, inner: string, c: CellContext): Cell {
  const t = ATTR_T.exec(attrs)?.[1];
  const v = VALUE.exec(inner)?.[1];
  switch (t) {
    case 's': {
      if (v === undefined) return EMPTY;
      const text = c.sst[Number(v)];
      if (text === undefined) throw new MissingSharedString(v);
      if (text instanceof BadCharacterReference) throw text;
      return normaliseCell(text);
    }
    case 'inlineStr': {
      const is = INLINE.exec(inner)?.[1];
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
 * Yields every row of every visible sheet, in workbook order. `entries` come from guardXlsx; `progress`
 * receives compressed bytes read so far and the file's size.
 */
export async function* readXlsx(
  path: string,
  entries: ZipEntry[],
  size: number,
  progress?: (bytes: number, total: number) => void,
  opts: { pick?: (sheet: { name: string; hidden: boolean }) => boolean; looks?: boolean } = {},
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
  let parts: Awaited<ReturnType<typeof workbookParts>>;
  let ctx: CellContext;
  try {
    parts = await workbookParts(path, byName);
    const stylesEntry = byName.get(parts.styles);
    ctx = {
      sst: await readSharedStrings(path, byName.get(parts.sharedStrings), onBytes),
      dateStyles: stylesEntry ? parseStyles(await entryWhole(path, stylesEntry)) : [],
      date1904: parts.date1904,
    };
  } catch (err) {
    if (!(err instanceof BadCharacterReference)) throw err;
    throw new DataError(`${basename(path)} 的工作簿结构（工作表名、样式或关系）中含有无效的字符引用 ${err.reference}：文件已损坏或被改动过，已拒绝`);
  }
  for (const sheet of parts.sheets) {
    const e = byName.get(sheet.path);
    if (!e || !pick(sheet)) continue;
    const merged = await verticalMerges(path, e, sheet.name);
    const mergedValue = new Map<string, Cell>();
    let carry = '';
    let rowNo = 0;
    for await (const chunk of entryText(path, e, onBytes)) {
      const s = carry + chunk;
      ROW.lastIndex = 0;
      let last = 0;
      for (let m = ROW.exec(s); m; m = ROW.exec(s)) {
        last = ROW.lastIndex;
        const r = /\br="(\d+)"/.exec(m[1]!);
        rowNo = r ? Number(r[1]) : rowNo + 1;
        if (rowNo > MAX_ROWS || rowNo < 1) throw outOfRange(path, sheet.name, `第 ${r?.[1] ?? rowNo} 行`);
        const body = m[2];
        const cells: Cell[] = [];
        const styles: number[] | undefined = looks ? [] : undefined;
        if (body) {
          CELL.lastIndex = 0;
          let col = 0;
          for (let c = CELL.exec(body); c; c = CELL.exec(body)) {
            const ref = ATTR_R.exec(c[1]!);
            col = ref && ref[1] ? columnIndex(ref[1]) : col + 1;
            const name = ref && ref[1] ? `${ref[1]}${ref[2]}` : `${columnLetter(Math.min(col, MAX_COLUMNS + 1))}${rowNo}`;
            if (col > MAX_COLUMNS || (ref?.[2] && Number(ref[2]) > MAX_ROWS)) throw outOfRange(path, sheet.name, `单元格 ${name}`);
            let cell: Cell;
            try {
              cell = readCell(c[1]!, c[2] ?? '', ctx);
            } catch (err) {
              if (err instanceof MissingSharedString) throw new DataError(`${basename(path)} 已损坏：工作表「${sheet.name}」单元格 ${name} 引用的第 ${Number(err.index) + 1} 个共享字符串不存在，请用 Excel/WPS 重新保存为 .xlsx 后再导入`);
              if (!(err instanceof BadCharacterReference)) throw err;
              throw new DataError(`${basename(path)} 的工作表「${sheet.name}」单元格 ${name} 含有无效的字符引用 ${err.reference}（不是任何字符）：文件已损坏或被改动过，已拒绝`);
            }
            while (cells.length < col - 1) cells.push(EMPTY);
            cells[col - 1] = cell;
            if (styles) styles[col - 1] = Number(ATTR_S.exec(c[1]!)?.[1] ?? 0);
          }
        }
        // A cell merged down several rows (所属机构 written once for a unit's staff) counts in each of them.
        for (const m of merged) {
          if (rowNo === m.top) mergedValue.set(`${m.col}:${m.top}`, cells[m.col - 1] ?? EMPTY);
          else if (rowNo > m.top && rowNo <= m.bottom && !cells[m.col - 1]?.text) {
            while (cells.length < m.col - 1) cells.push(EMPTY);
            cells[m.col - 1] = mergedValue.get(`${m.col}:${m.top}`) ?? EMPTY;
          }
        }
        if (styles) {
          const ht = /\bcustomHeight="(1|true)"/.test(m[1]!) ? /\bht="([\d.]+)"/.exec(m[1]!)?.[1] : undefined;
          yield { sheet: sheet.name, row: rowNo, cells, styles, height: ht ? Number(ht) : undefined };
        } else yield { sheet: sheet.name, row: rowNo, cells };
      }
      carry = s.slice(last);
      if (carry.length > 64 * 1024 * 1024) throw new DataError(`${basename(path)} 的工作表「${sheet.name}」中有一行超过 64 MB，已拒绝`);
    }
    if (!SHEET_END.test(carry)) throw truncated(path, `工作表「${sheet.name}」`);
  }
}

/** The rows of one sheet, hidden or not (a workbook's machine-readable identity sheet). */
export function readXlsxSheet(path: string, entries: ZipEntry[], size: number, name: string): AsyncGenerator<XlsxRow> {
  return readXlsx(path, entries, size, undefined, { pick: (s) => s.name === name });
}
