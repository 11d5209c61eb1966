/**
 * Runs the CLI in-process against a temporary directory and database, with a fixed today. The database is
 * a file in that directory, or (in the pg project) a new database on the test server, named by XYPZ_DB.
 */
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import { expect } from 'vitest';
import type { Io } from '../src/context.js';
import { createServerDatabase, dropServerDatabase, ENGINE, underneath, type Underneath } from './engines.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface Sandbox extends Underneath {
  dir: string;
  /** The sandbox's database: a file in `dir`, or a postgres:// URL (the pg project). */
  db: string;
  path(name: string): string;
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  cleanup(): void;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  tty?: boolean;
  /** The terminal's width when `tty` (default 120). */
  columns?: number;
  today?: string;
  now?: Date;
  /** A clock read on every call (e.g. one that advances). */
  nowFn?: () => Date;
}

export const TODAY = '2024-06-15';

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'xypz-test-'));
  const server = ENGINE === 'pg';
  const db = server ? createServerDatabase() : join(dir, 'xypz.db');
  let cleaned = false;
  return {
    dir,
    db,
    path: (name) => join(dir, name),
    // On a server the database is named; a file is found as ./xypz.db, the default.
    run: (args, opts = {}) => runIn(dir, args, server ? { ...opts, env: { XYPZ_DB: db, ...opts.env } } : opts),
    cleanup: () => {
      if (cleaned) return;
      cleaned = true;
      rmSync(dir, { recursive: true, force: true });
      if (server) dropServerDatabase(db);
    },
    ...underneath(db),
  };
}

export async function runIn(cwd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const tty = opts.tty === true;
  const io: Io = {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: tty, columns: opts.columns ?? 120 },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: tty },
    stdinIsTTY: tty,
    env: { XYPZ_TODAY: opts.today ?? TODAY, XYPZ_ACTOR: 'tester', ...opts.env },
    cwd,
    now: opts.nowFn ?? (() => opts.now ?? new Date()),
    osUser: () => 'osuser',
  };
  const code = await main(args, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** A sandbox with an initialised Ezhou database whose administrator is the default actor, "tester". */
export async function initialised(): Promise<Sandbox> {
  const sb = sandbox();
  const r = await sb.run(['init', '--admin', 'tester', '--name', '测试员']);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return sb;
}

/** A sandbox holding the demo database (`xypz demo`), whose administrator is demo_admin. */
export async function demoSandbox(): Promise<Sandbox> {
  const sb = sandbox();
  const r = await sb.run(['demo', '--db', sb.db]);
  if (r.code !== 0) throw new Error(`demo failed: ${r.stderr}`);
  return sb;
}

/**
 * Adds accounts through a 用户信息批量导入表 (one userRow each) and signs the agreement of `signed`
 * (default: all of them) on 2024-06-01.
 */
export async function addAccounts(sb: Sandbox, rows: Parameters<typeof userRow>[1][], signed?: string[]): Promise<void> {
  const f = sb.path(`accounts-${Date.now()}.xlsx`);
  await writeXlsx(f, { S: [USER_HEADER, ...rows.map((r, i) => userRow(i + 1, r))] });
  const r = await sb.run(['users', 'import', f]);
  if (r.code !== 0) throw new Error(r.stderr);
  const logins = signed ?? rows.map((r) => String(r?.login));
  if (logins.length > 0) await sb.run(['users', 'agreement', ...logins, '--signed-on', '2024-06-01']);
}

/** Options that make `login` the actor. */
export const as = (login: string) => ({ env: { XYPZ_ACTOR: login } });

/** Runs a command that must succeed (the failure names the command and its stderr). */
export async function ok(sb: Sandbox, args: string[], opts?: RunOptions): Promise<RunResult> {
  const r = await sb.run(args, opts);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}
