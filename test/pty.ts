/**
 * Drives bin/xypz.js in a real pseudo-terminal (test/terminal.py, python3's pty module): prompts, Ctrl-C, width.
 * One helper process per test file serves every run, one after another (a Python start-up costs about as much
 * as the run itself); each run is still its own process of the CLI in a new terminal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

let helper: { child: ChildProcessWithoutNullStreams; pending: ((line: string) => void)[]; failed: string } | undefined;

function serve() {
  if (helper) return helper;
  const child = spawn('python3', [HELPER, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const h = { child, pending: [] as ((line: string) => void)[], failed: '' };
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buffered += d;
    for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      h.pending.shift()?.(line);
    }
  });
  child.stderr.on('data', (d) => (h.failed += d));
  child.on('exit', () => {
    if (helper === h) helper = undefined;
    for (const answer of h.pending.splice(0)) answer('');
  });
  helper = h;
  return h;
}

/** Ends the helper process (a test file's afterAll). */
export function closePty(): void {
  helper?.child.stdin.end();
  helper = undefined;
}

export async function xypzPty(cwd: string, args: string[], opts: { env?: Record<string, string>; cols?: number; rows?: number; steps?: Step[]; timeout?: number } = {}): Promise<PtyResult> {
  const spec = {
    argv: [process.execPath, BIN, ...args],
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, TERM: 'xterm-256color', LANG: 'C.UTF-8', XYPZ_TODAY: '2024-06-15', XYPZ_ACTOR: 'tester', ...opts.env },
    cols: opts.cols ?? 100,
    rows: opts.rows ?? 40,
    steps: opts.steps ?? [],
    timeout: opts.timeout ?? 20,
  };
  const h = serve();
  const line = await new Promise<string>((resolve) => {
    h.pending.push(resolve);
    h.child.stdin.write(`${JSON.stringify(spec)}\n`);
  });
  if (!line) throw new Error(`pty helper failed: ${h.failed}`);
  const res = JSON.parse(line) as Omit<PtyResult, 'screen'>;
  return { ...res, screen: stripAnsi(res.out) };
}
