/** Text normalisation applied to every piece of user input (SPEC §4). */

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

/** Control characters would break a terminal table or a one-line message: show them visibly. */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, (c) => {
    if (c === '\n') return '↵';
    if (c === '\t') return '⇥';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
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
