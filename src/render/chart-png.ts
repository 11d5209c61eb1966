/**
 * Chart SVG → PNG with resvg (its binary ships in the npm package; loaded lazily). Chinese needs a CJK font
 * file: the first of CJK_FONTS found on this machine. Without one, Chinese would come out as empty boxes, so
 * no PNG is made and the caller says why (NoCjkFontError).
 *
 * The text is not left to resvg: given a font file, resvg reads and parses it again for every piece of text
 * (about 17 ms a label with a 20 MB CJK font, seconds for a chart with a few hundred labels). Each <text> is
 * drawn here as a <path> instead, from glyph outlines read once per process (src/render/chart-font.ts), and
 * resvg gets no font at all. The charts are rasterised one after another on libuv's threads.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32, createDeflate } from 'node:zlib';
import { DataError } from '../errors.js';
import { loadFace, type FontFace } from './chart-font.js';

export interface CjkFont {
  file: string;
  /** Its family name, for the text that asks for another font or for sans-serif. */
  family: string;
  /** Its bold face, for the titles, where there is one. */
  bold?: string;
}

/** Where systems install a Chinese sans-serif font: Debian/Ubuntu (fonts-noto-cjk), Arch, Fedora, WenQuanYi, Windows, macOS. */
export const CJK_FONTS: readonly CjkFont[] = [
  ...['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/google-noto-cjk'].map((dir) => ({
    file: `${dir}/NotoSansCJK-Regular.ttc`,
    family: 'Noto Sans CJK SC',
    bold: `${dir}/NotoSansCJK-Bold.ttc`,
  })),
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYi Micro Hei' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYi Zen Hei' },
  { file: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'Microsoft YaHei' },
  { file: 'C:\\Windows\\Fonts\\simhei.ttf', family: 'SimHei' },
  { file: '/System/Library/Fonts/PingFang.ttc', family: 'PingFang SC' },
];

/** What to tell the user when no Chinese font is found. */
export const NO_CJK_FONT = '未找到中文字体，PNG 图片中的中文无法显示：请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），或改用 .svg、.html 输出';

export class NoCjkFontError extends DataError {
  constructor() {
    super(NO_CJK_FONT);
  }
}

export function findCjkFont(candidates: readonly CjkFont[] = CJK_FONTS): CjkFont | undefined {
  return candidates.find((f) => existsSync(f.file));
}

/**
 * PNG images of the SVGs at twice their size (sharp when printed or pasted into Word), in order: the text is
 * outlined on this thread (NoCjkFontError without a Chinese font), then rasterised and compressed on libuv's threads.
 */
export async function svgToPngs(svgs: string[], candidates: readonly CjkFont[] = CJK_FONTS): Promise<Buffer[]> {
  const font = findCjkFont(candidates);
  if (!font) throw new NoCjkFontError();
  const regular = loadFace(font.file, font.family);
  const bold = font.bold && existsSync(font.bold) ? loadFace(font.bold, font.family) : regular;
  return rasterise(svgs.map((svg) => textToPaths(hatchesToPaths(svg), regular, bold)));
}

/** What is used of resvg's native binding (@resvg/resvg-js's js-binding.d.ts): the options go as JSON. */
interface ResvgBinding {
  renderAsync(svg: string, options: string): Promise<{ pixels: Buffer; width: number; height: number }>;
}

/** The package of resvg's binary for this system, where the system says so without asking the C library. */
function nativePackage(): string | undefined {
  const { platform, arch } = process;
  if (platform === 'win32' && (arch === 'x64' || arch === 'arm64' || arch === 'ia32')) return `@resvg/resvg-js-win32-${arch}-msvc`;
  if (platform === 'darwin' && (arch === 'x64' || arch === 'arm64')) return `@resvg/resvg-js-darwin-${arch}`;
  // Linux: glibc unless musl's loader is installed (Alpine); then the package's own loader decides.
  if (platform === 'linux' && (arch === 'x64' || arch === 'arm64')) return existsSync(`/lib/ld-musl-${arch === 'x64' ? 'x86_64' : 'aarch64'}.so.1`) ? undefined : `@resvg/resvg-js-linux-${arch}-gnu`;
  return undefined;
}

let binding: ResvgBinding | undefined;

/**
 * resvg's binary, loaded directly: @resvg/resvg-js's loader asks process.report.getReport() whether Linux runs
 * on glibc or musl, a report of the whole process (5–30 ms) for one field. Where that package is not installed
 * (or does not load), the package's own loader finds the binary.
 */
