#!/usr/bin/env node
// Why `xypz report monthly` is slow at province scale, and what fixes it. On the bench database of
// bench/report.mjs (run that first) and on a copy with the proposed indexes (bench/data/report-plans.db), times
// each of the ten report statements, interleaved, in a fresh connection per round (as the CLI runs them):
//   as is      — today's SQL (src/store/figures.ts), today's indexes
//   +indexes   — today's SQL, proposed indexes (what adding a migration alone buys; the CLI is timed on it too)
//   proposed   — proposed SQL and indexes
// checks that the proposed SQL gives the same figures, and prints the query plans of the statements that change.
// Usage: npm run build && node bench/report.mjs && node bench/report-plans.mjs [period] [rounds]
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FILE } from './report-data.mjs';
import { monthSpan, openLikeCli, statements } from './report-raw.mjs';
import { median } from './report-check.mjs';

const period = process.argv[2] ?? '2025-06';
const rounds = Number(process.argv[3] ?? 7);
const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'xypz.js');
const src = DEFAULT_FILE;
if (!existsSync(src)) throw new Error(`${src} is missing: run node bench/report.mjs first`);
const copy = join(here, 'data', 'report-plans.db');

/** The proposed indexes (a migration 0004 would add them). */
export const INDEXES = [
  // caseCounts: every column it reads, so the scan of case_file never visits the table.
  'create index case_figures on case_file (region_code, recommended_on, confirmed_on, closed_on, assigned_on, outcome, over_quota_reason)',
  // loans per case stream out of the index in case order (replaces loan_case, a prefix of it).
  'create index loan_case_kind on loan (case_id, kind, loan_on, amount_cents)',
  'drop index loan_case',
  // The lead bank at the end of a period, for one case, without visiting bank_assignment (replaces assignment_case).
  'create index assignment_lead on bank_assignment (case_id, assigned_on, ended_on, bank_id)',
  'drop index assignment_case',
  // activeByBank: the cases in a list at a date (closed_on null or later, confirmed_on by then); with
  // assignment_lead the planner starts from these ~900 cases instead of every assignment ever made.
  'create index case_active on case_file (closed_on, confirmed_on)',
];

const COACH_WHERE_OLD = 'where "coaching_item"."added_on" <= ? group by';
// Items finished before the period contribute nothing to any coaching figure: leave them out before the join.
const COACH_WHERE_NEW = 'where "coaching_item"."added_on" <= ? and ("coaching_item"."added_on" >= ? or "coaching_item"."closed_on" is null or "coaching_item"."closed_on" >= ?) group by';

/** Today's statements with the proposed rewrites; null = unchanged. */
function proposed(st, { start: s, end: e }) {
  const by = Object.fromEntries(st.map((q) => [q.name, q]));
  return {
    // First declaration in the period = a declaration in the period and none before it (uses declaration_date).
    declarationCounts: {
      sql: `select "case_file"."region_code" as "region", count(distinct "declaration"."case_id") as "declared" from "declaration" inner join "case_file" on "case_file"."id" = "declaration"."case_id" where "declaration"."submitted_on" >= ? and "declaration"."submitted_on" <= ? and not exists (select 1 from "declaration" as "e" where "e"."case_id" = "declaration"."case_id" and "e"."submitted_on" < ?) group by "case_file"."region_code"`,
      params: [s, e, s],
    },
    'coachingCounts(region)': { sql: by['coachingCounts(region)'].sql.replace(COACH_WHERE_OLD, COACH_WHERE_NEW), params: [...by['coachingCounts(region)'].params, s, s] },
  };
}

// ---------------------------------------------------------------- the indexed copy
const stale = !existsSync(copy) || statSync(copy).mtimeMs < statSync(src).mtimeMs;
if (stale) {
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  copyFileSync(src, copy);
  const db = new Database(copy);
  const t = performance.now();
  for (const ddl of INDEXES) db.exec(ddl);
  console.log(`made ${copy}: proposed indexes built in ${(performance.now() - t).toFixed(0)} ms`);
  db.close();
}

const span = monthSpan(period);
const st = statements(span);
const prop = proposed(st, span);
const variants = {
  'as is': { file: src, stmts: st },
  '+indexes': { file: copy, stmts: st },
  proposed: { file: copy, stmts: st.map((q) => (prop[q.name] ? { name: q.name, ...prop[q.name] } : q)) },
};

