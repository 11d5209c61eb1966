/**
 * On a server, each account logs in as itself: `users login` makes the login roles, the login is the actor,
 * the groups may do no more than xypz needs (a writer cannot rewrite the audit log, a reader only reads),
 * and disabling an account turns its login off.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConfig, CONNECT_TIMEOUT_S, parseTarget } from '../src/store/pg/connect.js';
import { databaseUrl } from './engines.js';
import { addAccounts, initialised, runIn, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

// Login roles belong to the whole server: names unique to this run keep parallel tests apart.
const tag = randomBytes(3).toString('hex');
const OP = `hrop_${tag}`;
const VIEW = `view_${tag}`;

async function withLogins(): Promise<{ passwords: Map<string, string>; file: string }> {
  sb = await initialised();
  await addAccounts(sb, [
    { login: OP, org: '华容区金融办', kind: '金融办', region: '华容区', role: '操作员' },
    { login: VIEW, org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '查询员' },
  ]);
  const file = sb.path('pw.txt');
  const r = await sb.run(['users', 'login', OP, VIEW, '--password-file', file]);
  expect(r.code, r.stderr).toBe(0);
  const passwords = new Map(
    readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t') as [string, string]),
  );
  return { passwords, file };
}

/** The sandbox's database as `login` (password in the URL unless told otherwise). */
function as(login: string, password?: string): string {
  return databaseUrl(new URL(sb.db).pathname.slice(1), password === undefined ? undefined : { name: login, password });
}

