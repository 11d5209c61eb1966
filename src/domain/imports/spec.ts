/**
 * What an import spec is and sees: the kinds of sheet it reads (SheetSpec), a row (RowReader), what it
 * reports (Problem), and the hooks around files and the write transaction. Reading the files is
 * parse.ts; the batch and its transaction are run.ts.
 */
import type { Kysely } from 'kysely';
import { XypzError } from '../../errors.js';
import { cellDate, EMPTY, type Cell } from '../../import/cell.js';
import type { ColumnSpec, HeaderMatch, TitleMatcher } from '../../import/header.js';
import type { SheetRow } from '../../import/sheets.js';
import type { DB } from '../../store/schema.js';
import type { StagedLoc, StagedPage, StageColumns } from '../../store/staging.js';
import { parseDate } from '../../util/dates.js';
import type { Actor, EntryDates, ImportKind } from '../core/index.js';

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

  /**
   * The date in `key`'s cell: a date cell, or text such as 2024-03-15 or 2024/3/15. Undefined when the cell
   * is empty, and when it holds no date, which is then a problem of this row.
   */
  date(key: string): string | undefined {
    const raw = this.text(key);
    if (!raw) return undefined;
    const date = cellDate(this.cell(key)) ?? parseDate(raw);
    if (!date) this.fail(key, '不是有效日期（如 2024-03-15）');
    return date;
  }

  /** Every mapped cell by key (for keeping extra columns as metadata). */
  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [col, key] of this.header.columns) out[key] = this.cells[col - 1]?.text ?? '';
    return out;
  }

  /** Runs a shared rule that throws; its refusal becomes a problem in this row's `key` column. */
  check<T>(key: string, rule: () => T): T | undefined {
    try {
      return rule();
    } catch (e) {
      if (!(e instanceof XypzError)) throw e;
      this.fail(key, e.message);
      return undefined;
    }
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

/** One kind of sheet an import reads: its columns and how a row becomes a record. */
export interface SheetSpec<R> {
  /**
   * The sheet's name in the template (several kinds of sheet in one workbook). A sheet is recognised by its
   * header, whatever it is called; the name only breaks a tie, and a sheet of that name whose header lacks
   * a required column is an error rather than a sheet to skip.
   */
  name?: string;
  columns: ColumnSpec[];
  match?: TitleMatcher;
  /** Columns the template fills by formula (a looked-up name): a result never calculated is not an error. */
  computed?: string[];
  /** Rows that are only checked (pre-filled reference rows), never records: not counted as data rows. */
  checkOnly?: boolean;
  /** Turns a row into a JSON-serialisable record, reporting problems with row.fail(); undefined skips it. */
  parseRow(row: RowReader): R | undefined;
}

/** What a spec sees of the file being read, and how it reports about the file as a whole. */
export interface FileScope {
  readonly path: string;
  /** The file's name (as problems show it). */
  readonly file: string;
  /** Position of the file in the batch. */
  readonly index: number;
  /** The file's SHA-256 (hex), read once for the batch's record. */
  readonly sha256: string;
  /**
   * The rows of one sheet of the file by its name, even a hidden one (none in a .csv file): read through the same
   * opened file as the rows that follow, whose shared strings are then not read again.
   */
  sheet(name: string): AsyncGenerator<SheetRow>;
  warn(message: string): void;
  /** A problem with the file as a whole (another unit's workbook, a changed title): --partial cannot skip it. */
  fail(p: { sheet?: string; row?: number | null; column?: string | null; value?: string | null; reason: string; col?: number }): void;
}

/** A sheet whose header was found: which kind it is and the rows above its header (title lines). */
export interface FoundSheet<R> {
  name: string;
  spec: SheetSpec<R>;
  headerRow: number;
  above: { row: number; cells: Cell[] }[];
}

interface ImportSpecBase<R> {
  /** Batch kind recorded in import_batch, e.g. "users"; who may run the import at all (core/policy.ts IMPORTERS). */
  kind: ImportKind;
  /**
   * The event dates of the batch's rows, each checked as its row is read (core/entry-dates.ts): when the
   * 人民银行 enters rows of a final month with a correction's reason, the batch records that one correction.
   */
  dates?: EntryDates;
  /** Values that must be unique within the batch (e.g. login, phone). */
  uniqueKeys?(r: R): { column: string; key: string }[];
  /** Before a file's rows are read (e.g. its hidden identity sheet); a file problem reported here skips its rows. */
  beginFile?(f: FileScope): Promise<void>;
  /** When a sheet's header has been found. */
  sheetFound?(f: FileScope, s: FoundSheet<R>): void;
  /** After a file's last row. */
  endFile?(f: FileScope): void;
  /**
   * Inside the batch's transaction, before anything is written (the batch record included): reads what the
   * batch would replace, as it stands now that the write lock is held, and authorises every write the batch
   * can cause. A refusal (thrown) rolls the transaction back: nothing is written.
   */
  authorizeWrites?(tx: Kysely<DB>, who: Actor): Promise<void>;
  /** Inside the batch's transaction, before the first chunk is applied. */
  prepare?(tx: Kysely<DB>, who: Actor, batchId: number | null): Promise<void>;
  /**
   * Inside the batch's transaction, after the last chunk: what the batch replaces (e.g. withdrawn rows).
   * `rejected` are the problems of rows left out (--partial).
   */
  finish?(tx: Kysely<DB>, who: Actor, batchId: number | null, rejected: Problem[]): Promise<Partial<Counts> & { withdrawn?: number; warnings?: string[] }>;
}

/** How the batch's records are written: a chunk of records at a time, or a page of the staged rows at a time. */
type Writer<R> =
  | {
      /** Writes a chunk of records inside the batch's transaction (called once per chunk). */
      apply(tx: Kysely<DB>, items: Item<R>[], who: Actor, batchId: number | null): Promise<Counts>;
      stage?: undefined;
      applyPage?: undefined;
    }
  | {
      apply?: undefined;
      /** How a record waits in the staging table: as these columns (store/staging.ts). */
      stage: StageColumns<R>;
      /**
       * Writes a page of the staged rows inside the batch's transaction (called once per page): it reads only
       * the rows it needs (page.items, page.values) and may write the rest from the staging table with one
       * INSERT … SELECT (page.table, on SQLite). `loc` turns a staged row's position into the sheet's.
       */
      applyPage(tx: Kysely<DB>, page: StagedPage<R>, loc: (l: StagedLoc) => Loc, who: Actor, batchId: number | null): Promise<Counts>;
    };

/** An import of one kind of sheet (columns and parseRow), or of a workbook with several kinds (sheets). */
export type ImportSpec<R> = ImportSpecBase<R> &
  Writer<R> &
  ({ columns: ColumnSpec[]; match?: TitleMatcher; parseRow(row: RowReader): R | undefined; sheets?: undefined } | { sheets: SheetSpec<R>[] });

/** The kinds of sheet a spec reads. */
export function sheetSpecs<R>(spec: ImportSpec<R>): SheetSpec<R>[] {
  if (spec.sheets !== undefined) return spec.sheets;
  return [{ columns: spec.columns, match: spec.match, parseRow: (row) => spec.parseRow(row) }];
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

