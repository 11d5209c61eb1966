/**
 * Reading every file of a batch through the pure readers of src/import/ into the staging area, one row at a
 * time: each sheet's header is found and matched to one kind of sheet of the spec (spec.ts), and
 * each data row is parsed by that kind.
 */
import { basename } from 'node:path';
import { DataError } from '../../errors.js';
import type { Cell } from '../../import/cell.js';
import { columnLetter, findHeader, specMatcher, type HeaderMatch, type TitleMatcher } from '../../import/header.js';
import { openSheetFile, rowsAtMost, SheetFile, type Progress, type SheetRow } from '../../import/sheets.js';
import type { Staging } from '../../store/staging.js';
import { controlProblem, normaliseText } from '../../util/text.js';
import { RowReader, sheetSpecs, type FileScope, type HeaderRows, type ImportSpec, type Loc, type Problem, type SheetSpec } from './spec.js';

export const MAX_DATA_ROWS = 200_000;

function isBlank(cells: Cell[]): boolean {
  return cells.every((c) => c.text === '');
}

const EXAMPLE = /^(示例|例|样例|例子|填写示例|示范)/;
/**
 * A row under a table that is not data: a 合计 row, or the signature line of a form (单位负责人：…
 * 报出日期：…, 填表人：…). Skipped and counted, whatever the import, so a form the tool wrote imports again.
 */
const FOOTER = /^(合计|小计|总计)$|^(填表人|填报人|制表人|联系人|联系电话|审核人|负责人|单位负责人|统计负责人|报出日期)\s*[:：]/;

/** What the batch has read so far, across files. */
export class BatchState<R> {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];
  readonly headers: HeaderRows = new Map();
  readonly files: string[] = [];
  readonly sheets: { name: string; keyCol: Map<string, number> }[] = [];
  /** Data rows read (rows of check-only sheets are not data rows). */
  rows = 0;
  /** Rows of check-only sheets (pre-filled reference rows). */
  checked = 0;
  constructor(readonly staging: Staging<R>) {}

  loc(l: { file: number; sheet: number; row: number }): Loc {
    return { file: this.files[l.file]!, sheet: this.sheets[l.sheet]!.name, row: l.row };
  }
}

interface Kind<R> {
  spec: SheetSpec<R>;
  match: TitleMatcher;
  titleOf: Map<string, string>;
  /** Free-text columns that may span lines. */
  multiline: Set<string>;
}

/** Column titles of every kind of sheet of a spec, by key (for messages). */
export function titlesOf<R>(spec: ImportSpec<R>): (key: string) => string {
  const titles = new Map<string, string>();
  for (const s of sheetSpecs(spec)) for (const c of s.columns) if (!titles.has(c.key)) titles.set(c.key, c.title);
  return (k) => titles.get(k) ?? k;
}

const complete = (h: HeaderMatch) => h.missing.length === 0 && h.duplicated.length === 0;

/**
 * The kind of sheet whose header the rows hold: a kind named as the sheet is, else the one whose header is
 * complete and names the most columns.
 */
function chooseKind<R>(kinds: Kind<R>[], rows: SheetRow[], sheet: string): { kind: Kind<R>; header: HeaderMatch } | undefined {
  const found = kinds.flatMap((kind) => {
    const header = findHeader(rows, kind.spec.columns, kind.match);
    return header ? [{ kind, header }] : [];
  });
  const named = found.find((f) => f.kind.spec.name !== undefined && f.kind.spec.name === sheet);
  if (named) return named;
  found.sort((a, b) => Number(complete(b.header)) - Number(complete(a.header)) || b.header.columns.size - a.header.columns.size);
  return found[0];
}

/**
 * Reads one file: finds each sheet's header, parses its rows into the staging table. `countOnly`: only
 * counts its data rows as the batch's limit counts them (st.rows, st.checked), checking and keeping none, and
 * without the spec's file hooks.
 */
