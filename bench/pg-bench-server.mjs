// The shared set-up of the server benches (audit-triggers, recorded-stamps, server-recorded): a throwaway
// PostgreSQL cluster (scripts/pg-cluster.mjs) with a database `bench` made by `xypz init` (needs `npm run build`),
// the server's clock (where it keeps one) on 2024-06-15, one firm B1 led by the first bank, and that bank's own
// login `bk` (an operator in role xypz_writer). Returns the schema owner's and the login's clients (search_path
// xypz), loanInsert(n): the SQL that inserts n loan rows of 2024-06-01 on that firm, and stop() for the cluster.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';

const bin = join(import.meta.dirname, '..', 'bin', 'xypz.js');

async function client(url) {
  const c = new pg.Client({ connectionString: url, options: '-c search_path=xypz' });
  await c.connect();
  return c;
}

export async function startBenchServer() {
  const cluster = await startCluster({ log: (s) => console.log(s) });
  const dbUrl = (user, password) => {
    const u = new URL(cluster.url);
    u.pathname = '/bench';
    u.username = user;
    u.password = password;
    return u.toString();
  };
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
    // the server's clock, where the server keeps one, on the bench's day: loans of 2024-06-01 are in a month still open
    await owner.query(`do $$ begin if to_regclass('server_clock') is not null then update server_clock set today = '2024-06-15'; end if; end $$`);
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
    const loanInsert = (n) => `insert into xypz.loan (case_id, bank_id, kind, amount_cents, loan_on, created_at)
      select ${caseId}, ${bank}, 'credit', 100 + g, '2024-06-01', ${now} from generate_series(1, ${n}) g`;
    return { owner, login, loanInsert, stop: () => cluster.stop() };
  } catch (e) {
    cluster.stop();
    throw e;
  }
}
