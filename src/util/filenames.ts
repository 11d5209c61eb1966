/**
 * File names made from data — a unit's, district's or firm's name, a period — for files xypz writes: one
 * path component whatever the data holds, valid on Linux, Windows and macOS, so that a unit named
 * `../../../X银行` or `CON` cannot put a file outside the directory asked for, or fail on another computer.
 */

/** Longest name in UTF-8 bytes (Linux allows 255): room for the temporary name's `.<name>.xypz-<pid>-<hex>.tmp-wal`. */
export const MAX_NAME_BYTES = 180;

/** Names Windows reserves for devices, with or without an extension (CON, con.xlsx, COM1 …). */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** C0 and C1 control characters, and the invisible ones that change how a name reads (zero-width, direction). */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Path separators and the other characters Windows refuses in a name. */
const FORBIDDEN = /[/\\:*?"<>|]/g;

/** `text` cut to at most `bytes` UTF-8 bytes, at a character boundary. */
function cutTo(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * One safe file name from `stem` (data) and `ext` (the program's own, e.g. ".xlsx"): no path separator, no
 * `..`, no control character, no leading dot (a hidden file) or trailing dot or space (dropped by Windows),
 * not a name Windows reserves, at most MAX_NAME_BYTES; an empty result becomes `fallback`.
 */
export function safeFileName(stem: string, ext = '', fallback = '未命名'): string {
  let s = stem.normalize('NFC').replace(INVISIBLE, '').replace(FORBIDDEN, '_').replace(/\s+/g, ' ');
  s = s.replace(/\.{2,}/g, '.').replace(/^[.\s]+/, '');
  s = cutTo(s, MAX_NAME_BYTES - Buffer.byteLength(ext)).replace(/[.\s]+$/, '');
  if (s === '') s = fallback;
  if (RESERVED.test(s) || RESERVED.test(`${s}${ext}`)) s = `_${s}`;
  return `${s}${ext}`;
}

/** A moment in the names of kept files and schemas: 20240615T083000 (UTC). */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}
