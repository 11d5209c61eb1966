/** Runs the CLI in-process against a temporary directory and database, with a fixed today. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import type { Io } from '../src/context.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface Sandbox {
  dir: string;
  db: string;
  path(name: string): string;
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  cleanup(): void;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  tty?: boolean;
  today?: string;
  now?: Date;
  /** A clock read on every call (e.g. one that advances). */
  nowFn?: () => Date;
}

export const TODAY = '2024-06-15';

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'xypz-test-'));
  const db = join(dir, 'xypz.db');
  return {
    dir,
    db,
    path: (name) => join(dir, name),
    run: (args, opts = {}) => runIn(dir, args, opts),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function runIn(cwd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const tty = opts.tty === true;
  const io: Io = {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: tty, columns: 120 },
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
