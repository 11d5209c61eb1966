/** Text normalisation applied to every piece of user input, and what may be shown on a terminal. */
import { DataError } from '../errors.js';

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00A0\u00AD]/g;

/**
 * Chinese prose punctuation typed with a Chinese input method: it lies in the full-width ASCII block but
 * is the correct form in Chinese text (，：；（）！？), so it is kept.
 */
const CJK_PUNCTUATION = new Set(['，', '：', '；', '（', '）', '！', '？']);

/**
 * Full-width ASCII (U+FF01–U+FF5E: letters, digits, symbols such as ＠＿－．) and the ideographic space become
 * their half-width forms; Chinese prose punctuation stays.
 */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xff01 && c <= 0xff5e && !CJK_PUNCTUATION.has(ch)) out += String.fromCodePoint(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

const NEEDS_WORK = /[\u200B-\u200D\u2060\uFEFF\u00A0\u00AD\u3000\uFF01-\uFF5E]/;

/** Trim, full-width → half-width, zero-width characters and NBSP removed. */
export function normaliseText(s: string): string {
  if (!NEEDS_WORK.test(s)) return s.trim(); // the common case, kept cheap for large imports
  return toHalfWidth(s.replace(ZERO_WIDTH, '')).trim();
}

/** Any full-width character as half-width, punctuation included: for comparing, never for storing. */
export function foldWidth(s: string): string {
  const t = normaliseText(s);
  if (!/[\uff01-\uff5e]/.test(t)) return t;
  return t.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCodePoint(ch.codePointAt(0)! - 0xfee0));
}

/** Key used to compare names loosely: width folded, spaces removed, lower case. */
export function nameKey(s: string): string {
  return foldWidth(s).replace(/\s+/g, '').toLowerCase();
}

/**
 * Bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069):
 * invisible, they reorder how the rest of a line is shown (an override can make "txt.exe" look like
 * "exe.txt").
 */
const BIDI = '\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069';

/** Everything a terminal could act on or hide: C0 and C1 controls, DEL, line/paragraph separators, bidi. */
const UNSAFE = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029${BIDI}]`, 'g');

function escaped(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Control characters would break a terminal table or a one-line message: show them visibly. */
export function visible(s: string): string {
  return s.replace(UNSAFE, (c) => (c === '\n' ? '↵' : c === '\t' ? '⇥' : escaped(c)));
}

/** As visible(), keeping line breaks and tabs; and colour codes (SGR, which cannot move the cursor) if asked. */
const TERMINAL_UNSAFE = new RegExp(`\\x1b\\[[0-9;]*m|[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u2028\\u2029${BIDI}]`, 'g');

/**
 * What may reach a terminal: every line the program prints passes through here, so no text — stored by
 * someone else, read from a file, restored from a backup — can move the cursor, clear the screen, set the
 * window title or reorder a line. Stored text shown in a message is also quoted through visible().
 */
export function terminalText(s: string, keepColour = false): string {
  return s.replace(TERMINAL_UNSAFE, (m) => (m.length > 1 ? (keepColour ? m : escaped(m[0]!) + m.slice(1)) : escaped(m)));
}

const CONTROL_NAME: Record<string, string> = {
  '\u0000': 'NUL',
  '\u0007': '响铃 BEL',
  '\u0008': '退格',
  '\t': '制表符',
  '\n': '换行',
  '\r': '回车',
  '\u001b': 'ESC',
  '\u007f': 'DEL',
  '\u2028': '行分隔符',
  '\u2029': '段落分隔符',
};

/** In a name or any one-line field: no control character at all, no line break, no bidi control. */
const ONE_LINE_BAD = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029${BIDI}]`);
/** In free text (notes, reasons, feedback): line breaks and tabs are fine, nothing else invisible. */
const FREE_TEXT_BAD = new RegExp(`[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u2028\\u2029${BIDI}]`);

/** Why `s` cannot be stored as it is (a control character), or undefined when it can. */
export function controlProblem(s: string, multiline = false): string | undefined {
  const c = (multiline ? FREE_TEXT_BAD : ONE_LINE_BAD).exec(s)?.[0];
  if (c === undefined) return undefined;
  const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CONTROL_NAME[c] ?? (new RegExp(`[${BIDI}]`).test(c) ? '文字方向控制符' : '控制字符');
  return `含有不可见的${name}（${code}）${c === '\n' || c === '\r' ? '，此项只能是一行文字' : ''}；请删去后重新输入`;
}

function checked(value: string | undefined, field: string, multiline: boolean): string {
  const v = value === undefined ? '' : normaliseText(value);
  const problem = controlProblem(v, multiline);
  if (problem) throw new DataError(`${field}${problem}`);
  return v;
}

/** A name or other one-line field, normalised; exit 3 if it holds any control character. */
export function checkOneLine(value: string | undefined, field: string): string {
  return checked(value, field, false);
}

/** Free text (may span lines), normalised; exit 3 if it holds a control character other than line breaks and tabs. */
export function checkFreeText(value: string | undefined, field: string): string {
  return checked(value, field, true);
}

/** Shortens a string for a one-line message. */
export function ellipsis(s: string, max = 60): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** A user-supplied value quoted in a message: visible, bounded. */
export function quote(s: unknown): string {
  return `「${ellipsis(visible(String(s)))}」`;
}

/**
 * Terminal columns of a string, as terminals (and cli-table3) draw it: East Asian wide and full-width
 * characters and emoji take two, combining marks and zero-width characters none; colour codes are skipped.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(/\x1b\[[0-9;]*m/g, '')) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f) || c === 0xfeff) continue;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) ||
      (c >= 0x20000 && c <= 0x3fffd) ? 2 : 1;
  }
  return w;
}
