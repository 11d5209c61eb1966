/**
 * The SQLite store: validation of the file, pragmas, schema version, and write transactions.
 * SQLite-specific code stays in src/store/; nothing outside it sees the better-sqlite3 handle.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, linkSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, SqliteDialect, sql, type MigrationProvider, type SqliteDatabase } from 'kysely';
import { busyError, DataError, describeSystemError, NotFoundError, XypzError } from '../errors.js';
import { sweepStaleTemps, tempPathFor } from '../util/tempfiles.js';
import { MIGRATIONS, SCHEMA_VERSION, SQLITE_PLAN } from './migrations/index.js';
import type { DB } from './schema.js';
import { BUSY_TIMEOUT_MS, migrationResult, rawOf, refuseVersion, registerEngine, registerRaw, sqliteOf, stateOf, type MigrationState, type OpenOptions, type Store } from './engine.js';
import { stagingOn, type Staging } from './staging.js';
import { sqliteOptions } from './sqlite-binding.js';
import { clockToday, stampOf } from './recording.js';

export const APPLICATION_ID = 1482248282; // 'XYPZ'
const SQLITE_HEADER = 'SQLite format 3\u0000';

function notXypz(path: string, why: string): DataError {
  return new DataError(`${path} 不是有效的 xypz 数据库（${why}），文件未做任何改动`);
}

/** Reads the first bytes without opening the file as a database, so a text file is never touched. */
function checkHeader(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n === 0) throw notXypz(path, '文件为空');
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) throw notXypz(path, '不是 SQLite 文件');
  } finally {
    closeSync(fd);
  }
}

function applyPragmas(raw: Database.Database): void {
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
}

export function hasTable(store: Store, name: string): boolean {
  return sqliteOf(store).prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

export function migrationState(raw: Database.Database): MigrationState {
  const hasTable = raw.prepare("select 1 from sqlite_master where type='table' and name='kysely_migration'").get();
  const applied = hasTable
    ? (raw.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name)
    : [];
  return stateOf(applied, SQLITE_PLAN);
}

export { rawOf, sqliteOf };

const BUSY = /^SQLITE_(BUSY|LOCKED)(_|$)/;

/** The engine's "busy"/"locked" (another process held the lock past busy_timeout) as the store's error. */
export function engineError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BUSY.test(code) ? busyError() : e;
}

function translated<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw engineError(e);
  }
}

/**
 * A row maker for a statement's result columns: one object literal, compiled once per list of columns. better-sqlite3
 * builds each row object through V8's API one property at a time, about three times the cost of the same row read as an
 * array and made here (a case row of 28 columns: 10 µs against 4 µs), which a query of thousands of rows pays for each.
 * Names as better-sqlite3 gives them: a name twice keeps its first place and its last value, as there.
 */
const rowMakers = new Map<string, (values: unknown[]) => Record<string, unknown>>();
function rowMaker(names: string[]): (values: unknown[]) => Record<string, unknown> {
  const key = names.join('\u0000');
  let make = rowMakers.get(key);
  if (!make) {
    make = names.includes('__proto__')
      ? (v) => Object.fromEntries(names.map((n, i) => [n, v[i]]))
      : (new Function('v', `return { ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} };`) as (values: unknown[]) => Record<string, unknown>);
    rowMakers.set(key, make);
  }
  return make;
}

/** Statements a connection keeps prepared, by text: kysely asks for one per query, and preparing costs more than a small query. */
const KEPT_STATEMENTS = 256;

/**
 * The handle as kysely sees it: every statement's engine errors pass through engineError. A query's statement is
 * prepared once per connection and kept (a statement busy with an iteration is not shared: another is prepared);
 * its rows are read as arrays and made into objects by rowMaker.
 */
