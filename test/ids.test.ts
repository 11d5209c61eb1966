/**
 * Ids are the same on both engines for the same commands: a write that fails after it has inserted rows
 * gives their ids back (SQLite's sequences roll back with the transaction; the PostgreSQL store restores its
 * sequences to where they stood), so the next records get the ids they would have had anyway.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addAccounts, initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx, type CellInput } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

async function sheet(name: string, rows: Record<string, CellInput>[]): Promise<string> {
  const f = sb.path(name);
  await writeXlsx(f, { S: [USER_HEADER, ...rows.map((r, i) => userRow(i + 1, r))] });
  return f;
}

describe('a write that fails after inserting', () => {
  it('gives its ids back: the next batch and account follow on', async () => {
    sb = await initialised();
    await addAccounts(sb, [
      { login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区', phone: '13800000009' },
      { login: 'hr_dept', phone: '13800000001' },
    ]);
    const before = (await sb.run(['users', 'batches', '--json'])).json().map((b: { id: number }) => b.id);
    const users = (await sb.run(['users', 'list', '--json'])).json().length;
    // The batch is recorded and its new account inserted before the check that an administrator remains
    // refuses the whole import (exit 4).
    const refused = await sheet('demote.xlsx', [
      { login: 'hr_new', phone: '13800000002' },
      { login: 'tester', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '操作员', phone: '13700000001' },
    ]);
    const r0 = await sb.run(['users', 'import', refused]);
    expect(r0.code).toBe(4);
    expect(r0.stderr).toContain('没有启用的人民银行管理员');
    const ok = await sheet('next.xlsx', [{ login: 'hr_next', phone: '13800000003' }]);
    const r = await sb.run(['users', 'import', ok, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().batch_id).toBe(before.at(-1) + 1);
    expect(await sb.sql("select id from app_user where login = 'hr_next'")).toEqual([{ id: users + 1 }]);
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
  });
});
