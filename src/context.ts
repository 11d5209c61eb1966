/**
 * The context every command receives. Only `createContext` reads process.env, the streams and the clock,
 * so tests build a context with their own streams, environment and date.
 */
import { displayTarget, isServerUrl, type OpenOptions, type ServerConnections, type Store } from './store/db.js';
import { UsageError } from './errors.js';
import { terminalText } from './util/text.js';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The real clock; tests pass a fixed one. */
  now: () => Date;
  /** OS user name, the default actor. */
  osUser: () => string;
  /** Set by tests only (never by bin/xypz.js). */
  seams?: Seams;
}

/**
 * Points where a test slows or stops a run of the real program, at a known moment. The program itself never
 * sets them: the tests that need them run the CLI through test/seamed-xypz.mjs, which passes them in.
 */
export interface Seams {
  /** Wraps the store a command opens (the concurrency tests hold every write open a while before it commits). */
  store?: (store: Store) => Store;
  /** Runs inside an import's write transaction, once its rows are written, before it commits. */
  inImportTransaction?: () => Promise<void>;
  /** Where the store takes a server connection from (tests running many commands in one process keep some open). */
  serverConnections?: ServerConnections;
}

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  actor?: string;
  yes?: boolean;
  color?: boolean;
  wide?: boolean;
}

export interface Context {
  readonly io: Io;
  /** The command path as typed, e.g. "org add"; recorded in the audit log. */
  readonly command: string;
  /** The database: a file's absolute path, or a server's postgres:// URL (which may hold a password). */
  readonly dbPath: string;
  /** The database as shown in messages (a URL without its password). */
  readonly dbLabel: string;
  /** What opening the database takes from the environment (server defaults, password file, OS user). */
  readonly dbOptions: OpenOptions;
  /** Whether the database was named (--db or XYPZ_DB) rather than the ./xypz.db default. */
  readonly dbGiven: boolean;
  readonly json: boolean;
  readonly yes: boolean;
  /** Colour allowed on stdout (TTY, no NO_COLOR, no --no-color). */
  readonly color: boolean;
  readonly stdoutIsTTY: boolean;
  /** Terminal columns tables must fit; undefined when stdout is not a terminal or with --wide. */
  readonly width: number | undefined;
  /** Prompts need both stdin and stdout to be terminals. */
  readonly canPrompt: boolean;
  /** Progress bars only when stderr is a terminal and the output is not JSON. */
  readonly canShowProgress: boolean;
  readonly actor: string;
  readonly actorGiven: boolean;
  readonly debug: boolean;
  /** A path the user typed, relative to the working directory the CLI was given. */
  path(p: string): string;
  /** ISO date of today (XYPZ_TODAY wins). */
  today(): string;
  now(): Date;
  out(text: string): void;
  err(text: string): void;
  /** Opens the database (must exist, schema current). */
  store(): Promise<Store>;
  /** Registered resources to close when the command ends. */
  close(): Promise<void>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function localIsoDate(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

export function createContext(io: Io, opts: GlobalOptions, command = ''): Context {
  const env = io.env;
  const today = env.XYPZ_TODAY?.trim();
  if (today !== undefined && today !== '') {
    const d = new Date(`${today}T00:00:00Z`);
    if (!ISO_DATE.test(today) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== today) {
      throw new UsageError(`环境变量 XYPZ_TODAY 的值「${today}」不是有效日期，应为 YYYY-MM-DD`);
    }
  }
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const stdoutIsTTY = io.stdout.isTTY === true;
  const stderrIsTTY = io.stderr.isTTY === true;
  const rawDb = opts.db ?? env.XYPZ_DB ?? 'xypz.db';
  const dbPath = isServerUrl(rawDb) ? rawDb.trim() : rawDb.startsWith('/') ? rawDb : `${io.cwd.replace(/\/$/, '')}/${rawDb}`;
  const dbOptions: OpenOptions = { env, osUser: io.osUser, busyTimeoutMs: busyTimeout(env.XYPZ_BUSY_TIMEOUT_MS), serverConnections: io.seams?.serverConnections };
  const actorOpt = opts.actor ?? env.XYPZ_ACTOR;
  const actorGiven = actorOpt !== undefined && actorOpt.trim() !== '';
  const json = opts.json === true;
  const stdoutColour = stdoutIsTTY && !noColorEnv && opts.color !== false;
  let store: Store | undefined;
  let opening: Promise<Store> | undefined;

  return {
    io,
    command,
    dbPath,
    dbLabel: displayTarget(dbPath),
    dbOptions,
    dbGiven: opts.db !== undefined || (env.XYPZ_DB !== undefined && env.XYPZ_DB !== ''),
    json,
    yes: opts.yes === true,
    color: stdoutColour,
    stdoutIsTTY,
    width: stdoutIsTTY && opts.wide !== true ? (io.stdout.columns ?? 80) : undefined,
    canPrompt: io.stdinIsTTY && stdoutIsTTY,
    canShowProgress: stderrIsTTY && !json,
    actor: actorGiven ? actorOpt!.trim() : io.osUser(),
    actorGiven,
    debug: env.XYPZ_DEBUG === '1',
    path: (p) => (p.startsWith('/') ? p : `${io.cwd.replace(/\/$/, '')}/${p}`),
    today: () => (today ? today : localIsoDate(io.now())),
    now: () => io.now(),
    // Every line passes terminalText: nothing printed can move the cursor or recolour the terminal.
    out: (text) => void io.stdout.write(terminalText(text.endsWith('\n') ? text : `${text}\n`, stdoutColour)),
    err: (text) => void io.stderr.write(terminalText(text.endsWith('\n') ? text : `${text}\n`)),
    async store() {
      if (store) return store;
      opening ??= import('./store/db.js').then(async (m) => {
        const opened = await m.openStore(dbPath, dbOptions);
        const s = io.seams?.store?.(opened) ?? opened;
        // An --actor / XYPZ_ACTOR given is a claim about who acts: on a server it must be the login, on every
        // command, those that need no account included (Store.account; a file has no logins to compare).
        if (actorGiven) {
          try {
            await s.account(actorOpt!.trim(), true);
          } catch (e) {
            await s.close();
            throw e;
          }
        }
        return s;
      });
      store = await opening;
      return store;
    },
    async close() {
      if (store) await store.close();
      store = undefined;
      opening = undefined;
    },
  };
}

/**
 * XYPZ_BUSY_TIMEOUT_MS=<ms>: how long to wait for a database another process holds before giving up (exit 4);
 * undefined: the store's default (10 s on a file, 60 s on a server). Tests set a short wait.
 */
function busyTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = Number(raw.trim());
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) throw new UsageError(`环境变量 XYPZ_BUSY_TIMEOUT_MS 的值「${raw}」无效，应为 1–3600000 的整数（毫秒）`);
  return ms;
}
