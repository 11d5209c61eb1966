/**
 * Parsed records waiting to be written. They wait in a SQLite TEMP table (the connection's private temp
 * database, never the data file; for a database on a server, a private SQLite database of this process
 * that is deleted when the batch ends), not in JavaScript: 200,000 records held in the heap made the garbage
 * collector the largest cost of an import and pushed its peak memory past 300 MB. Values that must be
 * unique within the batch wait beside them and are checked with one GROUP BY.
 */
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { sqliteOptions } from './sqlite-binding.js';

export interface StagedLoc {
  file: number;
  sheet: number;
  row: number;
}

export interface StagedItem<R> {
  idx: number;
  loc: StagedLoc;
  record: R;
}

/**
 * How a record waits: as these columns of the staging table rather than as one JSON text. Writing and reading
 * them back costs a fraction of serialising each record, and a page of them can be written with one
 * INSERT … SELECT (StagedPage.table).
 */
export interface StageColumns<R> {
  /** Column names, in the order of toRow's values (SQL identifiers). */
  readonly names: readonly string[];
  toRow(r: R): unknown[];
  fromRow(v: unknown[]): R;
}

/** Rows whose staged column `column` is null (`isNull`), or is not. */
export interface StagedWhere {
  column: string;
  isNull: boolean;
}

/** A page of the staged rows not marked bad, in order (Staging.pages()). */
export interface StagedPage<R> {
  /** The page's rows; with `where`, only those it selects (needs StageColumns). */
  items(where?: StagedWhere): StagedItem<R>[];
  /** One column's values of the page's rows (needs StageColumns). */
  values(column: string, where?: StagedWhere): unknown[];
  /**
   * The page as the rows `from`..`to` (by idx, `bad = 0`) of a staging table on the store's own SQLite
   * connection, for writing it with one INSERT … SELECT; undefined when the rows wait in memory or in a
   * private database (a store on a server).
   */
  table?: { name: string; from: number; to: number };
}

const ROWS_PER_INSERT = 100;
/** The temp database's page cache while a batch is staged there (negative: KiB). */
const STAGING_CACHE_KIB = -2048;

/**
 * Inserts rows of `width` values through one multi-row statement as soon as it has ROWS_PER_INSERT of them (and a
 * one-row one for the rest, at flush()). Holding thousands of rows' values first kept them alive long enough to be
 * promoted to the old generation of the heap, where they piled up as garbage (peak memory grew with the rows).
 */
class Inserter {
  private readonly pending: unknown[];
  private n = 0;
  private rows = 0;
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  constructor(
    raw: Database.Database,
    sql: string,
    private readonly width: number,
  ) {
    const values = (n: number) => Array.from({ length: n }, () => `(${Array(width).fill('?').join(', ')})`).join(', ');
    this.many = raw.prepare(`${sql} values ${values(ROWS_PER_INSERT)}`);
    this.one = raw.prepare(`${sql} values ${values(1)}`);
    this.pending = new Array(width * ROWS_PER_INSERT);
  }
  /** Adds one row (its `width` values); the number of rows added so far. */
  push(...values: unknown[]): number {
    for (const v of values) this.pending[this.n++] = v;
    if (this.n === this.pending.length) {
      this.many.run(this.pending);
      this.n = 0;
    }
    return ++this.rows;
  }
  flush(): void {
    for (let i = 0; i < this.n; i += this.width) this.one.run(this.pending.slice(i, i + this.width));
    this.n = 0;
  }
}

/** The staging area of one import batch (Store.staging()); drop() it when the batch ends. */
export interface Staging<R> {
  add(loc: StagedLoc, record: R, keys: { column: string; key: string }[]): void;
  /** Groups of staged rows that share a value that must be unique. */
  duplicates(): { column: string; key: string; items: { idx: number; loc: StagedLoc }[] }[];
  markBad(idxs: number[]): void;
  goodCount(): number;
  /** The rows not marked bad, in order, `size` at a time. */
  chunks(size?: number): Generator<StagedItem<R>[]>;
  /** The same as pages, read only as far as each page's user asks. */
  pages(size?: number): Generator<StagedPage<R>>;
  drop(): void;
}

