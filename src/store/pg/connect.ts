/**
 * Connecting to a PostgreSQL server from a `postgres://` URL, the way psql would: the password from the
 * URL, else PGPASSWORD, else the password file (PGPASSFILE or ~/.pgpass); user, host, port and database
 * default from PGUSER, PGHOST, PGPORT, PGDATABASE and the operating-system user; how long to wait for the
 * server to answer from the URL's connect_timeout, else PGCONNECT_TIMEOUT (whole seconds, at least 2 as in
 * libpq; 0 waits as long as it takes), else CONNECT_TIMEOUT_S. Values come from the
 * environment the CLI was given (never read here from process.env), so tests pass their own.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { busyError, DataError, NotFoundError, RuleError, UsageError, XypzError } from '../../errors.js';
import { BUSY_TIMEOUT_MS, displayTarget, type OpenOptions } from '../engine.js';
import { LATE_ENTRY_STATE } from './constants.js';

export interface ServerTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** undefined: none found (the server may not ask for one). */
  password: string | undefined;
  ssl: pg.ClientConfig['ssl'];
  /** The URL without its password, for messages. */
  label: string;
  /** lock_timeout of the connection (ms): how long a statement waits for a lock, the write lock included. */
  lockTimeoutMs: number;
  /** How long connecting waits for the server to answer (seconds; 0: no limit). */
  connectTimeoutS: number;
}

const DEFAULT_SOCKET_DIR = '/var/run/postgresql';

/** How long connecting waits for a server that does not answer, unless the URL or PGCONNECT_TIMEOUT says otherwise. */
export const CONNECT_TIMEOUT_S = 15;

/** The longest wait a Node timer can keep (about 24.8 days); a longer one would fire at once. */
const LONGEST_TIMEOUT_S = Math.floor(0x7fffffff / 1000);

/** connect_timeout as libpq reads it: whole seconds; 1 is taken as 2; 0 (or less) means no limit, as does more than a timer can wait. */
function connectTimeout(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return CONNECT_TIMEOUT_S;
  if (!/^\s*-?\d+\s*$/.test(text)) throw new UsageError(`连接超时（connect_timeout 或 PGCONNECT_TIMEOUT）「${text}」无效：应为整数秒数`);
  const n = Number(text);
  return n <= 0 || n > LONGEST_TIMEOUT_S ? 0 : Math.max(2, n);
}

export function parseTarget(url: string, opts: OpenOptions = {}): ServerTarget {
  const env = opts.env ?? {};
  let c: ReturnType<typeof parse>;
  try {
    c = parse(url.trim());
  } catch (e) {
    throw new UsageError(`数据库连接地址「${displayTarget(url)}」无法解析（${(e as Error).message}）：应为 postgres://用户@主机:端口/数据库`);
  }
  const host = c.host || env.PGHOST || DEFAULT_SOCKET_DIR;
  const portText = c.port || env.PGPORT || '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UsageError(`数据库连接地址中的端口「${portText}」无效`);
  const user = c.user || env.PGUSER || opts.osUser?.() || 'postgres';
  const database = c.database || env.PGDATABASE || user;
  const password = c.password !== undefined && c.password !== '' ? c.password : env.PGPASSWORD || passFileEntry(env, host, port, database, user);
  const lockTimeoutMs = Math.round(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS.postgres);
  const connectTimeoutS = connectTimeout((c as { connect_timeout?: string }).connect_timeout ?? env.PGCONNECT_TIMEOUT);
  return { host, port, user, database, password, ssl: c.ssl as pg.ClientConfig['ssl'], label: displayTarget(url.trim()), lockTimeoutMs, connectTimeoutS };
}

/** One `host:port:database:user:password` line of a password file, with `*` and `\:` / `\\` escapes. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) cur += line[++i];
    else if (ch === ':' && out.length < 4) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The password file's entry for this connection, as libpq finds it (first match; ignored unless private). */
function passFileEntry(env: Record<string, string | undefined>, host: string, port: number, database: string, user: string): string | undefined {
  const file = env.PGPASSFILE || (env.HOME ? join(env.HOME, '.pgpass') : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0) return undefined; // libpq ignores a password file others can read
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const hosts = host.startsWith('/') ? [host, 'localhost'] : [host];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const f = fields(raw);
    if (f.length !== 5) continue;
    const [h, p, d, u, pw] = f as [string, string, string, string, string];
    const match = (pattern: string, value: string) => pattern === '*' || pattern === value;
    if (hosts.some((x) => match(h, x)) && match(p, String(port)) && match(d, database) && match(u, user)) return pw;
  }
  return undefined;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * bigint, count(*) and sum(...) arrive from pg as text; here, and only here, they become numbers. Every
 * integer the program stores (ids, cents, flags) and every count and sum of them is far below 2^53, so a
 * value beyond it is refused rather than silently rounded.
 */
function toNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n))) {
    throw new XypzError(`数据库返回的数值 ${text} 超出了本程序能精确表示的范围`);
  }
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? toNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function clientConfig(t: ServerTarget, extra: pg.ClientConfig = {}): pg.ClientConfig {
  return {
    host: t.host,
    port: t.port,
    user: t.user,
    database: t.database,
    // Asked for only when the server wants one.
    password: async () => {
      if (t.password === undefined) {
        throw new RuleError(`服务器要求数据库账号 ${t.user} 的口令：请在连接地址中给出，或设置环境变量 PGPASSWORD，或写入 ~/.pgpass（权限 0600）`, [], [], 'password_required');
      }
      return t.password;
    },
    ssl: t.ssl,
    types,
    application_name: 'xypz',
    connectionTimeoutMillis: t.connectTimeoutS * 1000,
    ...extra,
  };
}

/**
 * PostgreSQL's errors as the store's: the ones a user can act on (no server, wrong password, no such
 * database, a privilege missing, a lock held too long) become one Chinese line; others pass unchanged.
 */
export function serverError(e: unknown, t: ServerTarget): unknown {
  if (e instanceof XypzError || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  const where = `${t.host.startsWith('/') ? `本机（${t.host}）` : t.host}:${t.port}`;
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOENT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RuleError(`无法连接数据库服务器 ${where}（${code}）：请确认服务器已启动、地址和端口正确`, [], [], 'server_unreachable');
    case '28P01':
    case '28000':
      return new RuleError(`数据库服务器拒绝了账号 ${t.user} 的登录（口令错误、账号已停用或不允许从本机登录）`, [], [], 'login_refused');
    case '3D000':
      return new NotFoundError(`数据库服务器 ${where} 上没有数据库 ${t.database}：请数据库管理员先创建（createdb ${t.database}）`);
    case '42501':
      return new RuleError(`数据库账号 ${t.user} 没有执行此操作的权限：改动表结构、检查和恢复须用维护连接（schema 所有者的账号），其他操作请数据库管理员授权（服务器的说明：${e.message}）`, [], [], 'privilege');
    case LATE_ENTRY_STATE: // the server's late-entry rule, its message as it gave it
      return new DataError(e.message);
    case '55P03': // lock_not_available: lock_timeout ran out (the write lock, or a row another session holds)
    case '57014': // query_canceled
      return busyError();
    case '53100':
      return new RuleError('数据库服务器的磁盘空间不足：本次改动已撤销，数据库保持原状；请联系数据库管理员', [], [], 'disk_full');
    case '25006':
      return new RuleError(`数据库服务器 ${where} 只能读取（只读的备用服务器）：查询类命令照常可用；修改数据请连接主服务器`, [], [], 'read_only');
    case '57P01':
    case '57P03':
      return new RuleError(`数据库服务器 ${where} 正在关闭或启动，请稍后重试`, [], [], 'server_unavailable');
  }
  if (e.message.includes('connection timeout')) {
    return new RuleError(`连接数据库服务器 ${where} 超时（${t.connectTimeoutS} 秒内没有应答）：请确认该地址和端口是 PostgreSQL 服务器、网络畅通`, [], [], 'server_unreachable');
  }
  if (e.message.includes('Connection terminated')) {
    return new RuleError(`与数据库服务器 ${where} 的连接中断：请稍后重试`, [], [], 'server_unavailable');
  }
  return e;
}

/**
 * pg's client, closing its socket when connecting fails on this side (a password the server asked for
 * and none was found): pg leaves it open, and the process would wait for the server's timeout to exit.
 */
export class ClosingClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: (err: Error | null, c?: pg.Client) => void): void;
  override connect(callback?: (err: Error | null, c?: pg.Client) => void): Promise<pg.Client> | void {
    const close = () => (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    if (!callback) {
      return super.connect().catch((e: unknown) => {
        close();
        throw e;
      });
    }
    super.connect((err: Error | null) => {
      if (err) close();
      callback(err, this);
    });
  }
}

