#!/usr/bin/env node
// The cost of reading a report's figures through the as-recorded view (src/store/as-recorded.ts) against the
// same figures read from the tables themselves, in one process, interleaved, medians: the figure set of a
// monthly, a quarterly and an annual report (every figure query, the ranking's inputs), and the trend.
//   demo scale: `xypz demo` (the year 2024), periods 2024-12, 2024Q4, 2024, read as recorded by 2025-01-11
//   (the day after 2024-12's cut-off; the demo records each event on its own date, so both readings give the
//   same figures, which the script checks).
// Usage: node bench/published-view.mjs [repeats] [bound] [periods,…] [--db file-or-url]
//   --db: an existing database (e.g. bench/data/report-v*.db, migrated; a server URL) instead of a fresh demo.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { median } from './report-check.mjs';

const argv = process.argv.slice(2);
const dbAt = argv.indexOf('--db');
const given = dbAt >= 0 ? argv[dbAt + 1] : undefined;
const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--db');
const repeats = Number(positional[0] ?? 7);
const bound = positional[1] ?? '2025-01-11';
const periods = (positional[2] ?? '2024-12,2024Q4,2024').split(',');
const here = import.meta.dirname;
const dir = mkdtempSync(join(tmpdir(), 'xypz-bench-view-'));

// The program's own modules, bundled for this process (the CLI's bundle exports none of them).
const entry = `
export { openStore } from './store/db.js';
export { recordedView } from './store/as-recorded.js';
export { capacityChanges } from './store/reference.js';
export { Directory } from './domain/core/index.js';
export { computeFigureSet } from './domain/reporting/figures.js';
export { monthlyTrend } from './domain/reporting/reports.js';
export { parsePeriod } from './util/dates.js';
`;
// Inside the checkout, so that the bundle finds the packages it leaves out (better-sqlite3, pg).
const out = join(here, '..', 'node_modules', '.cache', 'xypz-published-view.mjs');
await build({
  stdin: { contents: entry, resolveDir: join(here, '..', 'src'), loader: 'ts' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: out,
  external: ['better-sqlite3', 'pg', 'exceljs', '@resvg/resvg-js', 'echarts'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'error',
});
const m = await import(out);

let target = given;
if (!target) {
  target = join(dir, 'demo.db');
  const env = { ...process.env, XYPZ_DB: target, XYPZ_ACTOR: 'demo_admin', XYPZ_TODAY: '2025-01-15' };
  const r = spawnSync(process.execPath, [join(here, '..', 'bin', 'xypz.js'), 'demo'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xypz demo failed: ${r.stderr}`);
}
const store = await m.openStore(target, { env: process.env });
const dir0 = await store.read((db) => m.Directory.load(db));

const kindOf = (p) => (/^\d{4}$/.test(p) ? 'year' : /Q/.test(p) ? 'quarter' : 'month');

async function timed(fn) {
  const t = process.hrtime.bigint();
  const v = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, v };
}

const rows = [];
for (const label of periods) {
  const period = m.parsePeriod(label, kindOf(label), '--period');
  const annual = period.kind === 'year';
  const plain = () => store.read(async (db) => [await m.computeFigureSet(db, dir0, period, { annual }), await m.monthlyTrend({ db, dir: dir0 }, period)]);
  const viewed = () =>
    store.read(async (db) => {
      const view = await m.recordedView(db, { before: bound });
      const vdir = new m.Directory(dir0.regions, dir0.orgs, await m.capacityChanges(view));
      return [await m.computeFigureSet(view, vdir, period, { annual }), await m.monthlyTrend({ db: view, dir: vdir }, period)];
    });
  const a = [];
  const b = [];
  let same = true;
  await plain();
  await viewed();
  for (let i = 0; i < repeats; i++) {
    const x = await timed(plain);
    const y = await timed(viewed);
    a.push(x.ms);
    b.push(y.ms);
    same &&= JSON.stringify(x.v[0].figures) === JSON.stringify(y.v[0].figures) && JSON.stringify(x.v[1]) === JSON.stringify(y.v[1]);
  }
  rows.push({ period: label, tables_ms: median(a).toFixed(1), view_ms: median(b).toFixed(1), ratio: (median(b) / median(a)).toFixed(2), same_figures: same });
}
await store.close();
console.table(rows);
console.log(`database: ${given ?? 'fresh demo'}; view: records before ${bound}; ${repeats} interleaved repeats, medians`);
rmSync(dir, { recursive: true, force: true });
