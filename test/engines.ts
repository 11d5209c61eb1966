/**
 * The engine a test file runs on (the vitest project sets XYPZ_TEST_ENGINE=pg for the PostgreSQL one), and
 * what a sandbox needs of it: a fresh database (a file name, or a new database on the test cluster, dropped
 * at cleanup) and raw SQL underneath xypz, as someone with the database in hand could run it.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { closeServerConnections, keptClient } from './server-connections.js';

export type TestEngine = 'sqlite' | 'pg';

export const ENGINE: TestEngine = process.env.XYPZ_TEST_ENGINE === 'pg' ? 'pg' : 'sqlite';

/** The test cluster's superuser connection (postgres database). */
export function adminUrl(): string {
  const url = inject('pgAdminUrl');
  if (!url) throw new Error('no PostgreSQL test server: run this file in the pg project (npm run test:pg)');
  return url;
}

/** The URL of database `name` on the test cluster, as its superuser (or `user`/`password`). */
export function databaseUrl(name: string, user?: { name: string; password: string }): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  if (user) {
    u.username = user.name;
    u.password = user.password;
  }
  return u.toString();
}

function psql(sql: string): void {
  const r = spawnSync('psql', [adminUrl(), '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
}

let created = 0;
const newName = () => `xypz_t_${process.pid}_${++created}_${randomBytes(3).toString('hex')}`;

/** A new, empty database on the test cluster (the worker's spare if it is ready, else one made now); returns its URL. */
export function createServerDatabase(): string {
  const spare = spares.get('empty');
  if (spare?.ready) {
    makeSpare('empty');
    return databaseUrl(spare.name);
  }
  const name = newName();
  psql(`create database ${name} strategy file_copy`);
  if (!spare) makeSpare('empty');
  return databaseUrl(name);
}

/**
 * This worker's connection to the cluster's `postgres` database, for creating and dropping databases
 * without starting psql each time. Opened on first use; the worker's end closes it. One statement at a time
 * (`adminQuery`): a client given a query while another runs only queues it, and pg 9 will refuse it.
 */
let admin: Promise<pg.Client> | undefined;
let adminTurn: Promise<unknown> = Promise.resolve();
function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
  admin ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    client.on('error', () => {});
    await client.connect();
    return client;
  })();
  const client = admin;
  const run = adminTurn.then(async () => (await client).query<T>(text, params));
  adminTurn = run.catch(() => undefined);
  return run;
}

type Kind = 'empty' | 'init' | 'demo';

/**
 * The next sandbox's database of each kind, made while the current test runs (one spare per kind and worker):
 * a test then waits for its copy only when it follows the last at once. Its connection is not opened ahead:
 * opening and warming the schema owner's kept connection to the spare in the background (so that the first
 * command finds a server process with warm caches) was measured on nine files of small tests and made them no
 * faster, and the server's CPU ~5% higher. The workers and the server already keep both cores busy there.
 */
const spares = new Map<Kind, { name: string; made: Promise<void>; ready: boolean }>();

function makeSpare(kind: Kind): { name: string; made: Promise<void>; ready: boolean } {
  const name = newName();
  const from = kind === 'empty' ? '' : ` template ${inject('pgTemplates')[kind]}`;
  const spare = { name, ready: false, made: Promise.resolve() };
  spare.made = (kind === 'empty' ? Promise.resolve() : templateBuilt(kind))
    .then(() => adminQuery(`create database ${name}${from} strategy file_copy`))
    .then(() => void (spare.ready = true));
  spare.made.catch(() => {}); // awaited (and reported) by the test that takes it
  spares.set(kind, spare);
  return spare;
}

const built = new Map<'init' | 'demo', Promise<void>>();

/**
 * Waits until the run's template of `kind` is built: the setup builds them while the first files run and
 * marks each a template when done (test/pg-setup.ts); a build that failed is reported here, with its reason.
 */
