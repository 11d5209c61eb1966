/**
 * Just enough of an OpenType reader to draw a chart's text as outlines: a font file (.ttf, .otf, or a
 * collection .ttc/.otc) is opened and parsed once per process and read in pages as glyphs are needed (never
 * whole), and each glyph's outline is decoded once, on first use, from
 * its CFF charstring (Noto/Source Han Sans) or its TrueType `glyf` entry (YaHei, WenQuanYi, SimHei).
 *
 * Why: resvg, given a font file, reads and parses the whole file again for every piece of text (about 17 ms a
 * label with a 20 MB CJK font, seconds for a chart). Text handed to it as paths needs no font at all.
 *
 * Only what chart labels need: character → glyph through `cmap`, advance widths from `hmtx`, no kerning and no
 * shaping (Chinese, digits and punctuation are drawn glyph after glyph, as a browser would draw them).
 */
import { fstatSync, openSync, readSync } from 'node:fs';

/** How often each font file was opened and parsed in this process (one load per file is the rule; tests check it). */
export const fontLoads = new Map<string, number>();
/** How many glyph outlines were decoded in this process (each glyph once). */
export const glyphDecodes = { count: 0 };

/** One glyph: its outline as path commands in font units (y up) and its advance width. */
interface Glyph {
  /** SVG path data starting at the glyph's origin: the first point absolute as [x, y], the rest relative. */
  first: [number, number] | null;
  rest: string;
  advance: number;
}

type Cmd = ['M' | 'L', number, number] | ['Q', number, number, number, number] | ['C', number, number, number, number, number, number] | ['Z'];

export class FontFace {
  readonly unitsPerEm: number;
  /** Where the middle of the em box lies above the baseline, in font units (SVG's dominant-baseline: central). */
  readonly central: number;
  readonly ascent: number;
  readonly descent: number;
  private readonly glyphs = new Map<number, Glyph>();
  private readonly gids = new Map<number, number>();
  private readonly cmapLookup: (cp: number) => number;
  private readonly hmtx: { offset: number; count: number };
  private readonly outline: (gid: number) => Cmd[];

  constructor(
    private readonly buf: Bytes,
    tables: Map<string, { offset: number; length: number }>,
  ) {
    const need = (tag: string) => {
      const t = tables.get(tag);
      if (!t) throw new Error(`font has no ${tag} table`);
      return t.offset;
    };
    const head = need('head');
    this.unitsPerEm = buf.readUInt16BE(head + 18);
    const hhea = need('hhea');
    this.ascent = buf.readInt16BE(hhea + 4);
    this.descent = buf.readInt16BE(hhea + 6);
    const os2 = tables.get('OS/2');
    // The em box: OS/2's typographic ascender/descender where given (880/−120 in Noto CJK), else hhea's.
    const [asc, desc] = os2 && os2.length >= 72 ? [buf.readInt16BE(os2.offset + 68), buf.readInt16BE(os2.offset + 70)] : [this.ascent, this.descent];
    this.central = (asc + desc) / 2;
    this.hmtx = { offset: need('hmtx'), count: buf.readUInt16BE(hhea + 34) };
    this.cmapLookup = cmapOf(buf, need('cmap'));
    if (tables.has('CFF ')) this.outline = cffOutlines(buf, need('CFF '));
    else if (tables.has('glyf')) this.outline = glyfOutlines(buf, need('glyf'), need('loca'), buf.readInt16BE(head + 50));
    else throw new Error('font has neither CFF nor glyf outlines');
  }

  glyphId(cp: number): number {
    let gid = this.gids.get(cp);
    if (gid === undefined) {
      gid = this.cmapLookup(cp);
      this.gids.set(cp, gid);
    }
    return gid;
  }

  advance(gid: number): number {
    const { offset, count } = this.hmtx;
    return this.buf.readUInt16BE(offset + 4 * Math.min(gid, count - 1));
  }

