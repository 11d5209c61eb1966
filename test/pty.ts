/** Drives bin/xypz.js in a real pseudo-terminal (test/terminal.py, python3's pty module): prompts, Ctrl-C, width. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface Step {
  /** A regular expression the text written since the last step (stdout and stderr, escape sequences removed) must match before `send` is typed. */
  expect: string;
  send: string;
  /**
   * Seconds to wait after the match before typing (default 0.02). The match is the condition: a prompt's text is
   * written once it listens for keys (and keys typed early wait in the terminal's input queue anyway).
   */
  delay?: number;
}

export interface PtyResult {
  /** Everything written to the terminal, escape sequences included. */
  out: string;
  /** The same without escape sequences. */
  screen: string;
  /** stderr, which the helper connects to a pipe so it can be told apart. */
  err: string;
  code: number;
  timedOut: boolean;
  /** The first step whose text never appeared. */
  pending: string | null;
}

export const CTRL_C = '\x03';
export const ESC = '\x1b';
export const ENTER = '\r';
export const DOWN = '\x1b[B';
export const SPACE = ' ';

const BIN = join(process.cwd(), 'bin', 'xypz.js');
const HELPER = join(process.cwd(), 'test', 'terminal.py');

export function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]/g, '');
}

export function xypzPty(cwd: string, args: string[], opts: { env?: Record<string, string>; cols?: number; rows?: number; steps?: Step[]; timeout?: number } = {}): PtyResult {
  const spec = {
    argv: [process.execPath, BIN, ...args],
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, TERM: 'xterm-256color', LANG: 'C.UTF-8', XYPZ_TODAY: '2024-06-15', XYPZ_ACTOR: 'tester', ...opts.env },
    cols: opts.cols ?? 100,
    rows: opts.rows ?? 40,
    steps: opts.steps ?? [],
    timeout: opts.timeout ?? 20,
  };
  const r = spawnSync('python3', [HELPER, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pty helper failed: ${r.stderr}`);
  const res = JSON.parse(r.stdout) as Omit<PtyResult, 'screen'>;
  return { ...res, screen: stripAnsi(res.out) };
}
