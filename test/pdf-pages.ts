/**
 * Reading documents as they print: LibreOffice (headless, a private profile, the documents' Chinese fonts
 * standing in as in scripts/preview.mjs) converts them to PDF in one run, and `pdftotext -bbox` gives every
 * word's box on every page. The checks are those a clerk makes before handing a document up: no word outside
 * the printable area, no page without text, no table row left alone on a page.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { basename, join } from 'node:path';

export interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

export interface Page {
  width: number;
  height: number;
  words: Word[];
}

/** Margins in points: the area a word may take (the header and footer distances above and below). */
export interface Area {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const INCH = 72;
const MM = 72 / 25.4;
/** Workbooks: 0.5 in left and right, the page number 0.3 in from the bottom (src/render/sheet-layout.ts MARGINS). */
export const SHEET_AREA: Area = { left: 0.5 * INCH, right: 0.5 * INCH, top: 0.3 * INCH, bottom: 0.3 * INCH };
/** Word documents: 28 mm left, 26 mm right, the footer 20 mm from the bottom (src/render/docx.ts PAGE). */
export const DOCX_AREA: Area = { left: 28 * MM, right: 26 * MM, top: 15 * MM, bottom: 20 * MM };

/**
 * Whether LibreOffice and poppler are installed, and Carlito, which stands in for Calibri (the workbooks'
 * default font, whose digit sets the width of a column unit) with the same widths.
 */
export function haveTools(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v soffice && command -v pdftotext && fc-list | grep -q Carlito && fc-list | grep -q "Liberation Serif"'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The size in points of every run of text LibreOffice printed (each `Tf` of the PDF's content streams, which
 * it writes already scaled): what a reader sees, after the sheet is fitted to the page.
 */
export function fontSizesOf(pdf: string): number[] {
  const data = readFileSync(pdf);
  const sizes: number[] = [];
  const text = data.toString('latin1');
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    let body: string;
    try {
      body = inflateSync(data.subarray(start, end)).toString('latin1');
    } catch {
      continue; // not a deflated stream (an image, a font's glyphs)
    }
    for (const t of body.matchAll(/\/F\d+ ([\d.]+) Tf/g)) sizes.push(Number(t[1]));
  }
  return sizes;
}

const alias = (from: string, to: string, bold = false) =>
  `<match target="pattern"><test name="family"><string>${from}</string></test>` +
  `<edit name="family" mode="assign" binding="strong"><string>${to}</string></edit>` +
  (bold ? '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>' : '') +
  '</match>';

/** Converts every file to PDF in `dir`/pdf with one LibreOffice run; the PDF of each, by file. */
export function toPdf(files: string[], dir: string): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const fontsConf = join(dir, 'fonts.conf');
  writeFileSync(
    fontsConf,
    '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>' +
      [['宋体', 'Noto Serif CJK SC'], ['SimSun', 'Noto Serif CJK SC'], ['仿宋', 'Noto Serif CJK SC'], ['楷体', 'Noto Serif CJK SC'], ['黑体', 'Noto Sans CJK SC']]
        .map(([a, b]) => alias(a!, b!))
        .join('') +
      alias('方正小标宋简体', 'Noto Serif CJK SC', true) +
      '</fontconfig>',
  );
  const out = join(dir, 'pdf');
  mkdirSync(out, { recursive: true });
  const profile = join(dir, 'lo-profile');
  // A new profile has seen no version of LibreOffice, and on the first start of a version LibreOffice runs its
  // graphics self-tests (GraphicsRenderTests.log): seconds of drawing large bitmaps, most of a run's start-up,
  // with no effect on what it prints. The profile is marked as having seen this version, as the office's own
  // profile is after its first start.
  const version = /LibreOffice (\d+\.\d+)\./.exec(execFileSync('soffice', ['--version'], { encoding: 'utf8', env: { ...process.env, HOME: dir } }))?.[1];
  if (version) {
    mkdirSync(join(profile, 'user'), { recursive: true });
    writeFileSync(
      join(profile, 'user', 'registrymodifications.xcu'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
        `<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>${version}</value></prop></item>\n</oor:items>\n`,
    );
  }
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...files], {
    env: { ...process.env, FONTCONFIG_FILE: fontsConf, HOME: dir },
    stdio: 'ignore',
    timeout: 150_000,
  });
  const pdfs = new Map<string, string>();
  for (const f of files) {
    const pdf = join(out, basename(f).replace(/\.[^.]+$/, '.pdf'));
    if (existsSync(pdf)) pdfs.set(f, pdf);
  }
  return pdfs;
}