function resvg(): ResvgBinding {
  if (binding) return binding;
  const require = createRequire(import.meta.url);
  const name = nativePackage();
  try {
    if (name) return (binding = require(name) as ResvgBinding);
  } catch {
    // not installed here: the package's own loader below
  }
  const { renderAsync } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  return (binding = { renderAsync: (svg, options) => renderAsync(svg, JSON.parse(options) as Parameters<typeof renderAsync>[1]) });
}

async function rasterise(outlined: string[]): Promise<Buffer[]> {
  const { renderAsync } = resvg();
  const options = JSON.stringify({ font: { loadSystemFonts: false }, fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff', logLevel: 'off' });
  // One chart at a time: each holds about 20 MB of pixels (its pixmap and the copy resvg hands over), which
  // drawing them all at once kept alive together.
  const pngs: Buffer[] = [];
  for (const svg of outlined) {
    const image = await renderAsync(svg, options);
    pngs.push(await encodePng(image.pixels, image.width, image.height));
  }
  return pngs;
}

/** How many bytes of filtered rows are handed to the compressor at a time. */
const BATCH = 256 << 10;

/**
 * RGBA pixels → a PNG, compressed on libuv's threads (resvg's own encoder runs on the main thread). Each row goes
 * whole behind its filter byte (0: none), a batch of rows at a time through two small buffers used in turn: one
 * fresh buffer for the whole image (10 MB for a chart at twice its size) cost more in the kernel's page faults
 * (about 3 ms a megabyte of fresh memory here) than the copying and compressing together.
 */
async function encodePng(rgba: Buffer, width: number, height: number): Promise<Buffer> {
  const row = width * 4;
  const perBatch = Math.max(1, Math.floor(BATCH / (row + 1)));
  const z = createDeflate({ level: 6 });
  const parts: Buffer[] = [];
  z.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    z.on('end', resolve);
    z.on('error', reject);
  });
  const buffers = [Buffer.allocUnsafe(perBatch * (row + 1)), Buffer.allocUnsafe(perBatch * (row + 1))];
  const written: (Promise<void> | undefined)[] = [undefined, undefined];
  for (let y0 = 0, k = 0; y0 < height; y0 += perBatch, k ^= 1) {
    await written[k]; // the compressor is done with this buffer
    const raw = buffers[k]!;
    const n = Math.min(perBatch, height - y0);
    for (let i = 0; i < n; i++) {
      raw[i * (row + 1)] = 0;
      rgba.copy(raw, i * (row + 1) + 1, (y0 + i) * row, (y0 + i + 1) * row);
    }
    written[k] = new Promise<void>((resolve, reject) => z.write(raw.subarray(0, n * (row + 1)), (e) => (e ? reject(e) : resolve())));
  }
  z.end();
  await ended;
  const data = Buffer.concat(parts);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body, crc32(head.subarray(4))), 0);
    return [head, body, crc];
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunk('IHDR', header), ...chunk('IDAT', data), ...chunk('IEND', Buffer.alloc(0))]);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' || e[1] === 'X' ? `0${e.slice(1)}` : e.slice(1))) : (ENTITIES[e] ?? m)));
/** Attributes that only concern text: dropped from the path that replaces it. */
const TEXT_ONLY = new Set(['x', 'y', 'dx', 'dy', 'dominant-baseline', 'alignment-baseline', 'text-anchor', 'style', 'xml:space', 'font-size', 'font-family', 'font-weight', 'font-style', 'transform', 'stroke-width']);

/**
 * Every <text> of an SVG (one line each, as ECharts writes them) as its glyphs, placed as the text would be: its
 * x/y and transform, its text-anchor, its dominant-baseline, its size and weight; its fill, stroke and opacity
 * kept. Each glyph's outline is written once, in <defs>, and each occurrence is a <use> of it: a chart's few
 * hundred characters use a few dozen glyphs, and their outlines written out at every occurrence made the monthly
 * amounts chart's SVG 122 KB instead of 69 KB (text to build here and for resvg to parse).
 */
