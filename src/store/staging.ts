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

const ROWS_PER_INSERT = 100;

/** Inserts rows of `width` values through one multi-row statement (and a one-row one for the rest). */
class Inserter {
  private pending: unknown[] = [];
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
  }
  push(...values: unknown[]): number {
    this.pending.push(...values);
    return this.pending.length / this.width;
  }
  flush(): void {
    const v = this.pending;
    this.pending = [];
    const span = this.width * ROWS_PER_INSERT;
    let i = 0;
    for (; i + span <= v.length; i += span) this.many.run(v.slice(i, i + span));
    for (; i < v.length; i += this.width) this.one.run(v.slice(i, i + this.width));
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
  drop(): void;
}

export class SqliteStaging<R> implements Staging<R> {
  private next = 0;
  private readonly table: string;
  private readonly keysTable: string;
  private readonly rows: Inserter;
  private readonly keys: Inserter;

  constructor(private readonly raw: Database.Database) {
    const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    this.table = `temp.stage_rows_${tag}`;
    this.keysTable = `temp.stage_keys_${tag}`;
    raw.exec(`create temp table stage_rows_${tag} (idx integer primary key, file integer, sheet integer, row integer, bad integer not null default 0, record text)`);
    raw.exec(`create temp table stage_keys_${tag} (col text, key text, idx integer)`);
    this.rows = new Inserter(raw, `insert into ${this.table} (idx, file, sheet, row, record)`, 5);
    this.keys = new Inserter(raw, `insert into ${this.keysTable} (col, key, idx)`, 3);
  }

  add(loc: StagedLoc, record: R, keys: { column: string; key: string }[]): void {
    const idx = this.next++;
    for (const k of keys) if (k.key) this.keys.push(k.column, k.key, idx);
    if (this.rows.push(idx, loc.file, loc.sheet, loc.row, JSON.stringify(record)) >= 5000) this.flush();
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
    this.flush();
    const page = this.raw.prepare(`select idx, file, sheet, row, record from ${this.table} where bad = 0 and idx > ? order by idx limit ?`);
    let after = -1;
    for (;;) {
      const rows = page.all(after, size) as { idx: number; file: number; sheet: number; row: number; record: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.idx;
      yield rows.map((r) => ({ idx: r.idx, loc: { file: r.file, sheet: r.sheet, row: r.row }, record: JSON.parse(r.record) as R }));
    }
  }

  drop(): void {
    this.raw.exec(`drop table if exists ${this.table}; drop table if exists ${this.keysTable}`);
  }
}

/**
 * A batch of up to `limit` records waits in JavaScript, where writing it to the temp table and reading it
 * back cost more than checking it (a month's collection workbooks: tens of thousands of rows); a larger one
 * moves to the SQLite staging table when it passes the limit, so memory stays bounded.
 */
export class MemoryFirstStaging<R> implements Staging<R> {
  private items: { loc: StagedLoc; record: R; keys: { column: string; key: string }[]; bad: boolean }[] = [];
  private spilled: SqliteStaging<R> | undefined;

  constructor(
    private readonly raw: Database.Database,
    private readonly limit: number,
  ) {}

  add(loc: StagedLoc, record: R, keys: { column: string; key: string }[]): void {
    if (this.spilled) return this.spilled.add(loc, record, keys);
    this.items.push({ loc, record, keys: keys.filter((k) => k.key), bad: false });
    if (this.items.length <= this.limit) return;
    this.spilled = new SqliteStaging<R>(this.raw);
    for (const it of this.items) this.spilled.add(it.loc, it.record, it.keys);
    this.items = [];
  }

  duplicates(): { column: string; key: string; items: { idx: number; loc: StagedLoc }[] }[] {
    if (this.spilled) return this.spilled.duplicates();
    const groups = new Map<string, { column: string; key: string; items: { idx: number; loc: StagedLoc }[] }>();
    this.items.forEach((it, idx) => {
      for (const k of it.keys) {
        const g = `${k.column}\u0000${k.key}`;
        if (!groups.has(g)) groups.set(g, { column: k.column, key: k.key, items: [] });
        groups.get(g)!.items.push({ idx, loc: it.loc });
      }
    });
    // The order the temp table's query gives: by column, then key, then row.
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...groups.values()].filter((g) => g.items.length > 1).sort((a, b) => cmp(a.column, b.column) || cmp(a.key, b.key));
  }

  markBad(idxs: number[]): void {
    if (this.spilled) return this.spilled.markBad(idxs);
    for (const i of idxs) this.items[i]!.bad = true;
  }

  goodCount(): number {
    if (this.spilled) return this.spilled.goodCount();
    return this.items.filter((it) => !it.bad).length;
  }

  *chunks(size = 5000): Generator<StagedItem<R>[]> {
    if (this.spilled) return yield* this.spilled.chunks(size);
    let page: StagedItem<R>[] = [];
    for (const [idx, it] of this.items.entries()) {
      if (it.bad) continue;
      page.push({ idx, loc: it.loc, record: it.record });
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  drop(): void {
    this.spilled?.drop();
    this.items = [];
  }
}

/**
 * A staging area of its own: an anonymous SQLite database (a temporary file SQLite deletes on close), for
 * stores whose engine is elsewhere. The records stay on this machine and never cross the network twice.
 */
export function privateStaging<R>(opts?: { memoryRows?: number }): Staging<R> {
  // Loaded here, when an import needs it: a server store opens without loading SQLite.
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  const raw = new Sqlite('', sqliteOptions());
  const inner: Staging<R> = opts?.memoryRows ? new MemoryFirstStaging<R>(raw, opts.memoryRows) : new SqliteStaging<R>(raw);
  const drop = inner.drop.bind(inner);
  inner.drop = () => {
    drop();
    raw.close();
  };
  return inner;
}
