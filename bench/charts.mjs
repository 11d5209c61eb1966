#!/usr/bin/env node
// What a chart costs as PNG, per chart and per text label, in one run (interleaved repeats, medians), each
// measurement a fresh process that renders a set of chart SVGs and exits (so the font is loaded as a command
// would load it):
//   (0) resvg given the CJK font files (the way before): resvg reads and parses the font for every <text>;
//   (a) xypz's svgToPngs: each <text> drawn as a path from glyph outlines read once per process
//       (src/render/chart-font.ts), resvg without fonts, the PNGs encoded on libuv's threads.
// The sets: the five charts of the demo's annual report (xypz demo, period 2024), and one synthetic chart:
// bars for 100 districts × 2 series with their labels and axis labels (the size of a province-scale chart).
// Also prints (a)'s PNGs' paths, to look at them.
// Usage: npm run build && node bench/charts.mjs [repeats]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { median } from './report-check.mjs';

const repeats = Number(process.argv[2] ?? 5);
const here = import.meta.dirname;
const root = join(here, '..');
const bin = join(root, 'bin', 'xypz.js');
const dir = mkdtempSync(join(tmpdir(), 'xypz-bench-charts-'));
const env = { ...process.env, XYPZ_DB: join(dir, 'demo.db'), XYPZ_ACTOR: 'demo_admin', XYPZ_TODAY: '2025-01-15' };
const xypz = (...args) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xypz ${args.join(' ')}: ${r.stderr}`);
};
xypz('demo');

// The code under test, bundled from src/ as the CLI bundles it (the native renderer stays external).
// Inside the repository, so that it finds node_modules (bench/data/ is not committed).
mkdirSync(join(here, 'data'), { recursive: true });
const lib = join(here, 'data', 'charts-lib.mjs');
await build({
  stdin: { contents: "export { svgToPngs, findCjkFont } from './src/render/chart-png.ts'; export { chartSvg } from './src/render/charts.ts'; export { fontLoads, glyphDecodes } from './src/render/chart-font.ts';", resolveDir: root, loader: 'ts' },
  outfile: lib,
  bundle: true,
  format: 'esm',
  platform: 'node',
  external: ['@resvg/resvg-js'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
const { chartSvg } = await import(lib);

const annual = ['pool', 'amounts', 'trend', 'ranking', 'satisfaction'].map((id) => {
  const file = join(dir, `${id}.svg`);
  xypz('report', 'annual', '--period', '2024', '--chart', id, '--out', file);
  return file;
});
const places = ['华容', '鄂城', '梁子湖', '葛店', '临空', '沙窝', '杨叶', '燕矶', '泽林', '段店'];
const many = Array.from({ length: 100 }, (_, i) => `${places[i % 10]}${i >= 10 ? '第' + Math.floor(i / 10) : ''}区`);
const big = join(dir, 'districts-100.svg');
writeFileSync(
  big,
  await chartSvg({
    id: 'amounts',
    title: '某省授信与放款金额（100 个区）',
    panels: [{ categoryLabel: '区域', categories: many, horizontal: true, axes: [{ unit: '万元' }], series: ['授信金额', '放款金额'].map((name, s) => ({ name, format: 'money', kind: 'bar', values: many.map((_, i) => 100 + ((i * 37 + s * 11) % 90) * 13.5) })) }],
  }),
);
const labels = (files) => files.reduce((n, f) => n + (readFileSync(f, 'utf8').match(/<text\b/g) ?? []).length, 0);

// One process: render the files with one method, print the time spent on it (import included) as JSON.
const child = join(dir, 'child.mjs');
writeFileSync(
  child,
  `import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
const [method, out, ...files] = process.argv.slice(2);
const svgs = files.map((f) => readFileSync(f, 'utf8'));
const t = performance.now();
let pngs;
if (method === 'old') {
  const { renderAsync } = createRequire(${JSON.stringify(join(root, 'package.json'))})('@resvg/resvg-js');
  const F = '/usr/share/fonts/opentype/noto/NotoSansCJK-';
  pngs = [];
  for (const svg of svgs) {
    const img = await renderAsync(svg, { font: { fontFiles: [F + 'Regular.ttc', F + 'Bold.ttc'], loadSystemFonts: false, defaultFontFamily: 'Noto Sans CJK SC', sansSerifFamily: 'Noto Sans CJK SC' }, fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff', logLevel: 'off' });
    pngs.push(img.asPng());
  }
} else {
  const lib = await import(${JSON.stringify(lib)});
  pngs = await lib.svgToPngs(svgs);
}
const ms = performance.now() - t;
if (out !== '-') pngs.forEach((p, i) => writeFileSync(out + i + '.png', p));
console.log(JSON.stringify({ ms, bytes: pngs.reduce((a, p) => a + p.length, 0) }));
`,
);
const run = (method, files, out = '-') => {
  const r = spawnSync(process.execPath, [child, method, out, ...files], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};

const sets = { 'demo annual, 5 charts': annual, 'one chart, 100 districts × 2 series': [big] };
const results = {};
for (const [name, files] of Object.entries(sets)) {
  run('old', files);
  run('new', files, join(dir, `${name.replace(/\W/g, '')}-`)); // warm-up, and the pictures to look at
  const old = [];
  const now = [];
  for (let k = 0; k < repeats; k++) for (const m of k % 2 ? ['old', 'new'] : ['new', 'old']) (m === 'old' ? old : now).push(run(m, files));
  results[name] = { n: labels(files), old: median(old.map((x) => x.ms)), now: median(now.map((x) => x.ms)), oldBytes: old[0].bytes, nowBytes: now[0].bytes };
}
console.log(`repeats: ${repeats} (medians, interleaved, a fresh process each); node ${process.version}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('| charts | labels | (0) resvg reads the font | per label | (a) text as paths | per label | speed-up | PNG bytes (0) → (a) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results))
  console.log(`| ${name} | ${r.n} | ${r.old.toFixed(0)} ms | ${(r.old / r.n).toFixed(1)} ms | ${r.now.toFixed(0)} ms | ${(r.now / r.n).toFixed(1)} ms | ${(r.old / r.now).toFixed(1)}× | ${(r.oldBytes / 1024).toFixed(0)} → ${(r.nowBytes / 1024).toFixed(0)} KB |`);
console.log(`pictures: ${dir}/*.png`);
