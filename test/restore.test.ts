/** Restore and backup against someone who edits the file, and against kill -9 at the wrong moment. */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { switchDatabase } from '../src/store/maintenance.js';
import { addAccounts, initialised, sandbox, type Sandbox } from './helpers.js';

const BIN = join(process.cwd(), 'bin', 'xypz.js');
let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** A backup of a fresh database, then `sql` run on the backup file as someone with a SQLite shell would. */
async function tamperedBackup(sql: string): Promise<string> {
  sb = await initialised();
  expect((await sb.run(['db', 'backup', 'b.db'])).code).toBe(0);
  const raw = new Database(sb.path('b.db'));
  raw.exec(sql);
  raw.close();
  return sb.path('b.db');
}

/** Refused with exit 3 naming `reason`; the database and the directory exactly as before. */
async function expectRefused(reason: string | RegExp): Promise<void> {
  const before = readFileSync(sb.db);
  const files = readdirSync(sb.dir).sort();
  const r = await sb.run(['db', 'restore', 'b.db', '--yes']);
  expect(r.code, r.stderr).toBe(3);
  expect(r.stderr).toMatch(reason);
  expect(readFileSync(sb.db).equals(before)).toBe(true);
  expect(readdirSync(sb.dir).sort()).toEqual(files);
}

