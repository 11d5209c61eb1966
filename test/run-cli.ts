/**
 * The CLI's main run in-process with its own streams, environment, working directory and clock. No vitest
 * import here: the global setup builds the shared fixtures with it, outside any test file.
 */
import { main } from '../src/cli.js';
import type { Io } from '../src/context.js';
import { statSync } from 'node:fs';
import { serverConnections } from './server-connections.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
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
    // The schema owner's server connections stay open between runs (test/server-connections.ts).
    seams: { serverConnections },
  };
  const code = await main(args, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** What `initialised()` runs: an Ezhou database whose administrator is the default actor, "tester". */
export const INIT_ARGS = ['init', '--admin', 'tester', '--name', '测试员'];

/** Where sandboxes go: memory (/dev/shm) where the system has it, else the temporary directory. */
export function scratchRoot(tmp: string): string {
  return process.platform === 'linux' && existsDir('/dev/shm') ? '/dev/shm' : tmp;
}

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
