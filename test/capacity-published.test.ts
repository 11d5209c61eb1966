/**
 * A district's capacity from a date in a final month is read by that month's published figures: the 人民银行's
 * correction may not replace it in place (the row would keep its old recorded stamp, so the published report
 * would move); it records the change from a later date instead, which the published report leaves out and
 * --revised shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HR } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
const at = async (today: string, args: string[]) => {
  const r = await sb.run(args, { today });
  if (r.code !== 0) throw new Error(`${args.join(' ')} (${today}) → ${r.code}: ${r.stderr}`);
  return r;
};
const monthly = async (today: string, extra: string[] = []) => (await at(today, ['report', 'monthly', '--period', '2024-03', '--json', ...extra])).stdout;
const hr = (json: string) => (JSON.parse(json) as { districts: { district: string; vacancies: number }[] }).districts.find((d) => d.district === HR)!;

beforeAll(async () => {
  sb = await initialised();
  await at('2024-03-01', ['pool', 'capacity', '12', '--district', HR, '--date', '2024-03-01']);
}, 120_000);
afterAll(() => sb.cleanup());

describe('a capacity of a final month', () => {
  it('is not replaced by a correction; a change from a later date is a revision', async () => {
    const published = await monthly('2024-04-11');
    expect(hr(published).vacancies).toBe(12);
    const before = await sb.fingerprint();
    const replace = await sb.run(['pool', 'capacity', '8', '--district', HR, '--date', '2024-03-01', '--correction', '容量录错'], { today: '2024-04-20' });
    expect(replace.code).toBe(3);
    expect(replace.stderr).toContain('华容区自 2024-03-01 起的名单容量已登记为 12 家，2024年3月已结报');
    expect(replace.stderr).toContain('--date 2024-03-02');
    expect(await sb.fingerprint()).toBe(before);
    expect(await monthly('2024-04-21')).toBe(published);

    await at('2024-04-22', ['pool', 'capacity', '8', '--district', HR, '--date', '2024-03-02', '--correction', '容量录错']);
    const after = JSON.parse(await monthly('2024-04-23')) as { districts: unknown; revisions: unknown[] };
    expect(after.districts).toEqual(JSON.parse(published).districts);
    expect(after.revisions).toHaveLength(1);
    expect(hr(await monthly('2024-04-23', ['--revised'])).vacancies).toBe(8);
  });
});
