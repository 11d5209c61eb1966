/**
 * On a server the store itself keeps a closed case's coaching items as they are (migration 0024_coaching_ended):
 * a unit's login, with its own password and any PostgreSQL client, cannot close, change or take back an item once
 * its case is closed, though it may still change the items of the open cases it leads; the schema owner (the
 * maintenance connection) is not bound. test/sqlite-coaching-ended.test.ts checks the file.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from './engines.js';
import { demoSandbox, ok, TODAY, type Sandbox } from './helpers.js';
import { makeLogins, runAs } from './real-logins.js';

const BANK = '中国工商银行鄂州分行';
const ADMIN = { env: { XYPZ_ACTOR: 'demo_admin' } };
const login = `ce_${Math.random().toString(16).slice(2, 8)}`;

let sb: Sandbox;
let client: pg.Client;
let password = '';
const item = { closed: 0, done: 0, open: 0 };

beforeAll(async () => {
  sb = await demoSandbox();
  password = (await makeLogins(sb, [{ login, org: BANK, kind: '金融机构', region: '鄂州市', role: '操作员' }], '1370000')).get(login)!;
  const led = await sb.sql<{ code: string }>(
    `select c.enterprise_code as code from case_file c join org o on o.id = c.lead_bank_id where o.name = '${BANK}' and c.stage = 'assigned' order by c.id limit 2`,
  );
  expect(led).toHaveLength(2);
  const [closing, staying] = led.map((r) => r.code) as [string, string];
  const add = async (c: string) => (await ok(sb, ['coach', 'add', c, '--item', '补办抵押登记', '--org', '工行', '--date', TODAY, '--json'], ADMIN)).json().id as number;
  item.closed = await add(closing);
  item.done = await add(closing);
  item.open = await add(staying);
  await ok(sb, ['coach', 'done', String(item.done), '--date', TODAY], ADMIN);
  await ok(sb, ['close', closing, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', TODAY], ADMIN);
  client = new pg.Client({ connectionString: databaseUrl(new URL(sb.db).pathname.slice(1), { name: login, password }) });
  await client.connect();
}, 300_000);

afterAll(async () => {
  await client?.end().catch(() => undefined);
  sb?.cleanup();
});

/** A statement as the bank's login, in a transaction rolled back: the rows it changed, or the server's refusal. */
async function attempt(text: string): Promise<{ rows: number } | { error: string }> {
  await client.query('begin');
  try {
    return { rows: (await client.query(text)).rowCount ?? 0 };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await client.query('rollback');
  }
}

describe('a closed case’s coaching items on a server', () => {
  it('the bank’s login cannot close, fail, change or take back an item of a closed case it led, nor add one; a no-op is no change', async () => {
    for (const set of [`status = 'done', closed_on = '${TODAY}'`, `status = 'failed', closed_on = '${TODAY}', note = '企业已退出'`, `note = '补记'`]) {
      const r = await attempt(`update xypz.coaching_item set ${set} where id = ${item.closed}`);
      expect(r, set).toEqual({ error: expect.stringContaining('辅导事项所属企业已办结') });
    }
    expect(await attempt(`update xypz.coaching_item set status = 'open' where id = ${item.closed}`)).toEqual({ rows: 1 });
    // nor is a new item given to the closed case
    const caseId = (await sb.sql<{ case_id: number }>(`select case_id from coaching_item where id = ${item.closed}`))[0]!.case_id;
    const added = await attempt(`insert into xypz.coaching_item (case_id, item, org_id, status, added_on, created_at) select ${caseId}, '新事项', org_id, 'open', '${TODAY}', '${TODAY}T10:00:00.000+08:00' from xypz.coaching_item where id = ${item.closed}`);
    expect(added).toEqual({ error: expect.stringContaining('辅导事项所属企业已办结') });
    // its closing made before the case was closed is not taken back either
    const back = await attempt(`update xypz.coaching_item set status = 'open', closed_on = null, note = null where id = ${item.done}`);
    expect(back).toEqual({ error: expect.stringContaining('辅导事项所属企业已办结') });
  });

  it('it may still close an item of an open case it leads, and add one (the same statements change one row)', async () => {
    const caseId = (await sb.sql<{ case_id: number }>(`select case_id from coaching_item where id = ${item.open}`))[0]!.case_id;
    expect(await attempt(`insert into xypz.coaching_item (case_id, item, org_id, status, added_on, created_at) select ${caseId}, '新事项', org_id, 'open', '${TODAY}', '${TODAY}T10:00:00.000+08:00' from xypz.coaching_item where id = ${item.open}`)).toEqual({ rows: 1 });
    expect(await attempt(`update xypz.coaching_item set status = 'done', closed_on = '${TODAY}' where id = ${item.open}`)).toEqual({ rows: 1 });
    expect(await attempt(`update xypz.coaching_item set note = '补记' where id = ${item.open}`)).toEqual({ rows: 1 });
  });

  it('the CLI as that login refuses it first, in one Chinese line (exit 4); the schema owner’s maintenance is not bound', async () => {
    const r = await runAs(sb, login, password, ['coach', 'done', String(item.closed), '--date', TODAY]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('已终止');
    await sb.sql(`update coaching_item set note = '维护' where id = ${item.closed}`);
    expect(await sb.sql(`select status, note from coaching_item where id = ${item.closed}`)).toEqual([{ status: 'open', note: '维护' }]);
  });
});
