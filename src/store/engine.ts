/**
 * What every engine of the store shares: the Store interface the rest of the program sees, the options of
 * opening one, the migration state and its refusals, and which engine (and, for SQLite, which handle) runs
 * a kysely instance. The engines (sqlite.ts, pg/) import this file; db.ts opens them on demand, so no
 * engine imports db.ts and db.ts imports no engine statically (docs/layers.md: no import circles).
 */
import type Database from 'better-sqlite3';
import type { Kysely, MigrationResultSet } from 'kysely';
import type { PoolClient, PoolConfig } from 'pg';
import { RuleError, XypzError } from '../errors.js';
import type { Plan } from './migrations/plan.js';
import { versionOf } from './migrations/version.js';
import type { DB } from './schema.js';
import type { Staging, StagingOptions } from './staging.js';
import { isServerUrl } from './target.js';

export type Tx = Kysely<DB>;

/** What a write may say of its clock (the recorded stamps: src/store/recording.ts). */
export interface WriteOptions {
  /** The date the write's records are recorded on (YYYY-MM-DD); default: the store's clock. */
  today?: string;
}

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  readonly engine: Engine;
  /** The database as shown to people: the file's path, or the server's URL without its password. */
  readonly path: string;
  readonly db: Kysely<DB>;
  /**
   * Runs fn in a transaction that holds the database's one write lock from its first statement; commits if
   * fn returns, rolls back if it throws. A lock held elsewhere for too long ends in the store's own "database
   * busy" error, never the engine's.
   *
   * Writers are serialised: nothing else is written between fn's reads and its writes. SQLite gives this
   * with BEGIN IMMEDIATE; the PostgreSQL store takes one transaction-scoped advisory lock as the first
   * statement of every write (so, like SQLite, one writer at a time, and no serialization failures to
   * retry). These rules are checked by reading inside fn and hold only because of that:
   * - the recommendation quota per department, district and year (domain/intake/recommend.ts recordRecommendation);
   * - the district list's capacity, on every day from the meeting on (domain/pool/pool.ts confirmIntoPool);
   * - the audit chain: each entry hashes the one before it (store/audit.ts appendAudit);
   * - one open case per enterprise (domain/intake/recommend.ts recordRecommendation; a partial unique index backs it up);
   * - one lead bank per case at a time (domain/service/lead-bank.ts assignLeadBank).
   * Ids given out by a write that rolls back are given again (as SQLite does), on both engines.
   *
   * Every record the write makes or dates is stamped as recorded by this write (src/store/recording.ts): one
   * stamp for the whole write, its date `opts.today` or the store's clock (XYPZ_TODAY of the environment
   * the store was opened with, else the local date), its time the wall clock.
   */
  write<T>(fn: (tx: Tx) => Promise<T>, opts?: WriteOptions): Promise<T>;
  /**
   * Runs fn's reads against one state of the database: every statement sees the data as it stood at fn's
   * first read, whatever other processes commit meanwhile (SQLite: a read transaction on the WAL; PostgreSQL:
   * a REPEATABLE READ READ ONLY transaction). A report's figures come from several queries; read through
   * this, its district rows, bank rows and totals describe the same moment. fn must not write.
   */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A private area for one import's parsed records (never the data itself); drop() it when the batch ends.
   * With `memoryRows`, a batch of up to that many records stays in memory.
   */
  staging<R>(opts?: StagingOptions<R>): Staging<R>;
  /**
   * The account this connection acts as, given the one named by --actor / XYPZ_ACTOR (`given`) or the
   * default. A SQLite file has no logins: whoever can open it acts as the account named. On PostgreSQL a
   * login acts only as itself (naming another is refused, exit 4); the schema owner's maintenance
   * connection acts as the account named, like the owner of a file.
   */
  account(named: string, given: boolean): Promise<string>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** db migrate / check / backup may open a database with pending migrations. */
  allowPending?: boolean;
  /** Open for reading only (SQLite; also chosen by itself when the file or its directory cannot be written). */
  readonly?: boolean;
  /**
   * The environment a server connection takes its defaults from (PGPASSWORD, PGUSER, HOME for ~/.pgpass …);
   * its XYPZ_TODAY is the store's clock (the date of the recorded stamps).
   */
  env?: Record<string, string | undefined>;
  /** The operating-system user: the default login on a server, as with psql. */
  osUser?: () => string;
  /**
   * How long a statement waits for a lock another process holds before the store gives up with its busy
   * error (exit 4): SQLite's busy_timeout, PostgreSQL's lock_timeout (the write lock included). Default
   * BUSY_TIMEOUT_MS; the CLI takes XYPZ_BUSY_TIMEOUT_MS from its environment (tests wait a moment, not 10 s).
   */
  busyTimeoutMs?: number;
  /**
   * Where a server connection comes from. Undefined (the program): the store's own, opened with it and closed
   * with it. Tests that run many commands in one process pass a source that keeps some connections open
   * between commands (Seams.serverConnections).
   */
  serverConnections?: ServerConnections;
}