function templateBuilt(kind: 'init' | 'demo'): Promise<void> {
  let wait = built.get(kind);
  if (!wait) {
    const { [kind]: name, failed } = inject('pgTemplates');
    wait = (async () => {
      for (;;) {
        if (existsSync(failed)) throw new Error(`the PostgreSQL template databases were not built: ${readFileSync(failed, 'utf8')}`);
        const { rows } = await adminQuery<{ ready: boolean }>('select datistemplate as ready from pg_database where datname = $1', [name]);
        if (rows[0]?.ready) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    built.set(kind, wait);
  }
  return wait;
}

/**
 * A copy of one of the run's template databases (test/pg-setup.ts), made by copying its files: a fraction
 * of running init or demo again. Returns its URL.
 */
export async function cloneServerDatabase(template: 'init' | 'demo'): Promise<string> {
  const spare = spares.get(template) ?? makeSpare(template);
  makeSpare(template);
  await spare.made;
  return databaseUrl(spare.name);
}

/**
 * Drops a test's database without waiting for it: nothing reads it again, and the cluster itself is
 * removed at the end of the run. The connections kept to it are closed first.
 */
export function dropServerDatabase(url: string): void {
  const name = new URL(url).pathname.slice(1);
  void closeServerConnections(name)
    .then(() => adminQuery(`drop database if exists ${name} with (force)`))
    .catch(() => {});
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/**
 * Runs `fn` with one connection to a server database, in the schema xypz; `?` placeholders as on SQLite. The
 * superuser's connection is one kept between calls (test/server-connections.ts); another login's is its own.
 */
async function withServer<R>(url: string, fn: (query: <T>(text: string, params?: unknown[]) => Promise<T[]>) => Promise<R>): Promise<R> {
  const u = new URL(url);
  const config: pg.ClientConfig = {
    host: u.hostname,
    port: Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    options: '-c search_path=xypz',
    types,
  };
  const leased = await keptClient(config);
  const client = leased ?? new pg.Client(config);
  if (!leased) await client.connect();
  try {
    return await fn(async <T>(text: string, params: unknown[] = []) => {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    });
  } finally {
    if (leased) leased.release();
    else await client.end();
  }
}

/** Runs one statement on a server database, in the schema xypz; `?` placeholders as on SQLite. */
export function serverQuery<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  return withServer(url, (query) => query<T>(text, params));
}

/** Runs one statement on a SQLite file. */
export function fileQuery<T>(path: string, text: string, params: unknown[] = []): T[] {
  const raw = new Database(path);
  try {
    const stmt = raw.prepare(text);
    if (stmt.reader) return stmt.all(...params) as T[];
    stmt.run(...params);
    return [];
  } finally {
    raw.close();
  }
}

/** Raw SQL on the sandbox's database (whichever engine), and edits that get past the audit log's protection. */
export interface Underneath {
  /** The environment that names this database to a spawned CLI (none for ./xypz.db, the default). */
  env: Record<string, string>;
  exists(): Promise<boolean>;
  /** A digest of everything the database holds: equal before and after means nothing was written. */
  fingerprint(): Promise<string>;
  /** Whether another connection holds the write lock (a writer is inside its transaction). */
  writeLocked(): Promise<boolean>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs statements with the audit log's append-only protection off, as someone able to edit the
   * database could; `restore` puts the protection back afterwards.
   */
  tamper(statements: string[], opts?: { restore?: boolean }): Promise<void>;
  /** Sets the highest audit id the database remembers (what a deleted tail is seen by). */
  setAuditCounter(n: number): Promise<void>;
}

export function underneath(db: string): Underneath {
  if (ENGINE === 'pg') {
    return {
      env: { XYPZ_DB: db },
      exists: async () => (await serverQuery(db, "select 1 from pg_namespace where nspname = 'xypz'")).length > 0,
      // Every table of the schema with its columns, then in one statement each table's rows as text, sorted.
      fingerprint: async () => {
        const tables = await serverQuery<{ name: string; columns: string }>(
          db,
          `select c.relname as name, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum) as columns
             from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relnamespace = 'xypz'::regnamespace and c.relkind = 'r' group by c.relname order by c.relname`,
        );
        const hash = createHash('sha256');
        if (tables.length === 0) return hash.digest('hex');
        const rows = await serverQuery<{ i: number; rows: string | null }>(
          db,
          `${tables.map((t, i) => `select ${i} as i, (select string_agg(r::text, E'\\n' order by r::text) from xypz."${t.name.replaceAll('"', '""')}" r) as rows`).join(' union all ')} order by i`,
        );
        for (const [i, t] of tables.entries()) hash.update(`${t.name}(${t.columns}):\n${rows[i]?.rows ?? ''}\n`);
        return hash.digest('hex');
      },
      writeLocked: async () => {
        const [r] = await serverQuery<{ ok: boolean }>(db, 'select pg_try_advisory_lock(1482248282) as ok');
        if (r!.ok) await serverQuery(db, 'select pg_advisory_unlock(1482248282)');
        return !r!.ok;
      },
      sql: (text, params) => serverQuery(db, text, params),
      tamper: (statements, opts = {}) =>
        withServer(db, async (query) => {
          await query('alter table audit_log disable trigger user');
          for (const s of statements) await query(s);
          if (opts.restore) await query('alter table audit_log enable trigger user');
        }),
      setAuditCounter: async (n) => void (await serverQuery(db, 'update audit_log_counter set last_id = ?', [n])),
    };
  }
  return {
    env: {},
    exists: async () => existsSync(db),
    fingerprint: async () => (existsSync(db) ? createHash('sha256').update(readFileSync(db)).digest('hex') : 'none'),
    async writeLocked() {
      const probe = new Database(db);
      try {
        probe.pragma('busy_timeout = 0');
        probe.exec('begin immediate');
        probe.exec('rollback');
        return false;
      } catch (e) {
        if (/locked|busy/i.test(String(e))) return true;
        throw e;
      } finally {
        probe.close();
      }
    },
    sql: async (text, params) => fileQuery(db, text, params),
    async tamper(statements, opts = {}) {
      const raw = new Database(db);
      try {
        const triggers = raw.prepare("select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'").all() as { name: string; sql: string }[];
        for (const t of triggers) raw.exec(`drop trigger ${t.name}`);
        for (const s of statements) raw.exec(s);
        if (opts.restore) for (const t of triggers) raw.exec(t.sql);
        raw.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        raw.close();
      }
    },
    setAuditCounter: async (n) => void fileQuery(db, "update sqlite_sequence set seq = ? where name = 'audit_log'", [n]),
  };
}
