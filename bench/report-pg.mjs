// `xypz report monthly` at province scale on PostgreSQL (issue 16, Scale), called by bench/report.mjs with
// --pg (a throwaway PostgreSQL cluster of its own, scripts/pg-cluster.mjs) or --db postgres://… (a server
// you give; its database must not hold xypz data yet, unless --replace). In one run:
//   load   the province-scale SQLite file of report-data.mjs (≥ 1,000,000 case events) into the server
//          with `xypz db copy`, then VACUUM (ANALYZE), as autovacuum soon would;
//   (a)    `xypz --db postgres://… --json report monthly --period P` as a whole process (start-up included);
//   (b)    the same statements run raw with `pg` on one connection (report-raw-pg.mjs), in a fresh process;
// interleaved repeats, medians; (a) and (b) must agree figure by figure; the plans of the three slowest
// statements are printed (EXPLAIN ANALYZE).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { interleaved, median } from './report-check.mjs';
import { ensureDatabase } from './report-data.mjs';

const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'xypz.js');
const f = (ms) => `${ms.toFixed(0).padStart(6)} ms`;

function run(args, env = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, XYPZ_ACTOR: 'bench', ...env }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ms, stdout: r.stdout };
}

async function sqlOn(url, text) {
  const c = new pg.Client({ connectionString: url, options: '-c search_path=xypz' });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

export async function benchServer({ url, period, repeats, replace }) {
  const { file, counts } = ensureDatabase(undefined, { log: (s) => console.log(s) });
  run([bin, '--db', file, 'db', 'migrate']);
  let cluster;
  const stop = () => cluster?.stop();
  process.once('SIGINT', () => (stop(), process.exit(130)));
  try {
    if (!url) {
      cluster = await startCluster({ log: (s) => console.log(s) });
      await sqlOn(cluster.url, 'create database xypz_bench');
      url = cluster.url.replace(/\/postgres$/, '/xypz_bench');
    }
    const shown = url.replace(/:[^:@/]*@/, '@');
    const server = (await sqlOn(url, 'show server_version'))[0].server_version;

    const t0 = performance.now();
    run([bin, 'db', 'copy', '--from', file, '--to', url, ...(replace ? ['--yes'] : [])]);
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    await sqlOn(url, 'vacuum (analyze)');
    const vacuumMs = performance.now() - t1;
    const rows = Object.values(counts).reduce((a, n) => a + n, 0);

    const cli = () => run([bin, '--db', url, '--json', 'report', 'monthly', '--period', period]);
    const raw = () => {
      const r = run([join(here, 'report-raw-pg.mjs'), url, period]);
      return { ...JSON.parse(r.stdout), wallMs: r.ms };
    };
    const bare = () => run(['-e', '']).ms;
    raw(); // warms the server's cache
    cli();
    bare();
    const { A, B, N, total } = interleaved(repeats, { cli, raw, bare });

    const a = median(A.map((x) => x.ms));
    const b = median(B.map((x) => x.queryMs));
    const bWall = median(B.map((x) => x.wallMs));
    console.log(`\nserver: PostgreSQL ${server} at ${shown}${cluster ? ' (started for this run)' : ''}`);
    console.log(`load: xypz db copy of ${rows.toLocaleString('en-US')} records (${counts.case_event.toLocaleString('en-US')} case events) in ${(loadMs / 1000).toFixed(1)} s (${Math.round(rows / (loadMs / 1000)).toLocaleString('en-US')} records/s); VACUUM (ANALYZE) ${(vacuumMs / 1000).toFixed(1)} s`);
    console.log(`period ${period}: total recommended ${total.recommended}, active ${total.active}, loan_amount ${total.loan_amount} 万元 (report = raw SQL: checked)`);
    console.log(`repeats: ${repeats} (medians, interleaved); node ${process.version}`);
    console.log(`(a) xypz report monthly, whole process:           ${f(a)}`);
    console.log(`(b) raw SQL aggregate, queries only:               ${f(b)}`);
    console.log(`    raw process: node + pg loaded ${f(median(B.map((x) => x.startMs + x.loadMs))).trim()}, connect ${f(median(B.map((x) => x.openMs))).trim()}, whole process ${f(bWall).trim()}`);
    console.log(`    bare \`node -e ""\`:                            ${f(median(N))}`);
    console.log(`ratio (a)/(b): ${(a / b).toFixed(2)}×   (a)/(raw process): ${(a / bWall).toFixed(2)}×`);
    console.log(`targets: report < 1000 ms: ${a < 1000 ? 'met' : 'MISSED'}; (a) ≤ 2× the raw process: ${a / bWall <= 2 ? 'met' : 'MISSED'}`);

    console.log(`\nper statement (raw, medians of ${repeats})        ms    rows`);
    const names = B[0].queries.map((q) => q.name);
    const per = names.map((name, i) => ({ name, ms: median(B.map((x) => x.queries[i].ms)), n: B[0].queries[i].n }));
    for (const q of per) console.log(`  ${q.name.padEnd(40)} ${q.ms.toFixed(1).padStart(7)} ${String(q.n).padStart(6)}`);
    const plans = JSON.parse(run([join(here, 'report-raw-pg.mjs'), url, period, '--explain']).stdout);
    for (const q of [...per].sort((x, y) => y.ms - x.ms).slice(0, 3)) {
      console.log(`\nplan of ${q.name}:`);
      for (const line of plans.find((p) => p.name === q.name).plan) console.log(`  ${line}`);
    }
  } finally {
    stop();
  }
}