function psql(url: string, sql: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('psql', [url, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('users login', () => {
  it('gives each account a login of its own in its group; the passwords go to a new 0600 file only', async () => {
    const { passwords, file } = await withLogins();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect([...passwords.keys()]).toEqual([OP, VIEW]);
    for (const p of passwords.values()) expect(p).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const groups = await sb.sql<{ role: string; grp: string }>(
      `select r.rolname as role, g.rolname as grp from pg_auth_members m join pg_roles r on r.oid = m.member join pg_roles g on g.oid = m.roleid
        where r.rolname in ('${OP}', '${VIEW}') order by 1`,
    );
    expect(groups).toEqual([
      { role: OP, grp: 'xypz_writer' },
      { role: VIEW, grp: 'xypz_reader' },
    ]);
    const log = await sb.run(['audit', 'log', '--json', '--entity', 'login']);
    expect(log.json().map((e: { entity_id: string; after: { group: string; created: boolean } }) => [e.entity_id, e.after.group, e.after.created])).toEqual([
      [OP, 'xypz_writer', true],
      [VIEW, 'xypz_reader', true],
    ]);
    for (const p of passwords.values()) expect(log.stdout).not.toContain(p);
    // A password file is never overwritten; a renewal gives a new password and the old one stops working.
    expect((await sb.run(['users', 'login', OP, '--password-file', file])).code).toBe(3);
    const renewed = await sb.run(['users', 'login', OP, '--password-file', sb.path('pw2.txt'), '--json']);
    expect(renewed.json().logins).toEqual([{ login: OP, group: 'xypz_writer', created: false }]);
    const fresh = readFileSync(sb.path('pw2.txt'), 'utf8').trim().split('\t')[1]!;
    expect(fresh).not.toBe(passwords.get(OP));
    expect((await sb.run(['org', 'list'], { env: { XYPZ_DB: as(OP, passwords.get(OP)), XYPZ_ACTOR: undefined } })).code).toBe(4);
    expect((await sb.run(['org', 'list'], { env: { XYPZ_DB: as(OP, fresh), XYPZ_ACTOR: undefined } })).code).toBe(0);
  });

  it('never takes over a role it did not make, and needs CREATEROLE', async () => {
    const { passwords } = await withLogins();
    const other = `dba_${tag}`;
    await addAccounts(sb, [{ login: other, org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '操作员', phone: '13900000077' }]);
    expect(psql(as('postgres'), `create role ${other} login password 'theirs'`).code).toBe(0);
    const r = await sb.run(['users', 'login', other, '--password-file', sb.path('x.txt')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`已有名为 ${other} 的角色`);
    expect(await sb.sql(`select rolname from pg_auth_members m join pg_roles r on r.oid = m.member where r.rolname = '${other}'`)).toEqual([]);
    // The administrator's own login may not make logins without CREATEROLE (the maintenance connection can).
    await sb.run(['users', 'login', 'tester', '--password-file', sb.path('admin.txt')]);
    const admin = readFileSync(sb.path('admin.txt'), 'utf8').trim().split('\t')[1]!;
    const denied = await sb.run(['users', 'login', OP, '--password-file', sb.path('y.txt')], { env: { XYPZ_DB: as('tester', admin), XYPZ_ACTOR: undefined } });
    expect(denied.code).toBe(4);
    expect(denied.stderr).toContain('CREATEROLE');
    expect((await sb.run(['org', 'list'], { env: { XYPZ_DB: as(OP, passwords.get(OP)), XYPZ_ACTOR: undefined } })).code).toBe(0);
    // Given CREATEROLE, it issues logins and reads personal numbers: neither changes a row, so the login's
    // own note records each (the actor and time the server's).
    expect(psql(as('postgres'), 'alter role tester createrole').code).toBe(0);
    const asAdmin = { env: { XYPZ_DB: as('tester', admin), XYPZ_ACTOR: undefined } };
    const issued = await sb.run(['users', 'login', OP, '--password-file', sb.path('z.txt')], asAdmin);
    expect(issued.code, issued.stderr).toBe(0);
    const revealed = await sb.run(['users', 'list', '--reveal'], asAdmin);
    expect(revealed.code, revealed.stderr).toBe(0);
    const notes = await sb.sql<{ actor: string; command: string; entity: string; entity_id: string }>(
      `select actor, command, entity, entity_id from audit_log where entity in ('login', 'reveal') order by id desc limit 2`,
    );
    expect(notes.map((n) => [n.actor, n.command, n.entity])).toEqual([
      ['tester', 'users list', 'reveal'],
      ['tester', 'users login', 'login'],
    ]);
    expect(notes[1]!.entity_id).toBe(OP);
  });
});

describe('the login is the actor', () => {
  it('acts as itself; naming another account is refused (exit 4); the maintenance connection acts as named', async () => {
    const { passwords } = await withLogins();
    const url = as(OP, passwords.get(OP));
    const mine = await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-05', '--text', '本月推进顺利'], { env: { XYPZ_DB: url, XYPZ_ACTOR: undefined } });
    expect(mine.code, mine.stderr).toBe(0);
    const spoof = await sb.run(['users', 'list'], { env: { XYPZ_DB: url, XYPZ_ACTOR: 'tester' } });
    expect(spoof.code).toBe(4);
    expect(spoof.stderr).toContain(`已以数据库账号 ${OP} 登录，不能以 tester 的身份操作`);
    expect((await sb.run(['org', 'list'], { env: { XYPZ_DB: url, XYPZ_ACTOR: OP.toUpperCase() } })).code).toBe(0);
    const log = (await sb.run(['audit', 'log', '--json', '--entity', 'feedback'])).json();
    expect(log.map((e: { actor: string }) => e.actor)).toEqual([OP]);
    // The superuser that ran init is the maintenance connection: it acts as the account it names.
    const byName = await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-04', '--text', '补报'], { env: { XYPZ_ACTOR: OP } });
    expect(byName.code, byName.stderr).toBe(0);
    expect((await sb.run(['audit', 'log', '--json', '--entity', 'feedback'])).json().map((e: { actor: string }) => e.actor)).toEqual([OP, OP]);
  });

  it('naming another account is refused on every command, those that need no account included; the maintenance connection acts as named', async () => {
    const { passwords } = await withLogins();
    const url = as(OP, passwords.get(OP));
    const before = await sb.fingerprint();
    const commands = [
      ['org', 'list'],
      ['users', 'template', sb.path('u.xlsx')],
      ['recommend', 'template', sb.path('r.xlsx')],
      ['assign', 'template', sb.path('a.xlsx')],
      ['db', 'check'],
      ['init'],
      ['enterprise', 'list'],
      ['audit', 'head'],
      ['report', 'monthly', '--period', '2024-05'],
    ];
    for (const other of [VIEW, 'nobody_here']) {
      for (const args of commands) {
        for (const how of [{ env: { XYPZ_DB: url, XYPZ_ACTOR: other } }, { env: { XYPZ_DB: url, XYPZ_ACTOR: undefined } }]) {
          const r = await sb.run(how.env.XYPZ_ACTOR ? args : ['--actor', other, ...args], how);
          expect(r.code, `${args.join(' ')} as ${other}: ${r.stderr}`).toBe(4);
          expect(r.stderr).toContain(`已以数据库账号 ${OP} 登录，不能以 ${other} 的身份操作`);
        }
      }
    }
    for (const f of ['u.xlsx', 'r.xlsx', 'a.xlsx']) expect(existsSync(sb.path(f))).toBe(false);
    expect(await sb.fingerprint()).toBe(before);
    // naming the login itself, or no one, is fine
    for (const actor of [OP, undefined]) expect((await sb.run(['org', 'list'], { env: { XYPZ_DB: url, XYPZ_ACTOR: actor } })).code).toBe(0);
    // The maintenance connection acts as the account named, as a file's owner does: one that does not exist
    // is not found (exit 5) where an account is needed; the commands that need none run, as on a file.
    const ghost = { env: { XYPZ_ACTOR: 'nobody_here' } };
    for (const args of [['enterprise', 'list'], ['audit', 'head']]) {
      const r = await sb.run(args, ghost);
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).toContain('操作人「nobody_here」不是本系统的账号');
    }
    expect((await sb.run(['org', 'list'], ghost)).code).toBe(0);
  });

  it('finds the password in PGPASSWORD or a private ~/.pgpass, as psql does', async () => {
    const { passwords } = await withLogins();
    const url = as(OP); // no password in the URL
    const bare = url.replace('//postgres:', `//${OP}:`).replace(/:[^:@/]*@/, '@');
    const env = (extra: Record<string, string | undefined>) => ({ env: { XYPZ_DB: bare, XYPZ_ACTOR: undefined, PGPASSWORD: undefined, HOME: sb.dir, ...extra } });
    const none = await sb.run(['org', 'list'], env({}));
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('PGPASSWORD');
    expect((await sb.run(['org', 'list'], env({ PGPASSWORD: passwords.get(OP) }))).code).toBe(0);
    const { hostname, port, pathname } = new URL(url);
    writeFileSync(sb.path('.pgpass'), `# xypz\n${hostname}:${port}:${pathname.slice(1)}:${OP}:${passwords.get(OP)!.replaceAll(':', '\\:')}\n`, { mode: 0o600 });
    expect((await sb.run(['org', 'list'], env({}))).code).toBe(0);
    chmodSync(sb.path('.pgpass'), 0o644); // readable by others: ignored, as libpq does
    expect((await sb.run(['org', 'list'], env({}))).code).toBe(4);
  });
});

describe('least privilege', () => {
  it('a writer cannot rewrite the audit log or create anything; a reader only reads; even the owner meets the triggers', async () => {
    const { passwords } = await withLogins();
    const writer = as(OP, passwords.get(OP));
    const reader = as(VIEW, passwords.get(VIEW));
    for (const sql of ['delete from xypz.audit_log', "update xypz.audit_log set actor = 'x'", 'truncate xypz.audit_log']) {
      const r = psql(writer, sql);
      expect(r.code, sql).not.toBe(0);
      expect(r.err).toContain('permission denied for table audit_log');
    }
    expect(psql(writer, 'create table xypz.mine (x int)').err).toContain('permission denied for schema xypz');
    expect(psql(writer, 'drop table xypz.org').err).toContain('must be owner');
    expect(psql(writer, 'update xypz.audit_log_counter set last_id = 0').err).toContain('permission denied');
    expect(psql(reader, 'select count(*) from xypz.org').code).toBe(0);
    expect(psql(reader, "update xypz.region set capacity = 1").err).toContain('permission denied');
    expect(psql(reader, "insert into xypz.feedback (from_kind, from_key, month, text, submitted_on, created_at, updated_at) values ('district', '420703', '2024-05', 'x', '2024-06-01', 'x', 'x')").err).toContain('permission denied');
    expect(psql(as('postgres'), 'delete from xypz.audit_log').err).toContain('append-only');
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
    const check = await sb.run(['db', 'check', '--json']);
    expect(check.code, check.stderr).toBe(0);
  });

  it('a disabled account cannot log in; enabled, it can again', async () => {
    const { passwords } = await withLogins();
    const url = as(OP, passwords.get(OP));
    expect((await sb.run(['users', 'disable', OP, '--yes'])).code).toBe(0);
    expect(await sb.sql(`select rolcanlogin as can from pg_roles where rolname = '${OP}'`)).toEqual([{ can: false }]);
    const refused = await sb.run(['org', 'list'], { env: { XYPZ_DB: url, XYPZ_ACTOR: undefined } });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`拒绝了账号 ${OP} 的登录`);
    expect(psql(url, 'select 1').code).not.toBe(0);
    expect((await sb.run(['users', 'enable', OP])).code).toBe(0);
    expect((await sb.run(['org', 'list'], { env: { XYPZ_DB: url, XYPZ_ACTOR: undefined } })).code).toBe(0);
  });
});

describe('a server that cannot be reached or does not answer', () => {
  it('a refused connection and a silent server each get their own Chinese line (exit 4), never a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xypz-noserver-'));
    // a port nobody listens on
    const probe = createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((ok) => probe.close(() => ok()));
    // a socket that accepts and never says anything
    const held: { destroy(): void }[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      const refused = await runIn(dir, ['--db', `postgres://someone:pw@127.0.0.1:${closedPort}/xypz`, 'pool', 'show']);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toBe(`错误：无法连接数据库服务器 127.0.0.1:${closedPort}（ECONNREFUSED）：请确认服务器已启动、地址和端口正确\n`);
      // The silent server is waited for as long as PGCONNECT_TIMEOUT says (2 s here; 15 s unless told, below).
      const started = Date.now();
      const quiet = await runIn(dir, ['--db', `postgres://someone:pw@127.0.0.1:${silentPort}/xypz`, 'pool', 'show'], { env: { PGCONNECT_TIMEOUT: '2' } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(quiet.code).toBe(4);
      expect(quiet.stderr).toBe(`错误：连接数据库服务器 127.0.0.1:${silentPort} 超时（2 秒内没有应答）：请确认该地址和端口是 PostgreSQL 服务器、网络畅通\n`);
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((ok) => silent.close(() => ok()));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 45_000);

  it('waits 15 s for an answer unless the URL (connect_timeout) or PGCONNECT_TIMEOUT says otherwise, as libpq reads them', () => {
    const url = 'postgres://someone@127.0.0.1:5432/xypz';
    const wait = (u: string, env: Record<string, string> = {}) => clientConfig(parseTarget(u, { env })).connectionTimeoutMillis;
    expect(CONNECT_TIMEOUT_S).toBe(15);
    expect(wait(url)).toBe(15_000);
    expect(wait(url, { PGCONNECT_TIMEOUT: '5' })).toBe(5_000);
    expect(wait(`${url}?connect_timeout=7`, { PGCONNECT_TIMEOUT: '5' })).toBe(7_000);
    expect(wait(url, { PGCONNECT_TIMEOUT: '1' })).toBe(2_000); // libpq's least
    expect(wait(url, { PGCONNECT_TIMEOUT: '0' })).toBe(0); // no limit
    expect(wait(url, { PGCONNECT_TIMEOUT: '3000000' })).toBe(0); // longer than a timer can wait: no limit, not an instant time-out
    expect(() => parseTarget(url, { env: { PGCONNECT_TIMEOUT: '5s' } })).toThrow('连接超时（connect_timeout 或 PGCONNECT_TIMEOUT）「5s」无效：应为整数秒数');
  });
});
