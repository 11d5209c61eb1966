/**
 * Shared read-only fixtures, built once per run of the SQLite project: a database made by `init` (as
 * `initialised()` makes it) and the demo database (as `demoSandbox()` makes it). Tests copy the file into
 * their own sandbox instead of running init or demo again. The PostgreSQL project makes template databases
 * instead (test/pg-setup.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { INIT_ARGS, runIn, scratchRoot } from './run-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** SQLite files to copy: made by `init` (INIT_ARGS) and by `demo`. */
    sqliteFixtures: { init: string; demo: string };
  }
}

/** Runs the CLI in `dir`; throws with its stderr unless it succeeds. */
export async function must(dir: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const r = await runIn(dir, args, { env });
  if (r.code !== 0) throw new Error(`fixture ${args[0]} failed: ${r.stderr}`);
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(scratchRoot(tmpdir()), 'xypz-fixtures-'));
  const init = join(dir, 'init', 'xypz.db');
  const demo = join(dir, 'demo.db');
  mkdirSync(join(dir, 'init'));
  await must(join(dir, 'init'), INIT_ARGS);
  await must(dir, ['demo', '--db', demo]);
  project.provide('sqliteFixtures', { init, demo });
  return () => rmSync(dir, { recursive: true, force: true });
}
