/**
 * The PostgreSQL store: the tables live in the schema `xypz` of a server database, reached through one
 * connection per process (like the SQLite file's one connection). Writes are serialised by one advisory
 * lock (see Store.write); the acting account is the login (Store.account).
 */
import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import pg from 'pg';
import { DataError, NotFoundError, RuleError, XypzError } from '../../errors.js';
import { refuseVersion, registerEngine, registerServerOwner, stateOf, type MigrationState, type OpenOptions, type Store, type Tx } from '../engine.js';
import type { DB } from '../schema.js';
import { privateStaging } from '../staging.js';
import { clockToday, serverStampStatement, stampOf } from '../recording.js';
import { clientConfig, ClosingClient, parseTarget, serverError, type ServerTarget } from './connect.js';
import { READER_GROUP, SCHEMA, SCHEMA_COMMENT, WRITE_LOCK, WRITER_GROUP } from './constants.js';
import { SERVER_PLAN } from './migrations/index.js';

export interface Identity {
  /** session_user: the login the server authenticated. */
  login: string;
  /** The schema owner (or a member of its role): the maintenance connection. */
  maintenance: boolean;
}

export interface PgStore extends Store {
  readonly engine: 'postgres';
  readonly target: ServerTarget;
  identity(): Promise<Identity>;
}

/**
 * What the store's connections are opened with: search_path = xypz, and lock_timeout for the session (a
 * setting on the group roles would not reach their members): a statement waiting longer for a lock, the write
 * lock included, ends in the store's busy error.
 */
export function storeConnectionConfig(t: ServerTarget): pg.PoolConfig {
  return { ...clientConfig(t, { options: `-c search_path=${SCHEMA} -c lock_timeout=${t.lockTimeoutMs}` }), Client: ClosingClient };
}

/**
 * The store's connection: one client at a time, search_path = xypz, lock_timeout, the server's errors as the
 * store's. The client comes from a pool of one of the store's own, or from the caller's source
 * (OpenOptions.serverConnections), which keeps it when the store closes.
 */
function connect(t: ServerTarget, opts: OpenOptions = {}): Kysely<DB> {
  const config = storeConnectionConfig(t);
  const kept = opts.serverConnections?.(config, t.password);
  const own = kept ? undefined : new pg.Pool({ ...config, max: 1 });
  own?.on('error', () => undefined); // an idle connection dropped by the server: the next query says so
  const source = kept ?? own!;
  // One client at a time, as a pool of one gives: the next waits until the last is released.
  let turn: Promise<void> = Promise.resolve();
  const wrapped: PostgresPool = {
    async connect() {
      const previous = turn;
      let done!: () => void;
      turn = new Promise<void>((resolve) => (done = resolve));
      await previous;
      let client: pg.PoolClient;
      try {
        client = await source.connect();
      } catch (e) {
        done();
        throw serverError(e, t);
      }
      return {
        // Statements sent together (one round trip) give pg's result of each; kysely reads the last one's.
        query: ((text: string, params: unknown[]) =>
          client.query(text, params).then(
            (r: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(r) ? r.at(-1) : r),
            (e: unknown) => {
              throw serverError(e, t);
            },
          )) as never,
        release: (destroy?: boolean) => {
          client.release(destroy);
          done();
        },
      };
    },
    end: () => own?.end() ?? Promise.resolve(),
  };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: wrapped }) });
}

/**
 * The first statements of every write: the write lock (waited for up to the session's lock_timeout); where each id sequence stands (so that a failed
 * write can give its ids back: sequences do not roll back, SQLite's do, and ids must not depend on the
 * engine); a savepoint to undo the work to while keeping the lock.
 *
 * The audit triggers run at commit for a login (its context is set when its entries are known); the schema
 * owner's run after each statement, so that its migrations and bulk loads may alter or index a table they
 * have just written (PostgreSQL refuses that while trigger events are pending). `grouped`: whether the session's
 * login is a member of a group (known when the store was opened), else asked of the server.
 */
function beginWrite(grouped: boolean | undefined): string {
  const immediate =
    grouped === undefined
      ? `do $$ begin
     if not exists (select from pg_auth_members m join pg_roles g on g.oid = m.roleid
                     where m.member = (select oid from pg_roles where rolname = session_user) and g.rolname in ('${WRITER_GROUP}', '${READER_GROUP}')) then
       execute 'set constraints all immediate';
     end if;
   end $$`
      : grouped
        ? []
        : 'set constraints all immediate';
  return [
    'begin',
    `select pg_advisory_xact_lock(${WRITE_LOCK})`,
    immediate,
    `select set_config('xypz_store.ids_at_start', coalesce((select json_object_agg(sequencename, last_value) from pg_sequences where schemaname = current_schema()), '{}')::text, true)`,
    'savepoint work',
  ]
    .flat()
    .join('; ');
}

