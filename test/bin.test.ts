/** The real binary in a subprocess: exit codes, colour, and what start-up loads. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, sandbox, type Sandbox } from './helpers.js';
import { ENGINE } from './engines.js';

const BIN = join(process.cwd(), 'bin', 'xypz.js');
/** What bin/xypz.js runs: the built CLI (test/global-setup.ts builds it). */
const CLI = join(process.cwd(), 'dist', 'cli.js');
/** The CLI with the test seams (test/seamed-xypz.mjs): XYPZ_TEST_PAUSE_IN_WRITE stops an import inside its transaction. */
const SEAMED = join(process.cwd(), 'test', 'seamed-xypz.mjs');
let sb: Sandbox;
afterEach(() => sb?.cleanup());

function xypz(cwd: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XYPZ_TODAY: '2024-06-15', NO_COLOR: '', FORCE_COLOR: '', ...sb?.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/xypz.js', () => {
  it('exits with the documented codes', async () => {
    sb = sandbox();
    expect(xypz(sb.dir, ['--help']).code).toBe(0);
    expect(xypz(sb.dir, ['nosuch']).code).toBe(2);
    expect(xypz(sb.dir, ['org', 'list']).code).toBe(5);
    writeFileSync(sb.path('t.txt'), 'text');
    expect(xypz(sb.dir, ['--db', 't.txt', 'org', 'list']).code).toBe(3);
    expect(xypz(sb.dir, ['init']).code).toBe(0);
    expect(xypz(sb.dir, ['org', 'list', '--district', '火星']).code).toBe(5);
  });

  it('prints no colour when stdout is not a terminal', async () => {
    sb = await initialised();
    const r = xypz(sb.dir, ['org', 'list', '--kind', 'bank']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('中国工商银行鄂州分行');
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stderr).toBe('');
  });

  it('loads neither exceljs nor inquirer for --help and org list', async () => {
    sb = await initialised();
    for (const args of [['--help'], ['org', 'list']]) {
      const trace = sb.path(`trace-${args.length}.txt`);
      writeFileSync(trace, '');
      const r = xypz(sb.dir, args, { TRACE_FILE: trace }, ['--import', join(process.cwd(), 'test/fixtures/trace-loads.mjs')]);
      expect(r.code).toBe(0);
      const loaded = readFileSync(trace, 'utf8');
      expect(loaded).toContain('dist/cli.js');
      expect(loaded).not.toMatch(/exceljs|@inquirer|inquirer/);
      expect(loaded).not.toMatch(/echarts|resvg/);
      if (args[0] === '--help') expect(loaded).not.toMatch(/better-sqlite3|chunks\/list-/);
    }
  });

  it('loads no query builder, no domain code and no child_process for --help, nor kysely for completing a name', async () => {
    sb = await initialised();
    // The bundle's chunks have made-up names: what each holds is read from its source map.
    const sourcesLoaded = (args: string[]) => {
      const trace = sb.path('trace-sources.txt');
      writeFileSync(trace, '');
      const r = xypz(sb.dir, args, { TRACE_FILE: trace }, ['--import', join(process.cwd(), 'test/fixtures/trace-loads.mjs')]);
      expect(r.code).toBe(0);
      const files = readFileSync(trace, 'utf8').split('\n').filter((u) => u.startsWith('file:') && u.includes('/dist/') && u.endsWith('.js'));
      expect(files.length).toBeGreaterThan(1);
      return { stdout: r.stdout, sources: files.flatMap((u) => (JSON.parse(readFileSync(new URL(`${u}.map`), 'utf8')) as { sources: string[] }).sources) };
    };
    const help = sourcesLoaded(['--help']);
    expect(help.stdout).toContain('命令：');
    expect(help.sources).toContain('../src/cli.ts');
    const completion = sourcesLoaded(['__complete', 'enterprise', 'list', '--district', '']);
    expect(completion.stdout).toContain('鄂城区');
    expect(completion.sources.some((s) => s.endsWith('src/store/names.ts'))).toBe(true);
    for (const { sources } of [help, completion]) {
      expect(sources.filter((s) => /node_modules\/kysely\/|src\/domain\/|src\/commands\/define\.ts/.test(s))).toEqual([]);
    }
    // better-sqlite3's JavaScript is compiled into the bundle (scripts/build.mjs): loaded to read names from a file
    // (on a server the names come through its client), never for --help.
    expect(completion.sources.some((s) => s.endsWith('node_modules/better-sqlite3/lib/database.js'))).toBe(ENGINE === 'sqlite');
    expect(help.sources.filter((s) => s.includes('node_modules/better-sqlite3/'))).toEqual([]);
    // Node's own modules: commander's child_process (and net, dgram behind it) waits until a subcommand is spawned.
    const builtins = "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(2, process.moduleLoadList.join('\\n')));";
    const r = xypz(sb.dir, ['--help'], {}, ['--import', `data:text/javascript,${encodeURIComponent(builtins)}`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('NativeModule fs');
    expect(r.stderr.split('\n')).not.toContain('NativeModule child_process');
  });
});

describe('the bundle', () => {
  // scripts/build.mjs patches cli-table3 (and string-width under it) to remember widths: the bundled copy must
  // draw every table exactly as the package itself does.
  it("draws tables as cli-table3 itself does, with the build's width patches", async () => {
    const chunk = readdirSync(join(process.cwd(), 'dist', 'chunks')).find((f) => /^cli-table3-.*\.js$/.test(f));
    expect(chunk).toBeDefined();
    const bundled = (await import(pathToFileURL(join(process.cwd(), 'dist', 'chunks', chunk!)).href)) as { default: typeof Table };
    const parts = ['中文', 'abc', '🚀', '\x1b[1m粗\x1b[22m', '\x1b[31m红\x1b[39m', '\n', ' ', '…', '12', '\u200b', 'é', '％'];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const cell = () => Array.from({ length: next(6) }, () => parts[next(parts.length)]).join('');
    for (let t = 0; t < 200; t++) {
      const cols = 1 + next(5);
      const head = Array.from({ length: cols }, cell);
      const colAligns = Array.from({ length: cols }, () => (next(2) ? 'left' : 'right') as 'left' | 'right');
      const rows = Array.from({ length: next(12) }, () => Array.from({ length: cols }, cell));
      const draw = (T: typeof Table) => {
        const table = new T({ head: [...head], style: { head: [], border: [], compact: true }, colAligns: [...colAligns] });
        for (const r of rows) table.push([...r]);
        return table.toString();
      };
      expect(draw(bundled.default)).toBe(draw(Table));
    }
  });
});

describe('colour on a terminal', () => {
  it('is used on a TTY and turned off by NO_COLOR and --no-color', async () => {
    sb = await initialised();
    const tty = await sb.run(['org', 'list', '--kind', 'pboc'], { tty: true });
    expect(tty.stdout).toContain('\x1b[');
    const noColor = await sb.run(['org', 'list', '--kind', 'pboc'], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\x1b[');
    const flag = await sb.run(['org', 'list', '--kind', 'pboc', '--no-color'], { tty: true });
    expect(flag.stdout).not.toContain('\x1b[');
    const json = await sb.run(['org', 'list', '--kind', 'pboc', '--json'], { tty: true });
    const plain = await sb.run(['org', 'list', '--kind', 'pboc', '--json']);
    expect(json.stdout).toBe(plain.stdout);
  });
});

describe('two processes and a killed process', () => {
  it('two processes writing at once never fail with "database is locked"', async () => {
    sb = await initialised();
    const { spawn } = await import('node:child_process');
    // Two processes, each adding 15 organisations one command after another as a staff member would: every
    // command opens the database, writes and closes it, as a command of its own process does. The commands run
    // in a loop inside each process (main of dist/cli.js, as bin/xypz.js calls it) rather than one process
    // start each: the start-ups are not what is tested, and back to back the two writers meet more often.
    const loop = (prefix: string) =>
      `const { main } = await import(${JSON.stringify(pathToFileURL(CLI).href)});` +
      `for (let i = 1; i <= 15; i++) { const code = await main(['org', 'add', '--name', '${prefix}银行' + i, '--kind', 'bank', '--district', '鄂州市']); if (code !== 0) process.exit(code); }`;
    const writer = (prefix: string) =>
      new Promise<{ code: number | null; err: string }>((res) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', loop(prefix)], { cwd: sb.dir, env: { ...process.env, ...sb.env, XYPZ_ACTOR: 'tester', XYPZ_TODAY: '2024-06-15' } });
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        p.on('exit', (code) => res({ code, err }));
      });
    const [a, b] = await Promise.all([writer('甲'), writer('乙')]);
    expect(a.err + b.err).not.toMatch(/locked|占用/);
    expect([a.code, b.code]).toEqual([0, 0]);
    // what the two processes left, read in-process
    expect((await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json()).toHaveLength(9 + 30);
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
  }, 120_000);

  it('an import killed inside its write transaction leaves the database as it was', async () => {
    sb = await initialised();
    const { spawn } = await import('node:child_process');
    const lines = ['登录账号,用户姓名,所属机构,机构类型,所属区域,用户角色,手机号码'];
    // More rows than an import keeps in memory (25,000): they are staged in a table and written page by page
    // (5,000 rows a page), all inside the one transaction the kill must undo in full.
    const ROWS = 30_000;
    for (let i = 0; i < ROWS; i++) lines.push(`kill${i},张三,华容区财政局,政府部门,华容区,操作员,139${String(i).padStart(8, '0')}`);
    writeFileSync(sb.path('big.csv'), lines.join('\n'));
    const env = { XYPZ_ACTOR: 'tester' };
    const before = (await sb.run(['audit', 'log', '--json'])).stdout;
    // The pipeline writes the marker once every row and the audit entry are written, then waits before committing.
    const marker = sb.path('in-transaction');
    const p = spawn(process.execPath, [SEAMED, 'users', 'import', 'big.csv'], { cwd: sb.dir, env: { ...process.env, ...sb.env, ...env, XYPZ_TEST_PAUSE_IN_WRITE: marker } });
    let exited = false;
    const exit = new Promise<NodeJS.Signals | null>((r) => p.on('exit', (_code, signal) => ((exited = true), r(signal))));
    while (!existsSync(marker)) {
      expect(exited, 'the import ended before reaching its transaction').toBe(false);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(readFileSync(marker, 'utf8')).toBe(String(p.pid));
    // The child holds the write lock: another writer cannot start.
    expect(await sb.writeLocked()).toBe(true);
    p.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    // What the killed process left, read in-process (the kill is what is tested, not these commands' start-up).
    expect((await sb.run(['db', 'check', '--json'])).code).toBe(0);
    expect((await sb.run(['users', 'list', '--json'])).json()).toHaveLength(1);
    expect((await sb.run(['audit', 'log', '--json'])).stdout).toBe(before);
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
    // Without the kill the same file imports in full: it was the kill that kept the rows out.
    expect((await sb.run(['users', 'import', 'big.csv'])).code).toBe(0);
    expect((await sb.run(['users', 'list', '--json'])).json()).toHaveLength(ROWS + 1);
  }, 120_000);
});
