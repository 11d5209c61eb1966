/** The batch pipeline (src/domain/imports/run.ts): what --partial can and cannot skip. */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const logins = async () => (await sb.run(['users', 'list', '--json'])).json().map((u: { login: string }) => u.login);

describe('--partial', () => {
  it('skips invalid rows but not a file without a required column', async () => {
    sb = await initialised();
    const phone = USER_HEADER.indexOf('*手机号码');
    const drop = <T,>(row: T[]) => row.filter((_, i) => i !== phone);
    await writeXlsx(sb.path('nophone.xlsx'), { S: [drop(USER_HEADER), drop(userRow(1)), drop(userRow(2))] });
    const r = await sb.run(['users', 'import', sb.path('nophone.xlsx'), '--partial', '--json']);
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({ written: false, added: 0 });
    const details = JSON.parse(r.stderr).error.details as Record<string, unknown>[];
    expect(details).toEqual([expect.objectContaining({ row: 1, column: '手机号码', reason: '缺少必填列' })]);
    expect(Object.keys(details[0]!)).not.toContain('scope');
    expect(await logins()).toEqual(['tester']);
  });

  it('does not import the good file of a batch whose other file has no header', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('good.xlsx'), { S: [USER_HEADER, userRow(1)] });
    writeFileSync(sb.path('notes.csv'), '这是一份说明\n没有表头\n');
    const r = await sb.run(['users', 'import', sb.path('good.xlsx'), sb.path('notes.csv'), '--partial', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr).error.details).toEqual([expect.objectContaining({ file: 'notes.csv', row: null, reason: expect.stringContaining('未找到表头') })]);
    expect(await logins()).toEqual(['tester']);
  });

  it('imports the valid rows when the problems are in rows', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('mixed.xlsx'), { S: [USER_HEADER, userRow(1), userRow(2, { phone: '12345' })] });
    const r = await sb.run(['users', 'import', sb.path('mixed.xlsx'), '--partial', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ written: true, added: 1, errors: [expect.objectContaining({ row: 3, column: '手机号码' })] });
    expect(Object.keys(r.json().errors[0])).not.toContain('scope');
    expect((await logins()).sort()).toEqual(['tester', 'user0001']);
  });
});