/**
 * Given the settings of a connection (and its password, undefined if none was found), somewhere to take it from
 * that outlives the store, or undefined: a connection of the store's own.
 */
export type ServerConnections = (config: PoolConfig, password: string | undefined) => { connect(): Promise<PoolClient> } | undefined;

/** The default wait for a lock held elsewhere: 10 s on a file (WAL writers hold it for milliseconds), 60 s on a server. */
export const BUSY_TIMEOUT_MS = { sqlite: 10_000, postgres: 60_000 } as const;

export { isServerUrl };

/** A database target as shown to people: a server URL loses its password. */
export function displayTarget(target: string): string {
  if (!isServerUrl(target)) return target;
  return target.replace(/^(postgres(?:ql)?:\/\/)([^@/?#]*)@/i, (_m, scheme: string, auth: string) => `${scheme}${auth.split(':')[0]}@`);
}

/** What `db check` finds, on either engine (maintenance.ts checkStore, pg/check.ts). */
export interface CheckResult {
  path: string;
  integrity: string[];
  foreign_key_errors: number;
  /** Differences from the schema the migrations define (extra or changed triggers, views, tables, indexes). */
  schema_problems: string[];
  schema_version: number;
  expected_version: number;
  pending: string[];
  /** The file's permission bits; null for a database on a server. */
  mode: string | null;
  warnings: string[];
}

export interface MigrationState {
  applied: string[];
  unknown: string[];
  pending: string[];
  /** The database's schema version: the number of the last migration it has applied. */
  version: number;
  /** The version this program makes on this engine (the number of the last migration of the engine's plan). */
  expected: number;
}

/** The applied migrations against this program's plan for the database's engine. */
export function stateOf(applied: string[], plan: Plan): MigrationState {
  const known = plan.entries.map((e) => e.name);
  return {
    applied,
    unknown: applied.filter((n) => !known.includes(n)),
    pending: known.filter((n) => !applied.includes(n)),
    version: versionOf(applied),
    expected: plan.version,
  };
}

/** Refuses a database made by a newer xypz, and one that needs `db migrate` unless that is allowed: the same words on both engines. */
export function refuseVersion(label: string, state: MigrationState, allowPending = false): void {
  if (state.unknown.length > 0) {
    throw new RuleError(`数据库 ${label} 由更新版本的 xypz 创建（含本版本不认识的结构变更 ${state.unknown.join('、')}），为免损坏数据拒绝打开；请升级 xypz`, [], [], 'schema_newer');
  }
  if (state.pending.length > 0 && !allowPending) {
    throw new RuleError(`数据库 ${label} 的结构版本较旧（${state.version}，本程序为 ${state.expected}）。请先备份（xypz db backup <文件>），再运行 xypz db migrate`, [], [], 'schema_older');
  }
}

/** kysely's migrator outcome: the names applied, or the store's error naming the migration that failed. */
export function migrationResult({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new XypzError(`数据库结构升级失败${failed ? `（${failed.migrationName}）` : ''}：${(error as Error).message ?? String(error)}；数据库保持原状`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Which engine runs a kysely instance (the store's, or a write's transaction): for the store's own engine-specific SQL. */
const engines = new WeakMap<Kysely<DB>, Engine>();

export function registerEngine(db: Kysely<DB>, engine: Engine): void {
  engines.set(db, engine);
}

export function engineOf(db: Kysely<DB>): Engine {
  const e = engines.get(db);
  if (!e) throw new Error('engineOf: a kysely instance not made by a store');
  return e;
}

/**
 * On a server: whether a write's connection is the schema owner's (the maintenance connection), where the store
 * learnt it when it opened (the session's login does not change); the audit log asks the server otherwise.
 */
const serverOwners = new WeakMap<Kysely<DB>, boolean>();

export function registerServerOwner(db: Kysely<DB>, owner: boolean): void {
  serverOwners.set(db, owner);
}

export function serverOwnerOf(db: Kysely<DB>): boolean | undefined {
  return serverOwners.get(db);
}

/**
 * The better-sqlite3 handle behind a SQLite store's kysely instance (or one of its transactions): for the bulk
 * paths that reuse prepared statements and for whole-file maintenance, in src/store/ only. Kept here, not in
 * sqlite.ts, so that code asking "is there a handle?" on a server does not load the SQLite engine.
 */
const rawConnections = new WeakMap<Kysely<DB>, Database.Database>();

export function registerRaw(db: Kysely<DB>, raw: Database.Database): void {
  rawConnections.set(db, raw);
}

export function rawOf(db: Kysely<DB>): Database.Database | undefined {
  return rawConnections.get(db);
}

/** The better-sqlite3 handle behind a SQLite store. */
export function sqliteOf(store: Store): Database.Database {
  return rawConnections.get(store.db)!;
}