  glyph(gid: number): Glyph {
    let g = this.glyphs.get(gid);
    if (!g) {
      glyphDecodes.count++;
      g = { ...pathOf(this.outline(gid)), advance: this.advance(gid) };
      this.glyphs.set(gid, g);
    }
    return g;
  }

  /** The width of a line of text in font units. */
  width(text: string): number {
    let w = 0;
    for (const ch of text) w += this.glyph(this.glyphId(ch.codePointAt(0)!)).advance;
    return w;
  }

  /** The glyphs of a line of text that have an outline, each with its pen position in font units (the line starting at 0). */
  placed(text: string): { gid: number; x: number }[] {
    let pen = 0;
    const out: { gid: number; x: number }[] = [];
    for (const ch of text) {
      const gid = this.glyphId(ch.codePointAt(0)!);
      const g = this.glyph(gid);
      if (g.first) out.push({ gid, x: pen });
      pen += g.advance;
    }
    return out;
  }

  /** SVG path data of one glyph in font units (y up), its origin at (0, 0); empty for a glyph without an outline. */
  glyphPath(gid: number): string {
    const g = this.glyph(gid);
    return g.first ? `M${g.first[0]} ${g.first[1]}${g.rest}` : '';
  }
}

/** Path commands → SVG path data: the first point absolute (relative to the glyph's origin), the rest relative, rounded to whole font units. */
function pathOf(cmds: Cmd[]): Pick<Glyph, 'first' | 'rest'> {
  let first: [number, number] | null = null;
  let rest = '';
  let x = 0;
  let y = 0;
  let sx = 0;
  let sy = 0;
  const r = Math.round;
  const rel = (ax: number, ay: number) => `${r(ax) - x} ${r(ay) - y}`;
  for (const c of cmds) {
    switch (c[0]) {
      case 'M':
        if (first === null) first = [r(c[1]), r(c[2])];
        else rest += `m${rel(c[1], c[2])}`;
        x = sx = r(c[1]);
        y = sy = r(c[2]);
        break;
      case 'L':
        rest += `l${rel(c[1], c[2])}`;
        [x, y] = [r(c[1]), r(c[2])];
        break;
      case 'Q':
        rest += `q${rel(c[1], c[2])} ${rel(c[3], c[4])}`;
        [x, y] = [r(c[3]), r(c[4])];
        break;
      case 'C':
        rest += `c${rel(c[1], c[2])} ${rel(c[3], c[4])} ${rel(c[5], c[6])}`;
        [x, y] = [r(c[5]), r(c[6])];
        break;
      case 'Z':
        rest += 'z';
        [x, y] = [sx, sy];
        break;
    }
  }
  return { first, rest };
}

// ---------------------------------------------------------------------------------------------- the file

/**
 * A font file read in pages as they are needed: a chart needs a few hundred glyphs of a 20 MB CJK font, so
 * only the tables' headers and those glyphs' bytes are read (some hundred KB), never the whole file.
 */
class Bytes {
  private static readonly PAGE = 16384;
  private readonly pages = new Map<number, Buffer>();
  private readonly fd: number;
  readonly size: number;

  constructor(file: string) {
    this.fd = openSync(file, 'r');
    this.size = fstatSync(this.fd).size;
  }

  /** The page read last: the readers below read byte after byte of one page, mostly. */
  private lastN = -1;
  private last: Buffer = Buffer.alloc(0);

  private page(n: number): Buffer {
    if (n === this.lastN) return this.last;
    let page = this.pages.get(n);
    if (!page) {
      page = Buffer.allocUnsafe(Math.max(0, Math.min(Bytes.PAGE, this.size - n * Bytes.PAGE)));
      readSync(this.fd, page, 0, page.length, n * Bytes.PAGE);
      this.pages.set(n, page);
    }
    this.lastN = n;
    this.last = page;
    return page;
  }

