#!/usr/bin/env node
// Every report in every format against the same report's `--json`, in one run: wall time (median of the
// interleaved repeats, start-up included), the ratio to `--json`, and the peak RSS (the largest of the runs).
//   demo scale:     `xypz demo` (about 90 enterprises, the year 2024), periods 2024-12, 2024Q4, 2024;
//   province scale: bench/data/report-v*.db (100 districts × 10 years, see report-data.mjs), 2025-06, 2025Q2, 2024.
// Targets: at demo scale ≤ 1.5 s and ≤ 2.5× `--json`; at province scale ≤ 3 s and ≤ 400 MB for the xlsx.
// With --base <checkout> (another copy of xypz, built), each output is also timed with that copy's CLI, interleaved
// in the same run: the "before" column. That copy reads its own database (a build without this one's migrations
// refuses a newer schema): at demo scale its own `xypz demo`, at province scale <checkout>/bench/data/, made there
// by its own report-data.mjs when missing.
// With --only <labels> (comma-separated, e.g. `.xlsx`): only those outputs beside `--json` (a shorter province run).
// Usage: npm run build && node bench/report-formats.mjs [demo|province|both] [repeats] [--base <dir>] [--only <labels>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './report-check.mjs';

const argv = process.argv.slice(2);
const baseAt = argv.indexOf('--base');
const baseBin = baseAt >= 0 ? join(argv[baseAt + 1], 'bin', 'xypz.js') : undefined;
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1].split(',') : undefined;
const flagged = new Set([baseAt, onlyAt].filter((i) => i >= 0).flatMap((i) => [i, i + 1]));
const positional = argv.filter((_, i) => !flagged.has(i));
const scales = { demo: ['demo'], province: ['province'], both: ['demo', 'province'] }[positional[0] ?? 'both'];
if (!scales) throw new Error('usage: node bench/report-formats.mjs [demo|province|both] [repeats] [--base <dir>] [--only <labels>]');
const repeats = Number(positional[1] ?? 3);
const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'xypz.js');
if (!existsSync(join(here, '..', 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first');
const dir = mkdtempSync(join(tmpdir(), 'xypz-bench-formats-'));
const rss = join(here, 'rss.mjs');

function run(env, args, cli = bin) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', rss, cli, ...args], { env, encoding: 'utf8', cwd: dir, maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`xypz ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ms, mb: Number(/PEAK_RSS_MB=(\d+)/.exec(r.stderr)?.[1] ?? 0), cpu: Number(/CPU_MS=(\d+)/.exec(r.stderr)?.[1] ?? 0) };
}

/** The outputs of a report kind: [label, arguments after `report <kind> --period P`]. */
function outputs(kind) {
  const o = [
    ['--json', ['--json']],
    ['.csv', ['--out', `${kind}.csv`]],
    ['.xlsx', ['--out', `${kind}.xlsx`]],
    ['.html', ['--out', `${kind}.html`]],
    ['--chart trend .png', ['--chart', 'trend', '--out', `${kind}-trend.png`]],
    ['--chart amounts .png', ['--chart', 'amounts', '--out', `${kind}-amounts.png`]],
    ['--chart amounts .svg', ['--chart', 'amounts', '--out', `${kind}-amounts.svg`]],
  ];
  if (kind !== 'monthly') o.push(['.docx', ['--out', `${kind}.docx`]]);
  return only ? o.filter(([label]) => label === '--json' || only.includes(label)) : o;
}

const rows = [];
let regenerated = false;
for (const scale of scales) {
  let env;
  let baseEnv;
  let periods;
  if (scale === 'demo') {
    env = { ...process.env, XYPZ_DB: join(dir, 'demo.db'), XYPZ_ACTOR: 'demo_admin', XYPZ_TODAY: '2025-01-15' };
    delete env.XYPZ_SQL_TRACE;
    run(env, ['demo']);
    if (baseBin) {
      baseEnv = { ...env, XYPZ_DB: join(dir, 'demo-base.db') };
      run(baseEnv, ['demo'], baseBin);
    }
    periods = { monthly: '2024-12', quarterly: '2024Q4', annual: '2024' };
  } else {
    const { ensureDatabase } = await import('./report-data.mjs');
    const { file, reused } = ensureDatabase(undefined, { log: (s) => console.log(s) });
    regenerated ||= !reused;
    env = { ...process.env, XYPZ_DB: file, XYPZ_ACTOR: 'bench', XYPZ_TODAY: '2026-01-15' };
    spawnSync(process.execPath, [bin, 'db', 'migrate'], { env, stdio: 'ignore' });
    if (baseBin) {
      const other = await import(join(argv[baseAt + 1], 'bench', 'report-data.mjs'));
      const made = other.ensureDatabase(undefined, { log: (s) => console.log(`base: ${s}`) });
      regenerated ||= !made.reused;
      baseEnv = { ...env, XYPZ_DB: made.file };
      spawnSync(process.execPath, [baseBin, 'db', 'migrate'], { env: baseEnv, stdio: 'ignore' });
    }
    periods = { monthly: '2025-06', quarterly: '2025Q2', annual: '2024' };
    // A process started by one that has grown (generating a database here) counts the parent's memory in its own
    // peak RSS (Linux carries the high-water mark across fork and exec): the outputs are measured from a fresh bench.
    if (regenerated) {
      rmSync(dir, { recursive: true, force: true });
      process.exit(spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit' }).status ?? 1);
    }
  }
  for (const [kind, period] of Object.entries(periods)) {
    const cases = outputs(kind).map(([label, extra]) => ({ label, args: ['report', kind, '--period', period, ...extra], ms: [], cpu: [], mb: 0, baseMs: [], baseCpu: [], baseMb: 0 }));
    for (const c of cases) {
      // warm-up: the page cache, and each output written once
      run(env, c.args);
      if (baseBin) run(baseEnv, c.args, baseBin);
    }
    for (let k = 0; k < repeats; k++) {
      for (const c of k % 2 ? [...cases].reverse() : cases) {
        const r = run(env, c.args);
        c.ms.push(r.ms);
        c.cpu.push(r.cpu);
        c.mb = Math.max(c.mb, r.mb);
        if (baseBin) {
          const b = run(baseEnv, c.args, baseBin);
          c.baseMs.push(b.ms);
          c.baseCpu.push(b.cpu);
          c.baseMb = Math.max(c.baseMb, b.mb);
        }
      }
    }
    const json = median(cases[0].ms);
    const baseJson = baseBin ? median(cases[0].baseMs) : 0;
    const jsonCpu = median(cases[0].cpu);
    const baseJsonCpu = baseBin ? median(cases[0].baseCpu) : 0;
    for (const c of cases) {
      rows.push({
        ...{ scale, kind, period, label: c.label, ms: median(c.ms), ratio: median(c.ms) / json, cpuRatio: median(c.cpu) / jsonCpu, mb: c.mb },
        ...(baseBin ? { base: median(c.baseMs), baseRatio: median(c.baseMs) / baseJson, baseCpuRatio: median(c.baseCpu) / baseJsonCpu, baseMb: c.baseMb } : {}),
      });
    }
  }
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`repeats: ${repeats} (medians, interleaved); node ${process.version}; load average at the end ${load}`);
// CPU: user + system time of the process (all its threads), as a ratio to `--json`'s: on a loaded machine less
// noisy than the wall time, which waits for the other processes.
const before = baseBin ? ' before: wall | × `--json` | CPU × `--json` | peak RSS |' : '';
console.log(`| scale | report | output |${before} wall | × \`--json\` | CPU × \`--json\` | peak RSS | target |`);
console.log(`|---|---|---|${baseBin ? '---|---|---|---|' : ''}---|---|---|---|---|`);
for (const r of rows) {
  const limit = r.scale === 'demo' ? r.ms <= 1500 && r.ratio <= 2.5 : r.ms <= 3000 && (r.label !== '.xlsx' || r.mb <= 400);
  const b = baseBin ? ` ${(r.base / 1000).toFixed(2)} s | ${r.baseRatio.toFixed(2)}× | ${r.baseCpuRatio.toFixed(2)}× | ${r.baseMb} MB |` : '';
  console.log(`| ${r.scale} | ${r.kind} ${r.period} | ${r.label} |${b} ${(r.ms / 1000).toFixed(2)} s | ${r.ratio.toFixed(2)}× | ${r.cpuRatio.toFixed(2)}× | ${r.mb} MB | ${limit ? 'met' : '**missed**'} |`);
}
rmSync(dir, { recursive: true, force: true });
