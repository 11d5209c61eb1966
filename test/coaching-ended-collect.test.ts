/**
 * The monthly collection and a closed case's coaching items: once the case is closed its items do not change, so a
 * returned workbook that closes one, or takes back or changes the unit's own earlier closing of one, gets a row
 * error and nothing is written; and an item that ended (终止) before a month is in none of that month's workbooks.
 *
 * The collection scenario (test/fixtures/collect-scenario.mjs): D (培植类, 工行) holds items #1 (华容区生态环境局),
 * #2 (工行) and #3 (华容区自然资源和规划局), all open. Here 工行's May workbook closes #2 (05-28), received 06-05; D
 * is closed (退出) on 06-07.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedback, fill, make, ok, progress, S, scenario } from './collect-helpers.js';
import type { Sandbox } from './helpers.js';

const { CODES, ICBC, HR_ENV, HR_LAND, MONTH } = S;
let sb: Sandbox;
let books: Record<string, string>;

const importJson = (files: string[], today: string) => sb.run(['collect', 'import', ...files, '--json'], { today });
const item = async (id: number) => (await ok(sb, ['coach', 'list', '--json'], { today: '2024-06-20' })).json().find((i: { id: number }) => i.id === id);
const rowError = (r: { stderr: string }) => JSON.parse(r.stderr).error.details as { sheet: string; row: number; column: string; reason: string }[];

beforeAll(async () => {
  sb = await scenario();
  books = await make(sb, MONTH, [], { today: '2024-06-01' });
  const icbc = await fill(sb, books[ICBC]!, (wb) => {
    progress(wb, 2, '办结', '2024-05-28');
    feedback(wb, '本月走访主办企业。');
  });
  expect((await importJson([icbc], '2024-06-05')).code).toBe(0);
  await ok(sb, ['close', CODES.D, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-06-07'], { today: '2024-06-07' });
}, 300_000);
afterAll(() => sb.cleanup());

describe('a returned workbook and the items of a closed case', () => {
  it('closing an item that ended with its case is a row error; nothing is written', async () => {
    const env = await fill(sb, books[HR_ENV]!, (wb) => progress(wb, 1, '办结', '2024-05-30'));
    const before = await sb.fingerprint();
    const r = await importJson([env], '2024-06-10');
    expect(r.code).toBe(3);
    const [e, ...more] = rowError(r);
    expect(more).toEqual([]);
    expect(e).toMatchObject({ sheet: '辅导事项', column: '办结日期' });
    expect(e!.reason).toContain('辅导事项 #1「补办环评手续」已终止');
    expect(await sb.fingerprint()).toBe(before);
    expect(await item(1)).toMatchObject({ status: 'ended', closed_on: '2024-06-07' });
  });

  it('taking back or changing the unit’s own closing made before the case was closed is a row error too', async () => {
    const before = await sb.fingerprint();
    for (const [state, date] of [['进行中', null], ['未办成', '2024-05-29']] as const) {
      const corrected = await fill(sb, books[ICBC]!, (wb) => {
        progress(wb, 2, state, date, state === '未办成' ? '企业未提供材料' : null);
        feedback(wb, '本月走访主办企业。');
      });
      const r = await importJson([corrected], '2024-06-10');
      expect(r.code, state).toBe(3);
      const errors = rowError(r);
      expect(errors, state).toHaveLength(1);
      expect(errors[0]).toMatchObject({ sheet: '辅导事项', column: '办理情况' });
      expect(errors[0]!.reason).toContain('已于 2024-06-07 办结');
    }
    expect(await sb.fingerprint()).toBe(before);
    // closed before the case: it stays 办结
    expect(await item(2)).toMatchObject({ status: 'done', closed_on: '2024-05-28' });
  });

  it('the same workbook again, unchanged, still imports (nothing to change)', async () => {
    const again = await fill(sb, books[ICBC]!, (wb) => {
      progress(wb, 2, '办结', '2024-05-28');
      feedback(wb, '本月走访主办企业。');
    });
    const r = await importJson([again], '2024-06-10');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ errors: [] });
  });

  it('an item ended before a month is in none of its workbooks; one ended in the month still is', async () => {
    const june = await make(sb, '2024-06', [], { today: '2024-07-01' });
    expect(Object.keys(june)).toEqual(expect.arrayContaining([HR_ENV, HR_LAND]));
    const july = await make(sb, '2024-07', [], { today: '2024-08-01' });
    // D's items ended on 06-07: no department holds an open item in July
    expect(Object.keys(july)).not.toContain(HR_ENV);
    expect(Object.keys(july)).not.toContain(HR_LAND);
    expect(Object.keys(july)).toContain(ICBC); // it still leads A and B
  });
});
