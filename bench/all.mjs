#!/usr/bin/env node
// Every performance target in one run, one after the other on this machine, and one summary table (Markdown) at the
// end: the table the README's 性能 section shows. Each part is its own script, run here as a child process with its
// output kept in bench/data/all/<part>.log; the summary reads the figures from those outputs.
//   startup   bench/startup.mjs            `--help` ≤ 1.5× and `org list` ≤ 3× bare node
//   complete  bench/complete.mjs           every completion case under 150 ms
//   reports   bench/report-formats.mjs     every report in every format at both scales beside `--json`
//   collect   bench/collect.mjs            the collection import ≤ 2× its bare parse
//   import    bench/import.mjs 200000      the users import ≤ 1.8× parse + inserts, ≤ 300 MB; the over-limit refusal
//   npm-ci    `npm ci` in a fresh clone     under 3 minutes (skipped with --no-npm-ci)
// Usage: npm run build && node bench/all.mjs [repeats] [--no-npm-ci] [--only part,part]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(',')) : undefined;
const repeats = Number(argv.find((a, i) => /^\d+$/.test(a) && i !== onlyAt + 1) ?? 3);
const here = import.meta.dirname;
const root = join(here, '..');
const logs = join(here, 'data', 'all');
mkdirSync(logs, { recursive: true });

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const stamp = () => new Date().toISOString().slice(0, 16).replace('T', ' ');

/**
 * Runs one part, its output shown as it comes and kept in its log; resolves to the output and the wall time. A part
 * that exits 1 to say a target was missed (bench/complete.mjs does) still counts: its figures are in its output.
 */
function part(name, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(args[0], args.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => {
      writeFileSync(join(logs, `${name}.log`), out);
      if (code !== 0 && code !== 1) reject(new Error(`${name}: ${args.join(' ')} exited ${code}`));
      else resolve({ out, ms: Number(process.hrtime.bigint() - t) / 1e6 });
    });
  });
}

const num = (re, text, what) => {
  const m = re.exec(text);
  if (!m) throw new Error(`cannot read ${what} from the output`);
  return Number(m[1].replaceAll(',', ''));
};
const rows = [];
const row = (target, measured, met, how) => rows.push({ target, measured, met, how });
const parts = [];
const want = (name) => !only || only.has(name);
const started = { at: stamp(), load: loadavg() };

if (want('startup')) {
  const { out } = await part('startup', [process.execPath, 'bench/startup.mjs', '21']);
  const node = num(/^node -e ""\s+median\s+(\d+) ms/m, out, 'bare node');
  const help = num(/^xypz --help\s+median\s+(\d+) ms\s+([\d.]+)×/m, out, '--help');
  const list = num(/^xypz org list\s+median\s+(\d+) ms/m, out, 'org list');
  row('`xypz --help` ≤ 1.5× 空的 `node -e ""`', `${help} ms，${(help / node).toFixed(2)}×（node ${node} ms）`, help / node <= 1.5, '`node bench/startup.mjs`');
  row('`xypz org list` ≤ 3×', `${list} ms，${(list / node).toFixed(2)}×`, list / node <= 3, '同上');
  parts.push('startup');
}

if (want('complete')) {
  const { out } = await part('complete', [process.execPath, 'bench/complete.mjs', '21']);
  const cases = [...out.matchAll(/^(commands|options|names|codes)[^\n]*?median\s+(\d+) ms/gm)].map((m) => Number(m[2]));
  if (cases.length === 0) throw new Error('cannot read the completion cases from the output');
  row('补全每次 Tab < 150 ms', `${Math.min(...cases)}–${Math.max(...cases)} ms（${cases.length} 种）`, Math.max(...cases) < 150, '`node bench/complete.mjs`');
  parts.push('complete');
}