function translating(raw: Database.Database): SqliteDatabase {
  const kept = new Map<string, Database.Statement>();
  const statement = (text: string): Database.Statement => {
    let stmt = kept.get(text);
    if (stmt && !stmt.busy) return stmt;
    stmt = translated(() => raw.prepare(text));
    if (stmt.reader) stmt.raw(true);
    if (!kept.has(text)) {
      if (kept.size >= KEPT_STATEMENTS) kept.clear();
      kept.set(text, stmt);
    }
    return stmt;
  };
  return {
    close: () => raw.close(),
    prepare: (text) => {
      const stmt = statement(text);
      return {
        reader: stmt.reader,
        all: (params) =>
          translated(() => {
            // The columns asked after each run: a statement prepared before a schema change is prepared again
            // by SQLite when it runs, and only then does columns() describe the rows it returns.
            const rows = stmt.all(params) as unknown[][];
            const make = rowMaker(stmt.columns().map((c) => c.name));
            const out = new Array<Record<string, unknown>>(rows.length);
            for (let i = 0; i < rows.length; i++) out[i] = make(rows[i]!);
            return out;
          }),
        run: (params) => translated(() => stmt.run(params)),
        // kysely's streaming: a statement of its own, rows as objects
        iterate: (params) => translated(() => raw.prepare(text).iterate(params)),
      };
    },
  };
}

/**
 * The stamp of the write in progress, for the file's triggers (migration 0018_recorded): put in `recording`
 * when the write begins, taken out before it commits. A file not yet migrated that far has no such table.
 */
function startRecording(raw: Database.Database, stamp: string): boolean {
  if (raw.prepare("select 1 from sqlite_master where type = 'table' and name = 'recording'").get() === undefined) return false;
  raw.prepare('insert or replace into recording (id, stamp) values (1, ?)').run(stamp);
  return true;
}

/** The data file's page cache while an import batch is staged and written (negative: KiB). */
const IMPORT_CACHE_KIB = -4096;

/**
 * While an import's staging area exists, the data file's page cache is IMPORT_CACHE_KIB instead of SQLite's
 * default here (16 MB): a batch's rows are written once, mostly appended, and the larger cache only raised the
 * import's peak memory (200,000 accounts: about 12 MB more at the same speed). drop() puts it back.
 */
function importCache<R>(raw: Database.Database, staging: Staging<R>): Staging<R> {
  const before = raw.pragma('main.cache_size', { simple: true }) as number;
  raw.pragma(`main.cache_size = ${IMPORT_CACHE_KIB}`);
  const drop = staging.drop.bind(staging);
  staging.drop = () => {
    drop();
    raw.pragma(`main.cache_size = ${before}`);
  };
  return staging;
}