const num = (attrs: string, name: string) => Number(new RegExp(`${name}="([-\\d.e]+)"`).exec(attrs)![1]);
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every page of a PDF with its words' boxes. */
export function pagesOf(pdf: string): Page[] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const pages: Page[] = [];
  for (const m of html.matchAll(/<page ([^>]*)>([\s\S]*?)<\/page>/g)) {
    const words: Word[] = [];
    for (const w of m[2]!.matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)) {
      words.push({ x0: num(w[1]!, 'xMin'), y0: num(w[1]!, 'yMin'), x1: num(w[1]!, 'xMax'), y1: num(w[1]!, 'yMax'), text: unescape(w[2]!) });
    }
    pages.push({ width: num(m[1]!, 'width'), height: num(m[1]!, 'height'), words });
  }
  return pages;
}

/** The page's words as lines of text (words whose boxes overlap vertically), top to bottom. */
export function linesOf(page: Page): { y0: number; y1: number; text: string }[] {
  const lines: { y0: number; y1: number; words: Word[] }[] = [];
  for (const w of [...page.words].sort((a, b) => a.y0 - b.y0)) {
    const mid = (w.y0 + w.y1) / 2;
    const line = lines.find((l) => mid > l.y0 && mid < l.y1);
    if (line) {
      line.words.push(w);
      line.y0 = Math.min(line.y0, w.y0);
      line.y1 = Math.max(line.y1, w.y1);
    } else lines.push({ y0: w.y0, y1: w.y1, words: [w] });
  }
  return lines.map((l) => ({ y0: l.y0, y1: l.y1, text: l.words.sort((a, b) => a.x0 - b.x0).map((w) => w.text).join(' ') }));
}

const HAN = /\p{Script=Han}/u;

/**
 * Words printed over one another (boxes overlapping by more than 1 pt across and by more than a fifth of their
 * height), at least one of them Chinese: the lines of a cell too short for its text, run into the row above or
 * below. (A chart's number labels may touch each other, and the two lines of its category labels, 月 over 年,
 * touch by about a tenth of their height; they are not cell text.)
 */
export function overlapsOf(page: Page): string[] {
  const words = [...page.words].sort((a, b) => a.y0 - b.y0);
  const out: string[] = [];
  words.forEach((a, i) => {
    for (const b of words.slice(i + 1)) {
      if (b.y0 >= a.y1 - 1) break;
      const x = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      if (x > 1 && Math.min(a.y1, b.y1) - b.y0 > Math.max(1, 0.2 * Math.min(a.y1 - a.y0, b.y1 - b.y0)) && (HAN.test(a.text) || HAN.test(b.text))) out.push(`“${a.text}”与“${b.text}”重叠`);
    }
  });
  return out;
}

const PAGE_NUMBER = /^(第 ?\d+ ?页，共 ?\d+ ?页|— ?\d+ ?—|-\s*\d+\s*-)$/;
const SIGNATURE = /^单位负责人：/;
const HANGING = /[，。、；：！？）”’》」]$/u;

/**
 * What a clerk would have to fix on these pages: words outside `area` (1 pt of slack), pages without text,
 * and a table that runs on to a page for a single row: a page that repeats the first lines of the one before
 * (the title and header rows printed on every page) and holds one line besides them, the signature line
 * and the page number.
 */
export function problemsOf(pages: Page[], area: Area): string[] {
  const out: string[] = [];
  const slack = 1;
  pages.forEach((p, i) => {
    const n = i + 1;
    if (p.words.length === 0) out.push(`第${n}页没有文字`);
    for (const w of p.words) {
      // A line may end with a Chinese punctuation mark hanging past the margin (标点悬挂), as Word and
      // LibreOffice set it: allowed the width of that one mark.
      const hang = HANGING.test(w.text) ? w.y1 - w.y0 : 0;
      if (w.x0 < area.left - slack || w.x1 > p.width - area.right + slack + hang || w.y0 < area.top - slack || w.y1 > p.height - area.bottom + slack) {
        out.push(`第${n}页“${w.text}”超出可打印区域（${w.x0.toFixed(0)},${w.y0.toFixed(0)}–${w.x1.toFixed(0)},${w.y1.toFixed(0)}，页面 ${p.width.toFixed(0)}×${p.height.toFixed(0)}）`);
      }
    }
    if (i === 0) return;
    const before = linesOf(pages[i - 1]!).map((l) => l.text);
    const lines = linesOf(p).map((l) => l.text).filter((t) => !PAGE_NUMBER.test(t));
    const continues = lines.length >= 3 && lines.slice(0, 3).every((t, k) => t === before[k]);
    if (!continues) return;
    const own = lines.filter((t) => !before.includes(t) && !SIGNATURE.test(t));
    if (own.length <= 1) out.push(`第${n}页只有表格的${own.length ? `一行：“${own[0]}”` : '表头'}`);
  });
  return out;
}
