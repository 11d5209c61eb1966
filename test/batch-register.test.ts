/** recommend import / assign import: the rules of `recommend` and `assign`, row by row, in one transaction. */
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { caseAt, code, HR, ICBC, nameOf, recommend, show } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { writeXlsx, type CellInput } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const REC_HEADER = ['序号', '统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期', '推荐理由', '超额理由'];
const ASSIGN_HEADER = ['序号', '统一社会信用代码', '企业名称', '主办行', '方式', '日期', '更换理由'];
const ABC = '中国农业银行鄂州分行';
const JXJ = '华容区经济和信息化局';

const rec = (n: number, over: Partial<Record<'district' | 'dept' | 'date' | 'reason' | 'over', CellInput>> = {}): CellInput[] => [
  n,
  code(n),
  nameOf(code(n)),
  over.district ?? HR,
  over.dept ?? JXJ,
  over.date ?? '2024-05-06',
  over.reason ?? '订单增长，流动资金不足',
  over.over ?? null,
];

let files = 0;
async function sheet(header: string[], rows: CellInput[][]): Promise<string> {
  const f = sb.path(`list-${++files}.xlsx`);
  await writeXlsx(f, { 名单: [['信用培植工程企业推荐名单'], header, ...rows] });
  return f;
}
/** The 推荐名单 (dated in May) are imported on 2024-06-10, the last day May's figures are open. */
const MAY_OPEN = { today: '2024-06-10' };
/** The 主办行确定表 (dated in April and on 2024-05-01) are imported on 2024-05-10, the last day April's figures are open. */
const APRIL_OPEN = { today: '2024-05-10' };
const errors = (r: { stderr: string }) => JSON.parse(r.stderr).error.details as { row: number; column: string; reason: string; value: string }[];
const stageOf = async (c: string) => (await sb.run(['enterprise', 'show', c, '--json'])).json().stage;

