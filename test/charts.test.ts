/**
 * The report's charts, without a browser (test/browser.test.ts opens the HTML in Chromium): every number a
 * chart shows is the report's own (its JSON), the trend is each month's own monthly report, the same period
 * gives the same bytes, the HTML file needs nothing from outside, the official forms, single charts as SVG and
 * PNG, the workbook's 图表 sheet (charts the spreadsheet program draws), what happens without a Chinese font,
 * and that only drawing loads ECharts.
 */
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from '../src/render/chart-data.js';
import { fontLoads, glyphDecodes, loadFace } from '../src/render/chart-font.js';
import { CJK_FONTS, findCjkFont, NoCjkFontError, svgToPngs } from '../src/render/chart-png.js';
import { chartSvg } from '../src/render/charts.js';
import { writeTableBook } from '../src/render/xlsx.js';
import { demoSandbox, type Sandbox, TODAY } from './helpers.js';
import { zipNames, zipText } from './zip.js';

let sb: Sandbox;
const env = () => ({ XYPZ_DB: sb.db, XYPZ_ACTOR: 'demo_admin' });
async function ok(...args: string[]) {
  const r = await sb.run(args, { env: env() });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}
const json = async (...args: string[]) => (await ok(...args, '--json')).json();
/** Writes the HTML report and reads it back. */
async function freshHtml(kind: string, period: string, ...extra: string[]): Promise<string> {
  const out = sb.path(`${kind}-${period}${extra.join('')}.html`);
  await ok('report', kind, '--period', period, ...extra, '--out', out);
  return readFileSync(out, 'utf8');
}
/**
 * The HTML report, written once for the tests that only read it: every command here is a report, none writes
 * to the database, so a report written again is the same (as the test of its bytes checks with freshHtml).
 * Each report's charts cost about half a second of CPU to draw.
 */
