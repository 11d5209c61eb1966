/**
 * The HTML reports of the demo in a real browser: Debian's chromium, driven by playwright-core (a development
 * dependency only; the tool writes HTML without any browser). Each report opens from a file with no console
 * error and no request but the file itself, shows every chart with one bar or point per number of the
 * report's JSON, and prints to PDF as A4 pages (charts portrait, the wide tables landscape).
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, demoSandbox } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
/** A4 in points, portrait. */
const A4 = [595.28, 841.89];

let sb: Sandbox;
let browser: Browser;
let launching: Promise<Browser> | undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const REPORTS = [
  { kind: 'monthly', period: '2024-05' },
  { kind: 'quarterly', period: '2024Q1' },
  { kind: 'annual', period: '2023' },
] as const;
const files: Record<string, { html: string; json: Json }> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`浏览器测试需要 Debian 的 chromium（${CHROMIUM} 不存在）：请运行 apt-get install -y chromium fonts-noto-cjk（.ci/run 会自动安装）`);
  }
  // playwright gives the browser a new empty profile of its own (a temporary --user-data-dir); as root,
  // Debian's chromium needs --no-sandbox; and no background requests to outside hosts. It starts while the
  // reports are written.
  launching = chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  launching.catch(() => {}); // awaited below, after the reports (and by afterAll, to close it whatever happened)
  sb = await demoSandbox();
  const env = { XYPZ_DB: sb.db, XYPZ_ACTOR: 'demo_admin' };
  for (const { kind, period } of REPORTS) {
    const html = sb.path(`${kind}-${period}.html`);
    const out = await sb.run(['report', kind, '--period', period, '--out', html], { env });
    const json = await sb.run(['report', kind, '--period', period, '--json'], { env });
    if (out.code !== 0 || json.code !== 0) throw new Error(out.stderr + json.stderr);
    files[kind] = { html, json: json.json() };
  }
  browser = await launching;
}, 120_000);

afterAll(async () => {
  await (await launching?.catch(() => undefined))?.close();
  sb?.cleanup();
});

/** Bars (or points) per series of each chart, from the report's JSON: one per district, bank, month or ranked unit. */
function expectedMarks(kind: string, j: Json): Record<string, number[]> {
  const d = j.districts.length;
  const b = j.banks.length;
  const marks: Record<string, number[]> = { pool: [d, d], amounts: [d, d, b, b], trend: [12, 12] };
  if (kind === 'annual') {
    marks.ranking = [j.ranking.districts.length, j.ranking.banks.length];
    marks.satisfaction = [d, b];
  }
  return marks;
}

/** The MediaBox of every page of a PDF, as [width, height] in points. */
function mediaBoxes(pdf: Buffer): number[][] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*([\d.\s-]+)\]/g)].map((m) => {
    const [x0, y0, x1, y1] = m[1]!.trim().split(/\s+/).map(Number);
    return [x1! - x0!, y1! - y0!];
  });
}

describe.each(REPORTS)('the demo’s $kind report in Chromium', ({ kind }) => {
  // One page per report, opened once from the file and only read by the tests below (a page load costs Chromium
  // about as much CPU as printing it). What happens while it loads is recorded for the first test.
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];
  let url: string;
  let ok: boolean | undefined;
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    await page.route('**/*', async (route) => {
      const u = route.request().url();
      requests.push(u);
      if (u.startsWith('file://') || u.startsWith('data:')) await route.continue();
      else await route.abort();
    });
    url = pathToFileURL(files[kind]!.html).href;
    ok = (await page.goto(url, { waitUntil: 'load' }))?.ok();
  }, 120_000);
  afterAll(() => page?.close());

  it('opens from the file with no console error, no page error and no request but the file itself', async () => {
    expect(ok).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.title()).toMatch(/^鄂州市信用培植工程(月报|季报|年报)（/);
  });

  it('shows every chart, one bar or point per number of the report, with its table', async () => {
    const want = expectedMarks(kind, files[kind]!.json);
    const charts = await page.$$eval('figure.chart', (figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg')!;
        const box = svg.getBoundingClientRect();
        const series = new Map<number, number>();
        for (const el of svg.querySelectorAll('[ecmeta_ssr_type="chart"][ecmeta_series_index][ecmeta_data_index]')) {
          const k = Number(el.getAttribute('ecmeta_series_index'));
          series.set(k, (series.get(k) ?? 0) + 1);
        }
        const rows = [...f.querySelectorAll('table.chart-data tbody tr')].length;
        return { id: f.getAttribute('data-chart')!, width: box.width, height: box.height, marks: [...series.keys()].sort().map((k) => series.get(k)!), rows, title: svg.getAttribute('aria-label') };
      }),
    );
    expect(Object.fromEntries(charts.map((c) => [c.id, c.marks]))).toEqual(want);
    for (const c of charts) {
      expect(c.width, c.id).toBeGreaterThan(300);
      expect(c.height, c.id).toBeGreaterThan(150);
      expect(c.title, c.id).toMatch(/[\u4e00-\u9fa5]/);
      // the table under a chart has a row per category of each panel
      const perPanel = c.id === 'pool' || c.id === 'trend' ? [want[c.id]![0]!] : c.id === 'amounts' ? [want.amounts![0]!, want.amounts![2]!] : want[c.id]!;
      expect(c.rows, c.id).toBe(perPanel.reduce((a, n) => a + n, 0));
    }
    // the data labels are the report's numbers
    const text = await page.locator('#chart-amounts svg').textContent();
    const j = files[kind]!.json;
    for (const d of j.districts.filter((x: Json) => x.loan_amount > 0)) expect(text).toContain(d.loan_amount.toFixed(2));
  });

  it('prints to PDF as A4 pages: the charts portrait, the wide tables landscape', async () => {
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const boxes = mediaBoxes(pdf);
    expect(boxes.length).toBeGreaterThanOrEqual(3);
    for (const [w, h] of boxes) {
      const [short, long] = [Math.min(w!, h!), Math.max(w!, h!)];
      expect(Math.abs(short - A4[0]!), `${w}×${h}`).toBeLessThan(1.5);
      expect(Math.abs(long - A4[1]!), `${w}×${h}`).toBeLessThan(1.5);
    }
    expect(boxes[0]![0]).toBeLessThan(boxes[0]![1]!); // the first page, with the charts, is portrait
    expect(boxes.at(-1)![0]).toBeGreaterThan(boxes.at(-1)![1]!); // the last, a table, landscape
  });
});
