/**
 * Colour, decided once by the context (TTY, NO_COLOR, --no-color). Colour carries meaning only: what is
 * late or missing (逾期, 未报送) in red, what is short (空缺) in yellow, totals and headings bold, errors red
 * on stderr. Plain SGR codes: chalk ignores NO_COLOR, and these few need no library.
 */
import type { Io } from '../context.js';

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export type Tone = 'red' | 'yellow' | 'bold';

const sgr = (open: number, close: number) => (s: string) => (s === '' ? s : `\x1b[${open}m${s}\x1b[${close}m`);

const COLOURED: Paint = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, cyan: (s) => s };

export function painter(enabled: boolean): Paint {
  return enabled ? COLOURED : PLAIN;
}

/** Whether stderr may be coloured: a terminal, no NO_COLOR, no --no-color anywhere on the command line. */
export function stderrColour(io: Io, argv: string[]): boolean {
  const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return io.stderr.isTTY === true && !noColorEnv && !argv.includes('--no-color');
}

/** What a table cell's text means, by the words the reports use; undefined: no colour. */
export function toneOf(header: string, text: string): Tone | undefined {
  if (/逾期|未报送/.test(text)) return 'red';
  if (/空缺/.test(header) && /^[1-9]\d*$/.test(text.trim())) return 'yellow';
  return undefined;
}

export function applyTone(p: Paint, tone: Tone | undefined, s: string): string {
  return tone ? p[tone](s) : s;
}
