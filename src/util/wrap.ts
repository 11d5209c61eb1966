/**
 * Wrapping mixed Chinese and Latin text at a display width. Chinese has no spaces, so a line may break
 * between two Chinese characters as well as at a space; never inside a Latin word or number, never inside
 * a number with its unit (`约 90 家`, `3 家`, `30 天`), never before closing punctuation (，。）」) nor after
 * opening punctuation (（「).
 */
import { displayWidth } from './text.js';

const CJK = /[\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
const NO_BREAK_BEFORE = /[，。、；：！？）》」』】…％%,.;:!?)\]}]/;
const NO_BREAK_AFTER = /[（《「『【([{]/;
const DIGIT = /[0-9]/;

/** Indivisible pieces: each ends where a line may break (a trailing space belongs to its piece). */
function pieces(line: string): string[] {
  const chars = Array.from(line);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    cur += c;
    const next = chars[i + 1];
    if (next === undefined) break;
    if (canBreakAfter(chars, i)) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

// What the rules above ask of a character, as bits: a character's are worked out once, by the expressions above,
// and kept by code unit (a character outside the BMP is tested each time). Counting the lines of the 企业明细's
// names at province scale, testing the expressions for every pair of characters was most of the time.
const IS_CJK = 1;
const IS_NO_BREAK_BEFORE = 2;
const IS_NO_BREAK_AFTER = 4;
const IS_DIGIT = 8;
const IS_SPACE = 16;
const SPACE = /\s/;
const classify = (ch: string) =>
  (CJK.test(ch) ? IS_CJK : 0) | (NO_BREAK_BEFORE.test(ch) ? IS_NO_BREAK_BEFORE : 0) | (NO_BREAK_AFTER.test(ch) ? IS_NO_BREAK_AFTER : 0) | (DIGIT.test(ch) ? IS_DIGIT : 0) | (SPACE.test(ch) ? IS_SPACE : 0);
const unitClasses = new Int8Array(0x10000).fill(-1);
function classOf(ch: string): number {
  if (ch.length !== 1) return classify(ch);
  const c = ch.charCodeAt(0);
  let k = unitClasses[c]!;
  if (k < 0) unitClasses[c] = k = classify(ch);
  return k;
}

/** Whether a line may break between chars[i] and chars[i + 1]. */
function canBreakAfter(chars: string[], i: number): boolean {
  const c = chars[i]!;
  const next = chars[i + 1]!;
  const kc = classOf(c);
  const kn = classOf(next);
  if (kn & IS_NO_BREAK_BEFORE || kc & IS_NO_BREAK_AFTER) return false;
  if (c === ' ') {
    if (next === ' ') return false;
    // A space around a number binds it to its neighbours: 约 90 家, 第 3 条.
    return !(classOf(chars[i - 1] ?? '') & IS_DIGIT) && !(kn & IS_DIGIT);
  }
  if (next === ' ') return false;
  return (kc & kn & IS_CJK) !== 0;
}

/** One logical line wrapped to `width` columns (a piece wider than the width is cut by character). */
function wrapLine(line: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let cur = '';
  let w = 0;
  for (const piece of pieces(line)) {
    const pw = measure(piece.trimEnd());
    if (w > 0 && w + pw > width) {
      lines.push(cur.trimEnd());
      cur = '';
      w = 0;
    }
    if (pw > width) {
      for (const ch of Array.from(piece)) {
        const cw = measure(ch);
        if (w + cw > width && w > 0) {
          lines.push(cur.trimEnd());
          cur = '';
          w = 0;
        }
        cur += ch;
        w += cw;
      }
      continue;
    }
    cur += piece;
    w += measure(piece);
  }
  lines.push(cur.trimEnd());
  return lines;
}

/**
 * Wraps text to `width` display columns, keeping its own line breaks. `measure` gives a piece's width (the
 * terminal's display columns unless told: a printed sheet measures Latin letters and digits wider).
 */
export function wrapText(text: string, width: number, measure: (s: string) => number = displayWidth): string[] {
  const w = Math.max(1, Math.floor(width));
  return text.split(/\r?\n/).flatMap((line) => wrapLine(line, w, measure));
}

/**
 * How many lines wrapText(text, width, measure) gives, counted without building them (at province scale the
 * 企业明细 sheets measure tens of thousands of names). For a measure that adds up its characters' widths in
 * order (a string's width is the sum of `charWidth` over its characters, as the printed sheets measure text):
 * each piece is measured from its characters' widths, summed in the same order, so the count is the same.
 */
export function lineCount(text: string, width: number, charWidth: (ch: string) => number): number {
  const w = Math.max(1, Math.floor(width));
  let n = 0;
  for (const line of text.split(/\r?\n/)) n += lineCountOf(line, w, charWidth);
  return n;
}

function lineCountOf(line: string, width: number, charWidth: (ch: string) => number): number {
  const chars = Array.from(line);
  let lines = 0;
  let w = 0;
  let start = 0;
  let full = 0; // the piece's width
  let trimmed = 0; // its width without its trailing white space
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    full += charWidth(c);
    if (!(classOf(c) & IS_SPACE)) trimmed = full;
    if (i + 1 < chars.length && !canBreakAfter(chars, i)) continue;
    // a piece: chars[start..i], as pieces() gives it, placed as wrapLine places it
    if (w > 0 && w + trimmed > width) {
      lines++;
      w = 0;
    }
    if (trimmed > width) {
      for (let k = start; k <= i; k++) {
        const cw = charWidth(chars[k]!);
        if (w + cw > width && w > 0) {
          lines++;
          w = 0;
        }
        w += cw;
      }
    } else w += full;
    start = i + 1;
    full = 0;
    trimmed = 0;
  }
  return lines + 1;
}
