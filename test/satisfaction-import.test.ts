/**
 * `satisfaction import`: survey returns (统一社会信用代码, 企业名称, 评价, 日期 …) under the batch rules of every
 * import, and the same checks as `satisfaction`. Today 2024-06-15.
 *   S1, S2 华容区 lead 工行;  S3 鄂城区 lead 建行;  S4 华容区 verified only
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, nameOf } from './cases.js';
import { addAccounts, as, initialised, type Sandbox } from './helpers.js';
import { writeXlsx, type CellInput } from './sheets.js';

const [S1, S2, S3, S4] = [1, 2, 3, 4].map((n) => code(950 + n)) as [string, string, string, string];
const HEADER = ['序号', '1、统一社会信用代码', '2、企业名称', '3、您对主办金融机构的服务是否满意', '提交答卷时间', '来源'];
let sb: Sandbox;
let files = 0;

async function returns(rows: CellInput[][]): Promise<string> {
  const f = sb.path(`returns-${++files}.xlsx`);
  await writeXlsx(f, { 问卷回收: [HEADER, ...rows.map((r, i) => [i + 1, ...r, '微信'])] });
  return f;
}
const importAs = (login: string, file: string, extra: string[] = []) => sb.run(['satisfaction', 'import', file, '--json', ...extra], as(login));
const ratings = async () => {
  const y = (await sb.run(['report', 'annual', '--period', '2024', '--json'])).json();
  return Object.fromEntries(y.districts.filter((d: { ratings: number }) => d.ratings > 0).map((d: { district: string; ratings: number; satisfaction_rate: number }) => [d.district, [d.ratings, d.satisfaction_rate]]));
};

beforeAll(async () => {
  sb = await initialised();
  await addAccounts(sb, [
    { login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区' },
    { login: 'icbc_op', org: '中国工商银行鄂州分行', kind: '金融机构', region: '鄂州市' },
  ]);
  await caseAt(sb, 'assigned', [S1, S2]);
  await caseAt(sb, 'assigned', S3, { district: '鄂城区', bank: '建行' });
  await caseAt(sb, 'verified', S4);
}, 60_000);
afterAll(() => sb.cleanup());

describe('satisfaction import', () => {
  it('imports a district office\'s returns in one batch; importing them again changes nothing', async () => {
    const f = await returns([
      [S1, nameOf(S1), '满意', '2024/6/1 10:00:00'],
      [S2, nameOf(S2), '不满意', '2024-06-02'],
    ]);
    const dry = await importAs('hr_jrb', f, ['--dry-run']);
    expect(dry.json()).toMatchObject({ added: 2, written: false });
    expect(await ratings()).toEqual({});
    const r = await importAs('hr_jrb', f);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ added: 2, unchanged: 0, written: true });
    expect(await ratings()).toEqual({ 华容区: [2, 0.5] });
    expect((await importAs('hr_jrb', f)).json()).toMatchObject({ added: 0, unchanged: 2 });
    const history = (await sb.run(['enterprise', 'show', S1, '--json'])).json();
    expect(history.ratings).toEqual([{ rating: 'satisfied', date: '2024-06-01' }]);
  });

  it('refuses the whole file for any bad row, naming row, column and reason; --partial keeps the good rows', async () => {
    const f = await returns([
      [S2, nameOf(S2), '满意', '2024-06-10'], // fine: a later rating of S2
      [S3, nameOf(S3), '满意', '2024-06-03'], // 鄂城区: not this office's
      [S4, nameOf(S4), '满意', '2024-06-03'], // no lead bank yet
      [S1, '别的公司', '满意', '2024-06-03'],
      [S1, nameOf(S1), '很好', '2024-06-03'],
      [S1, nameOf(S1), '满意', '2024-07-01'],
      [code(99999), '无名公司', '满意', '2024-06-03'],
    ]);
    const r = await importAs('hr_jrb', f);
    expect(r.code).toBe(3);
    const errors = r.json().errors.map((d: { row: number; column: string }) => [d.row, d.column]);
    expect(errors).toEqual(expect.arrayContaining([
      [3, '统一社会信用代码'], [4, '统一社会信用代码'], [5, '企业名称'], [6, '评价'], [7, '日期'], [8, '统一社会信用代码'],
    ]));
    const messages = JSON.stringify(r.json().errors);
    // Another district's firm answers as an unknown code does: neither its name nor its district is shown.
    const reasons = new Map(r.json().errors.map((d: { row: number; reason: string }) => [d.row, d.reason]));
    expect(reasons.get(3)).toBe(`没有可查看的企业记录：${S3}`);
    expect(reasons.get(8)).toBe(`没有可查看的企业记录：${code(99999)}`);
    expect(messages).not.toContain(nameOf(S3));
    expect(messages).toContain('不能评价满意度');
    expect(await ratings()).toEqual({ 华容区: [2, 0.5] });
    const partial = await importAs('hr_jrb', f, ['--partial']);
    expect(partial.json()).toMatchObject({ added: 1, written: true });
    // S2's latest rating in 2024 is now 满意: both 华容区 firms good
    expect(await ratings()).toEqual({ 华容区: [2, 1] });
    const twice = await importAs('hr_jrb', await returns([[S1, nameOf(S1), '满意', '2024-06-11'], [S1, nameOf(S1), '不满意', '2024-06-12']]));
    expect(twice.code).toBe(3);
    expect(twice.json().errors.map((e: { row: number; value: string; reason: string }) => [e.row, e.value, e.reason])).toEqual([
      [2, S1, '本批次内重复（共 2 行：第 2 行、第 3 行），都未导入'],
    ]);
  });

  it('no bank records ratings, in bulk either; PBOC records any district\'s', async () => {
    const f = await returns([[S1, nameOf(S1), '不满意', '2024-06-12']]);
    // A bank runs no rating import at all (exit 4 before the file is read); row by row, `satisfaction` says why.
    const bank = await importAs('icbc_op', f);
    expect(bank.code).toBe(4);
    expect(bank.stderr).toContain('中国工商银行鄂州分行的操作员不能导入满意度调查结果（金融机构可导入的是月度反馈表、月度报送表）');
    const one = await sb.run(['satisfaction', S1, '--rating', '不满意', '--date', '2024-06-12'], as('icbc_op'));
    expect(one.code).toBe(4);
    expect(one.stderr).toContain('不能由本年主办过该企业的银行登记');
    const pboc = await importAs('tester', await returns([[S3, nameOf(S3), '基本满意', '2024-06-12']]));
    expect(pboc.json()).toMatchObject({ added: 1 });
    expect(await ratings()).toEqual({ 鄂城区: [1, 1], 华容区: [2, 1] });
  });
});