export async function parseFile<R>(spec: ImportSpec<R>, path: string, sha256: string, fileIdx: number, st: BatchState<R>, progress?: Progress, countOnly = false): Promise<void> {
  const file = basename(path);
  const { format } = openSheetFile(path);
  const source = new SheetFile(path, format);
  const kinds: Kind<R>[] = sheetSpecs(spec).map((s) => ({
    spec: s,
    match: s.match ?? specMatcher(s.columns),
    titleOf: new Map(s.columns.map((c) => [c.key, c.title])),
    multiline: new Set(s.columns.filter((c) => c.multiline).map((c) => c.key)),
  }));
  const scope: FileScope = {
    path,
    file,
    index: fileIdx,
    sha256,
    sheet: (name) => source.named(name),
    warn: (m) => st.warnings.push(m),
    fail: (p) => st.problems.push({ file, sheet: p.sheet ?? '', row: p.row ?? null, column: p.column ?? null, value: p.value ?? null, reason: p.reason, col: p.col, scope: 'file' }),
  };
  if (spec.beginFile && !countOnly) {
    const before = st.problems.length;
    await spec.beginFile(scope);
    if (st.problems.length > before) return;
  }
  let headerFound = false;
  const headerProblems: Problem[] = [];
  let pending: SheetRow[] = [];
  const x: Reading<R> = { spec, st, file, fileIdx, countOnly, sheet: undefined, current: undefined, footers: 0 };
  let skipSheet = false;

  const useHeader = (kind: Kind<R>, h: HeaderMatch, name: string) => {
    const where = name ? `「${name}」` : '';
    for (const u of h.unknown) st.warnings.push(`${file}${where}：忽略未知列「${u.title}」（第 ${columnLetter(u.col)} 列）`);
    if (!complete(h)) {
      const problem = (k: string, reason: string): Problem => ({ file, sheet: name, row: h.row, column: kind.titleOf.get(k) ?? k, value: null, reason, scope: 'file' });
      const found = [...h.missing.map((k) => problem(k, '缺少必填列')), ...h.duplicated.map((k) => problem(k, '该列出现了不止一次'))];
      // A sheet named as the template names it must be complete. Any other is kept aside: reported only if
      // no sheet of the file has a complete header (a 填表说明 sheet may show a few column names of its own).
      if (kind.spec.name !== undefined && kind.spec.name === name) st.problems.push(...found);
      else headerProblems.push(...found);
      skipSheet = true;
      return;
    }
    const keyCol = new Map([...h.columns].map(([col, key]) => [key, col]));
    const sheetIdx = st.sheets.push({ name, keyCol }) - 1;
    x.current = { kind, header: h, keyCol, sheetIdx };
    headerFound = true;
    st.headers.set(`${file}\u0000${name}`, h.row);
    if (!countOnly) spec.sheetFound?.(scope, { name, spec: kind.spec, headerRow: h.row, above: pending.filter((p) => p.row < h.row) });
  };
  // A sheet shorter than 10 rows ends before its header has been looked for.
  const settle = () => {
    if (x.current || skipSheet || pending.length === 0) return;
    const chosen = chooseKind(kinds, pending, x.sheet ?? '');
    if (chosen) {
      useHeader(chosen.kind, chosen.header, x.sheet ?? '');
      if (!skipSheet) for (const p of pending) readDataRow(x, p);
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
  for await (const r of source.rows(onBytes)) {
    if (progress && (r.row & 255) === 0) progress(bytes, total);
    if (r.sheet !== x.sheet) {
      settle();
      x.sheet = r.sheet;
      pending = [];
      x.current = undefined;
      skipSheet = false;
    }
    if (skipSheet) continue;
    if (!x.current) {
      pending.push(r);
      if (pending.length >= 10 || r.row >= 10) {
        settle();
        if (!x.current) skipSheet = true;
      }
      continue;
    }
    readDataRow(x, r);
  }
  settle();
  if (!headerFound && headerProblems.length > 0) st.problems.push(...headerProblems);
  else if (headerFound) for (const p of headerProblems) st.warnings.push(`${p.file}「${p.sheet}」：不像数据表（${p.column}：${p.reason}），已跳过`);
  if (!headerFound && headerProblems.length === 0 && !st.problems.some((p) => p.file === file && p.scope === 'file')) {
    const names = kinds[0]!.spec.columns.filter((c) => c.required).slice(0, 4).map((c) => `「${c.title}」`).join('');
    st.problems.push({ file, sheet: '', row: null, column: null, value: null, reason: `未找到表头：前 10 行中没有包含 ${names} 等列名的行（是否用错了模板？）`, scope: 'file' });
  }
  if (!countOnly) spec.endFile?.(scope);
  if (x.footers > 0) st.warnings.push(`${file}：跳过 ${x.footers} 行表尾（合计、填表人等）`);
}

/** The current sheet's kind and header, once found. */
interface Current<R> {
  kind: Kind<R>;
  header: HeaderMatch;
  keyCol: Map<string, number>;
  sheetIdx: number;
}

/**
 * A file being read, as readDataRow needs it: the same shape for every file, and readDataRow one function for the
 * process. As a closure made anew by each parseFile, the row loop was compiled anew for each file (the bench's
 * nine collection workbooks: six TurboFan compilations of it).
 */
interface Reading<R> {
  readonly spec: ImportSpec<R>;
  readonly st: BatchState<R>;
  readonly file: string;
  readonly fileIdx: number;
  readonly countOnly: boolean;
  sheet: string | undefined;
  current: Current<R> | undefined;
  footers: number;
}

/** One row of the current sheet below its header: skipped (blank, footer, example), counted, parsed and staged. */
function readDataRow<R>(x: Reading<R>, r: SheetRow): void {
  const { current, spec, st } = x;
  if (!current || r.row <= current.header.row || isBlank(r.cells)) return;
  if (FOOTER.test(normaliseText(r.cells.find((c) => c.text !== '')?.text ?? ''))) {
    x.footers += 1;
    return;
  }
  const { kind, header, keyCol, sheetIdx } = current;
  const serialCol = keyCol.get('serial');
  const serial = serialCol ? (r.cells[serialCol - 1]?.text ?? '') : '';
  const first = r.cells[0]?.text ?? '';
  if (EXAMPLE.test(serial) || EXAMPLE.test(first) || r.cells.some((c) => c.text.startsWith('示例'))) return;
  if (kind.spec.checkOnly) st.checked += 1;
  else st.rows += 1;
  if (st.rows + st.checked > MAX_DATA_ROWS) {
    // Refused as the limit is passed: the rest of the file is not read.
    throw new DataError(`数据行超过上限 ${MAX_DATA_ROWS.toLocaleString('en-US')} 行（${x.file} 读到第 ${r.row.toLocaleString('en-US')} 行时），已拒绝；请分批导入`);
  }
  if (x.countOnly) return;
  const reader = new RowReader({ file: x.file, sheet: x.sheet ?? '', row: r.row }, r.cells, header, kind.titleOf, keyCol);
  for (const [col, key] of header.columns) {
    if (r.cells[col - 1]?.uncachedFormula && !kind.spec.computed?.includes(key)) {
      reader.fail(key, '公式没有保存计算结果：请在 Excel/WPS 中打开、重新计算并保存后再导入', '（公式）');
    }
    const bad = controlProblem(r.cells[col - 1]?.text ?? '', kind.multiline.has(key));
    if (bad) reader.fail(key, bad);
  }
  const record = reader.problems.length > 0 ? undefined : kind.spec.parseRow(reader);
  if (reader.problems.length > 0) {
    st.problems.push(...reader.problems);
  } else if (record !== undefined) {
    st.staging.add({ file: x.fileIdx, sheet: sheetIdx, row: r.row }, record, spec.uniqueKeys?.(record) ?? []);
  }
}

/**
 * A batch that may hold more data rows than the limit (rowsAtMost says so) is counted first, row by row as
 * parseFile counts them but checking and keeping none: one past the limit, it is refused there (the same
 * DataError), before any row has been staged. Otherwise the count costs nothing.
 */
export async function refuseOverLimit<R>(spec: ImportSpec<R>, files: string[]): Promise<void> {
  let most = 0;
  for (const f of files) most += await rowsAtMost(f, openSheetFile(f).format, MAX_DATA_ROWS);
  if (most <= MAX_DATA_ROWS) return;
  const st = new BatchState<R>(NO_STAGING as Staging<R>);
  for (const [i, f] of files.entries()) {
    st.files.push(basename(f));
    await parseFile(spec, f, '', i, st, undefined, true);
  }
}

/** Where a count-only reading stages its rows: nowhere (parseFile never calls it when counting). */
const NO_STAGING: Staging<never> = {
  add: () => {},
  duplicates: () => [],
  markBad: () => {},
  goodCount: () => 0,
  chunks: function* () {},
  pages: function* () {},
  drop: () => {},
};

/** Rows a duplicate group's message names before it gives the count instead. */
const LISTED = 20;

/**
 * Rows of the batch that share a value that must be unique: every row of such a group is an error, reported
 * once, at its first row, by one message naming the rows (the first LISTED, then the count): a group of g
 * rows costs O(g), however large.
 */
export function flagDuplicates<R>(st: BatchState<R>, titleOf: (k: string) => string): void {
  const bad: number[] = [];
  for (const g of st.staging.duplicates()) {
    const first = g.items[0]!;
    const where = (o: typeof first) => `${o.loc.file === first.loc.file ? '' : st.files[o.loc.file]}第 ${o.loc.row} 行`;
    const named = g.items.slice(0, LISTED).map(where).join('、');
    const rows = g.items.length > LISTED ? `${named}等 ${g.items.length} 行` : `共 ${g.items.length} 行：${named}`;
    st.problems.push({
      ...st.loc(first.loc),
      column: titleOf(g.column),
      value: g.key,
      reason: `本批次内重复（${rows}），都未导入`,
      col: st.sheets[first.loc.sheet]!.keyCol.get(g.column),
      scope: 'row',
    });
    for (const it of g.items) bad.push(it.idx);
  }
  st.staging.markBad([...new Set(bad)]);
}