  /** The bytes [start, end) as one buffer (a view of a page when they lie in one). */
  slice(start: number, end: number): Buffer {
    if (start < 0 || end > this.size || end < start) throw new RangeError(`font: bytes ${start}–${end} outside the file`);
    const n = Math.floor(start / Bytes.PAGE);
    if (Math.floor((end - 1) / Bytes.PAGE) === n || end === start) return this.page(n).subarray(start - n * Bytes.PAGE, end - n * Bytes.PAGE);
    const out = Buffer.alloc(end - start);
    for (let p = start; p < end; ) {
      const k = Math.floor(p / Bytes.PAGE);
      const from = p - k * Bytes.PAGE;
      const take = Math.min(Bytes.PAGE - from, end - p);
      this.page(k).copy(out, p - start, from, from + take);
      p += take;
    }
    return out;
  }

  /** One byte, read from its page without a view (the outline decoders read a byte at a time). */
  u8(p: number): number {
    if (p < 0 || p >= this.size) throw new RangeError(`font: byte ${p} outside the file`);
    return this.page(Math.floor(p / Bytes.PAGE))[p % Bytes.PAGE]!;
  }
  readInt8(p: number): number {
    return (this.u8(p) << 24) >> 24;
  }
  readUInt16BE(p: number): number {
    const n = Math.floor(p / Bytes.PAGE);
    const o = p - n * Bytes.PAGE;
    if (p >= 0 && o + 1 < Bytes.PAGE && p + 1 < this.size) {
      const page = this.page(n);
      return (page[o]! << 8) | page[o + 1]!;
    }
    return (this.u8(p) << 8) | this.u8(p + 1);
  }
  readInt16BE(p: number): number {
    return (this.readUInt16BE(p) << 16) >> 16;
  }
  readUInt32BE(p: number): number {
    return this.readUInt16BE(p) * 0x10000 + this.readUInt16BE(p + 2);
  }
  readInt32BE(p: number): number {
    return this.readUInt32BE(p) | 0;
  }
  readUIntBE(p: number, size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + this.u8(p + i);
    return v;
  }
  latin1(start: number, end: number): string {
    return this.slice(start, end).toString('latin1');
  }
}

/** The faces of a font file (one, or several in a collection) with their family names and tables. */
function facesOf(buf: Bytes): { family: string[]; tables: Map<string, { offset: number; length: number }> }[] {
  const offsets = buf.latin1(0, 4) === 'ttcf' ? Array.from({ length: buf.readUInt32BE(8) }, (_, i) => buf.readUInt32BE(12 + 4 * i)) : [0];
  return offsets.map((o) => {
    const tables = new Map<string, { offset: number; length: number }>();
    const n = buf.readUInt16BE(o + 4);
    for (let i = 0; i < n; i++) {
      const rec = o + 12 + 16 * i;
      tables.set(buf.latin1(rec, rec + 4), { offset: buf.readUInt32BE(rec + 8), length: buf.readUInt32BE(rec + 12) });
    }
    return { family: familyNames(buf, tables.get('name')?.offset), tables };
  });
}

/** The family names (name ids 1 and 16) a face gives in Unicode. */
function familyNames(buf: Bytes, at: number | undefined): string[] {
  if (at === undefined) return [];
  const count = buf.readUInt16BE(at + 2);
  const strings = at + buf.readUInt16BE(at + 4);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const rec = at + 6 + 12 * i;
    const [platform, , , nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((k) => buf.readUInt16BE(rec + k)) as [number, number, number, number, number, number];
    if ((nameId === 1 || nameId === 16) && (platform === 0 || platform === 3)) {
      let name = '';
      for (let k = 0; k + 1 < length; k += 2) name += String.fromCharCode(buf.readUInt16BE(strings + offset + k));
      names.push(name);
    }
  }
  return names;
}

const faces = new Map<string, FontFace>();

