/** The real binary in a subprocess: exit codes, colour, and what start-up loads. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, sandbox, type Sandbox } from './helpers.js';

const BIN = join(process.cwd(), 'bin', 'xypz.js');
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
    const writer = (prefix: string) =>
      new Promise<{ code: number | null; err: string }>((res) => {
        // 15 organisations each, one command per process start, as two staff members would
        const script = `for i in $(seq 1 15); do node ${BIN} org add --name ${prefix}银行$i --kind bank --district 鄂州市 || exit 1; done`;
        const p = spawn('bash', ['-c', script], { cwd: sb.dir, env: { ...process.env, ...sb.env, XYPZ_ACTOR: 'tester', XYPZ_TODAY: '2024-06-15' } });
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        p.on('exit', (code) => res({ code, err }));
      });
    const [a, b] = await Promise.all([writer('甲'), writer('乙')]);
    expect(a.err + b.err).not.toMatch(/locked|占用/);
    expect([a.code, b.code]).toEqual([0, 0]);
    const banks = JSON.parse(xypz(sb.dir, ['org', 'list', '--kind', 'bank', '--json'], { XYPZ_ACTOR: 'tester' }).stdout);
    expect(banks).toHaveLength(9 + 30);
    expect(xypz(sb.dir, ['audit', 'verify'], { XYPZ_ACTOR: 'tester' }).code).toBe(0);
  }, 120_000);

  it('an import killed inside its write transaction leaves the database as it was', async () => {
    sb = await initialised();
    const { spawn } = await import('node:child_process');
    const lines = ['登录账号,用户姓名,所属机构,机构类型,所属区域,用户角色,手机号码'];
    for (let i = 0; i < 60_000; i++) lines.push(`kill${i},张三,华容区财政局,政府部门,华容区,操作员,139${String(i).padStart(8, '0')}`);
    writeFileSync(sb.path('big.csv'), lines.join('\n'));
    const env = { XYPZ_ACTOR: 'tester' };
    const before = xypz(sb.dir, ['audit', 'log', '--json'], env).stdout;
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
    expect(xypz(sb.dir, ['db', 'check', '--json'], env).code).toBe(0);
    expect(JSON.parse(xypz(sb.dir, ['users', 'list', '--json'], env).stdout)).toHaveLength(1);
    expect(xypz(sb.dir, ['audit', 'log', '--json'], env).stdout).toBe(before);
    expect(xypz(sb.dir, ['audit', 'verify'], env).code).toBe(0);
    // Without the kill the same file imports in full: it was the kill that kept the rows out.
    expect(xypz(sb.dir, ['users', 'import', 'big.csv'], env).code).toBe(0);
    expect(JSON.parse(xypz(sb.dir, ['users', 'list', '--json'], env).stdout)).toHaveLength(60_001);
  }, 120_000);
});