function textToPaths(svg: string, regular: FontFace, bold: FontFace): string {
  const defs = new Map<string, string>();
  const ref = (face: FontFace, gid: number) => {
    const id = `xg${face === regular ? 'r' : 'b'}${gid}`;
    if (!defs.has(id)) defs.set(id, `<path id="${id}" d="${face.glyphPath(gid)}"/>`);
    return id;
  };
  const body = svg.replace(/<text\b([^>]*)>([^<]*)<\/text>/g, (_m, attrText: string, content: string) => {
    const attrs = attrsOf(attrText);
    const style = new Map<string, string>();
    for (const decl of (attrs.get('style') ?? '').split(';')) {
      const i = decl.indexOf(':');
      if (i > 0) style.set(decl.slice(0, i).trim(), decl.slice(i + 1).trim());
    }
    const prop = (name: string) => style.get(name) ?? attrs.get(name);
    const text = unescapeXml(content);
    const size = parseFloat(prop('font-size') ?? '12') || 12;
    const weight = prop('font-weight') ?? 'normal';
    const face = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600 ? bold : regular;
    const k = size / face.unitsPerEm;
    const width = face.width(text) * k;
    const anchor = prop('text-anchor') ?? 'start';
    const x = parseFloat(attrs.get('x') ?? '0') - (anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0);
    const baseline = prop('dominant-baseline') ?? 'alphabetic';
    const shift = baseline === 'central' || baseline === 'middle' ? face.central : baseline === 'hanging' || baseline === 'text-before-edge' ? face.ascent : baseline === 'text-after-edge' || baseline === 'ideographic' ? face.descent : 0;
    const y = parseFloat(attrs.get('y') ?? '0') + shift * k;
    const r = (v: number) => Math.round(v * 1000) / 1000;
    const transform = `${attrs.get('transform') ?? ''} translate(${r(x)} ${r(y)}) scale(${r(k)} ${-r(k)})`.trim();
    const kept = [...attrs].filter(([n]) => !TEXT_ONLY.has(n)).map(([n, v]) => ` ${n}="${v}"`);
    for (const [n, v] of style) if (!n.startsWith('font') && !TEXT_ONLY.has(n)) kept.push(` ${n}="${v}"`);
    const strokeWidth = prop('stroke-width');
    if (strokeWidth) kept.push(` stroke-width="${r(parseFloat(strokeWidth) / k)}"`);
    const glyphs = face.placed(text);
    if (glyphs.length === 0) return '';
    const uses = glyphs.map((g) => `<use xlink:href="#${ref(face, g.gid)}"${g.x ? ` x="${g.x}"` : ''}/>`).join('');
    return `<g transform="${transform}"${kept.join('')}>${uses}</g>`;
  });
  if (defs.size === 0) return body;
  // The glyphs go first, in <defs>; xlink is declared for their references where the SVG does not declare it.
  return body.replace(/<svg\b[^>]*>/, (open) => `${open.includes('xmlns:xlink=') ? open : open.replace(/^<svg/, '<svg xmlns:xlink="http://www.w3.org/1999/xlink"')}<defs>${[...defs.values()].join('')}</defs>`);
}

const NUM = String.raw`-?\d+(?:\.\d+)?(?:e-?\d+)?`;
/** A rectangle as ECharts writes a bar: M x y l w 0 l 0 h l −w 0 Z. */
const RECT = new RegExp(String.raw`^M(${NUM}) (${NUM})l(${NUM}) 0l0 (${NUM})l(${NUM}) 0Z$`);

function rectOf(d: string): { x: number; y: number; w: number; h: number } | undefined {
  const m = RECT.exec(d);
  if (!m || Number(m[5]) !== -Number(m[3])) return undefined;
  return { x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) };
}

interface Hatch {
  /** The stripes in the pattern's own space: y from y0 to y1, repeated every `period`, across its whole width. */
  bands: [number, number][];
  period: number;
  /** The pattern's rotation in radians (patternTransform="rotate(a)"). */
  angle: number;
  fill: string;
  opacity: string | undefined;
}

/** An SVG element's attributes (`name="value"` pairs of its start tag), by name. */
function attrsOf(attrText: string): Map<string, string> {
  return new Map([...attrText.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
}

/**
 * A hatch pattern as ECharts writes a decal (user-space tiles of rectangles, rotated), as stripes; undefined for
 * any other pattern.
 */
function hatchOf(attrText: string, content: string): Hatch | undefined {
  const attrs = attrsOf(attrText);
  const width = Number(attrs.get('width'));
  const period = Number(attrs.get('height'));
  const rotate = /^rotate\((-?[\d.]+)\)$/.exec(attrs.get('patternTransform') ?? 'rotate(0)');
  if (attrs.get('patternUnits') !== 'userSpaceOnUse' || !(width > 0) || !(period > 0) || !rotate || Number(attrs.get('x') ?? 0) || Number(attrs.get('y') ?? 0)) return undefined;
  const bands: [number, number][] = [];
  let paint: string | undefined;
  // Only paths without a transform, in groups without attributes.
  const rest = content.replace(/<path d="([^"]*)" fill="([^"]*)"(?: fill-opacity="([^"]*)")?\s*(?:\/>|><\/path>)/g, (_m, d: string, fill: string, opacity: string | undefined) => {
    const r = rectOf(d);
    if (!r) return '!';
    const [x0, x1] = r.w < 0 ? [r.x + r.w, r.x] : [r.x, r.x + r.w];
    const [y0, y1] = r.h < 0 ? [Math.max(0, r.y + r.h), Math.min(period, r.y)] : [Math.max(0, r.y), Math.min(period, r.y + r.h)];
    if (x1 <= 0 || x0 >= width || y1 <= y0) return ''; // outside the tile
    if (x0 > 0 || x1 < width) return '!'; // not across the whole tile
    const p = `${fill}\0${opacity ?? ''}`;
    if (paint !== undefined && paint !== p) return '!';
    paint = p;
    bands.push([y0, y1]);
    return '';
  });
  if (paint === undefined || rest.replace(/<\/?g\s*>/g, '').trim() !== '') return undefined;
  const [fill, opacity] = paint.split('\0') as [string, string];
  return { bands, period, angle: (Number(rotate[1]) * Math.PI) / 180, fill, opacity: opacity || undefined };
}

