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

/** Whether a line may break between chars[i] and chars[i + 1]. */
function canBreakAfter(chars: string[], i: number): boolean {
  const c = chars[i]!;
  const next = chars[i + 1]!;
  if (NO_BREAK_BEFORE.test(next) || NO_BREAK_AFTER.test(c)) return false;
  if (c === ' ') {
    if (next === ' ') return false;
    // A space around a number binds it to its neighbours: 约 90 家, 第 3 条.
    const before = chars[i - 1] ?? '';
    return !DIGIT.test(before) && !DIGIT.test(next);
  }
  if (next === ' ') return false;
  return CJK.test(c) && CJK.test(next);
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