const written = new Map<string, Promise<string>>();
function html(kind: string, period: string, ...extra: string[]): Promise<string> {
  const key = [kind, period, ...extra].join('\u0000');
  let doc = written.get(key);
  if (!doc) written.set(key, (doc = freshHtml(kind, period, ...extra)));
  return doc;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
/** The data tables under a chart of the HTML report: [table][row][cell]. */
function chartTables(doc: string, id: string): string[][][] {
  const fig = new RegExp(`<figure class="chart" id="chart-${id}"[\\s\\S]*?</figure>`).exec(doc);
  expect(fig, `chart ${id}`).not.toBeNull();
  return [...fig![0].matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map((t) =>
    [...t[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => unescape(c[1]!))),
  );
}
const money = (x: number) => x.toFixed(2);
const rate = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** The twelve months to 2024-05. */
const MONTHS = Array.from({ length: 12 }, (_, i) => {
  const d = new Date(Date.UTC(2023, 5 + i, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
});
const inWords = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;

beforeAll(async () => {
  sb = await demoSandbox();
}, 60_000);
afterAll(() => sb?.cleanup());

describe('the charts show the report’s own figures', () => {
  it('monthly: the list, the amounts by district and by lead bank are the JSON’s numbers', async () => {
    const [doc, j] = [await html('monthly', '2024-05'), await json('report', 'monthly', '--period', '2024-05')];
    type D = { district: string; active: number; vacancies: number; credit_amount: number; loan_amount: number };
    type B = { bank: string; credit_amount: number; loan_amount: number };
    expect(chartTables(doc, 'pool')).toEqual([j.districts.map((d: D) => [d.district, String(d.active), String(d.vacancies)])]);
    expect(chartTables(doc, 'amounts')).toEqual([
      j.districts.map((d: D) => [d.district, money(d.credit_amount), money(d.loan_amount)]),
      j.banks.map((b: B) => [b.bank, money(b.credit_amount), money(b.loan_amount)]),
    ]);
    // the demo has activity to show
    expect(j.total.active).toBeGreaterThan(0);
    expect(j.total.loan_amount + j.total.credit_amount).toBeGreaterThan(0);
    expect(doc).not.toContain('data-chart="ranking"');
    expect(doc).not.toContain('data-chart="satisfaction"');
  });

  it('the trend: each of the twelve months is that month’s own monthly report, as of its last day', async () => {
    const doc = await html('monthly', '2024-05');
    const expected = [];
    for (const m of MONTHS) {
      const { total } = await json('report', 'monthly', '--period', m);
      expected.push([inWords(m), money(total.loan_amount), String(total.active)]);
    }
    expect(chartTables(doc, 'trend')).toEqual([expected]);
    expect(new Set(expected.map((r) => r[2])).size).toBeGreaterThan(1); // the list grows over the year
    expect(doc).toContain('近 12 个月放款金额与在库企业数（2023年6月至2024年5月）');
  });

  it('a district’s report: its own list, its own trend, its 金融办 as 填报单位', async () => {
    const doc = await html('monthly', '2024-05', '--district', '华容区');
    const j = await json('report', 'monthly', '--period', '2024-05', '--district', '华容区');
    expect(chartTables(doc, 'pool')).toEqual([[['华容区', String(j.districts[0].active), String(j.districts[0].vacancies)]]]);
    const last = (await json('report', 'monthly', '--period', '2024-04', '--district', '华容区')).total;
    expect(chartTables(doc, 'trend')[0]![10]).toEqual(['2024年4月', money(last.loan_amount), String(last.active)]);
    expect(doc).toContain('华容区名单在库企业与空缺');
    expect(doc).toContain('填报单位：华容区金融办');
  });

  it('annual: the 通报 ranking with scores and the satisfaction rates, as in the JSON', async () => {
    const [doc, j] = [await html('annual', '2023'), await json('report', 'annual', '--period', '2023')];
    type R = { rank: number; name: string; score: number };
    const ranked = (rows: R[]) => rows.map((r) => [`${r.rank}. ${r.name}`, money(r.score)]);
    expect(chartTables(doc, 'ranking')).toEqual([ranked(j.ranking.districts), ranked(j.ranking.banks)]);
    type S = { satisfaction_rate: number | null };
    expect(chartTables(doc, 'satisfaction')).toEqual([
      j.districts.map((d: S & { district: string }) => [d.district, rate(d.satisfaction_rate)]),
      j.banks.map((b: S & { bank: string }) => [b.bank, rate(b.satisfaction_rate)]),
    ]);
    expect(j.districts.some((d: S) => d.satisfaction_rate !== null)).toBe(true);
    expect(doc).toContain('近 12 个月放款金额与在库企业数（2023年1月至2023年12月）');
  });
});

describe('the HTML file', () => {
  it('needs nothing from outside: no script, no link, no external reference, and a policy that forbids requests', async () => {
    for (const [kind, period] of [['monthly', '2024-05'], ['quarterly', '2024Q1'], ['annual', '2023']] as const) {
      const doc = await html(kind, period);
      expect(doc).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
      expect(doc).not.toMatch(/<script|<link|<img|<iframe|<object|@import|@font-face/i);
      expect(doc).not.toMatch(/\b(src|href|xlink:href|srcset|action)\s*=/i);
      expect(doc.match(/url\(([^)]*)\)/g)?.filter((u) => !/^url\(#xypz-[a-z]+-[\w-]+\)$/.test(u)) ?? []).toEqual([]);
      // ids of several charts in one page never collide
      const ids = [...doc.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('holds the tables as official forms: title, period in words, 填报单位 and units, two-level headers, 合计, signature', async () => {
    // each dated its publication day, the day after its cut-off
    const words: [string, string, string, string][] = [
      ['monthly', '2024-05', '2024年5月', '2024年6月11日'],
      ['quarterly', '2024Q1', '2024年第一季度', '2024年4月11日'],
      ['annual', '2023', '2023年度', '2024年1月11日'],
    ];
    for (const [kind, period, inWordsText, published] of words) {
      const doc = await html(kind, period);
      expect(doc).toContain(`<p class="form-period">${inWordsText}</p>`);
      expect(doc).toContain('<span>填报单位：中国人民银行鄂州市分行</span><span>单位：户、个、万元、项</span>');
      expect(doc).toContain('<th scope="colgroup" colspan="2">推荐<wbr>企业数</th>');
      expect(doc).toContain('<th scope="col" rowspan="2">申报<wbr>企业数</th>');
      expect(doc.match(/<tr class="total"><th scope="row">合计<\/th>/g)).toHaveLength(2);
      expect(doc).toContain(`<span>报出日期：${published}</span>`);
      expect(doc.match(/<p class="form-sign">/g)).toHaveLength(kind === 'annual' ? 4 : 2);
    }
    const annual = await html('annual', '2023');
    expect(annual).toContain('鄂州市信用培植工程年报（区域通报排名）');
    expect(annual).toContain('<span>单位：分</span>');
  });

  it('the same period gives the same bytes, however many charts were drawn before', async () => {
    const first = await freshHtml('monthly', '2024-05');
    await ok('report', 'monthly', '--period', '2024-04', '--chart', 'amounts', '--out', sb.path('other.svg'));
    expect(await freshHtml('monthly', '2024-05')).toBe(first);
    const a = sb.path('a.svg');
    const b = sb.path('b.svg');
    await ok('report', 'monthly', '--period', '2024-05', '--chart', 'amounts', '--out', a);
    await ok('report', 'monthly', '--period', '2024-05', '--chart', 'amounts', '--out', b);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(a, 'utf8')).not.toMatch(/\bzr\d+-/);
    expect(first).toContain(readFileSync(a, 'utf8'));
  });
});

describe('one chart as .svg or .png', () => {
  it('writes the SVG of the chart chosen, and a PNG of the same chart at twice its size', async () => {
    const svg = sb.path('pool.svg');
    await ok('report', 'monthly', '--period', '2024-05', '--chart', 'pool', '--out', svg);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg role="img" aria-label="各区名单在库企业与空缺（2024年5月31日）" data-chart="pool" width="800" height="(\d+)"/);
    const height = Number(/height="(\d+)"/.exec(text)![1]);
    const png = sb.path('月报-{period}.png');
    const r = await ok('report', 'monthly', '--period', '2024-05', '--chart', 'pool', '--out', png);
    expect(r.stdout.trim()).toBe(sb.path('月报-2024-05.png'));
    const data = readFileSync(sb.path('月报-2024-05.png'));
    expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([data.readUInt32BE(16), data.readUInt32BE(20)]).toEqual([1600, height * 2]);
  });

  it('refuses a chart without .svg/.png, a picture without --chart, and a yearly chart of a monthly report (exit 2, nothing written)', async () => {
    const cases: [string[], RegExp][] = [
      [['report', 'monthly', '--period', '2024-05', '--out', sb.path('x.png')], /--chart/],
      [['report', 'monthly', '--period', '2024-05', '--chart', 'pool', '--out', sb.path('x.xlsx')], /--chart 只用于/],
      [['report', 'monthly', '--period', '2024-05', '--chart', 'ranking', '--out', sb.path('x.svg')], /ranking/],
      [['report', 'monthly', '--period', '2024-05', '--chart', 'pool', '--out', sb.path('x.gif')], /不支持的输出格式 \.gif/],
    ];
    for (const [args, message] of cases) {
      const r = await sb.run(args, { env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    for (const f of ['x.png', 'x.xlsx', 'x.svg', 'x.gif']) expect(existsSync(sb.path(f)), f).toBe(false);
  });
});

describe('the workbook', () => {
  /** Each chart part's title and, for each series, its name and the numbers it plots, read from the cells it names. */
  async function bookCharts(path: string) {
    const wb = await new ExcelJS.Workbook().xlsx.readFile(path);
    const ws = wb.getWorksheet('图表')!;
    const cell = (ref: string) => ws.getCell(ref.replace(/\$/g, '')).value;
    const cells = (f: string) => {
      const m = /^'图表'!\$([A-Z]+)\$(\d+):\$\1\$(\d+)$/.exec(unescape(f));
      expect(m, f).not.toBeNull();
      return Array.from({ length: Number(m![3]) - Number(m![2]) + 1 }, (_, i) => cell(`${m![1]}${Number(m![2]) + i}`));
    };
    const parts = zipNames(path).filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n));
    return parts.map((part) => {
      const xml = zipText(path, part);
      const series = [...xml.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map((m) => {
        const ser = m[1]!;
        const f = (tag: string) => new RegExp(`<c:${tag}><c:(?:str|num)Ref><c:f>([^<]*)</c:f>([\\s\\S]*?)</c:(?:str|num)Ref></c:${tag}>`).exec(ser)!;
        const [cat, val] = [f('cat'), f('val')];
        const cached = (c: string) => [...c.matchAll(/<c:pt idx="(\d+)"><c:v>([^<]*)<\/c:v>/g)].map((p) => unescape(p[2]!));
        // What the spreadsheet program reads from the cells is what the chart part caches.
        expect(cells(cat[1]!).map(String), part).toEqual(cached(cat[2]!));
        expect(cells(val[1]!).filter((v) => v !== null).map(String), part).toEqual(cached(val[2]!));
        return { name: unescape(/<c:tx><c:v>([^<]*)<\/c:v><\/c:tx>/.exec(ser)![1]!), categories: cells(cat[1]!), values: cells(val[1]!) };
      });
      const title = [.../<c:title>([\s\S]*?)<\/c:title>/.exec(xml)![1]!.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((t) => unescape(t[1]!));
      return { title, kinds: [...xml.matchAll(/<c:(barChart|lineChart)>/g)].map((k) => k[1]), series };
    });
  }

  it('gains a 图表 sheet before 说明: one chart per panel, drawn by the spreadsheet program from the report’s own numbers', async () => {
    const out = sb.path('m.xlsx');
    const r = await ok('report', 'monthly', '--period', '2024-05', '--out', out);
    expect(r.stderr).toBe('');
    const j = await json('report', 'monthly', '--period', '2024-05');
    const wb = await new ExcelJS.Workbook().xlsx.readFile(out);
    // the last sheet before 说明, with no picture
    expect(wb.worksheets.map((w) => w.name).slice(-2)).toEqual(['图表', '说明']);
    expect(wb.getWorksheet('图表')!.getImages()).toEqual([]);
    expect(zipNames(out).filter((n) => n.startsWith('xl/media/'))).toEqual([]);
    const charts = await bookCharts(out);
    type D = { district: string; active: number; vacancies: number; credit_amount: number; loan_amount: number };
    type B = { bank: string; credit_amount: number; loan_amount: number };
    const districts = j.districts.map((d: D) => d.district);
    const banks = j.banks.map((b: B) => b.bank);
    expect(charts).toEqual([
      {
        title: ['各区名单在库企业与空缺（2024年5月31日）'],
        kinds: ['barChart'],
        series: [
          { name: '在库', categories: districts, values: j.districts.map((d: D) => d.active) },
          { name: '空缺', categories: districts, values: j.districts.map((d: D) => d.vacancies) },
        ],
      },
      {
        title: ['鄂州市2024年5月授信与放款金额', '分区域'],
        kinds: ['barChart'],
        series: [
          { name: '授信金额', categories: districts, values: j.districts.map((d: D) => d.credit_amount) },
          { name: '放款金额', categories: districts, values: j.districts.map((d: D) => d.loan_amount) },
        ],
      },
      {
        title: ['分主办行'],
        kinds: ['barChart'],
        series: [
          { name: '授信金额', categories: banks, values: j.banks.map((b: B) => b.credit_amount) },
          { name: '放款金额', categories: banks, values: j.banks.map((b: B) => b.loan_amount) },
        ],
      },
      expect.objectContaining({ title: ['鄂州市近 12 个月放款金额与在库企业数（2023年6月至2024年5月）'], kinds: ['barChart', 'lineChart'] }),
    ]);
    // the trend: each month's own monthly report
    const last = (await json('report', 'monthly', '--period', '2024-04')).total;
    const trend = charts[3]!.series;
    expect(trend.map((x) => x.name)).toEqual(['放款金额', '在库企业数（月末）']);
    expect([trend[0]!.values[10], trend[1]!.values[10]]).toEqual([last.loan_amount, last.active]);
    expect(trend[0]!.categories[0]).toBe('6月 2023年');
    // The charts print on the page as the pictures did: 800 px wide, the numbers beside them outside the print area.
    const book = zipText(out, 'xl/workbook.xml');
    expect(book).toMatch(/<definedName name="_xlnm.Print_Area" localSheetId="\d+">&apos;图表&apos;!\$A\$1:\$M\$\d+<\/definedName>/);
  });

  it('an annual workbook: the ranking and the satisfaction rates as in the JSON', async () => {
    const out = sb.path('a.xlsx');
    await ok('report', 'annual', '--period', '2023', '--out', out);
    const j = await json('report', 'annual', '--period', '2023');
    const charts = await bookCharts(out);
    expect(charts.map((c) => c.title.at(-1))).toEqual(['各区名单在库企业与空缺（2023年12月31日）', '分区域', '分主办行', expect.stringContaining('近 12 个月'), '区域', '金融机构', '分区域', '分主办行']);
    type R = { rank: number; name: string; score: number | null };
    const ranked = (rows: R[]) => rows.filter((x) => x.score !== null);
    expect(charts[4]!.series).toEqual([{ name: '通报得分', categories: ranked(j.ranking.districts).map((x) => `${x.rank}. ${x.name}`), values: ranked(j.ranking.districts).map((x) => x.score) }]);
    type S = { bank: string; satisfaction_rate: number | null };
    const banks = charts[7]!.series[0]!;
    expect(banks.values).toEqual(j.banks.map((b: S) => b.satisfaction_rate));
    expect(banks.categories).toEqual(j.banks.map((b: S) => (b.satisfaction_rate === null ? `${b.bank}（无评价）` : b.bank)));
  });

  it('a unit without a rate: named 无评价 on the axis, its cell empty, no bar and no label', async () => {
    const out = sb.path('rates.xlsx');
    const panel = { categoryLabel: '区域', categories: ['鄂城区', '华容区'], horizontal: true, axes: [{ unit: '%' }], series: [{ name: '服务满意率', values: [0.9, null], format: 'rate' as const, kind: 'bar' as const }] };
    await writeTableBook(out, [{ name: '图表', title: '满意率', charts: [{ id: 'satisfaction', title: '服务满意率', panels: [panel] }] }], undefined, { unit: '人民银行鄂州市分行', date: '2024-12-31' });
    const [chart] = await bookCharts(out);
    expect(chart!.series).toEqual([{ name: '服务满意率', categories: ['鄂城区', '华容区（无评价）'], values: [0.9, null] }]);
    expect(zipText(out, 'xl/charts/chart1.xml')).toContain('<c:numCache><c:formatCode>0.0%</c:formatCode><c:ptCount val="2"/><c:pt idx="0"><c:v>0.9</c:v></c:pt></c:numCache>');
  });
});

/** A PNG's pixels as RGB rows (8-bit RGB or RGBA, any filter), enough to find where ink is. */
function pixels(png: Buffer): { width: number; height: number; at: (x: number, y: number) => number[] } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const bpp = png[25] === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length; ) {
    const len = png.readUInt32BE(p);
    if (png.toString('latin1', p + 4, p + 8) === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= bpp ? out[y * stride + i - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= bpp ? out[(y - 1) * stride + i - bpp]! : 0;
      const paeth = () => {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      out[y * stride + i] = (v + [0, a, b, (a + b) >> 1, 0][f]! + (f === 4 ? paeth() : 0)) & 255;
    }
  }
  return { width, height, at: (x, y) => [...out.subarray(y * stride + x * bpp, y * stride + x * bpp + 3)] };
}

/** The box of dark pixels (text) in rows y0..y1 of a PNG: [left, top, right, bottom], or null. */
function ink(png: Buffer, y0: number, y1: number): number[] | null {
  const img = pixels(png);
  let box: number[] | null = null;
  for (let y = y0; y < y1; y++)
    for (let x = 0; x < img.width; x++)
      if (img.at(x, y).every((v) => v < 128)) box = box ? [Math.min(box[0]!, x), Math.min(box[1]!, y), Math.max(box[2]!, x), Math.max(box[3]!, y)] : [x, y, x, y];
  return box;
}

describe('PNG pictures', () => {
  const chart = (title: string): Chart => ({
    id: 'pool',
    title,
    panels: [{ categoryLabel: '区域', categories: ['华容区', '鄂城区'], horizontal: false, axes: [{ unit: '户' }], series: [{ name: '在库', values: [3, 5], format: 'count', kind: 'bar' }] }],
  });

  it('draw the Chinese text where resvg itself would draw it with the font', async () => {
    const font = findCjkFont()!;
    expect(font, 'a CJK font is installed (fonts-noto-cjk)').toBeDefined();
    const svg = await chartSvg(chart('各区名单在库企业与空缺'));
    const [png] = await svgToPngs([svg]);
    const [blank] = await svgToPngs([await chartSvg(chart(''))]);
    // The title band (44 px, twice that in the PNG): ink with the title, none without it.
    expect(ink(blank!, 0, 80)).toBeNull();
    const box = ink(png!, 0, 80)!;
    expect(box[2]! - box[0]!).toBeGreaterThan(200); // eleven characters of 17 px, at twice the size
    // resvg given the font file (slow: it reads the font for every label) draws the title in the same place.
    const { renderAsync } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
    const files = [font.file, ...(font.bold && existsSync(font.bold) ? [font.bold] : [])];
    const reference = (await renderAsync(svg, { font: { fontFiles: files, loadSystemFonts: false, defaultFontFamily: font.family, sansSerifFamily: font.family }, fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff', logLevel: 'off' })).asPng();
    const want = ink(reference, 0, 80)!;
    box.forEach((v, i) => expect(Math.abs(v - want[i]!), `title box ${box} vs ${want}`).toBeLessThanOrEqual(3));
    // and the labels below it: the category names and values
    expect(ink(png!, 100, pixels(png!).height)).not.toBeNull();
  });

  it('draw hatched bars with the stripes resvg draws for their pattern, in the same places', async () => {
    const money = (name: string, values: number[]) => ({ name, values, format: 'money' as const, kind: 'bar' as const });
    const c: Chart = {
      id: 'amounts',
      title: '',
      panels: [
        { categoryLabel: '区域', categories: ['华容区', '鄂城区'], horizontal: false, axes: [{ unit: '万元' }], series: [money('授信', [300, 500]), money('放款', [400, 200])] },
        { categoryLabel: '金融机构', categories: ['中国银行', '汉口银行'], horizontal: true, axes: [{ unit: '万元' }], series: [money('授信', [300, 500]), money('放款', [400, 200])] },
      ],
    };
    const svg = await chartSvg(c);
    // the hatched bars: rectangles filled with ECharts' decal pattern
    const bars = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)l([\d.]+) 0l0 (-?[\d.]+)l-[\d.]+ 0Z" fill="url\(#/g)].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
    expect(bars).toHaveLength(4);
    const [png] = await svgToPngs([svg]);
    const { renderAsync } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
    const reference = pixels((await renderAsync(svg, { font: { loadSystemFonts: false }, fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff', logLevel: 'off' })).asPng());
    const img = pixels(png!);
    for (const [x, y, w, h] of bars) {
      const colours = new Set<string>();
      let worst = 0;
      // inside the bar (at twice the size), clear of its outline
      for (let py = Math.ceil(2 * Math.min(y, y + h)) + 2; py < Math.floor(2 * Math.max(y, y + h)) - 2; py++)
        for (let px = Math.ceil(2 * x) + 2; px < Math.floor(2 * (x + w)) - 2; px++) {
          const p = img.at(px, py);
          const q = reference.at(px, py);
          worst = Math.max(worst, ...p.map((v, i) => Math.abs(v - q[i]!)));
          colours.add(p.join());
        }
      expect(colours.size, `bar at ${x},${y}: stripes on the bar's colour`).toBeGreaterThan(2);
      expect(worst, `bar at ${x},${y}: the stripes where the pattern puts them`).toBeLessThanOrEqual(16);
    }
  });

  it('read the Chinese font once per process: PNG charts of an annual and a monthly report, then the annual again; a workbook reads none', async () => {
    const font = findCjkFont(CJK_FONTS)!;
    const loadsBefore = new Map(fontLoads);
    await ok('report', 'annual', '--period', '2023', '--out', sb.path('book.xlsx'));
    // The workbook's charts are drawn by the spreadsheet program: no font was read for them.
    expect(fontLoads).toEqual(loadsBefore);
    await ok('report', 'annual', '--period', '2023', '--chart', 'amounts', '--out', sb.path('a1.png'));
    await ok('report', 'monthly', '--period', '2024-05', '--chart', 'trend', '--out', sb.path('m1.png'));
    const decoded = glyphDecodes.count;
    await ok('report', 'annual', '--period', '2023', '--chart', 'amounts', '--out', sb.path('a2.png'));
    // Each font file was read once, however many charts and labels were drawn (the bold one for the titles).
    expect(fontLoads.get(font.file)).toBe(1);
    if (font.bold && existsSync(font.bold)) expect(fontLoads.get(font.bold)).toBe(1);
    expect([...fontLoads.values()].every((n) => n === 1)).toBe(true);
    // Each glyph's outline was decoded once: the second annual chart decoded none.
    expect(decoded).toBeGreaterThan(20);
    expect(glyphDecodes.count).toBe(decoded);
    expect(readFileSync(sb.path('a2.png'))).toEqual(readFileSync(sb.path('a1.png')));
  });
});

/** Each <text> of a chart's SVG with its box as drawn in the installed CJK font: [text, left, top, right, bottom]. */
function textBoxes(svg: string): { text: string; box: number[] }[] {
  const font = findCjkFont()!;
  const face = loadFace(font.file, font.family);
  return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)].map((m) => {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(m[1]!)?.[1];
    const size = Number(/font-size:(\d+(?:\.\d+)?)px/.exec(attr('style') ?? '')?.[1] ?? 12);
    const [tx, ty] = (/translate\(([-\d.]+) ([-\d.]+)\)/.exec(attr('transform') ?? '')?.slice(1) ?? ['0', '0']).map(Number);
    const text = unescape(m[2]!);
    const width = (face.width(text) * size) / face.unitsPerEm;
    const anchor = attr('text-anchor') ?? 'start';
    const left = tx! + Number(attr('x') ?? 0) - (anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0);
    const middle = ty! + Number(attr('y') ?? 0);
    expect(attr('dominant-baseline')).toBe('central');
    return { text, box: [left, middle - size / 2, left + width, middle + size / 2] };
  });
}

/** Pairs of texts whose boxes overlap (by more than a quarter pixel either way). */
function overlaps(svg: string): string[] {
  const boxes = textBoxes(svg);
  const out: string[] = [];
  boxes.forEach((a, i) =>
    boxes.slice(i + 1).forEach((b) => {
      const w = Math.min(a.box[2]!, b.box[2]!) - Math.max(a.box[0]!, b.box[0]!);
      const h = Math.min(a.box[3]!, b.box[3]!) - Math.max(a.box[1]!, b.box[1]!);
      if (w > 0.25 && h > 0.25) out.push(`"${a.text}" [${a.box.map((v) => v.toFixed(1))}] × "${b.text}" [${b.box.map((v) => v.toFixed(1))}]`);
    }),
  );
  return out;
}

describe('data labels', () => {
  it('label every bar and point, 0 and a missing rate included, and no two texts of a chart overlap', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
    const charts: Chart[] = [
      {
        // the trend as the issue saw it: a bar's value under a point's value in the same month
        id: 'trend',
        title: '近 12 个月放款金额与在库企业数',
        panels: [
          {
            categoryLabel: '月份',
            categories: months,
            horizontal: false,
            axes: [{ unit: '万元' }, { unit: '户' }],
            series: [
              { name: '放款金额', values: [0, 0, 120, 1149, 300, 980, 40, 1149, 0, 700, 660, 1020], format: 'money', kind: 'bar', axis: 0 },
              { name: '在库企业数（月末）', values: [0, 2, 5, 22, 9, 20, 3, 22, 0, 14, 13, 21], format: 'count', kind: 'line', axis: 1 },
            ],
          },
        ],
      },
      {
        id: 'satisfaction',
        title: '服务满意率',
        panels: [
          { title: '分区域', categoryLabel: '区域', categories: ['华容区', '鄂城区', '梁子湖区'], horizontal: true, axes: [{ unit: '%' }], series: [{ name: '服务满意率', values: [0, null, 1], format: 'rate', kind: 'bar' }] },
        ],
      },
      {
        id: 'pool',
        title: '各区名单在库企业与空缺',
        panels: [
          {
            categoryLabel: '区域',
            categories: ['华容区', '鄂城区', '梁子湖区', '临空经济区'],
            horizontal: false,
            axes: [{ unit: '户' }],
            series: [
              { name: '在库', values: [0, 10, 1, 0], format: 'count', kind: 'bar', stack: true },
              { name: '空缺', values: [0, 0, 1, 12], format: 'count', kind: 'bar', stack: true },
            ],
          },
        ],
      },
      {
        id: 'amounts',
        title: '授信与放款金额',
        panels: [
          {
            title: '分主办行',
            categoryLabel: '金融机构',
            categories: ['中国工商银行鄂州分行', '鄂州农村商业银行'],
            horizontal: true,
            axes: [{ unit: '万元' }],
            series: [
              { name: '授信金额', values: [1000, 0], format: 'money', kind: 'bar' },
              { name: '放款金额', values: [999, 0], format: 'money', kind: 'bar' },
            ],
          },
        ],
      },
    ];
    for (const c of charts) {
      const svg = await chartSvg(c);
      const texts = textBoxes(svg).map((t) => t.text);
      for (const p of c.panels)
        for (const s of p.series)
          for (const v of s.values) {
            const label = v === null ? '无评价' : s.format === 'rate' ? `${(v * 100).toFixed(1)}%` : s.format === 'money' ? v.toFixed(2) : String(v);
            const want = p.series.flatMap((x) => x.values.filter((y) => y === v && x.format === s.format)).length;
            expect(texts.filter((t) => t === label).length, `${c.id}: the label ${label}`).toBeGreaterThanOrEqual(want);
          }
      expect(overlaps(svg), c.id).toEqual([]);
    }
  });

  it('the demo’s monthly and annual charts: no two texts overlap', async () => {
    for (const [kind, period, ids] of [
      ['monthly', '2024-05', ['pool', 'amounts', 'trend']],
      ['annual', '2023', ['pool', 'amounts', 'trend', 'ranking', 'satisfaction']],
    ] as const) {
      for (const id of ids) {
        const out = sb.path(`${kind}-${id}.svg`);
        await ok('report', kind, '--period', period, '--chart', id, '--out', out);
        expect(overlaps(readFileSync(out, 'utf8')), `${kind} ${id}`).toEqual([]);
      }
    }
  });
});

describe('without a Chinese font', () => {
  const chart = (): Chart => ({
    id: 'pool',
    title: '各区名单在库企业与空缺',
    panels: [{ categoryLabel: '区域', categories: ['华容区'], horizontal: false, axes: [{ unit: '户' }], series: [{ name: '在库', values: [3], format: 'count', kind: 'bar' }] }],
  });

  it('makes no PNG (Chinese would be empty boxes) and says how to get one', async () => {
    const svg = await chartSvg(chart());
    await expect(svgToPngs([svg], [{ file: sb.path('no-such-font.ttc'), family: 'X' }])).rejects.toThrow(NoCjkFontError);
    await expect(svgToPngs([svg], [])).rejects.toThrow(/apt-get install fonts-noto-cjk/);
  });
});

describe('start-up', () => {
  const BIN = join(process.cwd(), 'bin', 'xypz.js');
  /** The modules a run of the built CLI loads. */
  function loads(args: string[]): string {
    const trace = sb.path(`trace-${args.at(-1)!.replace(/\W/g, '')}.txt`);
    writeFileSync(trace, '');
    const r = spawnSync(process.execPath, ['--import', join(process.cwd(), 'test/fixtures/trace-loads.mjs'), BIN, ...args], {
      cwd: sb.dir,
      encoding: 'utf8',
      env: { ...process.env, ...env(), XYPZ_TODAY: TODAY, TRACE_FILE: trace },
    });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(trace, 'utf8');
  }

  it('loads ECharts only to draw a chart, and resvg only to make a PNG', () => {
    const csv = loads(['report', 'monthly', '--period', '2024-05', '--out', 'm.csv']);
    expect(csv).toContain('dist/chunks/periodic-');
    expect(csv).not.toMatch(/echarts|resvg/);
    const page = loads(['report', 'monthly', '--period', '2024-05', '--out', 'm.html']);
    // the bundled module, or the classic script with its code cache where the build made them (loadEcharts)
    expect(page).toMatch(existsSync(join(process.cwd(), 'dist', 'echarts.js')) ? /dist\/echarts\.js/ : /dist\/chunks\/chart-echarts-/);
    expect(page).not.toMatch(/resvg/);
    expect(loads(['report', 'monthly', '--period', '2024-05', '--chart', 'trend', '--out', 'm.png'])).toMatch(/@resvg\/resvg-js/);
    // The workbook's charts are the spreadsheet program's: neither ECharts nor resvg is loaded for them.
    const book = loads(['report', 'annual', '--period', '2023', '--out', 'a.xlsx']);
    expect(book).toContain('dist/chunks/periodic-');
    expect(book).not.toMatch(/echarts|resvg/);
  });
});
