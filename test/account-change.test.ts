/** An account handed to another person or unit through a users import keeps no agreement it was not given. */
import { afterEach, describe, expect, it } from 'vitest';
import { withIdCheck } from '../src/domain/core/ids.js';
import { addAccounts, as, initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx, type CellInput } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const DEPT = { login: 'hr_dept', name: '张三', phone: '13800000001', id: withIdCheck('42070419900101123') };

async function staff(): Promise<Sandbox> {
  const s = await initialised();
  await addAccounts(s, [{ login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区', phone: '13800000009' }, DEPT]);
  return s;
}

async function sheet(name: string, rows: Record<string, CellInput>[]): Promise<string> {
  const f = sb.path(name);
  await writeXlsx(f, { S: [USER_HEADER, ...rows.map((r, i) => userRow(i + 1, r))] });
  return f;
}

const show = async (login: string) => (await sb.run(['users', 'show', login, '--json', '--reveal'])).json();

describe('a 金融办 cannot turn a department’s account into one of its own', () => {
  it('is refused with exit 4 naming the row; nothing of the batch is written', async () => {
    sb = await staff();
    const f = await sheet('takeover.xlsx', [
      { login: 'hr_new', phone: '13800000002' },
      { login: 'hr_dept', name: '李四', org: '华容区金融办', kind: '金融办', phone: '13900000000' },
    ]);
    const r = await sb.run(['users', 'import', f], as('hr_jrb'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('takeover.xlsx「S」第 3 行');
    expect(r.stderr).toContain('账号 hr_dept 属于华容区经济和信息化局（政府部门），金融办不能把它改为华容区金融办的账号');
    expect(await show('hr_dept')).toMatchObject({ name: '张三', org: '华容区经济和信息化局', phone: DEPT.phone, agreement_signed_on: '2024-06-01' });
    expect((await sb.run(['users', 'show', 'hr_new'])).code).toBe(5);
  });
});

describe('a changed person or unit clears the agreement', () => {
  it('a new name: cleared, said for the row, and the account cannot act until the PBOC registers a new one', async () => {
    sb = await staff();
    const f = await sheet('rename.xlsx', [{ ...DEPT, name: '李四' }]);
    const dry = await sb.run(['users', 'import', f, '--dry-run', '--json']);
    expect(dry.json().warnings).toEqual([expect.stringContaining('rename.xlsx「S」第 2 行：账号 hr_dept 的姓名已改变，原保密协议登记已清除')]);
    expect((await show('hr_dept')).agreement_signed_on).toBe('2024-06-01');

    const r = await sb.run(['users', 'import', f]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('提示：rename.xlsx「S」第 2 行：账号 hr_dept 的姓名已改变');
    expect(await show('hr_dept')).toMatchObject({ name: '李四', agreement_signed_on: null });
    const acting = await sb.run(['enterprise', 'list'], as('hr_dept'));
    expect(acting.code).toBe(4);
    expect(acting.stderr).toContain('尚未登记保密协议');
    const log = (await sb.run(['audit', 'log', '--entity', 'user', '--json'])).json();
    expect(log.at(-1)).toMatchObject({ entity_id: 'hr_dept', before: { agreement_signed_on: '2024-06-01' }, after: { name: '李四', agreement_signed_on: null } });

    expect((await sb.run(['users', 'agreement', 'hr_dept', '--signed-on', '2024-06-14'])).code).toBe(0);
    expect((await sb.run(['enterprise', 'list'], as('hr_dept'))).code).toBe(0);
  });

  it('a new unit (a 金融办 moving a department account to another department) or ID number: cleared', async () => {
    sb = await staff();
    const moved = await sheet('move.xlsx', [{ ...DEPT, org: '华容区财政局' }]);
    const r = await sb.run(['users', 'import', moved, '--json'], as('hr_jrb'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().warnings[0]).toContain('所属机构已改变');
    expect(await show('hr_dept')).toMatchObject({ org: '华容区财政局', agreement_signed_on: null });

    await sb.run(['users', 'agreement', 'hr_dept', '--signed-on', '2024-06-14']);
    const other = await sheet('id.xlsx', [{ ...DEPT, org: '华容区财政局', id: withIdCheck('42070419850505432') }]);
    expect((await sb.run(['users', 'import', other, '--json'])).json().warnings[0]).toContain('身份证号码已改变');
    expect((await show('hr_dept')).agreement_signed_on).toBeNull();
  });

  it('a new phone, title or an ID filled in where there was none keeps the agreement, without a note', async () => {
    sb = await initialised();
    await addAccounts(sb, [{ login: 'hr_dept', name: '张三', phone: '13800000001' }]);
    const f = await sheet('phone.xlsx', [{ login: 'hr_dept', name: '张三', phone: '13800000003', title: '科长', id: DEPT.id }]);
    const r = await sb.run(['users', 'import', f, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ updated: 1, warnings: [] });
    expect((await show('hr_dept')).agreement_signed_on).toBe('2024-06-01');
  });

  it('an account holder correcting their own name keeps their agreement; moving their own unit does not', async () => {
    sb = await initialised();
    const f = await sheet('self.xlsx', [{ login: 'tester', name: '测试员甲', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '管理员', phone: '13800000005' }]);
    const r = await sb.run(['users', 'import', f, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().warnings).toEqual([]);
    expect(await show('tester')).toMatchObject({ name: '测试员甲', agreement_signed_on: '2024-06-15' });

    sb.cleanup();
    sb = await staff();
    const own = await sheet('own.xlsx', [{ login: 'hr_jrb', org: '华容区财政局', kind: '政府部门', phone: '13800000009' }]);
    const moved = await sb.run(['users', 'import', own, '--json'], as('hr_jrb'));
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.json().warnings[0]).toContain('账号 hr_jrb 的所属机构已改变');
    expect((await show('hr_jrb')).agreement_signed_on).toBeNull();
  });
});
