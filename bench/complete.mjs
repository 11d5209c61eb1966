#!/usr/bin/env node
// Shell completion on every Tab: `xypz __complete …` against bare `node -e ""`, on the demo database,
// interleaved, medians. The target is under 150 ms for each case. `xypz __complete` runs with the environment the
// completion script gives it (read from `xypz completion bash`: it empties NODE_EXTRA_CA_CERTS); the baseline is
// plain node as this machine runs it, and a second baseline is node with the completion's environment.
// Usage: npm run build && node bench/complete.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './report-check.mjs';

const runs = Number(process.argv[2] ?? 21);
const bin = join(import.meta.dirname, '..', 'bin', 'xypz.js');
const dir = mkdtempSync(join(tmpdir(), 'xypz-bench-'));
const db = join(dir, 'demo.db');
const made = spawnSync(process.execPath, [bin, '--db', db, 'demo'], { stdio: 'ignore' });
if (made.status !== 0) throw new Error('xypz demo failed');
const env = { ...process.env, XYPZ_DB: db, XYPZ_ACTOR: '' };

// The assignments in front of `xypz __complete` in the bash script, with `"$NAME"` read from this environment.
const script = spawnSync(process.execPath, [bin, 'completion', 'bash'], { encoding: 'utf8' }).stdout;
const assignments = /\$\(((?:[A-Z_]+=(?:"\$[A-Z_]+"|\S*) )*)xypz __complete /.exec(script);
if (!assignments) throw new Error('no `xypz __complete` line in `xypz completion bash`');
const completeEnv = { ...env };
for (const word of assignments[1].trim().split(' ').filter(Boolean)) {
  const [name, value] = [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)];
  const from = /^"\$([A-Z_]+)"$/.exec(value);
  completeEnv[name] = from ? (process.env[from[1]] ?? '') : value;
}

function time(args, childEnv = completeEnv) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: childEnv, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return { ms, lines: r.stdout ? r.stdout.trimEnd().split('\n').length : 0 };
}

const BASE = 'node -e ""';
const BASE_COMPLETE = 'node -e "" (completion env)';
const cases = {
  [BASE]: ['-e', ''],
  [BASE_COMPLETE]: ['-e', ''],
  'commands: re': [bin, '__complete', 're'],
  'options: loan --': [bin, '__complete', 'loan', '--'],
  'names: --district': [bin, '__complete', 'enterprise', 'list', '--district', ''],
  'codes: ledger': [bin, '__complete', 'ledger', ''],
  'codes: enterprise show': [bin, '__complete', 'enterprise', 'show', ''],
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const lines = {};
for (let i = 0; i < runs; i++) {
  for (const [k, args] of Object.entries(cases)) {
    const r = time(args, k === BASE ? env : completeEnv);
    samples[k].push(r.ms);
    lines[k] = r.lines;
  }
}
const base = median(samples[BASE]);
const changed = Object.keys(completeEnv).filter((k) => completeEnv[k] !== env[k]).map((k) => `${k}=${completeEnv[k] ? '…' : ''}`);
console.log(`runs: ${runs} each, interleaved; node ${process.version}; demo database; completion's env: ${changed.join(' ') || 'unchanged'}`);
let slow = false;
for (const k of Object.keys(cases)) {
  const m = median(samples[k]);
  if (!k.startsWith(BASE) && m >= 150) slow = true;
  console.log(`${k.padEnd(28)} median ${m.toFixed(0).padStart(4)} ms   ${(m / base).toFixed(2)}× bare node   ${lines[k]} candidates`);
}
rmSync(dir, { recursive: true, force: true });
if (slow) {
  console.log('over the 150 ms target');
  process.exitCode = 1;
}