/** After a failed write: undo its work but keep the lock, give back the ids its inserts took, then end the transaction. */
async function undo(conn: Tx): Promise<void> {
  try {
    await sql.raw(`rollback to savepoint work; do $$ begin if to_regprocedure('restore_identities()') is not null then perform restore_identities(); end if; end $$`).execute(conn);
  } finally {
    await sql.raw('rollback').execute(conn);
  }
}

function wrap(t: ServerTarget, db: Kysely<DB>, today: () => string, opened?: Opened): PgStore {
  registerEngine(db, 'postgres');
  let identity: Promise<Identity> | undefined = opened && Promise.resolve(opened.identity);
  const store: PgStore = {
    engine: 'postgres',
    path: t.label,
    target: t,
    db,
    staging: (opts) => privateStaging(opts),
    identity: () => (identity ??= readIdentity(db)),
    async account(named, given) {
      const id = await store.identity();
      if (id.maintenance) return named;
      if (given && named.trim().toLowerCase() !== id.login) {
        throw new RuleError(`已以数据库账号 ${id.login} 登录，不能以 ${named.trim()} 的身份操作（--actor / XYPZ_ACTOR 须与登录账号一致，或不指定）`, [], [], 'actor_mismatch');
      }
      return id.login;
    },
    read: (fn) =>
      db.connection().execute(async (conn) => {
        registerEngine(conn, 'postgres');
        await sql.raw('begin isolation level repeatable read read only').execute(conn);
        try {
          const result = await fn(conn);
          await sql.raw('commit').execute(conn);
          return result;
        } catch (e) {
          await sql.raw('rollback').execute(conn).catch(() => undefined);
          throw e;
        }
      }),
    write: (fn, opts) =>
      db.connection().execute(async (conn) => {
        registerEngine(conn, 'postgres');
        if (opened) registerServerOwner(conn, opened.identity.maintenance);
        // The stamp of the write, for the stamping triggers (migration 0018_recorded), with its first statements.
        await sql.raw(`${beginWrite(opened?.grouped)}; ${serverStampStatement(stampOf(opts?.today ?? today()))}`).execute(conn);
        let result;
        let done;
        try {
          result = await fn(conn);
          // The server's deferred checks (a login's audit entries, its late entries: 0015, 0019) run before the
          // commit, in its round trip, rather than at commit: a refusal stops the statements there, the commit
          // included, and is undone like any other failed write (its ids given back).
          done = await sql.raw('set constraints all immediate; commit').execute(conn);
        } catch (e) {
          await undo(conn).catch(() => undefined);
          throw e;
        }
        if ((done.rows[0] as { command?: string } | undefined)?.command === 'ROLLBACK') throw new XypzError('数据库事务未能提交，改动已撤销');
        return result;
      }),
    close: () => db.destroy(),
  };
  return store;
}

async function readIdentity(db: Kysely<DB>): Promise<Identity> {
  const r = await sql<{ login: string; maintenance: boolean | null }>`
    select session_user::text as login,
           (select pg_has_role(session_user, nspowner, 'MEMBER') from pg_namespace where nspname = ${SCHEMA}) as maintenance`.execute(db);
  const row = r.rows[0]!;
  return { login: row.login, maintenance: row.maintenance === true };
}

/** The applied migrations of the schema, against this program's list. */
export async function pgMigrationState(db: Kysely<DB>): Promise<MigrationState> {
  const has = await sql<{ ok: boolean }>`select to_regclass(${`${SCHEMA}.kysely_migration`}) is not null as ok`.execute(db);
  const applied = has.rows[0]?.ok
    ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name)
    : [];
  return stateOf(applied, SERVER_PLAN);
}

