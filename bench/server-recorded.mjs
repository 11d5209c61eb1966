#!/usr/bin/env node
// What the server's own stamps and late-entry rule cost a login's write (0019_server_recorded): on a throwaway
// PostgreSQL cluster (scripts/pg-cluster.mjs) with a database made by `xypz init`, one transaction of a bank's
// own login inserts N loan rows on a firm the bank leads, with the triggers recorded_by_server and
// late_entry_checked on the loan table on and, as the baseline in the same run, disabled (the stamping
// trigger of 0018 and the audit trigger stay on in both). Interleaved repeats, medians. Each run's rows are
// deleted (as the owner, triggers off) before the next.
// Usage: npm run build && node bench/server-recorded.mjs [rows] [repeats]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { median } from './report-check.mjs';

const N = Number(process.argv[2] ?? 3000);
const repeats = Number(process.argv[3] ?? 3);
const bin = join(import.meta.dirname, '..', 'bin', 'xypz.js');
const cluster = await startCluster({ log: (s) => console.log(s) });
const dbUrl = (user, password) => {
  const u = new URL(cluster.url);
  u.pathname = '/bench';
  u.username = user;
  u.password = password;
  return u.toString();
};

async function client(url) {
  const c = new pg.Client({ connectionString: url, options: '-c search_path=xypz' });
  await c.connect();
  return c;
}

try {
  const admin = await client(cluster.url);
  await admin.query('create database bench');
  await admin.end();
  const ownerUrl = dbUrl('postgres', cluster.password);
  const init = spawnSync(process.execPath, [bin, 'init', '--admin', 'bench', '--name', '测试'], {
    encoding: 'utf8',
    env: { ...process.env, XYPZ_DB: ownerUrl, XYPZ_ACTOR: 'bench', XYPZ_TODAY: '2024-06-15' },
  });
  if (init.status !== 0) throw new Error(`xypz init: ${init.stderr}`);
  const owner = await client(ownerUrl);
  // the server's clock on the bench's day: the login's loans (2024-06-01) are in a month still open
  await owner.query(`update server_clock set today = '2024-06-15'`);
  const now = `'2024-06-15T10:00:00.000+08:00'`;
  const bank = (await owner.query(`select id from org where kind = 'bank' order by id limit 1`)).rows[0].id;
  await owner.query(`insert into enterprise (code, name, region_code, created_at, updated_at) values ('B1', '基准企业', '420703', ${now}, ${now})`);
  const caseId = (
    await owner.query(
      `insert into case_file (enterprise_code, region_code, stage, class, recommended_on, recommended_by, verified_on, confirmed_on, lead_bank_id, assigned_on, last_progress_on, created_at, updated_at)
       values ('B1', '420703', 'assigned', 'financing', '2024-01-02', (select id from org where kind = 'department' order by id limit 1), '2024-01-10', '2024-01-15', ${bank}, '2024-01-20', '2024-01-20', ${now}, ${now}) returning id`,
    )
  ).rows[0].id;
  await owner.query(`insert into bank_assignment (case_id, bank_id, mode, assigned_on, created_at) values (${caseId}, ${bank}, 'designated', '2024-01-20', ${now})`);
  await owner.query(
    `insert into app_user (login, login_key, name, org_id, role, agreement_signed_on, created_at, updated_at) values ('bk', 'bk', '银行', ${bank}, 'operator', '2024-06-01', ${now}, ${now})`,
  );
  await owner.query(`create role bk login password 'bench' in role xypz_writer`);
  const login = await client(dbUrl('bk', 'bench'));

  const insert = `insert into xypz.loan (case_id, bank_id, kind, amount_cents, loan_on, created_at)
                  select ${caseId}, ${bank}, 'credit', 100 + g, '2024-06-01', ${now} from generate_series(1, ${N}) g`;
  const RULES = ['recorded_by_server', 'late_entry_checked'];
  const timed = async (on) => {
    for (const t of RULES) await owner.query(`alter table loan ${on ? 'enable' : 'disable'} trigger ${t}`);
    const t = process.hrtime.bigint();
    await login.query(`begin; select set_config('xypz_audit.context', '{"command": "bench"}', true); ${insert}; commit`);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    // back to where it was: the rows and their digests out of the next run's way (their entries stay)
    await owner.query(`alter table loan disable trigger audit_row_change; delete from loan; delete from audit_row_state where tbl = 'loan'; alter table loan enable trigger audit_row_change`);
    return ms;
  };
  const kinds = [
    ['login, 0019 triggers off (baseline)', false],
    ['login, 0019 triggers on (stamps, late entries)', true],
  ];
  const times = new Map(kinds.map(([name]) => [name, []]));
  for (let i = 0; i < repeats; i++) {
    for (const [name, on] of kinds) times.get(name).push(await timed(on));
  }
  console.log(`${N} loan rows in one transaction of a bank's login, median of ${repeats} (interleaved):`);
  for (const [name] of kinds) {
    const m = median(times.get(name));
    console.log(`  ${name.padEnd(48)} ${m.toFixed(0).padStart(7)} ms  ${((m * 1000) / N).toFixed(1).padStart(6)} µs/row`);
  }
  const [off, on] = kinds.map(([name]) => median(times.get(name)));
  console.log(`  the server's stamps and late-entry rule: ${(on / off).toFixed(2)}×`);
  await login.end();
  await owner.end();
} finally {
  cluster.stop();
}