describe('db restore refuses a database that is not exactly the program’s', () => {
  it('a trigger that makes an administrator on the restore’s own audit write', async () => {
    await tamperedBackup(`
      create trigger plant after insert on audit_log begin
        insert into app_user (login, login_key, name, org_id, role, enabled, agreement_signed_on, created_at, updated_at)
        values ('mallory', 'mallory', '坏人', (select id from org where kind = 'pboc'), 'admin', 1, '2024-01-01', 'x', 'x');
      end`);
    await expectRefused(/触发器 plant/);
    expect((await sb.run(['users', 'show', 'mallory'])).code).toBe(5);
  });

  it('a trigger that deletes every loan on the next insert', async () => {
    await tamperedBackup('create trigger wipe after insert on case_event begin delete from loan; end');
    await expectRefused(/多出了触发器 wipe/);
  });

  it('a changed index, an extra table and an extra view', async () => {
    await tamperedBackup('drop index org_region_kind; create index org_region_kind on org (name); create table notes (x); create view v as select 1');
    await expectRefused(/索引 org_region_kind 的定义被改动.*(多出了表 notes|多出了视图 v)/);
  });

  it('missing append-only triggers', async () => {
    await tamperedBackup('drop trigger audit_log_no_update');
    await expectRefused(/缺少触发器 audit_log_no_update（审计日志的只追加保护）/);
  });

  it('an audit chain that does not verify (the schema restored to look untouched)', async () => {
    await tamperedBackup(`
      drop trigger audit_log_no_update;
      update audit_log set actor = 'mallory' where id = 1;
      create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`);
    await expectRefused(/审计日志不完整，第 1 条/);
  });

  it('db check finds the same (exit 3), and passes an untouched database', async () => {
    sb = await initialised();
    expect((await sb.run(['db', 'check'])).stdout).toContain('结构：与本程序定义的一致');
    const raw = new Database(sb.db);
    raw.exec('create trigger wipe after insert on case_event begin delete from loan; end');
    raw.close();
    const r = await sb.run(['db', 'check', '--json']);
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({ ok: false, schema_problems: ['多出了触发器 wipe（本程序的结构中没有）'] });
    expect(r.stderr).toContain('触发器会在下次写入时执行');
  });

  it('still restores an honest backup, whose log then verifies', async () => {
    sb = await initialised();
    await addAccounts(sb, [{ login: 'hr_user' }]);
    await sb.run(['db', 'backup', 'b.db']);
    const r = await sb.run(['db', 'restore', 'b.db', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
    expect((await sb.run(['db', 'check'])).code).toBe(0);
  });
});

describe('the kept original', () => {
  it('two restores in the same second keep both originals under different names', async () => {
    sb = await initialised();
    const now = new Date('2024-06-15T10:00:00Z');
    await sb.run(['db', 'backup', 'b1.db']);
    await sb.run(['org', 'add', '--name', '第一家后加银行', '--kind', 'bank', '--district', '鄂州市']);
    const first = await sb.run(['db', 'restore', 'b1.db', '--yes', '--json'], { now });
    await sb.run(['org', 'add', '--name', '第二家后加银行', '--kind', 'bank', '--district', '鄂州市']);
    const second = await sb.run(['db', 'restore', 'b1.db', '--yes', '--json'], { now });
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const [k1, k2] = [first.json().kept as string, second.json().kept as string];
    expect(k2).not.toBe(k1);
    const banks = (file: string) => {
      const raw = new Database(file, { readonly: true });
      const names = (raw.prepare("select name from org where name like '%后加银行'").all() as { name: string }[]).map((r) => r.name);
      raw.close();
      return names;
    };
    expect(banks(k1)).toEqual(['第一家后加银行']);
    expect(banks(k2)).toEqual(['第二家后加银行']);
    expect(statSync(k2).mode & 0o777).toBe(0o600);
  });

  it('if putting the new file in place fails, the database path still holds the old database', async () => {
    sb = await initialised();
    const ino = statSync(sb.db).ino;
    // The copy to be switched in has vanished (as after a crash): the rename fails half-way through the switch.
    expect(() => switchDatabase(sb.path('gone.tmp'), sb.db, '20240615T100000')).toThrow(/ENOENT/);
    expect(statSync(sb.db).ino).toBe(ino);
    expect((await sb.run(['org', 'list', '--json'])).code).toBe(0);
  });
});

/** Waits until `pred` holds (checked every few milliseconds). */
async function until(pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function start(cwd: string, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore', env: { ...process.env, XYPZ_TODAY: '2024-06-15', XYPZ_ACTOR: 'tester' } });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return { child, exited };
}

describe('kill -9', () => {
  it('xypz demo killed part-way leaves no half-built demo database; the next run cleans up and builds it', async () => {
    sb = sandbox();
    const { child, exited } = start(sb.dir, ['demo', '--db', 'd.db']);
    // Killed while the demo's records are being written: the write-ahead log of the database being filled
    // (d.db itself, or the temporary file it is built in) exists.
    await until(() => readdirSync(sb.dir).some((f) => /^(d\.db|\.d\.db\.xypz-\d+-[0-9a-f]{8}\.tmp)-wal$/.test(f)));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    expect(existsSync(sb.path('d.db'))).toBe(false);
    const { exited: again } = start(sb.dir, ['demo', '--db', 'd.db']);
    expect((await again).code).toBe(0);
    expect(readdirSync(sb.dir).sort()).toEqual(['d.db']);
  }, 60_000);

  it('a db backup killed while copying leaves no temporary file after the next backup', async () => {
    sb = await initialised();
    const raw = new Database(sb.db);
    // 60 MB to copy, so that the copy is under way long enough to be killed: in a table that opening the
    // database does not read (the regions, which it does, cost seconds per command at this size).
    const ins = raw.prepare(
      "insert into feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at, recorded_at) values ('district', '华容区', '2024-05', ?, '2024-06-05', '2024-06-05', '2024-06-05', '2024-06-05')",
    );
    raw.transaction(() => {
      for (let i = 0; i < 60_000; i++) ins.run(`第${i}条：${'x'.repeat(1000)}`);
    })();
    raw.close();
    const { child, exited } = start(sb.dir, ['db', 'backup', 'first.db']);
    await until(() => readdirSync(sb.dir).some((f) => f.startsWith('.first.db.')));
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    expect(readdirSync(sb.dir).filter((f) => f.startsWith('.first.db.')).length).toBeGreaterThan(0);
    expect((await sb.run(['db', 'backup', 'second.db'])).code).toBe(0);
    expect(readdirSync(sb.dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(existsSync(sb.path('first.db'))).toBe(false);
  }, 60_000);

  it('a temporary file of a process that still runs is left alone', async () => {
    sb = await initialised();
    const live = sb.path(`.x.db.xypz-${process.ppid}-0123abcd.tmp`);
    closeSync(openSync(live, 'w'));
    expect((await sb.run(['db', 'backup', 'b.db'])).code).toBe(0);
    expect(existsSync(live)).toBe(true);
  });
});

describe('files with personal and enterprise data are created 0600', () => {
  it('reports, ledgers, filings, exports and templates', async () => {
    sb = await initialised();
    const outs = [
      ['report', 'monthly', '--period', '2024-05', '--out', 'm.json'],
      ['report', 'monthly', '--period', '2024-05', '--out', 'm.csv'],
      ['report', 'monthly', '--period', '2024-05', '--out', 'm.xlsx'],
      ['report', 'quarterly', '--period', '2024Q1', '--out', 'q.md'],
      ['report', 'quarterly', '--period', '2024Q1', '--out', 'q.docx'],
      ['report', 'overdue', '--out', 'o.xlsx'],
      ['ledger', '--district', '华容区', '--out', 'l.xlsx'],
      ['users', 'export', 'u.xlsx'],
      ['users', 'template', 't.xlsx'],
      ['declare', 'template', 'd.xlsx'],
    ];
    for (const a of outs) {
      const r = await sb.run(a);
      expect(r.code, `${a.join(' ')}: ${r.stderr}`).toBe(0);
      const file = sb.path(a[a.length - 1]!);
      expect(statSync(file).mode & 0o777, a.join(' ')).toBe(0o600);
    }
  });

  it('an existing file replaced by a report becomes 0600 too', async () => {
    sb = await initialised();
    writeFileSync(sb.path('m.json'), '{}', { mode: 0o644 });
    expect((await sb.run(['report', 'monthly', '--period', '2024-05', '--out', 'm.json'])).code).toBe(0);
    expect(statSync(sb.path('m.json')).mode & 0o777).toBe(0o600);
  });
});