/** The position of a staged column among toRow's values. */
function columnIndex<R>(columns: StageColumns<R> | undefined, name: string): number {
  const i = columns?.names.indexOf(name) ?? -1;
  if (i < 0) throw new Error(`staging: no staged column ${name}`);
  return i;
}

/** A page of records held in memory. */
function memoryPage<R>(items: StagedItem<R>[], columns: StageColumns<R> | undefined): StagedPage<R> {
  const rows = new Map<StagedItem<R>, unknown[]>();
  const row = (it: StagedItem<R>) => {
    let r = rows.get(it);
    if (!r) rows.set(it, (r = columns!.toRow(it.record)));
    return r;
  };
  const pick = (where?: StagedWhere) => {
    if (!where) return items;
    const i = columnIndex(columns, where.column);
    return items.filter((it) => (row(it)[i] === null) === where.isNull);
  };
  return {
    items: pick,
    values: (column, where) => {
      const i = columnIndex(columns, column);
      return pick(where).map((it) => row(it)[i]);
    },
  };
}

export class SqliteStaging<R> implements Staging<R> {
  private next = 0;
  private readonly table: string;
  private readonly keysTable: string;
  private readonly rows: Inserter;
  private readonly keys: Inserter;

  /** The record's columns: `record` (JSON) unless the spec stages its own. */
  private readonly cols: string;
  private readonly cacheSize: number;

  /**
   * `shared`: the table is on the store's own connection, so a page can be written from it with one INSERT …
   * SELECT (StagedPage.table); not for a private database.
   */
  constructor(
    private readonly raw: Database.Database,
    private readonly columns?: StageColumns<R>,
    private readonly shared = false,
  ) {
    const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    this.table = `temp.stage_rows_${tag}`;
    this.keysTable = `temp.stage_keys_${tag}`;
    this.cols = columns ? columns.names.map((n) => `"${n}"`).join(', ') : 'record';
    raw.exec(`create temp table stage_rows_${tag} (idx integer primary key, file integer, sheet integer, row integer, bad integer not null default 0, ${this.cols})`);
    raw.exec(`create temp table stage_keys_${tag} (col text, key text, idx integer)`);
    // The staged rows are written once in order and read back a page at a time: a small page cache for the
    // temp database does (SQLite's default here is 16 MB, which the staging of a large sheet fills).
    this.cacheSize = raw.pragma('temp.cache_size', { simple: true }) as number;
    raw.pragma(`temp.cache_size = ${STAGING_CACHE_KIB}`);
    this.rows = new Inserter(raw, `insert into ${this.table} (idx, file, sheet, row, ${this.cols})`, 4 + (columns?.names.length ?? 1));
    this.keys = new Inserter(raw, `insert into ${this.keysTable} (col, key, idx)`, 3);
  }

  add(loc: StagedLoc, record: R, keys: { column: string; key: string }[]): void {
    const idx = this.next++;
    for (const k of keys) if (k.key) this.keys.push(k.column, k.key, idx);
    if (this.columns) this.rows.push(idx, loc.file, loc.sheet, loc.row, ...this.columns.toRow(record));
    else this.rows.push(idx, loc.file, loc.sheet, loc.row, JSON.stringify(record));
  }

  private flush(): void {
    this.raw.transaction(() => {
      this.rows.flush();
      this.keys.flush();
    })();
  }

  duplicates(): { column: string; key: string; items: { idx: number; loc: StagedLoc }[] }[] {
    this.flush();
    const rows = this.raw
      .prepare(
        `select k.col, k.key, r.idx, r.file, r.sheet, r.row
           from ${this.keysTable} k join ${this.table} r on r.idx = k.idx
          where (k.col, k.key) in (select col, key from ${this.keysTable} group by col, key having count(*) > 1)
          order by k.col, k.key, r.idx`,
      )
      .all() as { col: string; key: string; idx: number; file: number; sheet: number; row: number }[];
    const groups = new Map<string, { column: string; key: string; items: { idx: number; loc: StagedLoc }[] }>();
    for (const r of rows) {
      const g = `${r.col}\u0000${r.key}`;
      if (!groups.has(g)) groups.set(g, { column: r.col, key: r.key, items: [] });
      groups.get(g)!.items.push({ idx: r.idx, loc: { file: r.file, sheet: r.sheet, row: r.row } });
    }
    return [...groups.values()];
  }

