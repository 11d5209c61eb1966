#!/usr/bin/env node
// What the server's own stamps and late-entry rule cost a login's write (0019_server_recorded): on a throwaway
// PostgreSQL cluster (scripts/pg-cluster.mjs) with a database made by `xypz init`, one transaction of a bank's
// own login inserts N loan rows on a firm the bank leads, with the triggers recorded_by_server and
// late_entry_checked on the loan table on and, as the baseline in the same run, disabled (the stamping
// trigger of 0018 and the audit trigger stay on in both). Interleaved repeats, medians. Each run's rows are
// deleted (as the owner, triggers off) before the next.
// Usage: npm run build && node bench/server-recorded.mjs [rows] [repeats]
import { startBenchServer } from './pg-bench-server.mjs';
import { median } from './report-check.mjs';

const N = Number(process.argv[2] ?? 3000);
const repeats = Number(process.argv[3] ?? 3);
const server = await startBenchServer();
const { owner, login } = server;
const insert = server.loanInsert(N);

try {
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
  server.stop();
}
