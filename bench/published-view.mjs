#!/usr/bin/env node
// The cost of reading a report's figures through the as-recorded view (src/store/as-recorded.ts) against the
// same figures read from the tables themselves, in one process, interleaved, medians: the figure set of a
// monthly, a quarterly and an annual report (every figure query, the ranking's inputs), and the trend.
//   demo scale: `xypz demo` (the year 2024), periods 2024-12, 2024Q4, 2024, read as recorded by 2025-01-11
//   (the day after 2024-12's cut-off; the demo records each event on its own date, so both readings give the
//   same figures, which the script checks).
// Usage: node bench/published-view.mjs [repeats] [bound] [periods,…] [--db file-or-url] [--stamps-from-events]
//   --db: an existing database (a server URL, or a file) instead of a fresh demo.
//   --stamps-from-events: a copy of the --db file with every recorded stamp set to its event's date, as
//   `db migrate` sets them for records made before stamps existed. The province-scale file of
//   bench/report-data.mjs is written row by row past xypz, so its stamps are the day it was generated:
//     node bench/report-data.mjs && node bench/published-view.mjs 3 2025-07-11 2025-06,2025Q2 \
//       --db bench/data/report-v1-s20250630.db --stamps-from-events
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
const fromEvents = argv.includes('--stamps-from-events');
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

/** Each stamp and the event date it is set from (as migration 0018_recorded backfills them). */
const STAMPS = {
  case_file: [['recommended_on', 'recommended_recorded_at'], ['declared_on', 'declared_recorded_at'], ['verified_on', 'verified_recorded_at'], ['confirmed_on', 'confirmed_recorded_at'], ['assigned_on', 'assigned_recorded_at'], ['closed_on', 'closed_recorded_at']],
  declaration: [['submitted_on', 'recorded_at']],
  verification: [['verified_on', 'recorded_at']],
  bank_assignment: [['assigned_on', 'recorded_at'], ['ended_on', 'ended_recorded_at']],
  loan: [['loan_on', 'recorded_at']],
  loan_withdrawn: [['loan_on', 'recorded_at'], ['withdrawn_on', 'withdrawn_recorded_at']],
  collection_return: [['received_on', 'recorded_at']],
  coaching_item: [['added_on', 'recorded_at'], ['closed_on', 'closed_recorded_at']],
  reclassification: [['changed_on', 'recorded_at']],
  satisfaction: [['rated_on', 'recorded_at']],
  pool_filing: [['filed_on', 'recorded_at']],
  feedback: [['submitted_on', 'recorded_at']],
  capacity_change: [['effective_on', 'recorded_at']],
};

let target = given;
if (given && fromEvents) {
  target = join(dir, 'stamped.db');
  const { default: Database } = await import('better-sqlite3');
  const src = new Database(given, { readonly: true });
  await src.backup(target);
  src.close();
  const db = new Database(target);
  // only the stamps change: the triggers stamp on insert and on a change of an event column, not here
  for (const [table, pairs] of Object.entries(STAMPS)) db.exec(`update ${table} set ${pairs.map(([e, s]) => `${s} = ${e}`).join(', ')}`);
  db.close();
}
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
