/**
 * The first half of an import: what a spec sees of a row (RowReader), what it reports (Problem), and reading
 * every file of a batch through the pure readers of src/import/ into the staging area, one row at a time.
 */
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import { DataError } from '../errors.js';
import { EMPTY, type Cell } from '../import/cell.js';
import { columnLetter, findHeader, specMatcher, type ColumnSpec, type HeaderMatch, type TitleMatcher } from '../import/header.js';
import { openSheetFile, readRows, type Progress, type SheetRow } from '../import/sheets.js';
import type { DB } from '../store/schema.js';
import type { Staging } from '../store/staging.js';
import { controlProblem } from '../util/text.js';
import type { Actor } from './actor.js';

export const MAX_DATA_ROWS = 200_000;

export interface Problem {
  file: string;
  sheet: string;
  row: number | null;
  column: string | null;
  value: string | null;
  reason: string;
  /** 1-based column index in the sheet, when known (for marking the cell). */
  col?: number;
  /** 'file': the file cannot be read as this kind of sheet (no header, a missing column), so --partial cannot help. */
  scope: 'file' | 'row';
}

export interface Loc {
  file: string;
  sheet: string;
  row: number;
}

/** One data row, with the column titles of its sheet. */
export class RowReader {
  readonly problems: Problem[] = [];
  constructor(
    readonly loc: Loc,
    private readonly cells: Cell[],
    private readonly header: HeaderMatch,
    private readonly titles: Map<string, string>,
    private readonly keyCol: Map<string, number>,
  ) {}

  has(key: string): boolean {
    return this.keyCol.has(key);
  }

  cell(key: string): Cell {
    const col = this.keyCol.get(key);
    return col === undefined ? EMPTY : (this.cells[col - 1] ?? EMPTY);
  }

  text(key: string): string {
    return this.cell(key).text;
  }

  /** Every mapped cell by key (for keeping extra columns as metadata). */
  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [col, key] of this.header.columns) out[key] = this.cells[col - 1]?.text ?? '';
    return out;
  }

  fail(key: string, reason: string, value?: string): void {
    this.problems.push({
      ...this.loc,
      column: this.titles.get(key) ?? key,
      value: value ?? (this.has(key) ? this.text(key) : null),
      reason,
      col: this.keyCol.get(key),
      scope: 'row',
    });
  }
}

export interface Counts {
  added: number;
  updated: number;
  unchanged: number;
  /** Lines for the import report about rows written (e.g. an account whose agreement was cleared). */
  warnings?: string[];
}

export interface Item<R> {
  record: R;
  loc: Loc;
}

export interface ImportSpec<R> {
  /** Batch kind recorded in import_batch, e.g. "users". */
  kind: string;
  /** What the rows are, for messages: "用户". */
  what: string;
  columns: ColumnSpec[];
  match?: TitleMatcher;
  /** Turns a row into a JSON-serialisable record, reporting problems with row.fail(); undefined skips it. */
  parseRow(row: RowReader): R | undefined;
  /** Values that must be unique within the batch (e.g. login, phone). */
  uniqueKeys?(r: R): { column: string; key: string }[];
  /** Writes a chunk of records inside the batch's transaction (called once per chunk). */
  apply(tx: Kysely<DB>, items: Item<R>[], who: Actor, batchId: number | null): Promise<Counts>;
}

/** Header row of each sheet that had one, keyed "file\u0000sheet" (for the error workbook). */
export type HeaderRows = Map<string, number>;

export function formatProblem(p: Problem): string {
  const where = [p.file, p.sheet ? `「${p.sheet}」` : '', p.row !== null ? ` 第 ${p.row} 行` : '', p.column ? `「${p.column}」列` : '']
    .join('')
    .trim();
  const value = p.value !== null && p.value !== '' ? `（值「${p.value.length > 40 ? `${p.value.slice(0, 39)}…` : p.value}」）` : '';
  return `${where}${value}：${p.reason}`;
}

function isBlank(cells: Cell[]): boolean {
  return cells.every((c) => c.text === '');
}

const EXAMPLE = /^(示例|例|样例|例子|填写示例|示范)/;
/** The signature line under a form (单位负责人：… 报出日期：…) ends its table. */
const SIGNATURE = /^(单位负责人|统计负责人|填表人|制表人|审核人)\s*[:：]/;

/** What the batch has read so far, across files. */
export class BatchState<R> {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];
  readonly headers: HeaderRows = new Map();
  readonly files: string[] = [];
  readonly sheets: { name: string; keyCol: Map<string, number> }[] = [];
  rows = 0;
  /** Rows with problems found while parsing. */
  invalidRows = 0;
  constructor(readonly staging: Staging<R>) {}

  loc(l: { file: number; sheet: number; row: number }): Loc {
    return { file: this.files[l.file]!, sheet: this.sheets[l.sheet]!.name, row: l.row };
  }
}

