import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { helpAsFlag } from '../src/cli.js';
import { initialised, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('command line conventions', () => {
  it('prints Chinese help and exits 0', async () => {
    sb = sandbox();
    const r = await sb.run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('用法：');
    expect(r.stdout).toContain('全局选项：');
    expect(r.stdout).toContain('org');
    // every command listed with its own description (the others are stubs, built only when run)
    expect(r.stdout).toMatch(/report +报表：月报、季报、年报/);
    expect(r.stdout).toMatch(/users +平台操作员账号/);
    const sub = await sb.run(['help', 'report']);
    expect(sub.stdout).toMatch(/monthly .*月报/);
    // --db takes a file or a server's address, as the README says
    for (const help of [r, await sb.run(['help', 'org', 'list'])]) {
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('--db <文件或地址> 数据库：SQLite 文件路径，或 PostgreSQL 地址 postgres://…');
      expect(help.stdout).not.toContain('SQLite 数据库文件');
    }
  });

  it('reads `help <command>` as the command with --help', () => {
    expect(helpAsFlag(['--db', 'x.db', '--json', 'org', 'list'])).toEqual(['--db', 'x.db', '--json', 'org', 'list']);
    expect(helpAsFlag(['--actor', 'a', 'help', 'users', 'list'])).toEqual(['--actor', 'a', 'users', 'list', '--help']);
    expect(helpAsFlag(['--help'])).toEqual(['--help']);
  });

  it('shows the options of a subcommand in `help <noun> <verb>`', async () => {
    sb = sandbox();
    const r = await sb.run(['help', 'report', 'monthly']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--period <期间>');
    expect(r.stdout).toContain('全局选项：');
  });

  it('suggests the closest command for an unknown one (exit 2)', async () => {
    sb = sandbox();
    const r = await sb.run(['orgg', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知命令「orgg」');
    expect(r.stderr).toContain('org');
    const sub = await sb.run(['org', 'lst']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('list');
  });

  it('suggests the closest flag for an unknown one (exit 2)', async () => {
    sb = await initialised();
    const r = await sb.run(['org', 'list', '--kindd', 'bank']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/未知选项「--kindd」.*--kind/);
  });

  it('a noun without a verb shows its help and exits 2', async () => {
    sb = sandbox();
    const r = await sb.run(['org']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('list');
  });

  it('refuses a missing database with exit 5 and says to run init', async () => {
    sb = sandbox();
    const r = await sb.run(['org', 'list']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('xypz init');
    expect(await sb.exists()).toBe(false);
  });

  it('refuses a file that is not SQLite with exit 3 and leaves it untouched', async () => {
    sb = sandbox();
    const f = sb.path('notes.txt');
    writeFileSync(f, 'hello, not a database\n');
    const r = await sb.run(['--db', f, 'org', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('不是有效的 xypz 数据库');
    expect(readFileSync(f, 'utf8')).toBe('hello, not a database\n');
    const init = await sb.run(['--db', f, 'init']);
    expect(init.code).toBe(3);
    expect(readFileSync(f, 'utf8')).toBe('hello, not a database\n');
  });

  it('with --json the error goes to stderr as an object', async () => {
    sb = sandbox();
    const r = await sb.run(['--json', 'org', 'list']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    const e = JSON.parse(r.stderr);
    expect(e.error.code).toBe('not_found');
    expect(e.error.message).toContain('xypz init');
    expect(Array.isArray(e.error.details)).toBe(true);
  });

  it('global options work before and after the command', async () => {
    sb = await initialised();
    const before = await sb.run(['--json', 'org', 'list', '--kind', 'pboc']);
    const after = await sb.run(['org', 'list', '--kind', 'pboc', '--json']);
    expect(before.code).toBe(0);
    expect(before.stdout).toBe(after.stdout);
    expect(before.json()[0].name).toBe('中国人民银行鄂州市分行');
  });

  it('rejects an invalid XYPZ_TODAY with exit 2', async () => {
    sb = await initialised();
    const r = await sb.run(['org', 'list'], { today: '2024-02-30' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('XYPZ_TODAY');
  });

  it('never prints a stack trace unless XYPZ_DEBUG=1', async () => {
    sb = sandbox();
    const r = await sb.run(['org', 'list']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await sb.run(['org', 'list'], { env: { XYPZ_DEBUG: '1' } });
    expect(d.stderr).toMatch(/\n\s+at /);
  });
});

describe('init', () => {
  it('creates the database with the Ezhou reference data', async () => {
    sb = sandbox();
    const r = await sb.run(['init']);
    expect(r.code).toBe(0);
    const banks = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json();
    expect(banks.map((b: { name: string }) => b.name)).toEqual([
      '中国工商银行鄂州分行',
      '中国农业银行鄂州分行',
      '中国银行鄂州分行',
      '中国建设银行鄂州分行',
      '交通银行鄂州分行',
      '中国邮政储蓄银行鄂州市分行',
      '湖北银行鄂州分行',
      '汉口银行鄂州分行',
      '鄂州农村商业银行',
    ]);
    const depts = (await sb.run(['org', 'list', '--kind', 'department', '--json'])).json();
    // 11 kinds in each of 6 regions (5 districts + city), plus 金融监管 at city level
    expect(depts).toHaveLength(11 * 6 + 1);
    const offices = (await sb.run(['org', 'list', '--kind', 'finance-office', '--json'])).json();
    expect(offices.map((o: { name: string }) => o.name)).toEqual([
      '鄂州市金融办',
      '鄂城区金融办',
      '华容区金融办',
      '梁子湖区金融办',
      '葛店经济技术开发区金融办',
      '临空经济区金融办',
    ]);
  });

  it('on an existing database changes nothing and says so', async () => {
    sb = await initialised();
    const before = await sb.fingerprint();
    const r = await sb.run(['init']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已存在');
    expect(await sb.fingerprint()).toBe(before);
    const log = (await sb.run(['audit', 'log', '--json'])).json();
    expect(log.filter((e: { command: string }) => e.command === 'init').map((e: { entity: string }) => e.entity)).toEqual(['database', 'reference', 'user']);
  });

  it('records who ran it: --actor, else XYPZ_ACTOR, else the OS user', async () => {
    sb = sandbox();
    await sb.run(['init'], { env: { XYPZ_ACTOR: undefined } });
    await sb.run(['init', '--admin', 'zhang', '--name', '张三']);
    const log = (await sb.run(['audit', 'log', '--json'], { env: { XYPZ_ACTOR: 'zhang' } })).json();
    expect(log.map((e: { actor: string }) => e.actor)).toEqual(['osuser', 'osuser', 'zhang']);
    expect((await sb.run(['--actor', 'zhang', 'org', 'add', '--name', '测试银行', '--kind', 'bank', '--district', '鄂州市'])).code).toBe(0);
    expect((await sb.run(['org', 'add', '--name', '另一测试银行', '--kind', 'bank', '--district', '鄂州市'], { env: { XYPZ_ACTOR: 'zhang' } })).code).toBe(0);
    const after = (await sb.run(['audit', 'log', '--json', '--entity', 'org'], { env: { XYPZ_ACTOR: 'zhang' } })).json();
    expect(after.map((e: { actor: string; command: string }) => `${e.actor} ${e.command}`)).toEqual(['zhang org add', 'zhang org add']);
  });
});
