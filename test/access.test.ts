/** Access control through the CLI: who may act, and the first administrator. */
import { afterEach, describe, expect, it } from 'vitest';
import { displayWidth } from '../src/cli.js';
import { addAccounts, as, initialised, sandbox, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** Accounts: a PBOC operator and viewer, a 华容区金融办 operator, a bank operator; all signed but one. */
async function withStaff(): Promise<Sandbox> {
  const s = await initialised();
  await addAccounts(
    s,
    [
      { login: 'pboc_op', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '操作员' },
      { login: 'pboc_view', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '查询员' },
      { login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区', role: '操作员' },
      { login: 'icbc_op', org: '工行', kind: '金融机构', region: '鄂州市', role: '操作员' },
      { login: 'unsigned', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '操作员' },
      { login: 'ec_user', org: '鄂城区财政局', region: '鄂城区' },
    ],
    ['pboc_op', 'pboc_view', 'hr_jrb', 'icbc_op', 'ec_user'],
  );
  return s;
}



describe('the first administrator', () => {
  it('init --admin creates a 人民银行 管理员 with the agreement signed today', async () => {
    sb = sandbox();
    const r = await sb.run(['init', '--admin', 'admin01', '--name', '王管理', '--json']);
    expect(r.code).toBe(0);
    const u = (await sb.run(['users', 'show', 'admin01', '--json'], as('admin01'))).json();
    expect(u).toMatchObject({ org: '中国人民银行鄂州市分行', role: 'admin', agreement_signed_on: '2024-06-15', phone: null });
  });

  it('adds one to an existing database without an administrator, and refuses a second', async () => {
    sb = sandbox();
    await sb.run(['init']);
    const none = await sb.run(['org', 'add', '--name', '某银行', '--kind', 'bank', '--district', '鄂州市']);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('xypz init --admin');
    expect((await sb.run(['init', '--admin', 'admin01', '--name', '王管理'])).code).toBe(0);
    const again = await sb.run(['init', '--admin', 'admin02', '--name', '李管理']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('已有人民银行管理员 admin01');
  });

  it('validates the login and name before creating anything', async () => {
    sb = sandbox();
    const r = await sb.run(['init', '--admin', 'a', '--name', 'X']);
    expect(r.code).toBe(3);
    expect(await sb.exists()).toBe(false);
    expect((await sb.run(['init', '--admin', 'admin01'])).code).toBe(2);
  });
});

describe('who may act', () => {
  it('reference listings need no account; everything else does', async () => {
    sb = await initialised();
    expect((await sb.run(['org', 'list'], as('nobody'))).code).toBe(0);
    expect((await sb.run(['users', 'template', sb.path('t.xlsx')], as('nobody'))).code).toBe(0);
    const r = await sb.run(['users', 'list'], as('nobody'));
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('操作人「nobody」不是本系统的账号');
    expect((await sb.run(['audit', 'log'], as('nobody'))).code).toBe(5);
  });

  it('an unsigned or disabled account may not act (exit 4), and says why', async () => {
    sb = await withStaff();
    const unsigned = await sb.run(['users', 'list'], as('unsigned'));
    expect(unsigned.code).toBe(4);
    expect(unsigned.stderr).toContain('保密协议');
    await sb.run(['users', 'disable', 'pboc_view', '--yes']);
    const disabled = await sb.run(['users', 'list'], as('pboc_view'));
    expect(disabled.code).toBe(4);
    expect(disabled.stderr).toContain('已停用');
  });

  it('a 人民银行 操作员 may not manage accounts or reveal numbers', async () => {
    sb = await withStaff();
    const dis = await sb.run(['users', 'disable', 'icbc_op', '--yes'], as('pboc_op'));
    expect(dis.code).toBe(4);
    expect(dis.stderr).toContain('中国人民银行鄂州市分行的操作员不能管理用户账号');
    expect((await sb.run(['users', 'list', '--reveal'], as('pboc_op'))).code).toBe(4);
    expect((await sb.run(['users', 'list'], as('pboc_op'))).code).toBe(0);
    expect((await sb.run(['org', 'add', '--name', '某村镇银行', '--kind', 'bank', '--district', '鄂州市'], as('pboc_op'))).code).toBe(0);
    expect((await sb.run(['db', 'backup', 'b.db'], as('pboc_op'))).code).toBe(4);
    expect((await sb.run(['db', 'backup', 'b.db'])).code).toBe(0);
  });

  it('a 查询员 only reads', async () => {
    sb = await withStaff();
    const r = await sb.run(['org', 'add', '--name', '某村镇银行', '--kind', 'bank', '--district', '鄂州市'], as('pboc_view'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('查询员');
    expect((await sb.run(['users', 'list'], as('pboc_view'))).code).toBe(0);
  });

  it('a 金融办 sees and imports the accounts of its own district only', async () => {
    sb = await withStaff();
    const list = (await sb.run(['users', 'list', '--json'], as('hr_jrb'))).json();
    expect(list.map((u: { district: string }) => u.district)).toEqual(list.map(() => '华容区'));
    expect(list.map((u: { login: string }) => u.login)).toContain('hr_jrb');
    const f = sb.path('ec.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(7, { login: 'hr_new' }), userRow(8, { login: 'ec_new', org: '鄂城区财政局', region: '鄂城区' })] });
    const r = await sb.run(['users', 'import', f], as('hr_jrb'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('不属于审核单位华容区金融办的辖区');
    const other = await sb.run(['users', 'import', f, '--reviewed-by', '鄂城区金融办'], as('hr_jrb'));
    expect(other.code).toBe(4);
    const bank = await sb.run(['users', 'list'], as('icbc_op'));
    expect(bank.code).toBe(4);
  });

  it('only an administrator restores a database', async () => {
    sb = await withStaff();
    await sb.run(['db', 'backup', 'b.db']);
    const r = await sb.run(['db', 'restore', 'b.db', '--yes'], as('pboc_op'));
    expect(r.code).toBe(4);
    expect((await sb.run(['db', 'restore', 'b.db', '--yes'])).code).toBe(0);
  });
});

describe('hostile text', () => {
  it('is stored verbatim or refused, never executed, never breaks a table', async () => {
    sb = await initialised();
    const evil = "'; DROP TABLE app_user; --";
    expect((await sb.run(['org', 'add', '--name', evil, '--kind', 'bank', '--district', '鄂州市'])).code).toBe(0);
    expect((await sb.run(['org', 'add', '--name', '<script>alert(1)</script>', '--kind', 'bank', '--district', '鄂州市'])).code).toBe(0);
    // Control characters are refused in names (exit 3, naming the character) …
    const ctl = await sb.run(['org', 'add', '--name', '控制\u0007字符\n银行', '--kind', 'bank', '--district', '鄂州市']);
    expect(ctl.code).toBe(3);
    expect(ctl.stderr).toContain('U+0007');
    // … and a name stored before that rule (or by another tool) is shown escaped.
    await sb.sql("update org set name = ? where name = '<script>alert(1)</script>'", ['控制\u0007字符\n银行']);
    await sb.run(['org', 'add', '--name', '<script>alert(1)</script>', '--kind', 'bank', '--district', '鄂州市']);
    const long = await sb.run(['org', 'add', '--name', '长'.repeat(10_000), '--kind', 'bank', '--district', '鄂州市']);
    expect(long.code).toBe(3);
    expect(long.stderr.length).toBeLessThan(500);
    const banks = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json().map((b: { name: string }) => b.name);
    expect(banks).toContain(evil);
    expect(banks).toContain('<script>alert(1)</script>');
    expect(banks).toContain('控制\u0007字符\n银行');
    const table = (await sb.run(['org', 'list', '--kind', 'bank'])).stdout;
    const widths = new Set(table.trimEnd().split('\n').slice(0, -1).map(displayWidth));
    expect(widths.size).toBe(1); // every line of the table is as wide as the others
    expect(table).not.toContain('\u0007');
    expect(table).toContain('\\u0007');
    expect(await sb.sql('select count(*) as n from app_user')).toEqual([{ n: 1 }]);
    const f = sb.path('h.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(1, { name: '<b>张</b>' }), userRow(2, { note: 'x'.repeat(10_000) })] });
    const r = await sb.run(['users', 'import', f]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('用户姓名应为');
    expect(r.stderr).toContain('备注不超过 200 字');
  });
});

describe('accounts cannot be taken over', () => {
  it('a 金融办 may not change accounts outside its district, 人民银行 accounts or administrators', async () => {
    sb = await withStaff();
    const f = sb.path('takeover.xlsx');
    await writeXlsx(f, {
      S: [
        USER_HEADER,
        userRow(1, { login: 'tester', name: '坏人', org: '华容区金融办', kind: '金融办', region: '华容区', role: '查询员', phone: '13700000001' }),
        userRow(2, { login: 'ec_user', org: '华容区财政局', region: '华容区', phone: '13700000002' }),
        userRow(3, { login: 'hr_boss', org: '华容区金融办', kind: '金融办', region: '华容区', role: '管理员', phone: '13700000003' }),
      ],
    });
    const r = await sb.run(['users', 'import', f, '--json'], as('hr_jrb'));
    expect(r.code).toBe(3);
    const reasons = JSON.parse(r.stderr).error.details.map((d: { row: number; reason: string }) => `${d.row}:${d.reason}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^2:账号 tester 属于中国人民银行鄂州市分行，不在华容区金融办的管理范围/),
      expect.stringMatching(/^3:账号 ec_user 属于鄂城区财政局，不在华容区金融办的管理范围/),
      expect.stringMatching(/^4:人民银行账号和管理员只能由人民银行管理员导入/),
    ]);
    expect((await sb.run(['users', 'show', 'tester', '--json'])).json()).toMatchObject({ role: 'admin', org: '中国人民银行鄂州市分行' });
  });

  it('nothing may leave the database without an enabled 人民银行 管理员', async () => {
    sb = await withStaff();
    const f = sb.path('demote.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(1, { login: 'tester', org: '鄂州人行', kind: '人民银行', region: '鄂州市', role: '操作员', phone: '13700000001' })] });
    const r = await sb.run(['users', 'import', f]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('没有启用的人民银行管理员');
    expect((await sb.run(['users', 'show', 'tester', '--json'])).json().role).toBe('admin');
    // init --admin cannot be used to mint another administrator while one exists (even disabled)
    expect((await sb.run(['init', '--admin', 'rescue01', '--name', '救援'])).code).toBe(4);
  });

  it('the city 金融办 reviews the sheets of every district', async () => {
    sb = await withStaff();
    await addAccounts(sb, [{ login: 'city_jrb', org: '鄂州市金融办', kind: '金融办', region: '鄂州市', phone: '13700000009' }]);
    const f = sb.path('c.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(7, { login: 'hr_new2' }), userRow(8, { login: 'ec_new2', org: '鄂城区财政局', region: '鄂城区' })] });
    const r = await sb.run(['users', 'import', f, '--json'], as('city_jrb'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().added).toBe(2);
  });

  it('banks and departments do not see district lists or ledgers', async () => {
    sb = await withStaff();
    await addAccounts(sb, [{ login: 'hr_jx', org: '华容区经信', kind: '政府部门', region: '华容区', phone: '13700000008' }]);
    for (const login of ['icbc_op', 'hr_jx']) {
      expect((await sb.run(['pool', 'show'], as(login))).code).toBe(4);
      expect((await sb.run(['pool', 'show', '--district', '鄂城区'], as(login))).code).toBe(4);
      expect((await sb.run(['ledger', '--district', '鄂城区'], as(login))).code).toBe(4);
    }
    expect((await sb.run(['pool', 'show', '--district', '华容区'], as('hr_jrb'))).code).toBe(0);
    expect((await sb.run(['ledger', '--district', '鄂城区'], as('hr_jrb'))).code).toBe(4);
  });
});