/** The face of `family` in a font file (the first face when none is so named); the file is read once per process. */
export function loadFace(file: string, family?: string): FontFace {
  const key = `${file}\0${family ?? ''}`;
  let face = faces.get(key);
  if (!face) {
    fontLoads.set(file, (fontLoads.get(file) ?? 0) + 1);
    const buf = new Bytes(file);
    const all = facesOf(buf);
    const chosen = all.find((f) => family !== undefined && f.family.includes(family)) ?? all[0]!;
    face = new FontFace(buf, chosen.tables);
    faces.set(key, face);
  }
  return face;
}

// ---------------------------------------------------------------------------------------------- cmap

function cmapOf(buf: Bytes, at: number): (cp: number) => number {
  const n = buf.readUInt16BE(at + 2);
  let f12: number | undefined;
  let f4: number | undefined;
  for (let i = 0; i < n; i++) {
    const rec = at + 4 + 8 * i;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const sub = at + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(sub);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12) f12 ??= sub;
    else if (format === 4) f4 ??= sub;
  }
  if (f12 !== undefined) {
    const sub = f12;
    const groups = buf.readUInt32BE(sub + 12);
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = sub + 16 + 12 * mid;
        if (cp < buf.readUInt32BE(g)) hi = mid - 1;
        else if (cp > buf.readUInt32BE(g + 4)) lo = mid + 1;
        else return buf.readUInt32BE(g + 8) + cp - buf.readUInt32BE(g);
      }
      return 0;
    };
  }
  if (f4 !== undefined) {
    const sub = f4;
    const segs = buf.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + 2 * segs + 2;
    const deltas = starts + 2 * segs;
    const ranges = deltas + 2 * segs;
    return (cp) => {
      if (cp > 0xffff) return 0;
      let lo = 0;
      let hi = segs - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (buf.readUInt16BE(ends + 2 * mid) < cp) lo = mid + 1;
        else hi = mid;
      }
      const start = buf.readUInt16BE(starts + 2 * lo);
      if (cp < start || cp > buf.readUInt16BE(ends + 2 * lo)) return 0;
      const delta = buf.readUInt16BE(deltas + 2 * lo);
      const range = buf.readUInt16BE(ranges + 2 * lo);
      if (range === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(ranges + 2 * lo + range + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    };
  }
  throw new Error('font has no Unicode cmap');
}

// ---------------------------------------------------------------------------------------------- TrueType outlines

function glyfOutlines(buf: Bytes, glyf: number, loca: number, longLoca: number): (gid: number) => Cmd[] {
  const locate = (gid: number): [number, number] =>
    longLoca ? [buf.readUInt32BE(loca + 4 * gid), buf.readUInt32BE(loca + 4 * gid + 4)] : [buf.readUInt16BE(loca + 2 * gid) * 2, buf.readUInt16BE(loca + 2 * gid + 2) * 2];
  const outline = (gid: number, depth: number): Cmd[] => {
    const [start, end] = locate(gid);
    if (end <= start || depth > 8) return [];
    const at = glyf + start;
    const contours = buf.readInt16BE(at);
    return contours >= 0 ? simpleGlyph(buf, at, contours) : compositeGlyph(buf, at + 10, (g) => outline(g, depth + 1));
  };
  return (gid) => outline(gid, 0);
}

