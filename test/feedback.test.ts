/** Monthly feedback: add, replace, import, who may report, and what is missing. */
import { afterEach, describe, expect, it } from 'vitest';
import { caseAt, code } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('feedback', () => {
  it('adds, replaces (audited) and refuses months not yet come', async () => {
    sb = await initialised();
    const add = await sb.run(['feedback', 'add', '--from', '华容', '--month', '2024-05', '--text', '初稿']);
    expect(add.code).toBe(5); // 华容 is not a name: the closest is offered
    expect(add.stderr).toContain('华容区');
    expect((await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-05', '--text', '初稿', '--json'])).json()).toMatchObject({ kind: 'district', result: 'added' });
    expect((await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024年5月', '--text', '定稿', '--json'])).json()).toMatchObject({ result: 'updated' });
    expect((await sb.run(['feedback', 'add', '--from', '工行', '--month', '2024-05', '--text', '走访', '--json'])).json()).toMatchObject({ kind: 'bank', name: '中国工商银行鄂州分行' });
    expect((await sb.run(['feedback', 'add', '--from', '华容区经信', '--month', '2024-05', '--text', 'x'])).code).toBe(3);
    expect((await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-07', '--text', 'x'])).code).toBe(3);
    const log = (await sb.run(['audit', 'log', '--json', '--entity', 'feedback'])).json();
    expect(log).toHaveLength(3);
    expect(log[1]).toMatchObject({ entity_id: '华容区 2024-05', before: { text: '初稿' }, after: { text: '定稿' } });
    const missing = (await sb.run(['feedback', 'missing', '--month', '2024-05', '--json'])).json();
    expect(missing.map((m: { name: string }) => m.name)).toEqual(['鄂城区', '梁子湖区', '葛店经济技术开发区', '临空经济区']);
  });

  it('imports a feedback sheet; a bad row rejects the file', async () => {
    sb = await initialised();
    const f = sb.path('fb.xlsx');
    await writeXlsx(f, {
      反馈: [
        ['报送单位', '月份', '反馈内容', '报送日期'],
        ['鄂城区', '2024-04', '召开联合协商会议', '2024-05-06'],
        ['建行', new Date(Date.UTC(2024, 3, 1)), '走访企业 3 家', '2024-05-06'],
        ['火星区', '2024-04', 'x', ''],
      ],
    });
    // the sheet is imported on 2024-05-06, the day its 报送日期 says
    const received = { today: '2024-05-06' };
    const bad = await sb.run(['feedback', 'import', f], received);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('第 4 行「报送单位」列');
    await writeXlsx(f, {
      反馈: [
        ['报送单位', '月份', '反馈内容', '报送日期'],
        ['鄂城区', '2024-04', '召开联合协商会议', '2024-05-06'],
        ['建行', new Date(Date.UTC(2024, 3, 1)), '走访企业 3 家', '2024-05-06'],
      ],
    });
    expect((await sb.run(['feedback', 'import', f, '--json'], received)).json()).toMatchObject({ added: 2, written: true });
    expect((await sb.run(['feedback', 'import', f, '--json'], received)).json()).toMatchObject({ added: 0, unchanged: 2 });
    const missing = (await sb.run(['feedback', 'missing', '--month', '2024-04', '--json'])).json();
    expect(missing.map((m: { name: string }) => m.name)).not.toContain('鄂城区');
  });

  it('a district office reports for its own district only; a bank for itself', async () => {
    sb = await initialised();
    const staff = sb.path('s.xlsx');
    await writeXlsx(staff, {
      S: [
        USER_HEADER,
        userRow(1, { login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区' }),
        userRow(2, { login: 'ccb_op', org: '建行', kind: '金融机构', region: '鄂州市' }),
      ],
    });
    expect((await sb.run(['users', 'import', staff])).code).toBe(0);
    await sb.run(['users', 'agreement', 'hr_jrb', 'ccb_op', '--signed-on', '2024-06-01']);
    const as = (login: string) => ({ env: { XYPZ_ACTOR: login } });
    expect((await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-05', '--text', 'ok', '--date', '2024-06-05'], { ...as('hr_jrb'), today: '2024-06-05' })).code).toBe(0);
    const other = await sb.run(['feedback', 'add', '--from', '鄂城区', '--month', '2024-05', '--text', 'x'], as('hr_jrb'));
    expect(other.code).toBe(4);
    expect(other.stderr).toContain('华容区金融办的操作员不能报送鄂城区的月度反馈');
    expect((await sb.run(['feedback', 'add', '--from', '建行', '--month', '2024-05', '--text', 'ok'], as('ccb_op'))).code).toBe(0);
    expect((await sb.run(['feedback', 'add', '--from', '工行', '--month', '2024-05', '--text', 'x'], as('ccb_op'))).code).toBe(4);
    // a district office's report covers its own district
    const rep = (await sb.run(['report', 'monthly', '--period', '2024-05', '--json'], as('hr_jrb'))).json();
    expect(rep.districts.map((d: { district: string }) => d.district)).toEqual(['华容区']);
    expect(rep.districts[0].feedback).toBe(true);
    expect((await sb.run(['report', 'monthly', '--district', '鄂城区'], as('hr_jrb'))).code).toBe(4);
    expect((await sb.run(['report', 'monthly'], as('ccb_op'))).code).toBe(4);
  });

  it("a district's 金融办 chases its own district and the banks leading its firms, not a bank leading firms elsewhere only", async () => {
    sb = await initialised();
    await caseAt(sb, 'assigned', [code(1)], { district: '华容区', bank: '工行' });
    await caseAt(sb, 'assigned', [code(2)], { district: '鄂城区', bank: '建行' });
    const staff = sb.path('s.xlsx');
    await writeXlsx(staff, { S: [USER_HEADER, userRow(1, { login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区' })] });
    expect((await sb.run(['users', 'import', staff])).code).toBe(0);
    expect((await sb.run(['users', 'agreement', 'hr_jrb', '--signed-on', '2024-06-01'])).code).toBe(0);
    const missing = async (env?: { XYPZ_ACTOR: string }) =>
      ((await sb.run(['feedback', 'missing', '--month', '2024-05', '--json'], env ? { env } : undefined)).json() as { name: string }[]).map((m) => m.name);
    const everyone = await missing();
    expect(everyone).toEqual(expect.arrayContaining(['华容区', '鄂城区', '中国工商银行鄂州分行', '中国建设银行鄂州分行']));
    expect(await missing({ XYPZ_ACTOR: 'hr_jrb' })).toEqual(['华容区', '中国工商银行鄂州分行']);
    expect((await sb.run(['feedback', 'add', '--from', '工行', '--month', '2024-05', '--text', '走访企业'])).code).toBe(0);
    expect(await missing({ XYPZ_ACTOR: 'hr_jrb' })).toEqual(['华容区']);
    expect(await missing()).toContain('中国建设银行鄂州分行');
  });
});
