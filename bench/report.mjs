#!/usr/bin/env node
// `xypz report monthly` at province scale (issue 7, Scale): builds or reuses bench/data/report-v*.db (100
// districts, 10 years, ≥ 1,000,000 case events; see report-data.mjs) and, in the same run, times
//   (a) `xypz --db … --json report monthly --period P` as a whole process (start-up included), and
//   (b) the raw SQL aggregate it needs: the same statements run with better-sqlite3 (report-raw.mjs) in a
//       fresh process each time; (b) is the query time only, the process's start/open costs are shown apart.
// Interleaved repeats, medians. Checks that (a) and (b) agree and that the CLI runs exactly (b)'s SQL.
// Usage: npm run build && node bench/report.mjs [period YYYY-MM] [repeats] [--base <dir>]
//        --base: another checkout of xypz, built (e.g. the commit before a change): its `report monthly` is timed
//        in the same interleaved rounds, as the "before" of (a). It reads its own copy of the database
//        (<base>/bench/data/, made there by its own report-data.mjs when missing): a build without this
//        version's migrations refuses a file migrated by this one.
// Then the quarterly and the annual report (--json, the annual's 开展以来累计 spans every loan up to the year's end),
// whole process, wall and CPU (user + system), this build and, with --base, the other one, interleaved; with --base
// their output must be byte-identical (a speed-up must not move a figure).
//        node bench/report.mjs --pg | --db postgres://… [period] [repeats]   the same on PostgreSQL (report-pg.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleaved, median } from './report-check.mjs';
import { ensureDatabase } from './report-data.mjs';
import { monthSpan, statements } from './report-raw.mjs';

