import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('db check / migrate', () => {
  it('reports integrity and schema version', async () => {
    sb = await initialised();
    const r = await sb.run(['db', 'check', '--json']);
    expect(r.code).toBe(0);
    const c = r.json();
    expect(c.ok).toBe(true);
    expect(c.integrity).toEqual(['ok']);
    expect(c.schema_version).toBe(c.expected_version);
    expect(c.mode).toBe('0600');
    expect((await sb.run(['db', 'migrate'])).stdout).toContain('已是最新');
  });

  it('warns when the file is readable by others', async () => {
    sb = await initialised();
    const { chmodSync } = await import('node:fs');
    chmodSync(sb.db, 0o644);
    const r = await sb.run(['db', 'check']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('chmod 600');
  });

  it('refuses (exit 4) a database made by a newer version, without touching it', async () => {
    sb = await initialised();
    const raw = new Database(sb.db);
    raw.prepare("insert into kysely_migration (name, timestamp) values ('9999_future', '2099-01-01')").run();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(sb.db);
    const r = await sb.run(['org', 'list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('更新版本');
    expect((await sb.run(['db', 'migrate'])).code).toBe(4);
    expect(readFileSync(sb.db).equals(before)).toBe(true);
  });
});

describe('db backup / restore', () => {
  it('makes a consistent 0600 copy while another process is writing', async () => {
    sb = await initialised();
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const db=new D(process.argv[1]);db.pragma('busy_timeout=10000');
         const ins=db.prepare("insert into region(code,name,level,aliases,capacity,sort_order) values(?,?,'district','[]',10,?)");
         const end=Date.now()+1500;let i=0;process.stdout.write('go\\n');
         while(Date.now()<end){db.transaction(()=>{for(let k=0;k<50;k++){i++;ins.run('T'+i,'测试区'+i,100+i)}})()}
         console.log(i);`,
        sb.db,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    writer.stdout.on('data', (d) => (out += d));
    await new Promise<void>((res) => writer.stdout.once('data', () => res()));
    const r = await sb.run(['db', 'backup', 'copy.db', '--json']);
    await new Promise((res) => writer.on('exit', res));
    expect(r.code).toBe(0);
    expect(statSync(sb.path('copy.db')).mode & 0o777).toBe(0o600);
    const copy = new Database(sb.path('copy.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = (copy.prepare("select count(*) n from region where code like 'T%'").get() as { n: number }).n;
    copy.close();
    expect(n % 50).toBe(0); // whole transactions only
    expect(Number(out.trim().split('\n').pop())).toBeGreaterThan(0);
    // never overwrites
    expect((await sb.run(['db', 'backup', 'copy.db'])).code).toBe(3);
  });

  it('restore needs --yes without a TTY, keeps the replaced file, and verifies the backup', async () => {
    sb = await initialised();
    await sb.run(['db', 'backup', 'b1.db']);
    await sb.run(['org', 'add', '--name', '后加银行', '--kind', 'bank', '--district', '鄂州市']);
    const no = await sb.run(['db', 'restore', 'b1.db']);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('--yes');
    const r = await sb.run(['db', 'restore', 'b1.db', '--yes', '--json']);
    expect(r.code).toBe(0);
    const kept = r.json().kept as string;
    expect(existsSync(kept)).toBe(true);
    expect(statSync(sb.db).mode & 0o777).toBe(0o600);
    const banks = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json();
    expect(banks.map((b: { name: string }) => b.name)).not.toContain('后加银行');
    const old = new Database(kept, { readonly: true });
    expect((old.prepare("select count(*) n from org where name='后加银行'").get() as { n: number }).n).toBe(1);
    old.close();
    const log = (await sb.run(['audit', 'log', '--json'])).json();
    expect(log.at(-1).after.restored_from).toContain('b1.db');
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
  });

  it('refuses to restore from a file that is not an xypz database', async () => {
    sb = await initialised();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(sb.path('junk.db'), 'junk');
    const before = readFileSync(sb.db);
    const r = await sb.run(['db', 'restore', 'junk.db', '--yes']);
    expect(r.code).toBe(3);
    expect(readFileSync(sb.db).equals(before)).toBe(true);
    expect(readdirSync(sb.dir).filter((f) => f.includes('replaced'))).toEqual([]);
  });
});
