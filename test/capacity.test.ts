/**
 * The list capacity as history (`pool capacity <n> --date`): each figure and rule uses the capacity in force on
 * its own day. Timeline (today 2024-06-15; default capacity 10):
 *   华容区  H1, H2 confirmed 03-10;  H2 closed 05-10;  H3 verified 03-06, waiting
 *           capacity 3 from 04-01, then 1 from 05-10
 *   鄂城区  E1, E2 confirmed 03-15;  capacity 2 from 04-01 (full), 3 from 04-20 (a vacancy again)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, onItsDay } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';

const [H1, H2, H3, E1, E2] = [1, 2, 3, 4, 5].map((n) => code(700 + n)) as [string, string, string, string, string];
let sb: Sandbox;
/** Each command entered on the day its date says (the clock at the event, as staff enter it). */
const run = (...args: string[]) => sb.run(args, onItsDay(args));
const ok = async (...args: string[]) => {
  const r = await run(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const monthly = async (month: string) => (await ok('report', 'monthly', '--period', month, '--json')).json();
const row = (f: { districts: { district: string }[] }, name: string) => f.districts.find((d) => d.district === name) as Record<string, unknown>;

beforeAll(async () => {
  sb = await initialised();
  await caseAt(sb, 'confirmed', [H1, H2], { on: { verified: '2024-03-06', confirmed: '2024-03-10' } });
  await caseAt(sb, 'verified', H3, { on: { verified: '2024-03-06' } });
  await caseAt(sb, 'confirmed', [E1, E2], { district: '鄂城区', on: { verified: '2024-03-06', confirmed: '2024-03-15' } });
  await ok('close', H2, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-05-10');
}, 60_000);
afterAll(() => sb.cleanup());

describe('pool capacity --date', () => {
  it('records a capacity from a date; reports before it keep the earlier capacity', async () => {
    expect((await ok('pool', 'capacity', '3', '--district', '华容区', '--date', '2024-04-01', '--json')).json()).toEqual({
      district: '华容区', before: 10, after: 3, effective_on: '2024-04-01',
    });
    // vacancies = capacity at the period's end − firms in the list then; 合计 = the sum of the district rows
    const march = await monthly('2024-03');
    expect(row(march, '华容区')).toMatchObject({ active: 2, vacancies: 8 });
    expect(march.total).toMatchObject({ active: 4, vacancies: 8 + 8 + 10 + 10 + 10 });
    expect(row(await monthly('2024-04'), '华容区')).toMatchObject({ active: 2, vacancies: 1 });
    expect(row(await monthly('2024-05'), '华容区')).toMatchObject({ active: 1, vacancies: 2 });
  });

  it('refuses a capacity below the firms in the list on any day it would govern (exit 4, nothing written)', async () => {
    const now = await run('pool', 'capacity', '1', '--district', '华容区', '--date', '2024-04-01');
    expect(now.code).toBe(4);
    expect(now.stderr).toContain('华容区名单中已有 2 家企业，自 2024-04-01 起的容量不能小于 2');
    // from 03-05 until the change of 04-01: nobody on 03-05, but two firms from 03-10
    const before = await run('pool', 'capacity', '1', '--district', '华容区', '--date', '2024-03-05');
    expect(before.code).toBe(4);
    expect(before.stderr).toContain('华容区名单中在 2024-03-10 已有 2 家企业');
    expect(row(await monthly('2024-04'), '华容区')).toMatchObject({ vacancies: 1 });
    expect(row(await monthly('2024-03'), '华容区')).toMatchObject({ vacancies: 8 });
    // H2 left on 05-10: one firm from then on
    expect((await ok('pool', 'capacity', '1', '--district', '华容区', '--date', '2024-05-10', '--json')).json()).toMatchObject({ before: 3, after: 1 });
    // 05-01 would govern until 05-09, when both firms were still in the list
    expect((await run('pool', 'capacity', '1', '--district', '华容区', '--date', '2024-05-01')).code).toBe(4);
    expect(row(await monthly('2024-05'), '华容区')).toMatchObject({ active: 1, vacancies: 0 });
    expect(row(await monthly('2024-04'), '华容区')).toMatchObject({ vacancies: 1 });
    expect((await ok('pool', 'show', '--district', '华容区', '--json')).json()).toMatchObject({ capacity: 1, vacancies: 0 });
  });

  it('pool confirm needs room on every day from the meeting on, with the capacity in force each day', async () => {
    // 03-20: 10 − 2 = 8 free; 04-01: 3 − 2 = 1; 05-10: 1 − 1 = 0 → refused, naming that day
    const r = await run('pool', 'confirm', '--district', '华容区', '--meeting', '2024-03-20', H3);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('华容区2024-05-10 名单容量 1 家，在库 1 家，空缺 0 个（2024-03-20 起空缺最少的一天）');
    expect((await ok('pool', 'show', '--district', '华容区', '--json')).json().candidates.map((c: { code: string }) => c.code)).toEqual([H3]);
    // with room again from 06-01, a meeting on that day may confirm it
    await ok('pool', 'capacity', '2', '--district', '华容区', '--date', '2024-06-01');
    expect((await run('pool', 'confirm', '--district', '华容区', '--meeting', '2024-05-20', H3)).code).toBe(4);
    await ok('pool', 'confirm', '--district', '华容区', '--meeting', '2024-06-01', H3);
  });

  it('the 督办 vacancy age counts from the day a larger capacity made room', async () => {
    await ok('pool', 'capacity', '2', '--district', '鄂城区', '--date', '2024-04-01');
    await ok('pool', 'capacity', '3', '--district', '鄂城区', '--date', '2024-04-20');
    const o = (await ok('report', 'overdue', '--json')).json();
    // full from 04-01 (2 of 2), vacant again from 04-20: 56 days to 06-15
    expect(o.vacancies.find((v: { district: string }) => v.district === '鄂城区')).toEqual({
      district: '鄂城区', capacity: 3, active: 2, vacancies: 1, since: '2024-04-20', days: 56,
    });
    expect(o.vacancies.find((v: { district: string }) => v.district === '华容区')).toBeUndefined(); // 2 of 2
    expect(row(await monthly('2024-04'), '鄂城区')).toMatchObject({ active: 2, vacancies: 1 });
    expect(row(await monthly('2024-03'), '鄂城区')).toMatchObject({ active: 2, vacancies: 8 });
  });
});