/** Reads one file: finds each sheet's header, parses its rows into the staging table. */
export async function parseFile<R>(spec: ImportSpec<R>, path: string, fileIdx: number, st: BatchState<R>, progress?: Progress): Promise<void> {
  const file = basename(path);
  const { format } = openSheetFile(path);
  const match = spec.match ?? specMatcher(spec.columns);
  const titleOf = new Map(spec.columns.map((c) => [c.key, c.title]));
  const multiline = new Set(spec.columns.filter((c) => c.multiline).map((c) => c.key));
  let headerFound = false;
  const headerProblems: Problem[] = [];
  let sheet: string | undefined;
  let sheetIdx = -1;
  let pending: SheetRow[] = [];
  let header: HeaderMatch | undefined;
  let keyCol = new Map<string, number>();
  let skipSheet = false;

  const useHeader = (h: HeaderMatch, name: string) => {
    const where = name ? `「${name}」` : '';
    for (const u of h.unknown) st.warnings.push(`${file}${where}：忽略未知列「${u.title}」（第 ${columnLetter(u.col)} 列）`);
    if (h.missing.length > 0 || h.duplicated.length > 0) {
      // Kept aside: reported only if no sheet of the file has a complete header (a 填表说明 sheet may
      // show a few column names in a table of its own).
      const problem = (k: string, reason: string): Problem => ({ file, sheet: name, row: h.row, column: titleOf.get(k) ?? k, value: null, reason, scope: 'file' });
      for (const k of h.missing) headerProblems.push(problem(k, '缺少必填列'));
      for (const k of h.duplicated) headerProblems.push(problem(k, '该列出现了不止一次'));
      skipSheet = true;
      return;
    }
    header = h;
    keyCol = new Map([...h.columns].map(([col, key]) => [key, col]));
    sheetIdx = st.sheets.push({ name, keyCol }) - 1;
    headerFound = true;
    st.headers.set(`${file}\u0000${name}`, h.row);
  };
  const dataRow = (r: SheetRow) => {
    if (!header || skipSheet || r.row <= header.row || isBlank(r.cells)) return;
    if (SIGNATURE.test(r.cells.find((c) => c.text !== '')?.text ?? '')) {
      skipSheet = true;
      return;
    }
    const serialCol = keyCol.get('serial');
    const serial = serialCol ? (r.cells[serialCol - 1]?.text ?? '') : '';
    const first = r.cells[0]?.text ?? '';
    if (EXAMPLE.test(serial) || EXAMPLE.test(first) || r.cells.some((c) => c.text.startsWith('示例'))) return;
    st.rows += 1;
    if (st.rows > MAX_DATA_ROWS) {
      throw new DataError(`数据行超过上限 ${MAX_DATA_ROWS.toLocaleString('en-US')} 行（${file}），已拒绝；请分批导入`);
    }
    const reader = new RowReader({ file, sheet: sheet ?? '', row: r.row }, r.cells, header, titleOf, keyCol);
    for (const [col, key] of header.columns) {
      if (r.cells[col - 1]?.uncachedFormula) reader.fail(key, '公式没有保存计算结果：请在 Excel/WPS 中打开、重新计算并保存后再导入', '（公式）');
      const bad = controlProblem(r.cells[col - 1]?.text ?? '', multiline.has(key));
      if (bad) reader.fail(key, bad);
    }
    const record = reader.problems.length > 0 ? undefined : spec.parseRow(reader);
    if (reader.problems.length > 0) {
      st.problems.push(...reader.problems);
      st.invalidRows += 1;
    } else if (record !== undefined) {
      st.staging.add({ file: fileIdx, sheet: sheetIdx, row: r.row }, record, spec.uniqueKeys?.(record) ?? []);
    }
  };
  // A sheet shorter than 10 rows ends before its header has been looked for.
  const settle = () => {
    if (header || skipSheet || pending.length === 0) return;
    const h = findHeader(pending, spec.columns, match);
    if (h) {
      useHeader(h, sheet ?? '');
      if (!skipSheet) for (const p of pending) dataRow(p);
    }
    pending = [];
  };

  // Progress is reported as bytes arrive and every 256 rows (rows read is what the bar shows).
  let bytes = 0;
  let total = 0;
  const onBytes: Progress | undefined = progress
    ? (b, t) => {
        bytes = b;
        total = t;
        progress(b, t);
      }
    : undefined;
  for await (const r of readRows(path, format, onBytes)) {
    if (progress && (r.row & 255) === 0) progress(bytes, total);
    if (r.sheet !== sheet) {
      settle();
      sheet = r.sheet;
      pending = [];
      header = undefined;
      skipSheet = false;
    }
    if (skipSheet) continue;
    if (!header) {
      pending.push(r);
      if (pending.length >= 10 || r.row >= 10) {
        settle();
        if (!header) skipSheet = true;
      }
      continue;
    }
    dataRow(r);
  }
  settle();
  if (!headerFound && headerProblems.length > 0) st.problems.push(...headerProblems);
  else if (headerFound) for (const p of headerProblems) st.warnings.push(`${p.file}「${p.sheet}」：不像数据表（${p.column}：${p.reason}），已跳过`);
  if (!headerFound && headerProblems.length === 0) {
    const names = spec.columns.filter((c) => c.required).slice(0, 4).map((c) => `「${c.title}」`).join('');
    st.problems.push({ file, sheet: '', row: null, column: null, value: null, reason: `未找到表头：前 10 行中没有包含 ${names} 等列名的行（是否用错了模板？）`, scope: 'file' });
  }
}

/** Rows of the batch that share a value that must be unique: every row of such a group is an error. */
export function flagDuplicates<R>(st: BatchState<R>, titleOf: (k: string) => string): void {
  const bad: number[] = [];
  for (const g of st.staging.duplicates()) {
    for (const it of g.items) {
      const loc = st.loc(it.loc);
      const others = g.items
        .filter((o) => o.idx !== it.idx)
        .map((o) => `${o.loc.file === it.loc.file ? '' : st.files[o.loc.file]}第 ${o.loc.row} 行`);
      st.problems.push({
        ...loc,
        column: titleOf(g.column),
        value: g.key,
        reason: `本批次内重复（另见${others.join('、')}）`,
        col: st.sheets[it.loc.sheet]!.keyCol.get(g.column),
        scope: 'row',
      });
      bad.push(it.idx);
    }
  }
  st.staging.markBad([...new Set(bad)]);
}
