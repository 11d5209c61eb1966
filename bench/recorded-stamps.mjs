#!/usr/bin/env node
// What the recorded stamps cost a write on a server (migration 0018_recorded: a BEFORE INSERT OR UPDATE trigger
// on each stamped table copies the write's stamp into the row). On a throwaway PostgreSQL cluster
// (scripts/pg-cluster.mjs) with a database made by `xypz init`, one transaction inserts N loan rows on a firm a
// bank leads, as the schema owner and as that bank's own login: with no stamping trigger (the baseline, in the
// same run), with 0018's loan_recorded alone, and with it and the server's own for logins (recorded_by_server,
// 0019_server_recorded) where there is one; the audit triggers stay on throughout. Interleaved
// repeats, medians. Each run's rows are deleted (as the owner, triggers off) before the next.
// Usage: npm run build && node bench/recorded-stamps.mjs [rows] [repeats]
import { startBenchServer } from './pg-bench-server.mjs';
import { median } from './report-check.mjs';

const N = Number(process.argv[2] ?? 18000);
const repeats = Number(process.argv[3] ?? 5);
const server = await startBenchServer();
const { owner, login } = server;
const insert = server.loanInsert(N);

try {
  // The stamping triggers of the loan table: 0018's, and the server's own for logins (0019) where there is one.
  const stampers = (await owner.query(`select tgname from pg_trigger where tgrelid = 'loan'::regclass and tgname in ('loan_recorded', 'recorded_by_server') order by 1`)).rows.map((r) => r.tgname);
  const set = (on) => stampers.map((t) => `alter table loan ${on.includes(t) ? 'enable' : 'disable'} trigger ${t}`).join('; ');
  const timed = async (c, on) => {
    await owner.query(set(on));
    const t = process.hrtime.bigint();
    await c.query(`begin; select set_config('xypz_audit.context', '{"command": "bench"}', true); select set_config('xypz_store.recorded_at', '2024-06-15 02:00:00.000', true); ${insert}; commit`);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const unstamped = (await owner.query(`select count(*)::int as n from loan where recorded_at is null`)).rows[0].n;
    if (unstamped !== (on.length > 0 ? 0 : N)) throw new Error(`stamping triggers ${on.join(', ') || 'off'}: ${unstamped} of ${N} rows unstamped`);
    await owner.query(`alter table loan disable trigger audit_row_change; delete from loan; delete from audit_row_state where tbl = 'loan'; alter table loan enable trigger audit_row_change; ${set(stampers)}`);
    return ms;
  };
  const variants = [
    ['stamping off (baseline)', []],
    ['0018 loan_recorded only', ['loan_recorded']],
    ...(stampers.length > 1 ? [[`all: ${stampers.join(' + ')}`, stampers]] : []),
  ];
  const kinds = ['owner', 'login'].flatMap((who) => variants.map(([name, on]) => [`${who}, ${name}`, who === 'owner' ? owner : login, on]));
  const times = new Map(kinds.map(([name]) => [name, []]));
  for (let i = 0; i < repeats; i++) {
    for (const [name, c, on] of kinds) times.get(name).push(await timed(c, on));
  }
  console.log(`${N} loan rows in one transaction, median of ${repeats} (interleaved), audit triggers on:`);
  for (const [name] of kinds) {
    const m = median(times.get(name));
    const base = median(times.get(`${name.split(',')[0]}, stamping off (baseline)`));
    const extra = name.endsWith('(baseline)') ? '' : `  +${(((m - base) / base) * 100).toFixed(0)}%`;
    console.log(`  ${name.padEnd(56)} ${m.toFixed(0).padStart(7)} ms  ${((m * 1000) / N).toFixed(1).padStart(6)} µs/row${extra}`);
  }
  await login.end();
  await owner.end();
} finally {
  server.stop();
}