// ---------------------------------------------------------------- timing
const times = Object.fromEntries(Object.keys(variants).map((v) => [v, st.map(() => [])]));
const results = {};
for (let r = 0; r < rounds + 1; r++) {
  const order = r % 2 === 0 ? Object.keys(variants) : Object.keys(variants).reverse();
  for (const v of order) {
    const db = openLikeCli(variants[v].file);
    variants[v].stmts.forEach((q, i) => {
      const t = performance.now();
      const rows = db.prepare(q.sql).all(q.params);
      if (r > 0) times[v][i].push(performance.now() - t); // round 0 warms the OS cache
      results[v] ??= {};
      results[v][q.name] = rows;
    });
    db.close();
  }
}

// Same figures? (Groups whose figures are all 0 may appear or not: the report reads a missing group as 0.)
const norm = (rows) =>
  JSON.stringify(
    rows
      .filter((row) => Object.entries(row).some(([k, v]) => k !== 'region' && k !== 'key' && Number(v) !== 0))
      .map((row) => Object.keys(row).sort().map((k) => `${k}=${row[k]}`).join(','))
      .sort(),
  );
const bad = [];
for (const v of ['+indexes', 'proposed']) for (const q of st) if (norm(results[v][q.name]) !== norm(results['as is'][q.name])) bad.push(`${v} ${q.name}`);
if (bad.length > 0) {
  console.error(`FAIL: different figures from ${bad.join(', ')}`);
  process.exit(1);
}

const cell = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
console.log(`\nperiod ${period}, ${rounds} rounds (medians, interleaved, fresh connection per round); proposed SQL gives the same figures: checked`);
console.log(`${'statement'.padEnd(24)} ${'as is'.padStart(11)} ${'+indexes'.padStart(11)} ${'proposed'.padStart(11)}`);
const sums = { 'as is': 0, '+indexes': 0, proposed: 0 };
st.forEach((q, i) => {
  const m = Object.fromEntries(Object.keys(variants).map((v) => [v, median(times[v][i])]));
  for (const v of Object.keys(m)) sums[v] += m[v];
  console.log(`${q.name.padEnd(24)} ${cell(m['as is'])} ${cell(m['+indexes'])} ${cell(m.proposed)}${prop[q.name] ? '  (rewritten)' : ''}`);
});
console.log(`${'Σ'.padEnd(24)} ${cell(sums['as is'])} ${cell(sums['+indexes'])} ${cell(sums.proposed)}`);

// ---------------------------------------------------------------- the CLI as is, on both files
const env = { ...process.env, XYPZ_ACTOR: 'bench' };
const cli = (file) => {
  const trace = join(tmpdir(), `xypz-plans-trace-${process.pid}.json`);
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', join(here, 'sql-trace.mjs'), bin, '--db', file, '--json', 'report', 'monthly', '--period', period], { env: { ...env, XYPZ_SQL_TRACE: trace }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(r.stderr);
  const log = JSON.parse(readFileSync(trace, 'utf8'));
  rmSync(trace, { force: true });
  const sql = log.statements.reduce((a, s) => a + s.ms, 0);
  return { ms, sql, beforeFirst: log.statements[0].at, out: r.stdout };
};
const runs = { src: [], copy: [] };
for (let r = 0; r < 5; r++) for (const k of r % 2 ? ['copy', 'src'] : ['src', 'copy']) runs[k].push(cli(k === 'src' ? src : copy));
if (runs.src[0].out !== runs.copy[0].out) throw new Error('FAIL: the CLI prints different JSON on the indexed copy');
const m = (k, f) => median(runs[k].map((x) => x[f]));
const fixed = m('src', 'ms') - m('src', 'sql');
console.log(`\nxypz report monthly (traced, today's code): as is ${m('src', 'ms').toFixed(0)} ms (SQL ${m('src', 'sql').toFixed(0)} ms); with the indexes only ${m('copy', 'ms').toFixed(0)} ms (SQL ${m('copy', 'sql').toFixed(0)} ms); same JSON: checked`);
console.log(`CLI cost outside SQL: ${fixed.toFixed(0)} ms (first statement at ${m('src', 'beforeFirst').toFixed(0)} ms after process start)`);
console.log(`projected with indexes + rewrites: ≈ ${(fixed + sums.proposed).toFixed(0)} ms, ratio to the raw statements ≈ ${((fixed + sums.proposed) / sums.proposed).toFixed(1)}×`);

// ---------------------------------------------------------------- plans of what changes
const plan = (file, q) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`explain query plan ${q.sql}`).all(q.params).map((r) => r.detail);
  } finally {
    db.close();
  }
};
console.log('\nquery plans (as is → proposed):');
st.forEach((q, i) => {
  const a = plan(src, q);
  const b = plan(copy, variants.proposed.stmts[i]);
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  console.log(`  ${q.name}\n    as is:    ${a.join(' | ')}\n    proposed: ${b.join(' | ')}`);
});
