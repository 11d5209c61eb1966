/**
 * Runs the CLI in-process against a temporary directory and database, with a fixed today. The database is
 * a file in that directory, or (in the pg project) a new database on the test server, named by XYPZ_DB.
 */
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { cloneServerDatabase, createServerDatabase, dropServerDatabase, ENGINE, underneath, type Underneath } from './engines.js';
import { runIn, scratchRoot, type RunOptions, type RunResult } from './run-cli.js';

export { runIn, TODAY, type RunOptions, type RunResult } from './run-cli.js';

export interface Sandbox extends Underneath {
  dir: string;
  /** The sandbox's database: a file in `dir`, or a postgres:// URL (the pg project). */
  db: string;
  path(name: string): string;
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  cleanup(): void;
}

/** A sandbox: a new directory (in memory where the system has /dev/shm) and a database that does not exist yet. */
export function sandbox(): Sandbox {
  const dir = newDir();
  return inDir(dir, ENGINE === 'pg' ? createServerDatabase() : join(dir, 'xypz.db'));
}

/** A sandbox whose database is a copy of one of the run's shared fixtures (test/fixtures-setup.ts, test/pg-setup.ts). */
function fixtureSandbox(fixture: 'init' | 'demo'): Promise<Sandbox> {
  return copiedSandbox(fixture, () => cloneServerDatabase(fixture));
}

/**
 * A sandbox whose database is a copy of the run's SQLite fixture `fixture` (test/fixtures-setup.ts), or on a
 * server the database `clone` makes (a copy of the same fixture's server database).
 */
export async function copiedSandbox(fixture: 'init' | 'demo' | 'collect', clone: () => Promise<string>): Promise<Sandbox> {
  const dir = newDir();
  if (ENGINE === 'pg') return inDir(dir, await clone());
  const db = join(dir, 'xypz.db');
  copyFileSync(inject('sqliteFixtures')[fixture], db);
  return inDir(dir, db);
}

const newDir = () => mkdtempSync(join(scratchRoot(tmpdir()), 'xypz-test-'));

function inDir(dir: string, db: string): Sandbox {
  const server = ENGINE === 'pg';
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

/** A sandbox with an initialised Ezhou database whose administrator is the default actor, "tester". */
export async function initialised(): Promise<Sandbox> {
  return fixtureSandbox('init');
}

/** A sandbox holding the demo database (`xypz demo`), whose administrator is demo_admin. */
export async function demoSandbox(): Promise<Sandbox> {
  return fixtureSandbox('demo');
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
