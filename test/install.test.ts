/**
 * Installed on the PATH, as an office does it: `npm pack` from a checkout, the tarball installed globally without the
 * registry, then the README's cron line run as cron runs it (`env -i`, a bare PATH, cwd /). Also `npm install -g .`
 * from a checkout, and the bash completion script. One build and one pack for all: `npm install -g .` runs first,
 * on the checkout as cloned (no dist/), and its prepare script builds dist/; the pack after it packs that dist/
 * (--ignore-scripts: the same build again would take about 5 s of CPU and change nothing).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIsoDate } from '../src/context.js';
import { previousPeriod } from '../src/util/dates.js';

const ROOT = process.cwd();
let tmp: string;
let prefix: string;
let tgz: string;
let linkPrefix: string;
/** `npm install -g .` from the checkout as cloned, and whether dist/ was there before it and after. */
let linked: { code: number | null; stderr: string; distBefore: boolean; distAfter: boolean };

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** What cron gives a job: nothing but HOME and a short PATH (with the install prefix's bin first). */
const cronEnv = (bin: string, extra: Record<string, string> = {}) => ({ HOME: tmp, PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, ...extra });

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xypz-install-'));
  // A checkout: the repository's files (not dist/) and its installed node_modules.
  const checkout = join(tmp, 'checkout');
  const files = sh('git', ['-c', 'core.quotePath=false', 'ls-files', '-co', '--exclude-standard'], { cwd: ROOT }).stdout.split('\n').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f)) || f.startsWith('node_modules')) continue;
    mkdirSync(dirname(join(checkout, f)), { recursive: true });
    cpSync(join(ROOT, f), join(checkout, f));
  }
  // A real node_modules directory as `npm ci` leaves it (hard links where the file system allows: cheap). A
  // symlinked one would make npm treat every bundled package as a link and leave their dependencies out.
  const nm = sh('cp', ['-al', join(ROOT, 'node_modules'), join(checkout, 'node_modules')]);
  if (nm.code !== 0) {
    rmSync(join(checkout, 'node_modules'), { recursive: true, force: true });
    cpSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
  const distBefore = existsSync(join(checkout, 'dist'));
  expect(distBefore).toBe(false);
  linkPrefix = join(tmp, 'prefix-link');
  const link = sh('npm', ['install', '-g', '--prefix', linkPrefix, '--offline', '--no-audit', '--no-fund', '.'], { cwd: checkout });
  linked = { code: link.code, stderr: link.stderr, distBefore, distAfter: existsSync(join(checkout, 'dist', 'cli.js')) };
  if (!linked.distAfter) throw new Error(`npm install -g . did not build dist/ (prepare): ${link.stderr}`);
  const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: checkout });
  if (pack.code !== 0) throw new Error(pack.stderr);
  tgz = join(tmp, pack.stdout.trim().split('\n').pop()!);
  prefix = join(tmp, 'prefix');
  const install = sh('npm', ['install', '-g', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', tgz], { cwd: tmp });
  if (install.code !== 0) throw new Error(install.stderr);
  // Whether npm keeps better-sqlite3's build/ in the tarball depends on its cached view of node_modules; the
  // tool must not depend on it, so the installed copy runs without it.
  rmSync(join(prefix, 'lib', 'node_modules', 'xypz', 'node_modules', 'better-sqlite3', 'build'), { recursive: true, force: true });
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack and a global install from the tarball', () => {
  it('the tarball carries dist/ (built by prepare) and the compiled runtime externals', () => {
    const list = sh('tar', ['--quoting-style=literal', '-tzf', tgz]).stdout.split('\n');
    const want = ['package/bin/xypz.js', 'package/dist/cli.js', 'package/dist/complete.js', 'package/dist/commands.json', 'package/templates/核查报告.md'];
    expect(want.filter((f) => !list.includes(f))).toEqual([]);
    expect(list).toContain('package/dist/native/better_sqlite3.node');
    expect(list).toContain('package/node_modules/better-sqlite3/lib/database.js');
    // the bundled packages' own dependencies come along (better-sqlite3's loader)
    expect(list).toContain('package/node_modules/bindings/bindings.js');
    // exceljs is compiled into dist/ (loading its ~400 files took most of a small workbook's time): not in the
    // tarball, its licence in the notices of what dist/ holds
    expect(list.some((f) => f.startsWith('package/node_modules/exceljs/') || f.startsWith('package/node_modules/jszip/'))).toBe(false);
    expect(list).toContain('package/dist/THIRD-PARTY-NOTICES.txt');
    const notices = readFileSync(join(prefix, 'lib', 'node_modules', 'xypz', 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const p of ['exceljs 4.4.0 (MIT)', 'jszip ', 'kysely ', 'echarts ']) expect(notices).toContain(`\n${p}`);
    // resvg (chart PNGs) with its prebuilt binary for this platform
    expect(list).toContain('package/node_modules/@resvg/resvg-js/index.js');
    expect(list.some((f) => /^package\/node_modules\/@resvg\/resvg-js-[^/]+\/resvgjs\.[^/]+\.node$/.test(f))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    // Everything the tarball needs at run time is inside it: its dependencies are exactly the bundled ones.
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...pkg.bundleDependencies].sort());
  });

  it('puts a working xypz on the PATH: --version loads SQLite', () => {
    const r = sh('xypz', ['--version'], { cwd: '/', env: cronEnv(join(prefix, 'bin')) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^xypz \d+\.\d+\.\d+\nSQLite 3\.\d+\.\d+\n$/);
  });

  it('runs the README’s cron lines as written, under env -i with cwd /', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('cron（每月 11 日'));
    const lines = /```cron\n([^`]+)\n```/.exec(section)![1]!.split('\n');
    // The command that writes them gives these very lines where node and xypz are in /usr/local/bin.
    const block = /```sh\n\(crontab -l[^\n]*\n([\s\S]+?)\n```/.exec(section)![1]!;
    const written = block
      .split('\n')
      .filter((l) => l.includes('echo "'))
      .map((l) => l.slice(l.indexOf('echo "') + 6, l.lastIndexOf('"')).replaceAll('$(dirname "$(command -v node)")', '/usr/local/bin').replaceAll('$(command -v xypz)', '/usr/local/bin/xypz'));
    expect(written).toEqual(lines);
    const bin = join(prefix, 'bin');
    expect(lines[0]).toBe('PATH=/usr/local/bin:/usr/bin:/bin');
    const path = `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`;
    mkdirSync(join(tmp, 'data', 'reports'), { recursive: true });
    mkdirSync(join(tmp, 'mnt', 'archive'), { recursive: true });
    const demo = sh('env', ['-i', `HOME=${tmp}`, `PATH=${path}`, join(bin, 'xypz'), '--db', join(tmp, 'data', 'xypz.db'), 'demo'], { cwd: '/' });
    expect(demo.code, demo.stderr).toBe(0);
    for (const line of lines.slice(1)) {
      const fields = line.trim().split(/\s+/);
      expect(fields.slice(2, 5)).toEqual(['11', '*', '*']); // after the feedback deadline: the month's final report
      const command = fields.slice(5).join(' ').replaceAll('/usr/local/bin/xypz', join(bin, 'xypz')).replaceAll('/data/', `${tmp}/data/`).replaceAll('/mnt/', `${tmp}/mnt/`);
      expect(command).toContain(`${tmp}/data/`);
      const r = sh('env', ['-i', `HOME=${tmp}`, `PATH=${path}`, 'sh', '-c', command], { cwd: '/' });
      expect(r.code, r.stderr).toBe(0);
    }
    const month = previousPeriod(localIsoDate(new Date()), 'month').label;
    expect(existsSync(join(tmp, 'data', 'reports', `月报-${month}.xlsx`))).toBe(true);
    const head = JSON.parse(readFileSync(join(tmp, 'mnt', 'archive', 'xypz-audit-head.jsonl'), 'utf8').trim());
    expect(head.entries).toBeGreaterThan(0);
  });

  it('draws a chart as PNG with the resvg the tarball carries', () => {
    const out = join(tmp, 'data', 'reports', 'trend.png');
    const r = sh('env', ['-i', `HOME=${tmp}`, `PATH=${join(prefix, 'bin')}:/usr/local/bin:/usr/bin:/bin`, 'XYPZ_ACTOR=pboc_query', 'xypz', '--db', join(tmp, 'data', 'xypz.db'), 'report', 'monthly', '--chart', 'trend', '--out', out], { cwd: '/' });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
  });

  it('the bash completion script completes names from the database', () => {
    const script = 'source <(xypz completion bash); COMP_WORDS=(xypz enterprise list --district 华); COMP_CWORD=4; _xypz_complete; printf "%s\\n" "${COMPREPLY[@]}"';
    const r = sh('bash', ['-c', script], { cwd: '/', env: cronEnv(join(prefix, 'bin'), { XYPZ_DB: join(tmp, 'data', 'xypz.db') }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('华容区\n');
    const cmds = sh('bash', ['-c', 'source <(xypz completion bash); COMP_WORDS=(xypz rep); COMP_CWORD=1; _xypz_complete; printf "%s\\n" "${COMPREPLY[@]}"'], { cwd: '/', env: cronEnv(join(prefix, 'bin')) });
    expect(cmds.stdout).toBe('report\n');
  });
});

describe('npm install -g . from a checkout', () => {
  it('builds dist/ (prepare) and links the checkout: xypz runs from the PATH', () => {
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked).toMatchObject({ distBefore: false, distAfter: true });
    const v = sh('xypz', ['--version'], { cwd: '/', env: cronEnv(join(linkPrefix, 'bin')) });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^xypz /);
  });
});
