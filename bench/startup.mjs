#!/usr/bin/env node
// Start-up cost: `xypz --help` and `xypz org list` against bare `node -e ""`, same run, medians.
// Usage: npm run build && node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './report-check.mjs';

const runs = Number(process.argv[2] ?? 21);
const bin = join(import.meta.dirname, '..', 'bin', 'xypz.js');
const dir = mkdtempSync(join(tmpdir(), 'xypz-bench-'));
const env = { ...process.env, XYPZ_DB: join(dir, 'bench.db'), XYPZ_ACTOR: 'bench' };
spawnSync(process.execPath, [bin, 'init', '--admin', 'bench', '--name', '测试员'], { env, stdio: 'ignore' });

function time(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const cases = {
  'node -e ""': ['-e', ''],
  'xypz --help': [bin, '--help'],
  'xypz org list': [bin, 'org', 'list'],
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs; i++) for (const [k, args] of Object.entries(cases)) samples[k].push(time(args)); // interleaved
const base = median(samples['node -e ""']);
console.log(`runs: ${runs} each, interleaved; node ${process.version}`);
for (const k of Object.keys(cases)) {
  const m = median(samples[k]);
  console.log(`${k.padEnd(16)} median ${m.toFixed(0).padStart(4)} ms   ${(m / base).toFixed(2)}× bare node`);
}
rmSync(dir, { recursive: true, force: true });
