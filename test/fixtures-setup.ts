/**
 * Shared read-only fixtures, built once per run of the SQLite project: a database made by `init` (as
 * `initialised()` makes it), the demo database (as `demoSandbox()` makes it) and the collection tests'
 * scenario (test/fixtures/collect-scenario.mjs, as `scenario()` makes it, on a copy of the first). Tests copy
 * the file into their own sandbox instead of running init, demo or the scenario's commands again. The
 * PostgreSQL project makes template databases instead (test/pg-setup.ts; the scenario's in each worker,
 * test/collect-helpers.ts).
 *
 * The two files are made by the built CLI (dist/, just built by test/global-setup.ts) in processes of
 * their own, so that they are built while the PostgreSQL project starts its server and makes its
 * templates; when that project runs too, its setup waits for them (`fixturesBuilt`) before any test starts.
 * The scenario's twenty-odd commands run in-process, each on the day it is entered.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildScenario } from './fixtures/collect-scenario.mjs';
import { runIn, scratchRoot, INIT_ARGS, TODAY } from './run-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** SQLite files to copy: made by `init` (INIT_ARGS), by `demo`, and the collection scenario. */
    sqliteFixtures: { init: string; demo: string; collect: string };
  }
}

/** Runs the CLI in-process in `dir`; throws with its stderr unless it succeeds. */
export async function must(dir: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const r = await runIn(dir, args, { env });
  if (r.code !== 0) throw new Error(`fixture ${args[0]} failed: ${r.stderr}`);
}

/** Runs bin/xypz.js in `dir` as runIn would (today, actor); throws with its stderr unless it succeeds. */
function spawned(dir: string, args: string[]): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, XYPZ_TODAY: TODAY, XYPZ_ACTOR: 'tester' };
  for (const k of Object.keys(env)) if (k.startsWith('XYPZ_') && k !== 'XYPZ_TODAY' && k !== 'XYPZ_ACTOR') delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'xypz.js'), ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fixture ${args[0]} failed (${code}): ${stderr}`))));
  });
}

const BUILT = Symbol.for('xypz.sqliteFixturesBuilt');

/** The SQLite fixtures being built, for the PostgreSQL project's setup to wait for. */
export function fixturesBuilt(): Promise<void> {
  return (globalThis as Record<symbol, Promise<void> | undefined>)[BUILT] ?? Promise.resolve();
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(scratchRoot(tmpdir()), 'xypz-fixtures-'));
  const init = join(dir, 'init', 'xypz.db');
  const demo = join(dir, 'demo.db');
  const collect = join(dir, 'collect', 'xypz.db');
  mkdirSync(join(dir, 'init'));
  mkdirSync(join(dir, 'collect'));
  const scenario = spawned(join(dir, 'init'), INIT_ARGS).then(async () => {
    copyFileSync(init, collect);
    await buildScenario((args, today) => runIn(join(dir, 'collect'), args, today ? { today } : {}), join(dir, 'collect'));
  });
  const built = Promise.all([scenario, spawned(dir, ['demo', '--db', demo])]).then(() => undefined);
  project.provide('sqliteFixtures', { init, demo, collect });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (project.vitest.projects.some((p) => p.name === 'pg')) {
    built.catch(() => {}); // awaited (and reported) by the pg project's setup
    (globalThis as Record<symbol, Promise<void>>)[BUILT] = built;
  } else {
    await built;
  }
  return cleanup;
}