function simpleGlyph(buf: Bytes, at: number, contours: number): Cmd[] {
  const endPts: number[] = [];
  for (let i = 0; i < contours; i++) endPts.push(buf.readUInt16BE(at + 10 + 2 * i));
  const n = contours ? endPts[contours - 1]! + 1 : 0;
  let p = at + 10 + 2 * contours;
  p += 2 + buf.readUInt16BE(p);
  const flags: number[] = [];
  while (flags.length < n) {
    const f = buf.u8(p++);
    flags.push(f);
    if (f & 8) for (let r = buf.u8(p++); r > 0; r--) flags.push(f);
  }
  const coords = (short: number, same: number): number[] => {
    const out: number[] = [];
    let v = 0;
    for (const f of flags) {
      if (f & short) v += f & same ? buf.u8(p++) : -buf.u8(p++);
      else if (!(f & same)) {
        v += buf.readInt16BE(p);
        p += 2;
      }
      out.push(v);
    }
    return out;
  };
  const xs = coords(2, 16);
  const ys = coords(4, 32);
  const cmds: Cmd[] = [];
  let s = 0;
  for (const e of endPts) {
    const pts = Array.from({ length: e - s + 1 }, (_, i) => ({ x: xs[s + i]!, y: ys[s + i]!, on: (flags[s + i]! & 1) === 1 }));
    s = e + 1;
    if (pts.length === 0) continue;
    // Start on a point on the curve (or the midpoint of two off-curve points).
    const k = pts.findIndex((q) => q.on);
    const begin = k >= 0 ? pts[k]! : { x: (pts[0]!.x + pts[1 % pts.length]!.x) / 2, y: (pts[0]!.y + pts[1 % pts.length]!.y) / 2, on: true };
    const order = k >= 0 ? [...pts.slice(k + 1), ...pts.slice(0, k + 1)] : [...pts, pts[0]!];
    cmds.push(['M', begin.x, begin.y]);
    let ctrl: { x: number; y: number } | null = null;
    for (const q of order) {
      if (q.on) {
        cmds.push(ctrl ? ['Q', ctrl.x, ctrl.y, q.x, q.y] : ['L', q.x, q.y]);
        ctrl = null;
      } else {
        if (ctrl) cmds.push(['Q', ctrl.x, ctrl.y, (ctrl.x + q.x) / 2, (ctrl.y + q.y) / 2]);
        ctrl = q;
      }
    }
    if (ctrl) cmds.push(['Q', ctrl.x, ctrl.y, begin.x, begin.y]);
    cmds.push(['Z']);
  }
  return cmds;
}

function compositeGlyph(buf: Bytes, p: number, outline: (gid: number) => Cmd[]): Cmd[] {
  const cmds: Cmd[] = [];
  for (;;) {
    const flags = buf.readUInt16BE(p);
    const gid = buf.readUInt16BE(p + 2);
    p += 4;
    let dx: number;
    let dy: number;
    if (flags & 1) {
      [dx, dy] = [buf.readInt16BE(p), buf.readInt16BE(p + 2)];
      p += 4;
    } else {
      [dx, dy] = [buf.readInt8(p), buf.readInt8(p + 1)];
      p += 2;
    }
    if (!(flags & 2)) [dx, dy] = [0, 0]; // point matching: rare in CJK fonts, placed at the origin
    const f2 = (o: number) => buf.readInt16BE(o) / 16384;
    let [a, b, c, d] = [1, 0, 0, 1];
    if (flags & 8) {
      a = d = f2(p);
      p += 2;
    } else if (flags & 0x40) {
      [a, d] = [f2(p), f2(p + 2)];
      p += 4;
    } else if (flags & 0x80) {
      [a, b, c, d] = [f2(p), f2(p + 2), f2(p + 4), f2(p + 6)];
      p += 8;
    }
    const tx = (x: number, y: number): [number, number] => [a * x + c * y + dx, b * x + d * y + dy];
    for (const cmd of outline(gid)) {
      if (cmd[0] === 'Z') cmds.push(cmd);
      else if (cmd[0] === 'Q') cmds.push(['Q', ...tx(cmd[1], cmd[2]), ...tx(cmd[3], cmd[4])]);
      else if (cmd[0] === 'C') cmds.push(['C', ...tx(cmd[1], cmd[2]), ...tx(cmd[3], cmd[4]), ...tx(cmd[5], cmd[6])]);
      else cmds.push([cmd[0], ...tx(cmd[1], cmd[2])]);
    }
    if (!(flags & 0x20)) return cmds;
  }
}

// ---------------------------------------------------------------------------------------------- CFF outlines