export async function pgHasTable(db: Kysely<DB>, name: string): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select to_regclass(${`${SCHEMA}.${name}`}) is not null as ok`.execute(db);
  return r.rows[0]?.ok === true;
}

/** What the server database holds: no xypz schema, ours, or a schema of that name made by something else. */
async function schemaKind(db: Kysely<DB>): Promise<'none' | 'ours' | 'foreign'> {
  const r = await sql<{ comment: string | null }>`
    select obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = ${SCHEMA}`.execute(db);
  if (r.rows.length === 0) return 'none';
  return r.rows[0]!.comment === SCHEMA_COMMENT ? 'ours' : 'foreign';
}

function foreignSchema(t: ServerTarget): DataError {
  return new DataError(`${t.label} 中的 schema ${SCHEMA} 不是本程序创建的，未做任何改动`);
}

/** What opening a server database learns in one round trip (openPgStore). */
interface Opened {
  identity: Identity;
  /** Whether the login is a member of a group (xypz_writer or xypz_reader): its audit triggers wait for the commit. */
  grouped: boolean;
}

/**
 * Everything opening needs to know, asked in one statement: whether the schema is ours, the applied migrations,
 * who the session is. It names the migrations' table, so it fails where that table is missing or out of the
 * login's reach; undefined then, and opening asks step by step (and says what is wrong).
 */
async function openingFacts(db: Kysely<DB>): Promise<(Opened & { kind: 'ours' | 'foreign'; applied: string[] }) | undefined> {
  try {
    const r = await sql<{ comment: string | null; applied: string[] | null; login: string; maintenance: boolean | null; grouped: boolean }>`
      select obj_description(n.oid, 'pg_namespace') as comment,
             (select array_agg(name order by name) from ${sql.id(SCHEMA, 'kysely_migration')}) as applied,
             session_user::text as login,
             pg_has_role(session_user, n.nspowner, 'MEMBER') as maintenance,
             exists (select from pg_auth_members m join pg_roles g on g.oid = m.roleid
                      where m.member = (select oid from pg_roles where rolname = session_user) and g.rolname in (${WRITER_GROUP}, ${READER_GROUP})) as grouped
        from pg_namespace n where n.nspname = ${SCHEMA}`.execute(db);
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      kind: row.comment === SCHEMA_COMMENT ? 'ours' : 'foreign',
      applied: row.applied ?? [],
      identity: { login: row.login, maintenance: row.maintenance === true },
      grouped: row.grouped,
    };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === '42P01' || code === '3F000' || code === 'privilege') return undefined;
    throw e;
  }
}

/** Opens the xypz schema of a server database; refuses a missing or foreign schema and a newer one. */
export async function openPgStore(url: string, opts: OpenOptions = {}): Promise<PgStore> {
  const t = parseTarget(url, opts);
  const db = connect(t, opts);
  try {
    const facts = await openingFacts(db);
    const kind = facts?.kind ?? (await schemaKind(db));
    if (kind === 'none') {
      throw new NotFoundError(`数据库 ${t.label} 中还没有 xypz 的数据（没有 schema ${SCHEMA}）。请先运行 xypz init 创建（可用 --db 或环境变量 XYPZ_DB 指定其他数据库）`);
    }
    if (kind === 'foreign') throw foreignSchema(t);
    refuseVersion(t.label, facts ? stateOf(facts.applied, SERVER_PLAN) : await pgMigrationState(db), opts.allowPending);
    return wrap(t, db, clockToday(opts.env), facts);
  } catch (e) {
    await db.destroy();
    throw e;
  }
}

export async function pgDatabaseExists(url: string, opts: OpenOptions = {}): Promise<boolean> {
  const t = parseTarget(url, opts);
  const db = connect(t, opts);
  try {
    return (await schemaKind(db)) !== 'none';
  } catch (e) {
    if (e instanceof NotFoundError) return false; // no such database on the server: init will say so
    throw e;
  } finally {
    await db.destroy();
  }
}

/**
 * A store whose writes all join the transaction `tx` is part of: for filling a schema created in that
 * same transaction, so that creating and filling are one.
 */
export function within(store: PgStore, tx: Tx): Store {
  return {
    ...store,
    db: tx,
    read: (fn) => fn(tx),
    write: async (fn, opts) => {
      if (opts?.today) await sql.raw(serverStampStatement(stampOf(opts.today))).execute(tx);
      return fn(tx);
    },
  };
}

/**
 * Creates the xypz schema (tables, access of the groups) and fills it, in one transaction: a failure
 * leaves the server database as it was.
 */
export async function createPgDatabase(url: string, fill: (store: Store) => Promise<void>, opts: OpenOptions = {}): Promise<void> {
  const t = parseTarget(url, opts);
  const store = wrap(t, connect(t, opts), clockToday(opts.env));
  try {
    await store.write(async (tx) => {
      await createSchema(store, tx);
      await fill(within(store, tx));
    });
  } finally {
    await store.close();
  }
}

/** The schema, its tables and its grants, inside the caller's write. */
export async function createSchema(store: PgStore, tx: Tx): Promise<void> {
  const kind = await schemaKind(tx);
  if (kind === 'foreign') throw foreignSchema(store.target);
  if (kind === 'ours') throw new RuleError(`数据库 ${store.target.label} 中已有 xypz 的数据，未做任何改动`, [], [], 'exists');
  await sql.raw(`create schema ${SCHEMA}; comment on schema ${SCHEMA} is '${SCHEMA_COMMENT}'`).execute(tx);
  const { applyMigrations } = await import('./migrate.js');
  await applyMigrations(tx, SCHEMA);
}

/** db migrate on a server: pending migrations and the groups' access, in one write. */
export async function migratePg(store: Store): Promise<string[]> {
  const { applyMigrations } = await import('./migrate.js');
  return store.write((tx) => applyMigrations(tx, SCHEMA));
}