/** The part of a convex polygon where lo ≤ n·p ≤ hi (Sutherland–Hodgman, one half-plane after the other). */
function clipBand(poly: [number, number][], nx: number, ny: number, lo: number, hi: number): [number, number][] {
  const half = (pts: [number, number][], f: (p: [number, number]) => number) => {
    const out: [number, number][] = [];
    pts.forEach((p, i) => {
      const q = pts[(i + 1) % pts.length]!;
      const fp = f(p);
      const fq = f(q);
      if (fp >= 0) out.push(p);
      if (fp >= 0 !== fq >= 0) {
        const t = fp / (fp - fq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    });
    return out;
  };
  const lower = half(poly, (p) => nx * p[0] + ny * p[1] - lo);
  return lower.length ? half(lower, (p) => hi - (nx * p[0] + ny * p[1])) : lower;
}

/** The stripes of a hatch over a rectangle, as path data in the rectangle's coordinates. */
function stripes(h: Hatch, r: { x: number; y: number; w: number; h: number }): string {
  const poly: [number, number][] = [
    [r.x, r.y],
    [r.x + r.w, r.y],
    [r.x + r.w, r.y + r.h],
    [r.x, r.y + r.h],
  ];
  // A point p of the user space lies at y = n·p in the pattern's space (the rotation undone).
  const nx = -Math.sin(h.angle);
  const ny = Math.cos(h.angle);
  const along = poly.map((p) => nx * p[0] + ny * p[1]);
  const [lo, hi] = [Math.min(...along), Math.max(...along)];
  const f = (v: number) => String(Math.round(v * 1000) / 1000);
  let d = '';
  for (let k = Math.floor(lo / h.period) - 1; k * h.period <= hi; k++) {
    for (const [b0, b1] of h.bands) {
      const part = clipBand(poly, nx, ny, k * h.period + b0, k * h.period + b1);
      if (part.length >= 3) d += `M${part.map(([x, y]) => `${f(x)} ${f(y)}`).join('L')}Z`;
    }
  }
  return d;
}

/**
 * Bars filled with a hatch pattern (ECharts' decal) get their stripes as paths, clipped to the bar, and the bar
 * itself only its outline: the same stripes in the same places, but resvg draws a rotated pattern by resampling its
 * tile at every pixel, which took ~40 ms of the ~95 ms of CPU that drawing the demo's amounts chart cost (a third
 * of its pixels hatched). Shapes other than rectangles (the legend's rounded key) keep the pattern.
 */
function hatchesToPaths(svg: string): string {
  const hatches = new Map<string, Hatch>();
  for (const m of svg.matchAll(/<pattern\b([^>]*)>([\s\S]*?)<\/pattern>/g)) {
    const id = /\bid="([^"]*)"/.exec(m[1]!)?.[1];
    const h = id === undefined ? undefined : hatchOf(m[1]!, m[2]!);
    if (h) hatches.set(id!, h);
  }
  if (hatches.size === 0) return svg;
  return svg.replace(/<path\b([^>]*)\bfill="url\(#([^)"]*)\)"([^>]*)>/g, (tag: string, before: string, id: string, after: string) => {
    const h = hatches.get(id);
    const attrs = `${before}${after}`;
    const r = h && /\bd="([^"]*)"/.exec(attrs);
    const rect = r ? rectOf(r[1]!) : undefined;
    if (!h || !rect || /\b(?:fill-opacity|opacity|style|fill-rule|clip-path|mask|filter)=/.test(attrs)) return tag;
    const transform = /\btransform="[^"]*"/.exec(attrs)?.[0];
    const d = stripes(h, rect);
    const band = d ? `<path d="${d}" fill="${h.fill}"${h.opacity ? ` fill-opacity="${h.opacity}"` : ''}${transform ? ` ${transform}` : ''}/>` : '';
    return `${band}<path${before}fill="none"${after}>`;
  });
}
