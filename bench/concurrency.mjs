#!/usr/bin/env node
// Many offices at once (issue 16, Scale): 16 client processes × 50 workflow operations each (recommend,
// declare, verify, pool confirm, assign, loan, coach, close; see concurrency-client.mjs), on each engine in one
// run — the SQLite file, then a PostgreSQL server (a throwaway cluster of its own, or --db postgres://… naming
// an empty database). Every district's list holds only 2 and the offices share three departments, so they race
// for places and quota. Reports throughput, p50/p95 latency per command (a whole `xypz` process each, as a
// person waits for it), the refusals by rule, and checks that no rule was broken: list capacity, quota, one open
// case per enterprise, one current lead bank, a linear audit chain, and no error other than a rule's refusal.
// Usage: npm run build && node bench/concurrency.mjs [--db postgres://…] [clients] [ops]
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';

const args = process.argv.slice(2);
const given = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--db');
const CLIENTS = Number(positional[0] ?? 16);
const OPS = Number(positional[1] ?? 50);
const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'xypz.js');
const DISTRICTS = ['鄂城区', '华容区', '梁子湖区', '葛店经济技术开发区', '临空经济区'];
const DEPTS = ['经信', '科技', '财政'];
const CAPACITY = 2;
const RULES = new Set(['quota', 'pool_full']);

function cli(db, dir, cliArgs) {
  const r = spawnSync(process.execPath, [bin, ...cliArgs], { cwd: dir, encoding: 'utf8', env: { ...process.env, XYPZ_DB: db, XYPZ_ACTOR: 'bench', XYPZ_TODAY: '2024-06-15' } });
  if (r.status !== 0) throw new Error(`xypz ${cliArgs.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function client(cfg) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(here, 'concurrency-client.mjs'), JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client ${cfg.client} exited ${code}`))));
  });
}

/** The rules that must hold, as SQL: each query lists what breaks one (empty = held). */
const BROKEN = {
  'list over capacity': `select region_code, count(*) as n from case_file where confirmed_on <= '2024-06-15' and (closed_on is null or closed_on > '2024-06-15') group by region_code having count(*) > ${CAPACITY}`,
  'quota exceeded without a reason': `select recommended_by, region_code, count(*) as n from case_file where over_quota_reason is null group by recommended_by, region_code having count(*) > 3`,
  'two open cases of one enterprise': `select enterprise_code from case_file where stage not in ('rejected', 'closed') group by enterprise_code having count(*) > 1`,
  'two current lead banks': `select case_id from bank_assignment where ended_on is null group by case_id having count(*) > 1`,
  'lead bank not the current assignment': `select c.id from case_file c join bank_assignment b on b.case_id = c.id and b.ended_on is null where c.lead_bank_id <> b.bank_id`,
};

async function broken(db) {
  const found = {};
  if (db.startsWith('postgres')) {
    const c = new pg.Client({ connectionString: db, options: '-c search_path=xypz' });
    await c.connect();
    for (const [k, q] of Object.entries(BROKEN)) found[k] = (await c.query(q)).rows.length;
    await c.end();
  } else {
    const raw = new Database(db, { readonly: true });
    for (const [k, q] of Object.entries(BROKEN)) found[k] = raw.prepare(q).all().length;
    raw.close();
  }
  return found;
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function runEngine(label, db, dir) {
  cli(db, dir, ['init', '--admin', 'bench', '--name', '压测管理员']);
  for (const d of DISTRICTS) cli(db, dir, ['pool', 'capacity', String(CAPACITY), '--district', d]);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: CLIENTS }, (_, c) => client({ client: c, district: DISTRICTS[c % DISTRICTS.length], depts: DEPTS, ops: OPS, db, dir })),
  );
  const wall = (performance.now() - t0) / 1000;
  const ops = results.flatMap((r) => r.ops);
  const errors = ops.filter((o) => o.code !== 0 && !(o.code === 4 && RULES.has(o.rule)));
  const refusals = {};
  for (const o of ops) if (o.code === 4 && RULES.has(o.rule)) refusals[o.rule] = (refusals[o.rule] ?? 0) + 1;
  const verify = JSON.parse(cli(db, dir, ['--json', 'audit', 'verify']));
  const rules = await broken(db);
  const violations = Object.values(rules).reduce((a, n) => a + n, 0) + (verify.ok ? 0 : 1);
  console.log(`\n${label}: ${CLIENTS} clients × ${OPS} operations = ${ops.length} in ${wall.toFixed(1)} s → ${(ops.length / wall).toFixed(1)} operations/s`);
  console.log(`  command      n   p50 ms   p95 ms`);
  for (const cmd of ['recommend', 'declare', 'verify', 'confirm', 'assign', 'loan', 'coach', 'close']) {
    const ms = ops.filter((o) => o.cmd === cmd).map((o) => o.ms);
    if (ms.length) console.log(`  ${cmd.padEnd(10)} ${String(ms.length).padStart(4)} ${pct(ms, 50).toFixed(0).padStart(8)} ${pct(ms, 95).toFixed(0).padStart(8)}`);
  }
  const all = ops.map((o) => o.ms);
  console.log(`  ${'all'.padEnd(10)} ${String(all.length).padStart(4)} ${pct(all, 50).toFixed(0).padStart(8)} ${pct(all, 95).toFixed(0).padStart(8)}`);
  console.log(`  refused by a rule (told to the user, nothing written): ${Object.entries(refusals).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  console.log(`  audit chain: ${verify.ok ? `verifies (${verify.entries} entries)` : `BROKEN at ${verify.first_bad_id}`}`);
  console.log(`  rule violations: ${violations}${violations ? ` ${JSON.stringify(rules)}` : ''}; other errors: ${errors.length}`);
  for (const e of errors.slice(0, 5)) console.log(`    ${e.cmd} exit ${e.code}: ${e.error ?? e.rule}`);
  return { violations, errors: errors.length };
}

const dir = mkdtempSync(join(tmpdir(), 'xypz-conc-'));
let cluster;
process.once('SIGINT', () => (cluster?.stop(), process.exit(130)));
let failed = 0;
try {
  const lite = await runEngine('SQLite (one file)', join(dir, 'conc.db'), dir);
  let url = given;
  if (!url) {
    cluster = await startCluster({ log: (s) => console.log(`\n${s}`) });
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    await c.query('create database xypz_conc');
    await c.end();
    url = cluster.url.replace(/\/postgres$/, '/xypz_conc');
  }
  const server = await runEngine('PostgreSQL (server)', url, dir);
  failed = lite.violations + lite.errors + server.violations + server.errors;
} finally {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
if (failed) {
  console.error('\nFAIL: rules broken or errors shown');
  process.exit(1);
}
