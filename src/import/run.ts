/**
 * The one importer: every spreadsheet import (organisations, accounts, declarations, feedback) runs through
 * it. Several files are one batch and one transaction; all-or-nothing by default, `--partial` imports the
 * valid rows, `--dry-run` writes nothing, `--errors` writes a marked-up copy of the input.
 *
 * Memory stays bounded: rows are streamed from the file, parsed records wait in a SQLite temp table
 * (store/staging.ts), and are written chunk by chunk in one transaction.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import { resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import type { Actor } from '../domain/actor.js';
import { audit } from '../domain/actor.js';
import type { Store } from '../store/db.js';
import type { DB } from '../store/schema.js';
import { localTimestamp } from '../store/audit.js';
import { Staging } from '../store/staging.js';
import { checkOutputPath } from '../render/files.js';
import { EMPTY, type Cell } from './cell.js';
import { columnLetter, findHeader, specMatcher, type ColumnSpec, type HeaderMatch, type TitleMatcher } from './header.js';
import { openSheetFile, readRows, type Progress, type SheetRow } from './sheets.js';
import { controlProblem } from '../util/text.js';

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

export interface ImportOptions {
  dryRun?: boolean;
  partial?: boolean;
  errorsOut?: string;
  reviewerOrgId?: number | null;
  progress?: (rows: number, bytes: number, total: number) => void;
}

export interface ImportResult extends Counts {
  written: boolean;
  batch_id: number | null;
  rows: number;
  errors: Problem[];
  warnings: string[];
}

/** Rejected import: carries the result document (written: false) for --json. */
export class ImportRejected extends DataError {
  constructor(
    message: string,
    details: Record<string, unknown>[],
    lines: string[],
    readonly result: ImportResult,
  ) {
    super(message, details, lines);
  }
}

class Rollback extends Error {}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function isBlank(cells: Cell[]): boolean {
  return cells.every((c) => c.text === '');
}

const EXAMPLE = /^(示例|例|样例|例子|填写示例|示范)/;

/** What the batch has read so far, across files. */
class BatchState<R> {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];
  /** Header row per "file\0sheet" (for the error workbook). */
  readonly headers = new Map<string, number>();
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
async function parseFile<R>(spec: ImportSpec<R>, path: string, fileIdx: number, st: BatchState<R>, progress?: Progress): Promise<void> {
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
      for (const k of h.missing) headerProblems.push({ file, sheet: name, row: h.row, column: titleOf.get(k) ?? k, value: null, reason: '缺少必填列' });
      for (const k of h.duplicated) headerProblems.push({ file, sheet: name, row: h.row, column: titleOf.get(k) ?? k, value: null, reason: '该列出现了不止一次' });
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
    if (!header || r.row <= header.row || isBlank(r.cells)) return;
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
    st.problems.push({ file, sheet: '', row: null, column: null, value: null, reason: `未找到表头：前 10 行中没有包含 ${names} 等列名的行（是否用错了模板？）` });
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.sheet ? `「${p.sheet}」` : '', p.row !== null ? ` 第 ${p.row} 行` : '', p.column ? `「${p.column}」列` : '']
    .join('')
    .trim();
  const value = p.value !== null && p.value !== '' ? `（值「${p.value.length > 40 ? `${p.value.slice(0, 39)}…` : p.value}」）` : '';
  return `${where}${value}：${p.reason}`;
}

/** Rows of the batch that share a value that must be unique: every row of such a group is an error. */
function flagDuplicates<R>(st: BatchState<R>, titleOf: (k: string) => string): void {
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
      });
      bad.push(it.idx);
    }
  }
  st.staging.markBad([...new Set(bad)]);
}

export async function runImport<R>(store: Store, who: Actor, spec: ImportSpec<R>, files: string[], opts: ImportOptions): Promise<ImportResult> {
  if (files.length === 0) throw new DataError('没有指定要导入的文件');
  if (opts.errorsOut) {
    const out = checkOutputPath(opts.errorsOut, ['.xlsx']);
    if (files.some((f) => resolve(f) === out)) throw new UsageError(`--errors 的文件 ${opts.errorsOut} 就是要导入的文件：请另给一个文件名，以免覆盖原表`);
  }
  // Check every file's format before reading any, so a bad third file fails fast.
  for (const f of files) openSheetFile(f);
  const titleOf = (k: string) => spec.columns.find((c) => c.key === k)?.title ?? k;
  const staging = new Staging<R>(store.raw);
  try {
    const st = new BatchState<R>(staging);
    const fileInfo: { name: string; sha256: string; rows: number }[] = [];
    for (const [i, f] of files.entries()) {
      st.files.push(basename(f));
      const before = st.rows;
      await parseFile(spec, f, i, st, opts.progress ? (b, t) => opts.progress!(st.rows, b, t) : undefined);
      fileInfo.push({ name: basename(f), sha256: await sha256(f), rows: st.rows - before });
    }
    flagDuplicates(st, titleOf);
    const problems = st.problems;
    const fileLevel = problems.some((p) => p.row === null || p.reason === '缺少必填列' || p.reason === '该列出现了不止一次');
    const good = staging.goodCount();
    const rejectedRows = st.rows - good;
    if (opts.errorsOut && problems.length > 0) {
      const { writeErrorWorkbook } = await import('./errorbook.js');
      await writeErrorWorkbook(files, problems, st.headers, opts.errorsOut);
    }
    const base = { rows: st.rows, errors: problems, warnings: st.warnings };
    if (problems.length > 0 && (!opts.partial || fileLevel)) {
      throw new ImportRejected(
        `${problems.length} 处问题，未导入任何数据${opts.errorsOut ? `；已将标注错误的副本写入 ${opts.errorsOut}` : '（可用 --errors <文件.xlsx> 输出标注错误的副本，或用 --partial 只导入有效行）'}`,
        problems.map((p) => ({ ...p, message: formatProblem(p) })),
        problems.slice(0, 50).map(formatProblem).concat(problems.length > 50 ? [`……另有 ${problems.length - 50} 处问题（--json 或 --errors 可见全部）`] : []),
        { added: 0, updated: 0, unchanged: 0, written: false, batch_id: null, ...base },
      );
    }
    const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
    let batchId: number | null = null;
    try {
      await store.write(async (tx) => {
        if (!opts.dryRun) {
          const row = await tx
            .insertInto('import_batch')
            .values({
              kind: spec.kind,
              files: JSON.stringify(fileInfo),
              added: 0,
              updated: 0,
              unchanged: 0,
              rejected: rejectedRows,
              actor: who.login,
              reviewer_org_id: opts.reviewerOrgId ?? null,
              created_at: localTimestamp(who.now),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          batchId = row.id;
        }
        for (const chunk of staging.chunks()) {
          const c = await spec.apply(tx, chunk.map((x) => ({ record: x.record, loc: st.loc(x.loc) })), who, batchId);
          counts.added += c.added;
          counts.updated += c.updated;
          counts.unchanged += c.unchanged;
          st.warnings.push(...(c.warnings ?? []));
        }
        if (opts.dryRun) throw new Rollback();
        await tx.updateTable('import_batch').set(counts).where('id', '=', batchId!).execute();
        await audit(tx, who, [
          {
            entity: 'import_batch',
            entityId: batchId,
            after: { kind: spec.kind, files: fileInfo, ...counts, rejected: rejectedRows, reviewer_org_id: opts.reviewerOrgId ?? null },
          },
        ]);
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    return { ...counts, written: !opts.dryRun, batch_id: batchId, ...base };
  } finally {
    staging.drop();
  }
}
