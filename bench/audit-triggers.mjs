#!/usr/bin/env node
// What the server's audit triggers cost a write (0015_server_audit_triggers): on a throwaway PostgreSQL cluster
// (scripts/pg-cluster.mjs) with a database made by `xypz init`, one transaction inserts N loan rows on a firm
// a bank leads, as the schema owner and as that bank's own login, each with the triggers on and, as the
// baseline in the same run, with audit_row_change disabled on the loan table. Interleaved repeats, medians.
// The login's rows with the triggers on each get their audit entry (sha256 chain), the owner's only their
// row digest. Each run's rows are deleted (as the owner, triggers off) before the next.
// Usage: npm run build && node bench/audit-triggers.mjs [rows] [repeats]
import { startBenchServer } from './pg-bench-server.mjs';
import { median } from './report-check.mjs';

const N = Number(process.argv[2] ?? 18000);
const repeats = Number(process.argv[3] ?? 5);
const server = await startBenchServer();
const { owner, login } = server;
const insert = server.loanInsert(N);

try {
  const timed = async (c, triggers) => {
    await owner.query(`alter table loan ${triggers ? 'enable' : 'disable'} trigger audit_row_change`);
    const t = process.hrtime.bigint();
    await c.query(`begin; select set_config('xypz_audit.context', '{"command": "bench"}', true); ${insert}; commit`);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    // back to where it was: the rows, their digests and entries stay out of the next run's way
    await owner.query(`alter table loan disable trigger audit_row_change; delete from loan; delete from audit_row_state where tbl = 'loan'; alter table loan enable trigger audit_row_change`);
    return ms;
  };
  const kinds = [
    ['owner, triggers off (baseline)', owner, false],
    ['owner, triggers on (row digests)', owner, true],
    ['login, triggers off (baseline)', login, false],
    ['login, triggers on (digests and entries)', login, true],
  ];
  const times = new Map(kinds.map(([name]) => [name, []]));
  for (let i = 0; i < repeats; i++) {
    for (const [name, c, on] of kinds) times.get(name).push(await timed(c, on));
  }
  const entries = (await owner.query(`select count(*)::int as n from audit_log where actor = 'bk'`)).rows[0].n;
  console.log(`${N} loan rows in one transaction, median of ${repeats} (interleaved):`);
  for (const [name] of kinds) {
    const m = median(times.get(name));
    console.log(`  ${name.padEnd(44)} ${m.toFixed(0).padStart(7)} ms  ${((m * 1000) / N).toFixed(1).padStart(6)} µs/row`);
  }
  console.log(`audit entries written by the login: ${entries} (${repeats} runs × ${N} rows with the triggers on)`);
  await login.end();
  await owner.end();
} finally {
  server.stop();
}
