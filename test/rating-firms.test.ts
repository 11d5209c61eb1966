/**
 * 满意度评价户数 counts firms: a firm rated in two of its cases in one year is one 户, with its last rating of the
 * year (in any case), for the bank that led it on that rating's day. Worked by hand:
 *   G 华容区: case 1 lead 工行 05-05, 满意 05-10, 放款 05-15, closed 获得融资 05-20; case 2 lead 建行 07-20, 不满意 08-01
 *   H 华容区: lead 工行 04-20, 基本满意 06-01
 * 2024: 华容区 2 firms rated (G 不满意, H 基本满意), 满意率 1/2; 评价次数 3; 工行 H (1 of 1), 建行 G (0 of 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, declare, recommend, VERIFY } from './cases.js';
import { initialised, ok, type Sandbox } from './helpers.js';

const [G, H] = [code(831), code(832)];
const [ICBC, CCB] = ['中国工商银行鄂州分行', '中国建设银行鄂州分行'];
let sb: Sandbox;
const run = (args: string[]) => {
  const at = args.indexOf('--date');
  return ok(sb, args, at < 0 ? undefined : { today: args[at + 1] });
};

beforeAll(async () => {
  sb = await initialised();
  await caseAt(sb, 'assigned', H);
  await recommend(sb, G, { date: '2024-03-01' });
  await declare(sb, G, { date: '2024-03-05' });
  await run(['verify', G, '--class', 'financing', ...VERIFY, '--date', '2024-04-20']);
  await ok(sb, ['pool', 'confirm', '--district', '华容区', '--meeting', '2024-05-01', G], { today: '2024-05-01' });
  await run(['assign', G, '--bank', '工行', '--date', '2024-05-05']);
  await run(['satisfaction', G, '--rating', '满意', '--date', '2024-05-10']);
  await run(['loan', G, '--kind', 'disbursement', '--amount', '40', '--date', '2024-05-15']);
  // no coaching item: close says nothing of 终止
  const closed = await run(['close', G, '--outcome', 'financed', '--date', '2024-05-20']);
  expect(closed.stdout).toContain('已办结：获得融资（2024-05-20）');
  expect(closed.stdout).not.toContain('终止');
  await recommend(sb, G, { date: '2024-06-01' });
  await declare(sb, G, { date: '2024-06-05' });
  await run(['verify', G, '--class', 'financing', ...VERIFY, '--date', '2024-07-01']);
  await ok(sb, ['pool', 'confirm', '--district', '华容区', '--meeting', '2024-07-15', G], { today: '2024-07-15' });
  await run(['assign', G, '--bank', '建行', '--date', '2024-07-20']);
  await run(['satisfaction', G, '--rating', '不满意', '--date', '2024-08-01']);
  await run(['satisfaction', H, '--rating', '基本满意', '--date', '2024-06-01']);
}, 120_000);
afterAll(() => sb.cleanup());

describe('满意度评价户数', () => {
  it('a firm rated in two cases of a year counts once, with its last rating, for the lead bank of that day', async () => {
    const y = (await ok(sb, ['report', 'annual', '--period', '2024', '--json'], { today: '2024-12-31' })).json();
    const d = y.districts.find((r: { district: string }) => r.district === '华容区');
    expect(d).toMatchObject({ ratings: 2, satisfaction_rate: 0.5, rating_events: 3 });
    const b = (name: string) => y.banks.find((r: { bank: string }) => r.bank === name);
    expect(b(ICBC)).toMatchObject({ ratings: 1, satisfaction_rate: 1 });
    expect(b(CCB)).toMatchObject({ ratings: 1, satisfaction_rate: 0 });
    expect(y.banks_total).toMatchObject({ ratings: 2, satisfaction_rate: 0.5 });
  });
});