function wrap(path: string, raw: Database.Database, today: () => string = clockToday()): Store {
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: translating(raw) }) });
  registerRaw(db, raw);
  registerEngine(db, 'sqlite');
  return {
    engine: 'sqlite',
    path,
    db,
    staging: (opts) => importCache(raw, stagingOn(raw, opts, true)),
    account: async (named) => named,
    read: (fn) =>
      db.connection().execute(async (conn) => {
        registerRaw(conn, raw);
        registerEngine(conn, 'sqlite');
        await sql`begin`.execute(conn);
        try {
          return await fn(conn);
        } finally {
          if (raw.inTransaction) await sql`commit`.execute(conn);
        }
      }),
    write: (fn, opts) =>
      db.connection().execute(async (conn) => {
        registerRaw(conn, raw);
        registerEngine(conn, 'sqlite');
        const stamp = stampOf(opts?.today ?? today());
        await sql`begin immediate`.execute(conn);
        try {
          const recording = translated(() => startRecording(raw, stamp));
          const result = await fn(conn);
          if (recording) translated(() => raw.prepare('delete from recording').run());
          await sql`commit`.execute(conn);
          return result;
        } catch (e) {
          if (raw.inTransaction) await sql`rollback`.execute(conn);
          throw e;
        }
      }),
    close: async () => {
      await db.destroy(); // closes raw too
    },
  };
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function walHasContent(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * A read-only connection. A WAL database needs its -shm file; on read-only media (a CD, a write-protected
 * USB stick, a directory without write permission) that file cannot be created, so the database is read
 * into memory instead — the same bytes, marked as a rollback-journal file so SQLite accepts them without
 * -wal and -shm. That is only right when no -wal holds writes yet to be merged; then the error stands.
 */
function openReadOnly(path: string): Database.Database {
  const raw = new Database(path, sqliteOptions({ fileMustExist: true, readonly: true }));
  try {
    raw.pragma('application_id', { simple: true }); // the first read is where a missing -shm shows
    return raw;
  } catch (e) {
    raw.close();
    const code = (e as { code?: string }).code ?? '';
    if (!['SQLITE_CANTOPEN', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_CANTINIT'].includes(code) || walHasContent(path)) throw e;
    const bytes = readFileSync(path);
    bytes[18] = 1; // file format write/read versions: 1 = rollback journal, 2 = WAL
    bytes[19] = 1;
    return new Database(bytes, sqliteOptions({ readonly: true }));
  }
}

/**
 * Opens an existing xypz database; refuses missing files, non-xypz files and newer schemas. A database whose
 * file or directory cannot be written is opened read-only: reading commands work, writing ones are refused
 * (SQLITE_READONLY, explained by describeSystemError).
 */
export function openSqliteStore(path: string, opts: OpenOptions = {}): Store {
  if (!existsSync(path)) {
    throw new NotFoundError(`数据库 ${path} 不存在。请先运行 xypz init 创建（可用 --db 或环境变量 XYPZ_DB 指定其他文件）`);
  }
  checkHeader(path);
  const readonly = opts.readonly === true || !writable(path) || !writable(dirname(path));
  let raw: Database.Database;
  try {
    raw = readonly ? openReadOnly(path) : new Database(path, sqliteOptions({ fileMustExist: true }));
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notXypz(path, (e as Error).message);
    throw e;
  }
  try {
    raw.pragma(`busy_timeout = ${Math.round(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS.sqlite)}`);
    const appId = raw.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw notXypz(path, '不是本程序创建的数据库');
    refuseVersion(path, migrationState(raw), opts.allowPending);
    if (!readonly) applyPragmas(raw);
    return wrap(path, raw, clockToday(opts.env));
  } catch (e) {
    raw.close();
    if (e instanceof XypzError) throw e;
    const code = (e as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notXypz(path, (e as Error).message);
    throw engineError(e);
  }
}

/**
 * Creates a new database: built in a temporary file next to `path` (mode 0600), migrated and filled by
 * `fill`, closed, then linked into place. A crash leaves no half-made database behind: only a temporary
 * file, which the next run removes.
 */
export async function createSqliteDatabase(path: string, fill: (store: Store) => Promise<void>, opts: OpenOptions = {}): Promise<void> {
  sweepStaleTemps(dirname(path));
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'wx', 0o600);
  closeSync(fd);
  try {
    const raw = new Database(tmp, sqliteOptions({ fileMustExist: true }));
    raw.pragma('busy_timeout = 10000');
    applyPragmas(raw);
    const store = wrap(path, raw, clockToday(opts.env));
    try {
      await migrateSqlite(store);
      await fill(store);
      raw.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      await store.close();
    }
    linkSync(tmp, path); // fails if someone created `path` meanwhile: never overwrite
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

/** Puts a complete, closed database file in place of `path` (an older file there is replaced in one rename). */
export function replaceDatabase(tmp: string, path: string): void {
  for (const s of ['-wal', '-shm']) rmSync(path + s, { force: true });
  renameSync(tmp, path);
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies pending migrations in one immediate transaction (kysely runs SQLite migrations without one). */
export async function migrateSqlite(store: Store): Promise<string[]> {
  try {
    return await store.write(async (tx) => {
      const migrator = new Migrator({ db: tx as Kysely<unknown>, provider });
      const applied = migrationResult(await migrator.migrateToLatest());
      await sql.raw(`pragma user_version = ${SCHEMA_VERSION}`).execute(tx);
      return applied;
    });
  } catch (e) {
    if (e instanceof XypzError || describeSystemError(e)) throw e; // a full disk, a read-only file: said plainly by the CLI
    throw new XypzError(`数据库结构升级失败：${(e as Error).message}；数据库保持原状`);
  }
}
