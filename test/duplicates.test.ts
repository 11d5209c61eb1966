/**
 * A group of rows sharing a value that must be unique is reported once, by one message naming its first
 * rows and the count, however large the group: 8,000 rows with one key, through the real import of each
 * kind that checks keys, are refused in bounded time with a short result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, nameOf } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, userRow, writeXlsx, type CellInput } from './sheets.js';

const ROWS = 8000;
let sb: Sandbox;
beforeAll(async () => {
  sb = await initialised();
  await caseAt(sb, 'confirmed', code(2)); // a firm whose lead bank is to be named
  await caseAt(sb, 'assigned', code(3)); // a firm with a lead bank, rated by its clients
});
afterAll(() => sb?.cleanup());

const many = (row: (i: number) => CellInput[]) => Array.from({ length: ROWS }, (_, i) => row(i + 1));

/** Imports `sheet` (one header row then the rows) with `command`, and checks the one message of the group. */
async function refusesOnce(command: string[], header: string[], rows: CellInput[][], column: string, today?: string) {
  const f = sb.path(`${command[0]}-dup.xlsx`);
  await writeXlsx(f, { S: [header, ...rows] });
  const started = Date.now();
  const r = await sb.run([...command, f, '--json'], today ? { today } : undefined);
  const took = Date.now() - started;
  expect(r.code, r.stderr.slice(0, 500)).toBe(3);
  const errors = JSON.parse(r.stdout || r.stderr).errors ?? JSON.parse(r.stderr).error.details;
  const dups = (errors as { row: number; column: string; reason: string }[]).filter((e) => e.reason.includes('本批次内重复'));
  expect(dups, JSON.stringify(errors.slice(0, 2))).toHaveLength(1);
  expect(dups[0]).toMatchObject({ row: 2, column });
  // the first 20 rows by number, then the count
  const listed = [...dups[0]!.reason.matchAll(/第 (\d+) 行/g)].map((m) => Number(m[1]));
  expect(listed).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  expect(dups[0]!.reason).toContain(`等 ${ROWS} 行`);
  // linear: a short result, in seconds (each row naming the others took 3 GB and 23.5 s for 4,000 rows)
  expect(r.stdout.length + r.stderr.length).toBeLessThan(200_000);
  expect(took).toBeLessThan(60_000);
}

describe('8,000 rows sharing one key', () => {
  it('users import: one 手机号码', async () => {
    await refusesOnce(['users', 'import'], USER_HEADER, many((i) => userRow(i, { phone: '13999990000' })), '手机号码');
  });

  it('recommend import: one firm', async () => {
    const header = ['序号', '统一社会信用代码', '企业名称', '所在区', '推荐部门', '推荐日期', '推荐理由'];
    await refusesOnce(['recommend', 'import'], header, many((i) => [i, code(1), nameOf(code(1)), '华容区', '华容区经济和信息化局', '2024-06-11', '流动资金不足']), '统一社会信用代码', '2024-06-15');
  });

  it('assign import: one firm', async () => {
    const header = ['序号', '统一社会信用代码', '企业名称', '主办行', '方式', '日期', '更换理由'];
    await refusesOnce(['assign', 'import'], header, many((i) => [i, code(2), nameOf(code(2)), '工行', '自主选择', '2024-06-11', null]), '统一社会信用代码', '2024-06-15');
  });

  it('satisfaction import: one firm', async () => {
    const header = ['序号', '1、统一社会信用代码', '2、企业名称', '3、您对主办金融机构的服务是否满意', '提交答卷时间', '来源'];
    await refusesOnce(['satisfaction', 'import'], header, many((i) => [i, code(3), nameOf(code(3)), '满意', '2024-06-11', '微信']), '统一社会信用代码', '2024-06-15');
  });

  it('feedback import: one unit and month', async () => {
    await refusesOnce(['feedback', 'import'], ['报送单位', '月份', '反馈内容', '报送日期'], many(() => ['鄂城区', '2024-04', '召开联合协商会议', '2024-05-06']), '报送单位', '2024-05-06');
  });

  it('org import: one name', async () => {
    const header = ['机构代码', '机构名称', '机构类型', '所属区域', '部门类别', '别名'];
    await refusesOnce(['org', 'import'], header, many(() => ['', '鄂州测试小额贷款公司', '金融机构', '鄂州市', '', '']), '机构名称');
  });
});
