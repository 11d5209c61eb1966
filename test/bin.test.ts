/** The real binary in a subprocess: exit codes, colour, and what start-up loads. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, sandbox, type Sandbox } from './helpers.js';

const BIN = join(process.cwd(), 'bin', 'xypz.js');
let sb: Sandbox;
afterEach(() => sb?.cleanup());

function xypz(cwd: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, XYPZ_TODAY: '2024-06-15', NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/xypz.js', () => {
  it('exits with the SPEC codes', async () => {
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
