/** Inputs as people and office suites make them, and the edges a review found. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { caseAt, code, nameOf } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx, type CellInput } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const DECL = ['提交答卷时间', '1、企业名称', '2、统一社会信用代码', '3、所属区域', '6、成立日期', '23、是否同意授权查询企业及法定代表人信用信息？', '21. 可提供担保方式[多选题]'];

const recommended = (c: string, dept = '经信') => caseAt(sb, 'recommended', c, { dept });
/** Recommended 2024-03-01, declared 2024-03-05, verified 2024-03-10. */
const verified = (c: string, dept = '经信') => caseAt(sb, 'verified', c, { dept, on: { verified: '2024-03-10' } });

describe('survey exports', () => {
  it('reads question titles ending in ？ or a [多选题] marker', async () => {
    sb = await initialised();
    await recommended(code(1));
    await writeXlsx(sb.path('q.xlsx'), { S: [DECL, ['2024/3/5 10:00:00', nameOf(code(1)), code(1), '华容区', '2015-04-20', '是', '抵押┋保证'] as CellInput[]] });
    const r = await sb.run(['declare', 'import', sb.path('q.xlsx'), '--json'], { today: '2024-03-05' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().warnings).toEqual([]);
    const d = (await sb.run(['enterprise', 'show', code(1), '--json'])).json();
    expect(d.declaration.guarantees).toEqual(['抵押', '保证']);
  });

  it('a year typed as a number is not a date; 20150420 is', async () => {
    sb = await initialised();
    await recommended(code(1));
    await recommended(code(2), '科技');
    await writeXlsx(sb.path('n.xlsx'), {
      S: [DECL, ['2024/3/5 10:00:00', nameOf(code(1)), code(1), '华容区', 2015, '是', '抵押'], ['2024/3/5 10:00:00', nameOf(code(2)), code(2), '华容区', 20150420, '是', '抵押']] as CellInput[][],
    });
    const r = await sb.run(['declare', 'import', sb.path('n.xlsx'), '--partial', '--json'], { today: '2024-03-05' });
    expect(r.json().errors).toEqual([expect.objectContaining({ row: 2, column: '成立日期' })]);
    expect((await sb.run(['enterprise', 'show', code(2), '--json'])).json().declaration.founded).toBe('2015-04-20');
  });
});

describe('users import', () => {
  it('a unit written once in cells merged down its staff rows counts for each row', async () => {
    sb = await initialised();
    const rows = [USER_HEADER, userRow(1), userRow(2, { org: null, kind: null, region: null }), userRow(3, { org: null, kind: null, region: null })];
    await writeXlsx(sb.path('merged.xlsx'), { S: rows as CellInput[][] }, { merges: { S: ['D2:D4', 'E2:E4', 'F2:F4'] } });
    const r = await sb.run(['users', 'import', sb.path('merged.xlsx'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().added).toBe(3);
    const users = (await sb.run(['users', 'list', '--json'])).json().filter((u: { login: string }) => u.login !== 'tester');
    expect(users.map((u: { org: string }) => u.org)).toEqual(['华容区经济和信息化局', '华容区经济和信息化局', '华容区经济和信息化局']);
  });

  it('a formula without a saved result says so', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('f.xlsx'), { S: [USER_HEADER, userRow(1, { name: { formula: 'A1&"x"' } as CellInput })] });
    const r = await sb.run(['users', 'import', sb.path('f.xlsx')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('公式没有保存计算结果');
  });

  it('an ID in scientific notation (a CSV from a number column) is reported as lost digits', async () => {
    sb = await initialised();
    writeFileSync(sb.path('e.csv'), `${USER_HEADER.join(',')}\n1,sci_user,张三,华容区财政局,政府部门,华容区,操作员,13911112222,4.20703E+17,,,\n`);
    const r = await sb.run(['users', 'import', sb.path('e.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('15 位有效数字');
  });

  it('a 填表说明 sheet with a table of its own does not fail a good data sheet', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('h.xlsx'), {
      填表说明: [['说明'], ['列名', '要求'], ['登录账号', '4–32 位'], ['手机号码', '11 位']],
      用户信息: [USER_HEADER, userRow(1)],
    });
    // the instructions sheet names 登录账号/手机号码 in a column, not a header row: give it a header-like row too
    await writeXlsx(sb.path('h2.xlsx'), {
      填表说明: [['填写要求'], ['登录账号', '手机号码', '备注'], ['4–32 位', '11 位', '可空']],
      用户信息: [USER_HEADER, userRow(1)],
    });
    for (const f of ['h.xlsx', 'h2.xlsx']) {
      const r = await sb.run(['users', 'import', sb.path(f), '--dry-run', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().added).toBe(1);
    }
  });

  it('手机号码 and 联系电话 side by side: the template column wins, the other is ignored with a warning', async () => {
    sb = await initialised();
    const header = [...USER_HEADER, '联系电话'];
    await writeXlsx(sb.path('p.xlsx'), { S: [header, [...userRow(1), '0711-1234567']] });
    const r = await sb.run(['users', 'import', sb.path('p.xlsx'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().warnings.join()).toContain('联系电话');
  });

  it('--errors may not overwrite the file being imported', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('m.xlsx'), { S: [USER_HEADER, userRow(1, { login: 'x' })] });
    const before = readFileSync(sb.path('m.xlsx'));
    const r = await sb.run(['users', 'import', 'm.xlsx', '--errors', 'm.xlsx']);
    expect(r.code).toBe(2);
    expect(readFileSync(sb.path('m.xlsx')).equals(before)).toBe(true);
  });
});

describe('feedback months typed as numbers', () => {
  it('202403 is March; 2024.10 in a number cell is refused rather than read as January', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('fb.xlsx'), { S: [['报送单位', '月份', '反馈内容'], ['鄂城区', 202403, '三月'], ['华容区', 2024.1, '十月？']] as CellInput[][] });
    const r = await sb.run(['feedback', 'import', sb.path('fb.xlsx'), '--partial', '--json']);
    expect(r.json()).toMatchObject({ added: 1 });
    expect(r.json().errors).toEqual([expect.objectContaining({ row: 3, column: '月份' })]);
    expect((await sb.run(['feedback', 'missing', '--month', '2024-03', '--json'])).json().map((m: { name: string }) => m.name)).not.toContain('鄂城区');
  });
});

describe('the district list over time', () => {
  it('a meeting recorded late cannot overfill the list on any later day', async () => {
    sb = await initialised();
    expect((await sb.run(['pool', 'capacity', '1', '--district', '华容区', '--date', '2024-01-01'], { today: '2024-01-01' })).code).toBe(0);
    await verified(code(1));
    await verified(code(2), '科技');
    expect((await sb.run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-04-10', code(1)], { today: '2024-04-10' })).code).toBe(0);
    expect((await sb.run(['close', code(1), '--outcome', 'withdrawn', '--note', '主动退出', '--date', '2024-05-10'], { today: '2024-05-10' })).code).toBe(0);
    // on 2024-06-01 (May still open) the list is empty, but on 2024-05-05 code(1) was still in it
    const recorded = { today: '2024-06-01' };
    const late = await sb.run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-05-05', code(2)], recorded);
    expect(late.code).toBe(4);
    expect(late.stderr).toContain('空缺 0 个');
    expect((await sb.run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-05-15', code(2)], recorded)).code).toBe(0);
  });

  it('filing the list is not progress: stalled cases stay on the 督办清单', async () => {
    sb = await initialised();
    await verified(code(1));
    expect((await sb.run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-03-15', code(1)], { today: '2024-03-15' })).code).toBe(0);
    const stalled = async () => (await sb.run(['report', 'overdue', '--json'])).json().stalled.map((s: { code: string }) => s.code);
    expect(await stalled()).toEqual([code(1)]);
    expect((await sb.run(['pool', 'filing', '--district', '华容区', '--out', 'f.xlsx'])).code).toBe(0);
    expect(await stalled()).toEqual([code(1)]);
  });
});

describe('org import', () => {
  it('never renames an organisation matched through an alias or an unknown code', async () => {
    sb = await initialised();
    writeFileSync(sb.path('o.csv'), '机构代码,机构名称,机构类型,所属区域\nABC-1,工行,金融机构,鄂州市\n');
    const r = await sb.run(['org', 'import', sb.path('o.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('中国工商银行鄂州分行');
    const icbc = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json()[0];
    expect(icbc).toMatchObject({ code: 'ICBC-EZ', name: '中国工商银行鄂州分行', aliases: ['工商银行鄂州分行', '工行'] });
    writeFileSync(sb.path('o2.csv'), '机构名称,机构类型,所属区域,别名\n中国工商银行鄂州分行,金融机构,鄂州市,工行、工商银行鄂州分行、ICBC\n');
    expect((await sb.run(['org', 'import', sb.path('o2.csv'), '--json'])).json()).toMatchObject({ updated: 1 });
  });
});

describe('input typed in full width', () => {
  it('dates, amounts and periods in full-width digits are read', async () => {
    sb = await initialised();
    const r = await sb.run(['recommend', '--code', code(1), '--name', nameOf(code(1)), '--district', '华容区', '--dept', '经信', '--date', '２０２４-０３-０１'], { today: '2024-03-01' });
    expect(r.code, r.stderr).toBe(0);
    expect((await sb.run(['report', 'monthly', '--period', '２０２４-０３', '--json'])).json().period).toBe('2024-03');
  });
});

describe('a closed pipe', () => {
  it('xypz … | head stops quietly', async () => {
    sb = await initialised();
    const bin = join(process.cwd(), 'bin', 'xypz.js');
    const r = spawnSync('bash', ['-c', `node ${bin} org list | head -1`], { cwd: sb.dir, encoding: 'utf8', env: { ...process.env, ...sb.env, XYPZ_ACTOR: 'tester' } });
    expect(r.stderr).toBe('');
  });
});