/** A CFF INDEX: its item count, where each item lies, and where the INDEX ends. */
function cffIndex(buf: Bytes, at: number): { count: number; item: (i: number) => [number, number]; end: number } {
  const count = buf.readUInt16BE(at);
  if (count === 0) return { count, item: () => [0, 0], end: at + 2 };
  const size = buf.u8(at + 2);
  const off = (i: number) => buf.readUIntBE(at + 3 + i * size, size);
  const data = at + 3 + (count + 1) * size - 1;
  return { count, item: (i) => [data + off(i), data + off(i + 1)], end: data + off(count) };
}

/** A CFF DICT: operator (12 x as 1200 + x) → operands. */
function cffDict(buf: Bytes, start: number, end: number): Map<number, number[]> {
  const dict = new Map<number, number[]>();
  let operands: number[] = [];
  let p = start;
  while (p < end) {
    const b = buf.u8(p++);
    if (b <= 21) {
      const op = b === 12 ? 1200 + buf.u8(p++) : b;
      dict.set(op, operands);
      operands = [];
    } else if (b === 28) {
      operands.push(buf.readInt16BE(p));
      p += 2;
    } else if (b === 29) {
      operands.push(buf.readInt32BE(p));
      p += 4;
    } else if (b === 30) {
      let s = '';
      for (let done = false; !done; ) {
        const byte = buf.u8(p++);
        for (const nib of [byte >> 4, byte & 15]) {
          if (nib === 15) {
            done = true;
            break;
          }
          s += ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', 'E', 'E-', '', '-'][nib]!;
        }
      }
      operands.push(Number(s));
    } else if (b >= 32 && b <= 246) operands.push(b - 139);
    else if (b >= 247 && b <= 250) operands.push((b - 247) * 256 + buf.u8(p++) + 108);
    else if (b >= 251 && b <= 254) operands.push(-(b - 251) * 256 - buf.u8(p++) - 108);
  }
  return dict;
}

const bias = (count: number) => (count < 1240 ? 107 : count < 33900 ? 1131 : 32768);

function cffOutlines(buf: Bytes, cff: number): (gid: number) => Cmd[] {
  const names = cffIndex(buf, cff + buf.u8(cff + 2));
  const tops = cffIndex(buf, names.end);
  const strings = cffIndex(buf, tops.end);
  const gsubrs = cffIndex(buf, strings.end);
  const top = cffDict(buf, ...tops.item(0));
  const charStrings = cffIndex(buf, cff + top.get(17)![0]!);
  const subrsOf = (dict: Map<number, number[]>) => {
    const priv = dict.get(18);
    if (!priv || priv.length < 2) return null;
    const [size, offset] = priv as [number, number];
    const pd = cffDict(buf, cff + offset, cff + offset + size);
    const subrs = pd.get(19);
    return subrs ? cffIndex(buf, cff + offset + subrs[0]!) : null;
  };
  let localSubrs: (gid: number) => ReturnType<typeof cffIndex> | null;
  if (top.has(1236)) {
    // A CID-keyed font (Noto CJK): each glyph's local subroutines come from its font DICT (FDSelect → FDArray).
    const fdArray = cffIndex(buf, cff + top.get(1236)![0]!);
    const fds = Array.from({ length: fdArray.count }, (_, i) => subrsOf(cffDict(buf, ...fdArray.item(i))));
    const sel = cff + top.get(1237)![0]!;
    const format = buf.u8(sel);
    localSubrs = (gid) => {
      if (format === 0) return fds[buf.u8(sel + 1 + gid)] ?? null;
      const n = buf.readUInt16BE(sel + 1);
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (buf.readUInt16BE(sel + 3 + 3 * mid) <= gid) lo = mid;
        else hi = mid - 1;
      }
      return fds[buf.u8(sel + 3 + 3 * lo + 2)] ?? null;
    };
  } else {
    const subrs = subrsOf(top);
    localSubrs = () => subrs;
  }
  return (gid) => (gid < charStrings.count ? charstring(buf, charStrings.item(gid), localSubrs(gid), gsubrs) : []);
}

