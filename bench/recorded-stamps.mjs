#!/usr/bin/env node
// What the recorded stamps cost a write on a server (migration 0018_recorded: a BEFORE INSERT OR UPDATE trigger
// on each stamped table copies the write's stamp into the row). On a throwaway PostgreSQL cluster
// (scripts/pg-cluster.mjs) with a database made by `xypz init`, one transaction inserts N loan rows on a firm a
// bank leads, as the schema owner and as that bank's own login, each with the stamping trigger on and, as the
// baseline in the same run, with loan_recorded disabled (the audit triggers stay on throughout). Interleaved
// repeats, medians. Each run's rows are deleted (as the owner, triggers off) before the next.
// Usage: npm run build && node bench/recorded-stamps.mjs [rows] [repeats]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { median } from './report-check.mjs';

const N = Number(process.argv[2] ?? 18000);
const repeats = Number(process.argv[3] ?? 5);
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

  // The server's test clock, where the server keeps one: today is within June's feedback window.
  await owner.query(`do $$ begin if to_regclass('server_clock') is not null then update server_clock set today = '2024-06-15'; end if; end $$`);
  const insert = `insert into xypz.loan (case_id, bank_id, kind, amount_cents, loan_on, created_at)
                  select ${caseId}, ${bank}, 'credit', 100 + g, '2024-06-01', ${now} from generate_series(1, ${N}) g`;
  const timed = async (c, stamping) => {
    await owner.query(`alter table loan ${stamping ? 'enable' : 'disable'} trigger loan_recorded`);
    const t = process.hrtime.bigint();
    await c.query(`begin; select set_config('xypz_audit.context', '{"command": "bench"}', true); select set_config('xypz_store.recorded_at', '2024-06-15 02:00:00.000', true); ${insert}; commit`);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const unstamped = (await owner.query(`select count(*)::int as n from loan where recorded_at is null`)).rows[0].n;
    if (unstamped !== (stamping ? 0 : N)) throw new Error(`stamping ${stamping ? 'on' : 'off'}: ${unstamped} of ${N} rows unstamped`);
    await owner.query(`alter table loan disable trigger audit_row_change; delete from loan; delete from audit_row_state where tbl = 'loan'; alter table loan enable trigger audit_row_change; alter table loan enable trigger loan_recorded`);
    return ms;
  };
  const kinds = [
    ['owner, stamping off (baseline)', owner, false],
    ['owner, stamping on', owner, true],
    ['login, stamping off (baseline)', login, false],
    ['login, stamping on', login, true],
  ];
  const times = new Map(kinds.map(([name]) => [name, []]));
  for (let i = 0; i < repeats; i++) {
    for (const [name, c, on] of kinds) times.get(name).push(await timed(c, on));
  }
  console.log(`${N} loan rows in one transaction, median of ${repeats} (interleaved), audit triggers on:`);
  for (const [name] of kinds) {
    const m = median(times.get(name));
    console.log(`  ${name.padEnd(34)} ${m.toFixed(0).padStart(7)} ms  ${((m * 1000) / N).toFixed(1).padStart(6)} µs/row`);
  }
  for (const who of ['owner', 'login']) {
    const off = median(times.get(`${who}, stamping off (baseline)`));
    const on = median(times.get(`${who}, stamping on`));
    console.log(`  ${who}: the stamps cost ${(on - off).toFixed(0)} ms (${(((on - off) / off) * 100).toFixed(1)}%)`);
  }
  await login.end();
  await owner.end();
} finally {
  cluster.stop();
}