if (want('reports')) {
  const { out } = await part('reports', [process.execPath, 'bench/report-formats.mjs', 'both', String(repeats)]);
  const table = [...out.matchAll(/^\| (demo|province) \| (\S+ \S+) \| ([^|]+) \| ([\d.]+) s \| ([\d.]+)× \| ([\d.]+)× \| (\d+) MB \| [^|]+\|$/gm)].map((m) => ({
    scale: m[1],
    report: m[2],
    label: m[3].trim(),
    s: Number(m[4]),
    ratio: Number(m[5]),
    mb: Number(m[7]),
  }));
  if (table.length === 0) throw new Error('cannot read the report table from the output');
  const demo = table.filter((r) => r.scale === 'demo');
  const prov = table.filter((r) => r.scale === 'province');
  const worst = (xs, key) => xs.reduce((a, b) => (b[key] > a[key] ? b : a));
  const slow = worst(demo, 's');
  const high = worst(demo, 'ratio');
  row(
    `演示规模每种报表每种格式 ≤ 1.5 s（${demo.length} 种输出）`,
    `最慢 ${slow.s.toFixed(2)} s（${slow.report} ${slow.label}）`,
    slow.s <= 1.5,
    '`node bench/report-formats.mjs both 3`',
  );
  row('演示规模 ≤ 2.5× 同一报表的 `--json`', `最高 ${high.ratio.toFixed(2)}×（${high.report} ${high.label}）`, high.ratio <= 2.5, '同上');
  const pslow = worst(prov, 's');
  row(`省级规模每种输出 ≤ 3 s（${prov.length} 种输出）`, `最慢 ${pslow.s.toFixed(2)} s（${pslow.report} ${pslow.label}）`, pslow.s <= 3, '同上');
  const xlsx = prov.filter((r) => r.label === '.xlsx');
  const big = worst(xlsx, 'mb');
  row('省级规模月报、年报的 Excel 峰值内存 ≤ 400 MB', `最高 ${big.mb} MB（${big.report}）`, big.mb <= 400, '同上');
  parts.push('reports');
}

if (want('collect')) {
  const { out } = await part('collect', [process.execPath, 'bench/collect.mjs', '500', '2000', String(repeats)]);
  const parse = num(/^bare parse of the 9 files[^\n]*wall ([\d.]+) s/m, out, 'the bare parse');
  const imp = num(/^collect import of the 9 in one batch:\s+wall ([\d.]+) s/m, out, 'the import');
  row('月度报送表导入 ≤ 2× 同样文件的单纯解析（9 家银行的表，共 27,000 行）', `${imp.toFixed(2)} s 对 ${parse.toFixed(2)} s，${(imp / parse).toFixed(2)}×`, imp / parse <= 2, '`node bench/collect.mjs 500 2000 3`');
  parts.push('collect');
}

if (want('import')) {
  const { out } = await part('import', [process.execPath, 'bench/import.mjs', '200000', String(repeats)]);
  const imp = num(/^\(c\) xypz users import:\s+([\d.]+) s/m, out, 'the users import');
  const floor = num(/^\(d\) xypz parse \+ prepared inserts:\s*([\d.]+) s/m, out, 'parse + inserts');
  const mb = num(/^\(c\) xypz users import:[^\n]*peak RSS (\d+) MB/m, out, 'the import’s peak');
  const refuse = num(/^\(e\) refusal[^\n]*?:\s+([\d.]+) s/m, out, 'the refusal');
  const refuseMb = num(/^\(e\) refusal[^\n]*peak RSS (\d+) MB/m, out, 'the refusal’s peak');
  row('用户信息导入 ≤ 1.8× 解析加逐行插入（200,000 行）', `${imp.toFixed(2)} s 对 ${floor.toFixed(2)} s，${(imp / floor).toFixed(2)}×`, imp / floor <= 1.8, '`node bench/import.mjs 200000 3`');
  row('同上，峰值内存 ≤ 300 MB', `${mb} MB`, mb <= 300, '同上');
  row('超过 200,000 行的表一过上限即拒绝（250,000 行）', `${refuse.toFixed(2)} s，${refuseMb} MB（导入全部 200,000 行要 ${imp.toFixed(2)} s）`, refuse < imp, '同上');
  parts.push('import');
}

if (want('npm-ci') && !argv.includes('--no-npm-ci')) {
  const dir = mkdtempSync(join(tmpdir(), 'xypz-npm-ci-'));
  try {
    const clone = spawnSync('git', ['clone', '-q', root, join(dir, 'xypz')], { stdio: 'inherit' });
    if (clone.status !== 0) throw new Error('git clone failed');
    const { ms } = await part('npm-ci', ['npm', 'ci', '--no-audit', '--no-fund'], { cwd: join(dir, 'xypz') });
    row('新克隆的 `npm ci` < 3 分钟（含 better-sqlite3 的本机编译）', `${(ms / 1000).toFixed(0)} s`, ms < 180_000, '`git clone` 后 `time npm ci`');
    parts.push('npm-ci');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('');
console.log(`一次运行：${started.at}–${stamp().slice(11)} UTC，node ${process.version}，开始时负载 ${started.load}，结束时 ${loadavg()}；各部分：${parts.join('、')}`);
console.log('');
console.log('| 目标 | 测得 | 结果 | 复现 |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.target} | ${r.measured} | ${r.met ? '达到' : '**未达到**'} | ${r.how} |`);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