  markBad(idxs: number[]): void {
    this.flush();
    const stmt = this.raw.prepare(`update ${this.table} set bad = 1 where idx = ?`);
    this.raw.transaction(() => {
      for (const i of idxs) stmt.run(i);
    })();
  }

  goodCount(): number {
    this.flush();
    return (this.raw.prepare(`select count(*) as n from ${this.table} where bad = 0`).get() as { n: number }).n;
  }

  *chunks(size = 5000): Generator<StagedItem<R>[]> {
    for (const page of this.pages(size)) yield page.items();
  }

  *pages(size = 5000): Generator<StagedPage<R>> {
    this.flush();
    // The last idx of each page: pages are ranges of idx, read as their user asks.
    const ends = this.raw.prepare(`select idx from (select idx, row_number() over (order by idx) as n from ${this.table} where bad = 0) where n % ? = 0 or idx = (select max(idx) from ${this.table} where bad = 0)`).pluck();
    const read = (select: string, from: number, to: number, where?: StagedWhere) =>
      this.raw
        .prepare(`select ${select} from ${this.table} where bad = 0 and idx between ? and ?${where ? ` and "${where.column}" is ${where.isNull ? '' : 'not '}null` : ''} order by idx`)
        .raw()
        .all(from, to) as unknown[][];
    let from = 0;
    for (const to of ends.all(size) as number[]) {
      const [a, b] = [from, to];
      from = to + 1;
      yield {
        items: (where) => {
          if (where) columnIndex(this.columns, where.column);
          return read(`idx, file, sheet, row, ${this.cols}`, a, b, where).map((r) => ({
            idx: r[0] as number,
            loc: { file: r[1] as number, sheet: r[2] as number, row: r[3] as number },
            record: this.columns ? this.columns.fromRow(r.slice(4)) : (JSON.parse(r[4] as string) as R),
          }));
        },
        values: (column, where) => {
          columnIndex(this.columns, column);
          return read(`"${column}"`, a, b, where).map((r) => r[0]);
        },
        table: this.shared ? { name: this.table, from: a, to: b } : undefined,
      };
    }
  }

  drop(): void {
    this.raw.exec(`drop table if exists ${this.table}; drop table if exists ${this.keysTable}`);
    this.raw.pragma(`temp.cache_size = ${this.cacheSize}`);
  }
}

/**
 * A batch of up to `limit` records waits in JavaScript, where writing it to the temp table and reading it
 * back cost more than checking it (a month's collection workbooks: tens of thousands of rows); a larger one
 * moves to the SQLite staging table when it passes the limit, so memory stays bounded.
 *
 * A record waits as itself and three numbers, with no object of its own: a wrapper, a place and a list of keys
 * for each of the 22,500 rows of the collection bench were three objects a row kept to the end of the import,
 * each copied by every young-generation collection it lived through and then promoted.
 */
export class MemoryFirstStaging<R> implements Staging<R> {
  private records: R[] = [];
  /** Each record's place: its file, sheet and row, three numbers a record, in the records' order. */
  private places: number[] = [];
  /** The keys that must be unique, of the records that have any, by index. */
  private keys = new Map<number, { column: string; key: string }[]>();
  /** Indexes of the records marked bad. */
  private bad = new Set<number>();
  private spilled: SqliteStaging<R> | undefined;

  constructor(
    private readonly raw: Database.Database,
    private readonly limit: number,
    private readonly columns?: StageColumns<R>,
    private readonly shared = false,
  ) {}

  private placeOf(idx: number): StagedLoc {
    const p = idx * 3;
    return { file: this.places[p]!, sheet: this.places[p + 1]!, row: this.places[p + 2]! };
  }