describe('recommend template / import', () => {
  it('writes the blank 推荐名单 with drop-downs; imports it under the rules of recommend, counting the quota across the file and the database', async () => {
    sb = await initialised();
    expect((await sb.run(['recommend', 'template', sb.path('tpl.xlsx')])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('tpl.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['推荐名单', '填写说明', '选项']);
    const ws = wb.getWorksheet('推荐名单')!;
    expect(ws.getRow(2).values).toEqual([undefined, '序号', '*统一社会信用代码', '*企业名称', '*所在区', '*推荐部门', '推荐日期', '推荐理由', '超额理由']);
    const dv = (ws as unknown as { dataValidations: { find(a: string): { formulae: string[] } | undefined } }).dataValidations;
    expect(dv.find('D3')?.formulae[0]).toContain('华容区');
    expect(dv.find('E3')?.formulae[0]).toMatch(/^选项!\$A\$2:\$A\$\d+$/);

    // One recommendation by the same department this year already: the file's 3rd is its 4th.
    await recommend(sb, code(90), { dept: '经信', date: '2024-02-01' });
    const over = await sheet(REC_HEADER, [rec(1), rec(2), rec(3)]);
    const r = await sb.run(['recommend', 'import', over, '--json'], MAY_OPEN);
    expect(r.code).toBe(3);
    expect(errors(r)).toEqual([expect.objectContaining({ row: 5, column: '超额理由', reason: expect.stringContaining('已推荐 3 家') })]);
    expect(errors(r)[0]!.reason).toContain('请在「超额理由」列写明理由');
    expect((await sb.run(['enterprise', 'show', code(1)])).code).toBe(5);

    const ok = await sheet(REC_HEADER, [rec(1), rec(2), rec(3, { over: '省级专精特新企业' })]);
    const imported = await sb.run(['recommend', 'import', ok, '--json'], MAY_OPEN);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ added: 3, unchanged: 0, written: true });
    const third = await show(sb, code(3));
    expect(third).toMatchObject({ stage: 'recommended', recommended_by: JXJ, recommended_on: '2024-05-06', over_quota_reason: '省级专精特新企业', recommend_reason: '订单增长，流动资金不足' });
    expect((await show(sb, code(1))).over_quota_reason).toBeNull();
    const again = await sb.run(['recommend', 'import', ok, '--json'], MAY_OPEN);
    expect(again.json()).toMatchObject({ added: 0, unchanged: 3 });
  });

  it('a row with an 超额理由 under the quota is imported without it, and pointed out row by row', async () => {
    sb = await initialised();
    const f = await sheet(REC_HEADER, [rec(1, { over: '区重点企业' }), rec(2), rec(3), rec(4, { over: '省级专精特新企业' })]);
    const dry = await sb.run(['recommend', 'import', f, '--dry-run', '--json'], MAY_OPEN);
    expect(dry.code, dry.stderr).toBe(0);
    const note = `${f.split('/').pop()}「名单」 第 3 行「超额理由」列：${JXJ}未超额（2024年第 1 家，每年 3 家以内无需理由），该理由未记录`;
    expect(dry.json().warnings).toEqual([note]);
    const r = await sb.run(['recommend', 'import', f], MAY_OPEN);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`提示：${note}`);
    expect((await show(sb, code(1))).over_quota_reason).toBeNull();
    expect((await show(sb, code(4))).over_quota_reason).toBe('省级专精特新企业');
  });

  it('refuses a bad code, a firm with an open case, a firm of another district, a duplicate row: all or nothing', async () => {
    sb = await initialised();
    await caseAt(sb, 'declared', [code(7)]);
    await recommend(sb, code(8), { district: '鄂城区', dept: '经信', date: '2024-03-01' });
    const bad = code(5).slice(0, 17) + (code(5).endsWith('X') ? 'Y' : 'X');
    const f = await sheet(REC_HEADER, [rec(1), [2, bad, nameOf(code(5)), HR, JXJ, '2024-05-06'], rec(7, { dept: '科技' }), rec(8, { dept: '科技' }), rec(1), rec(9, { date: '2024-07-01' }), [7, code(10), '', HR, JXJ, '2024-05-06']]);
    const r = await sb.run(['recommend', 'import', f, '--json'], MAY_OPEN);
    expect(r.code).toBe(3);
    const e = errors(r);
    expect(e.find((x) => x.row === 4)).toMatchObject({ column: '统一社会信用代码', reason: expect.stringContaining('校验位') });
    expect(e.find((x) => x.row === 5)).toMatchObject({ column: '统一社会信用代码', reason: expect.stringContaining('已有办理中的记录') });
    expect(e.find((x) => x.row === 6)).toMatchObject({ column: '所在区', reason: expect.stringContaining('登记在鄂城区') });
    // the two rows of one firm: one problem, at the first, naming both
    expect(e.filter((x) => x.row === 3 || x.row === 7).map((x) => x.reason)).toEqual(['本批次内重复（共 2 行：第 3 行、第 7 行），都未导入']);
    expect(e.find((x) => x.row === 8)).toMatchObject({ column: '推荐日期', reason: expect.stringContaining('晚于今天') });
    // the sheet's column is named, not the command's option
    expect(e.find((x) => x.row === 9)).toMatchObject({ column: '企业名称', reason: '企业名称 不能为空' });
    expect((await sb.run(['enterprise', 'show', code(1)])).code).toBe(5);
    const allowed = await sheet(REC_HEADER, [[1, bad, nameOf(code(5)), HR, JXJ, '2024-05-06']]);
    expect((await sb.run(['recommend', 'import', allowed], MAY_OPEN)).code).toBe(3);
    const withFlag = await sb.run(['recommend', 'import', allowed, '--allow-bad-check'], MAY_OPEN);
    expect(withFlag.code, withFlag.stderr).toBe(0);
    expect(await stageOf(bad)).toBe('recommended');
  });

  it('recommend --code still acts', async () => {
    sb = await initialised();
    const r = await sb.run(['recommend', '--code', code(1), '--name', nameOf(code(1)), '--district', HR, '--dept', '经信', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ code: code(1), over_quota: false });
  });
});

