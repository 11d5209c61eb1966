import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { withIdCheck } from '../src/domain/core/ids.js';
import { initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const ID = withIdCheck('42070319851230002');

async function withUsers(): Promise<Sandbox> {
  const s = await initialised();
  const f = s.path('u.xlsx');
  await writeXlsx(f, {
    S: [
      USER_HEADER,
      userRow(1, { id: ID }),
      userRow(2, { org: '鄂城区财政局', region: '鄂城区', role: '查询员' }),
      userRow(3, { org: '工行', kind: '金融机构', region: '鄂州市' }),
    ],
  });
  const r = await s.run(['users', 'import', f]);
  if (r.code !== 0) throw new Error(r.stderr);
  return s;
}

describe('users list / show', () => {
  it('masks phone and ID numbers unless --reveal, which is audited', async () => {
    sb = await withUsers();
    const masked = (await sb.run(['users', 'list', '--json'])).json().filter((u: { login: string }) => u.login !== 'tester');
    expect(masked[0]).toMatchObject({ login: 'user0001', phone: '138****0001', id_number: '4207**********0021'.slice(0, 4) + '*'.repeat(10) + ID.slice(14) });
    const table = await sb.run(['users', 'list']);
    expect(table.stdout).toContain('138****0001');
    expect(table.stdout).not.toContain('13810000001');
    const shown = await sb.run(['users', 'show', 'USER0001']);
    expect(shown.stdout).toContain('138****0001');
    expect(shown.stdout).not.toContain(ID);
    const revealed = (await sb.run(['users', 'show', 'user0001', '--reveal', '--json'])).json();
    expect(revealed).toMatchObject({ phone: '13810000001', id_number: ID });
    const log = (await sb.run(['audit', 'log', '--json', '--entity', 'reveal'])).json();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ actor: 'tester', command: 'users show', after: { logins: ['user0001'] } });
  });

  it('filters by district, org, role, unsigned and disabled', async () => {
    sb = await withUsers();
    const logins = async (...f: string[]) =>
      (await sb.run(['users', 'list', '--json', ...f])).json().map((u: { login: string }) => u.login).filter((l: string) => l !== 'tester');
    expect(await logins('--district', '鄂城区')).toEqual(['user0002']);
    expect(await logins('--org', '工行')).toEqual(['user0003']);
    expect(await logins('--role', '查询员')).toEqual(['user0002']);
    expect(await logins('--unsigned')).toEqual(['user0001', 'user0002', 'user0003']);
    await sb.run(['users', 'agreement', 'user0001', 'user0003', '--signed-on', '2024-05-20']);
    expect(await logins('--unsigned')).toEqual(['user0002']);
    expect((await sb.run(['users', 'show', 'user0001', '--json'])).json().agreement_signed_on).toBe('2024-05-20');
    expect((await sb.run(['users', 'disable', 'user0002', '--yes'])).code).toBe(0);
    expect(await logins('--disabled')).toEqual(['user0002']);
    expect((await sb.run(['users', 'enable', 'user0002'])).code).toBe(0);
    expect(await logins('--disabled')).toEqual([]);
  });

  it('unknown logins are listed with exit 5; a future agreement date is refused', async () => {
    sb = await withUsers();
    const r = await sb.run(['users', 'agreement', 'user0001', 'nobody', 'ghost']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('「nobody」、「ghost」');
    expect((await sb.run(['users', 'agreement', 'user0001', '--signed-on', '2099-01-01'])).code).toBe(3);
    expect((await sb.run(['users', 'list', '--unsigned', '--json'])).json()).toHaveLength(3);
  });

  it('disable needs a TTY answer or --yes', async () => {
    sb = await withUsers();
    const r = await sb.run(['users', 'disable', 'user0002']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect((await sb.run(['users', 'list', '--disabled', '--json'])).json()).toEqual([]);
  });
});

describe('users export', () => {
  it('writes the template columns, masked, and re-imports as unchanged', async () => {
    sb = await withUsers();
    const out = sb.path('export.xlsx');
    expect((await sb.run(['users', 'export', out])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('用户信息')!;
    // title, the 填报单位 line, then the header; the signature line under the rows is not read as one
    expect(ws.getRow(3).values).toEqual([undefined, ...USER_HEADER]);
    expect(ws.getRow(4).getCell(2).value).toBe('tester');
    expect(ws.getRow(5).getCell(8).value).toBe('138****0001');
    const again = await sb.run(['users', 'import', out, '--json']);
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
    // an edit in the export re-imports as an update; masked numbers keep their values
    ws.getRow(5).getCell(7).value = '管理员';
    await wb.xlsx.writeFile(out);
    expect((await sb.run(['users', 'import', out, '--json'])).json()).toMatchObject({ updated: 1, unchanged: 3 });
    const u = (await sb.run(['users', 'show', 'user0001', '--reveal', '--json'])).json();
    expect(u).toMatchObject({ role: 'admin', phone: '13810000001', id_number: ID });
  });

  it('a masked number for a new account is an error', async () => {
    sb = await withUsers();
    const f = sb.path('m.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(9, { phone: '138****0001' })] });
    const r = await sb.run(['users', 'import', f]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('掩码');
  });

  it('export text that looks like a formula is prefixed with a quote', async () => {
    sb = await withUsers();
    const f = sb.path('f.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(5, { note: '=HYPERLINK("http://x","点我")', title: '+科长' })] });
    expect((await sb.run(['users', 'import', f])).code).toBe(0);
    const out = sb.path('e.xlsx');
    await sb.run(['users', 'export', out]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const row = wb.getWorksheet('用户信息')!.getRow(8);
    expect(row.getCell(12).value).toBe('\'=HYPERLINK("http://x","点我")');
    expect(row.getCell(11).value).toBe("'+科长");
  });
});