  add(loc: StagedLoc, record: R, keys: { column: string; key: string }[]): void {
    if (this.spilled) return this.spilled.add(loc, record, keys);
    const idx = this.records.length;
    this.records.push(record);
    this.places.push(loc.file, loc.sheet, loc.row);
    if (keys.length > 0) {
      const kept = keys.filter((k) => k.key);
      if (kept.length > 0) this.keys.set(idx, kept);
    }
    if (this.records.length <= this.limit) return;
    this.spilled = new SqliteStaging<R>(this.raw, this.columns, this.shared);
    for (const [idx, record] of this.records.entries()) this.spilled.add(this.placeOf(idx), record, this.keys.get(idx) ?? []);
    this.records = [];
    this.places = [];
    this.keys = new Map();
  }

  duplicates(): { column: string; key: string; items: { idx: number; loc: StagedLoc }[] }[] {
    if (this.spilled) return this.spilled.duplicates();
    const groups = new Map<string, { column: string; key: string; items: { idx: number; loc: StagedLoc }[] }>();
    // The map holds the indexes in the order they were added: row order.
    for (const [idx, keys] of this.keys) {
      for (const k of keys) {
        const g = `${k.column}\u0000${k.key}`;
        if (!groups.has(g)) groups.set(g, { column: k.column, key: k.key, items: [] });
        groups.get(g)!.items.push({ idx, loc: this.placeOf(idx) });
      }
    }
    // The order the temp table's query gives: by column, then key, then row.
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...groups.values()].filter((g) => g.items.length > 1).sort((a, b) => cmp(a.column, b.column) || cmp(a.key, b.key));
  }

  markBad(idxs: number[]): void {
    if (this.spilled) return this.spilled.markBad(idxs);
    for (const i of idxs) {
      if (i < 0 || i >= this.records.length) throw new Error(`staging: no staged row ${i}`);
      this.bad.add(i);
    }
  }

  goodCount(): number {
    if (this.spilled) return this.spilled.goodCount();
    return this.records.length - this.bad.size;
  }

  *chunks(size = 5000): Generator<StagedItem<R>[]> {
    if (this.spilled) return yield* this.spilled.chunks(size);
    let page: StagedItem<R>[] = [];
    for (let idx = 0; idx < this.records.length; idx++) {
      if (this.bad.has(idx)) continue;
      page.push({ idx, loc: this.placeOf(idx), record: this.records[idx]! });
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  *pages(size = 5000): Generator<StagedPage<R>> {
    if (this.spilled) return yield* this.spilled.pages(size);
    for (const items of this.chunks(size)) yield memoryPage(items, this.columns);
  }

  drop(): void {
    this.spilled?.drop();
    this.records = [];
    this.places = [];
    this.keys = new Map();
    this.bad = new Set();
  }
}

/** What Store.staging() takes: records up to `memoryRows` wait in memory; `columns`: how a record is staged. */
export interface StagingOptions<R> {
  memoryRows?: number;
  columns?: StageColumns<R>;
}

/** The staging area of a batch on a SQLite connection; `shared`: the store's own (StagedPage.table). */
export function stagingOn<R>(raw: Database.Database, opts: StagingOptions<R> | undefined, shared: boolean): Staging<R> {
  return opts?.memoryRows ? new MemoryFirstStaging<R>(raw, opts.memoryRows, opts.columns, shared) : new SqliteStaging<R>(raw, opts?.columns, shared);
}

/**
 * A staging area of its own: an anonymous SQLite database (a temporary file SQLite deletes on close), for
 * stores whose engine is elsewhere. The records stay on this machine and never cross the network twice.
 */
export function privateStaging<R>(opts?: StagingOptions<R>): Staging<R> {
  // Loaded here, when an import needs it: a server store opens without loading SQLite.
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  const raw = new Sqlite('', sqliteOptions());
  const inner = stagingOn<R>(raw, opts, false);
  const drop = inner.drop.bind(inner);
  inner.drop = () => {
    drop();
    raw.close();
  };
  return inner;
}