const args = process.argv.slice(2);
const server = args.includes('--pg') ? 'own' : args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--db' && args[i - 1] !== '--base');
const baseDir = args.includes('--base') ? args[args.indexOf('--base') + 1] : undefined;
if (server) {
  const { benchServer } = await import('./report-pg.mjs');
  await benchServer({ url: server === 'own' ? undefined : server, period: positional[0] ?? '2025-06', repeats: Number(positional[1] ?? 7), replace: args.includes('--replace') });
  process.exit(0);
}
const period = positional[0] ?? '2025-06';
const repeats = Number(positional[1] ?? 7);
const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'xypz.js');
if (!existsSync(join(here, '..', 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first');
const env = { ...process.env, XYPZ_ACTOR: 'bench' };
delete env.XYPZ_DB;

const { file, counts, reused, ms: genMs } = ensureDatabase(undefined, { log: (s) => console.log(s) });
// A database cached by an older xypz is brought to the current schema first (idempotent).
spawnSync(process.execPath, [bin, '--db', file, 'db', 'migrate'], { env, stdio: 'ignore' });
const size = [file, `${file}-wal`].filter(existsSync).reduce((a, f) => a + statSync(f).size, 0);

function run(args, extraEnv = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...env, ...extraEnv }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ms, stdout: r.stdout };
}
const cli = (extra = [], extraEnv = {}, xypz = bin) => run([...extra, xypz, '--db', file, '--json', 'report', 'monthly', '--period', period], extraEnv);
const baseFile = baseDir ? (await import(join(baseDir, 'bench', 'report-data.mjs'))).ensureDatabase(undefined, { log: (s) => console.log(`base: ${s}`) }).file : undefined;
const baseBin = baseDir ? join(baseDir, 'bin', 'xypz.js') : undefined;
const base = baseDir ? () => run([baseBin, '--db', baseFile, '--json', 'report', 'monthly', '--period', period]) : undefined;
const raw = () => {
  const r = run([join(here, 'report-raw.mjs'), file, period]);
  return { ...JSON.parse(r.stdout), wallMs: r.ms };
};
const bare = () => run(['-e', '']).ms;

// ---------------------------------------------------------------- the CLI runs exactly the raw statements
// Traced CLI runs (not timed: the tracer adds its own cost): which SQL the CLI runs, and each statement's time inside it.
const mine = statements(monthSpan(period));
function traceCli() {
  const traceFile = join(tmpdir(), `xypz-report-trace-${process.pid}.json`);
  cli(['--import', join(here, 'sql-trace.mjs')], { XYPZ_SQL_TRACE: traceFile });
  const { statements: trace, exitAt } = JSON.parse(readFileSync(traceFile, 'utf8'));
  rmSync(traceFile, { force: true });
  const traced = trace.filter((t) => mine.some((m) => m.sql === t.sql));
  const ok = traced.length === mine.length && mine.every((m, i) => traced[i].sql === m.sql && JSON.stringify(traced[i].params) === JSON.stringify(m.params));
  if (!ok) {
    const seen = trace.map((t) => t.sql).filter((s) => /^select "(region_code|case_file)|^select cast|^select "from_kind"/.test(s));
    console.error('FAIL: the CLI did not run exactly the raw statements. The CLI ran:\n  ' + seen.join('\n  '));
    process.exit(1);
  }
  const last = traced.at(-1);
  return {
    ms: traced.map((t) => t.ms),
    other: trace.filter((t) => !traced.includes(t)).reduce((a, t) => a + t.ms, 0),
    firstAt: traced[0].at,
    tail: exitAt - (last.at + last.ms),
  };
}
raw(); // warms the OS page cache
traceCli();

// ---------------------------------------------------------------- timing
bare(); // warm-up
if (base) base(); // warm-up
const { A, B, N, Z, total } = interleaved(repeats, { cli: () => cli(), raw, bare, base });

const a = median(A.map((x) => x.ms));
const b = median(B.map((x) => x.queryMs));
const bWall = median(B.map((x) => x.wallMs));
const bStart = median(B.map((x) => x.startMs + x.loadMs));
const bOpen = median(B.map((x) => x.openMs));
const node0 = median(N);
const f = (ms) => `${ms.toFixed(0).padStart(6)} ms`;

console.log(`\ndatabase: ${file}`);
console.log(`  ${(size / 1048576).toFixed(0)} MB; ${reused ? 'reused' : 'generated'} (generation took ${(genMs / 1000).toFixed(1)} s)`);
const rows = Object.entries(counts);
for (let i = 0; i < rows.length; i += 3) console.log('  ' + rows.slice(i, i + 3).map(([t, n]) => `${t.padEnd(17)} ${n.toLocaleString('en-US').padStart(9)}`).join('   '));
console.log(`\nperiod ${period}: total recommended ${total.recommended}, active ${total.active}, loan_amount ${total.loan_amount} 万元, loan_amount_ytd ${total.loan_amount_ytd} 万元 (report = raw SQL: checked)`);
console.log(`repeats: ${repeats} (medians, interleaved); node ${process.version}; SQLite ${sqliteVersion()}`);
console.log(`(a) xypz report monthly, whole process:           ${f(a)}`);
if (base) console.log(`    the same with ${baseDir}:    ${f(median(Z.map((x) => x.ms)))}`);
console.log(`(b) raw SQL aggregate, queries only:               ${f(b)}`);
console.log(`    raw process: node + better-sqlite3 loaded ${f(bStart).trim()}, open ${f(bOpen).trim()}, whole process ${f(bWall).trim()}`);
console.log(`    bare \`node -e ""\`:                            ${f(node0)}`);
console.log(`ratio (a)/(b): ${(a / b).toFixed(2)}×   (a)/(raw process): ${(a / bWall).toFixed(2)}×`);
const okTime = a < 1000;
const okRatio = a / b <= 3;
console.log(`targets: report < 1000 ms: ${okTime ? 'met' : 'MISSED'}; ratio ≤ 3×: ${okRatio ? 'met' : 'MISSED'}`);

// Where the time goes, per statement: inside the CLI (traced runs) and in the raw process (timed runs); medians.
const T = Array.from({ length: 3 }, traceCli);
console.log(`\nper statement (medians)       CLI (${T.length} traced)   raw (${repeats} runs)   rows`);
for (const [i, m] of mine.entries()) {
  const rawMs = median(B.map((x) => x.queries[i].ms));
  console.log(`  ${m.name.padEnd(26)} ${median(T.map((t) => t.ms[i])).toFixed(1).padStart(9)} ms ${rawMs.toFixed(1).padStart(11)} ms ${String(B[0].queries[i].n).padStart(6)}`);
}
console.log(`  ${'Σ report statements'.padEnd(26)} ${median(T.map((t) => t.ms.reduce((x, y) => x + y))).toFixed(1).padStart(9)} ms ${b.toFixed(1).padStart(11)} ms`);
console.log(`  ${'other SQL (user, directory)'.padEnd(26)} ${median(T.map((t) => t.other)).toFixed(1).padStart(9)} ms`);
console.log(
  `CLI: first report statement at ${median(T.map((t) => t.firstAt)).toFixed(0)} ms after process start (bare node ${node0.toFixed(0)} ms); ` +
    `output and exit after the last statement ${median(T.map((t) => t.tail)).toFixed(0)} ms (+ process teardown)`,
);

// ---------------------------------------------------------------- the quarterly and the annual report
// Whole process, wall and CPU: the CPU time (user + system) the process reports at exit, less sensitive to the
// other processes of a loaded machine than the wall time.
const CPU_AT_EXIT = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-ms '+((u.user+u.system)/1000).toFixed(0)+'\\n')})`;
function timed(xypz, db, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', CPU_AT_EXIT, xypz, '--db', db, '--json', ...args], { encoding: 'utf8', env: { ...env, XYPZ_TODAY: '2026-01-15' }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`xypz ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ms, cpu: Number(/cpu-ms (\d+)/.exec(r.stderr)?.[1]), stdout: r.stdout };
}
const year = Number(period.slice(0, 4));
const others = [
  ['report', 'quarterly', '--period', `${year}Q${Math.ceil(Number(period.slice(5, 7)) / 3)}`],
  ['report', 'annual', '--period', String(year - 1)],
];
console.log(`\nwhole process, medians of ${repeats} (interleaved${base ? ` with ${baseDir}` : ''}); today 2026-01-15`);
for (const args of others) {
  const mine = [];
  const theirs = [];
  for (let k = 0; k < repeats; k++) {
    const pair = [() => mine.push(timed(bin, file, args)), ...(base ? [() => theirs.push(timed(baseBin, baseFile, args))] : [])];
    for (const go of k % 2 === 0 ? pair : pair.reverse()) go();
  }
  const line = (runs) => `${f(median(runs.map((x) => x.ms)))} wall, ${f(median(runs.map((x) => x.cpu)))} CPU`;
  console.log(`  ${args.slice(1).join(' ').padEnd(26)} this build ${line(mine)}`);
  if (base) {
    console.log(`  ${''.padEnd(26)} base       ${line(theirs)}   (this/base: wall ${(median(mine.map((x) => x.ms)) / median(theirs.map((x) => x.ms))).toFixed(2)}, CPU ${(median(mine.map((x) => x.cpu)) / median(theirs.map((x) => x.cpu))).toFixed(2)})`);
    const same = [...mine, ...theirs].every((x) => x.stdout === mine[0].stdout);
    console.log(`  ${''.padEnd(26)} JSON of every run byte-identical to this build's first: ${same ? 'yes' : 'NO'}`);
    if (!same) process.exitCode = 1;
  }
}

function sqliteVersion() {
  return spawnSync(process.execPath, ['-e', "const D=require('better-sqlite3');console.log(new D(':memory:').prepare('select sqlite_version()').pluck().get())"], { encoding: 'utf8', cwd: join(here, '..') }).stdout.trim();
}