describe('assign template / import', () => {
  it('`assign import <file>` imports; `assign <code> --bank` still assigns', async () => {
    sb = await initialised();
    await caseAt(sb, 'confirmed', [code(1), code(2)]);
    const f = await sheet(ASSIGN_HEADER, [[1, code(1), nameOf(code(1)), '工行', '自主选择', '2024-04-20', null]]);
    const r = await sb.run(['assign', 'import', f, '--json'], APRIL_OPEN);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ added: 1, written: true });
    expect((await show(sb, code(1))).lead_bank).toBe(ICBC);
    const one = await sb.run(['assign', code(2), '--bank', '农行', '--date', '2024-04-21', '--json'], { today: '2024-04-21' });
    expect(one.code, one.stderr).toBe(0);
    expect(one.json()).toMatchObject({ code: code(2), lead_bank: ABC, changed: true });
    expect((await sb.run(['assign', 'template', sb.path('assign.xlsx')])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('assign.xlsx'));
    expect(wb.getWorksheet('主办行')!.getRow(2).values).toEqual([undefined, '序号', '*统一社会信用代码', '企业名称', '*主办行', '方式', '日期', '更换理由']);
  });

  it('every row under the rules of assign, in one transaction: stage, date, a reason for a change', async () => {
    sb = await initialised();
    await caseAt(sb, 'confirmed', [code(1), code(2)]);
    await caseAt(sb, 'assigned', [code(3)]);
    await caseAt(sb, 'verified', [code(4)]);
    const bad = await sheet(ASSIGN_HEADER, [
      [1, code(1), nameOf(code(1)), '工行', '自主选择', '2024-04-20', null],
      [2, code(2), nameOf(code(2)), '农行', '协商指定', '2024-04-10', null],
      [3, code(3), nameOf(code(3)), '农行', '协商指定', '2024-05-01', null],
      [4, code(4), nameOf(code(4)), '工行', null, '2024-05-01', null],
      [5, code(3).slice(0, 17) + '0', '某某公司', '工行', '随便', null, null],
    ]);
    const r = await sb.run(['assign', 'import', bad, '--json'], APRIL_OPEN);
    expect(r.code).toBe(3);
    const e = errors(r);
    expect(e.find((x) => x.row === 4)).toMatchObject({ column: '日期', reason: expect.stringContaining('早于入库日期') });
    expect(e.find((x) => x.row === 5)).toMatchObject({ column: '更换理由', reason: expect.stringContaining('更换须说明理由（「更换理由」列）') });
    expect(e.find((x) => x.row === 6)).toMatchObject({ column: '统一社会信用代码', reason: expect.stringContaining('当前阶段为「已核查」') });
    expect(e.filter((x) => x.row === 7).map((x) => x.column).sort()).toEqual(['方式', '统一社会信用代码'].sort());
    expect((await show(sb, code(1))).lead_bank).toBeNull();

    const good = await sheet(ASSIGN_HEADER, [
      [1, code(1), nameOf(code(1)), '工行', '自主选择', '2024-04-20', null],
      [2, code(2), null, '农行', '协商指定', '2024-04-25', null],
      [3, code(3), nameOf(code(3)), '农行', '协商指定', '2024-05-01', '原主办行授信额度不足'],
    ]);
    const ok = await sb.run(['assign', 'import', good, '--json'], APRIL_OPEN);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ added: 2, updated: 1, unchanged: 0 });
    const d = await show(sb, code(3));
    expect(d.lead_banks).toEqual([
      expect.objectContaining({ bank: ICBC, to: '2024-05-01' }),
      expect.objectContaining({ bank: ABC, mode: 'designated', from: '2024-05-01', to: null, reason: '原主办行授信额度不足' }),
    ]);
    expect((await show(sb, code(2))).lead_banks).toEqual([expect.objectContaining({ bank: ABC, mode: 'designated', from: '2024-04-25' })]);
    expect((await sb.run(['assign', 'import', good, '--json'], APRIL_OPEN)).json()).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
  });
});