/** A Type 2 charstring → path commands (hints are skipped, widths ignored: the advance comes from hmtx). */
function charstring(buf: Bytes, [start, end]: [number, number], subrs: ReturnType<typeof cffIndex> | null, gsubrs: ReturnType<typeof cffIndex>): Cmd[] {
  const cmds: Cmd[] = [];
  const stack: number[] = [];
  let x = 0;
  let y = 0;
  let stems = 0;
  let open = false;
  let widthTaken = false;
  let done = false;
  const lBias = subrs ? bias(subrs.count) : 0;
  const gBias = bias(gsubrs.count);
  const moveTo = (dx: number, dy: number) => {
    if (open) cmds.push(['Z']);
    x += dx;
    y += dy;
    cmds.push(['M', x, y]);
    open = true;
  };
  const lineTo = (dx: number, dy: number) => {
    x += dx;
    y += dy;
    cmds.push(['L', x, y]);
  };
  const curveTo = (a: number, b: number, c: number, d: number, e: number, f: number) => {
    const x1 = x + a;
    const y1 = y + b;
    const x2 = x1 + c;
    const y2 = y1 + d;
    x = x2 + e;
    y = y2 + f;
    cmds.push(['C', x1, y1, x2, y2, x, y]);
  };
  /** The first stack-clearing operator may carry the width first: drop it when the count says so. */
  const width = (even: boolean) => {
    if (!widthTaken && stack.length % 2 === (even ? 1 : 0)) stack.shift();
    widthTaken = true;
  };
  const stemHints = () => {
    width(true);
    stems += stack.length >> 1;
    stack.length = 0;
  };
  const run = (start: number, end: number, depth: number) => {
    // The charstring's bytes as one buffer (a view of a page, mostly): read here a byte at a time.
    const code = buf.slice(start, end);
    let p = 0;
    while (p < code.length && !done) {
      const b = code[p++]!;
      if (b >= 32 || b === 28) {
        if (b === 28) {
          stack.push(code.readInt16BE(p));
          p += 2;
        } else if (b <= 246) stack.push(b - 139);
        else if (b <= 250) stack.push((b - 247) * 256 + code[p++]! + 108);
        else if (b <= 254) stack.push(-(b - 251) * 256 - code[p++]! - 108);
        else {
          stack.push(code.readInt32BE(p) / 65536);
          p += 4;
        }
        continue;
      }
      switch (b) {
        case 1: // hstem
        case 3: // vstem
        case 18: // hstemhm
        case 23: // vstemhm
          stemHints();
          break;
        case 19: // hintmask
        case 20: // cntrmask
          stemHints();
          p += (stems + 7) >> 3;
          break;
        case 21: // rmoveto
          if (!widthTaken && stack.length > 2) stack.shift();
          widthTaken = true;
          moveTo(stack[0]!, stack[1]!);
          stack.length = 0;
          break;
        case 22: // hmoveto
          if (!widthTaken && stack.length > 1) stack.shift();
          widthTaken = true;
          moveTo(stack[0]!, 0);
          stack.length = 0;
          break;
        case 4: // vmoveto
          if (!widthTaken && stack.length > 1) stack.shift();
          widthTaken = true;
          moveTo(0, stack[0]!);
          stack.length = 0;
          break;
        case 5: // rlineto
          for (let i = 0; i + 1 < stack.length; i += 2) lineTo(stack[i]!, stack[i + 1]!);
          stack.length = 0;
          break;
        case 6: // hlineto
        case 7: {
          // vlineto
          let horizontal = b === 6;
          for (const v of stack) {
            if (horizontal) lineTo(v, 0);
            else lineTo(0, v);
            horizontal = !horizontal;
          }
          stack.length = 0;
          break;
        }
        case 8: // rrcurveto
          for (let i = 0; i + 5 < stack.length; i += 6) curveTo(stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, stack[i + 4]!, stack[i + 5]!);
          stack.length = 0;
          break;
        case 24: {
          // rcurveline
          let i = 0;
          for (; i + 7 < stack.length; i += 6) curveTo(stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, stack[i + 4]!, stack[i + 5]!);
          lineTo(stack[i]!, stack[i + 1]!);
          stack.length = 0;
          break;
        }
        case 25: {
          // rlinecurve
          let i = 0;
          for (; i + 7 < stack.length; i += 2) lineTo(stack[i]!, stack[i + 1]!);
          curveTo(stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, stack[i + 4]!, stack[i + 5]!);
          stack.length = 0;
          break;
        }
        case 26: {
          // vvcurveto
          let i = 0;
          let dx1 = 0;
          if (stack.length % 2) dx1 = stack[i++]!;
          for (; i + 3 < stack.length; i += 4) {
            curveTo(dx1, stack[i]!, stack[i + 1]!, stack[i + 2]!, 0, stack[i + 3]!);
            dx1 = 0;
          }
          stack.length = 0;
          break;
        }
        case 27: {
          // hhcurveto
          let i = 0;
          let dy1 = 0;
          if (stack.length % 2) dy1 = stack[i++]!;
          for (; i + 3 < stack.length; i += 4) {
            curveTo(stack[i]!, dy1, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, 0);
            dy1 = 0;
          }
          stack.length = 0;
          break;
        }
        case 30: // vhcurveto
        case 31: {
          // hvcurveto
          let horizontal = b === 31;
          for (let i = 0; i + 3 < stack.length; i += 4) {
            const last = i + 5 === stack.length ? stack[i + 4]! : 0;
            if (horizontal) curveTo(stack[i]!, 0, stack[i + 1]!, stack[i + 2]!, last, stack[i + 3]!);
            else curveTo(0, stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, last);
            horizontal = !horizontal;
          }
          stack.length = 0;
          break;
        }
        case 10: // callsubr
        case 29: {
          // callgsubr
          const index = b === 10 ? subrs : gsubrs;
          const n = stack.pop()! + (b === 10 ? lBias : gBias);
          if (index && n >= 0 && n < index.count && depth < 10) run(...index.item(n), depth + 1);
          break;
        }
        case 11: // return
          return;
        case 14: // endchar
          if (!widthTaken && (stack.length === 1 || stack.length === 5)) stack.shift();
          widthTaken = true;
          done = true;
          stack.length = 0;
          break;
        case 12: {
          const op = code[p++]!;
          const s = stack;
          if (op === 35) {
            // flex
            curveTo(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!);
            curveTo(s[6]!, s[7]!, s[8]!, s[9]!, s[10]!, s[11]!);
          } else if (op === 34) {
            // hflex
            const y0 = y;
            curveTo(s[0]!, 0, s[1]!, s[2]!, s[3]!, 0);
            curveTo(s[4]!, 0, s[5]!, y0 - y, s[6]!, 0);
          } else if (op === 36) {
            // hflex1
            const y0 = y;
            curveTo(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, 0);
            curveTo(s[5]!, 0, s[6]!, s[7]!, s[8]!, y0 - (y + s[7]!));
          } else if (op === 37) {
            // flex1
            const [x0, y0] = [x, y];
            let ddx = 0;
            let ddy = 0;
            for (let i = 0; i < 10; i += 2) {
              ddx += s[i]!;
              ddy += s[i + 1]!;
            }
            curveTo(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!);
            const horizontal = Math.abs(ddx) > Math.abs(ddy);
            const [ex, ey] = horizontal ? [s[10]!, y0 - (y + s[7]! + s[9]!)] : [x0 - (x + s[6]! + s[8]!), s[10]!];
            curveTo(s[6]!, s[7]!, s[8]!, s[9]!, ex, ey);
          }
          stack.length = 0;
          break;
        }
        default:
          stack.length = 0;
      }
    }
  };
  run(start, end, 0);
  if (open) cmds.push(['Z']);
  return cmds;
}
