/**
 * A unit added after a period's cut-off is not in that period's published report: its bank table lists the
 * banks as they were recorded by the cut-off, whether the report is read from the tables (no correction) or
 * through the records as recorded (a correction since). A preliminary report lists it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HR } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
const NEW_BANK = '鄂州新设村镇银行';

const at = async (today: string, args: string[]) => {
  const r = await sb.run(args, { today });
  if (r.code !== 0) throw new Error(`${args.join(' ')} (${today}) → ${r.code}: ${r.stderr}`);
  return r;
};
const monthly = async (today: string, period: string, extra: string[] = []) => (await at(today, ['report', 'monthly', '--period', period, '--json', ...extra])).stdout;
const banksOf = (json: string) => (JSON.parse(json) as { banks: { bank: string }[] }).banks.map((b) => b.bank);

beforeAll(async () => {
  sb = await initialised();
});
afterAll(() => sb.cleanup());

describe('a bank added after a cut-off', () => {
  it('leaves the published report byte-identical, without a row for it; a preliminary report lists it', async () => {
    const published = await monthly('2024-04-11', '2024-03');
    expect(banksOf(published).length).toBeGreaterThan(0);
    expect(banksOf(published)).not.toContain(NEW_BANK);

    await at('2024-04-20', ['org', 'add', '--name', NEW_BANK, '--kind', 'bank', '--district', '鄂州市']);
    // the stamp of the write that added it, not the date of setting the database up
    const [stamp] = await sb.sql<{ recorded_at: string }>('select recorded_at from org where name = ?', [NEW_BANK]);
    expect(stamp!.recorded_at.startsWith('2024-04-20 ')).toBe(true);

    expect(await monthly('2024-04-21', '2024-03')).toBe(published);
    expect(banksOf(await monthly('2024-04-21', '2024-04'))).toContain(NEW_BANK);

    // read through the records as recorded once a correction for the period has been recorded
    await at('2024-04-22', ['feedback', 'add', '--from', HR, '--month', '2024-03', '--text', '三月工作情况', '--date', '2024-04-08', '--correction', '纸质反馈 4 月 8 日已收到']);
    const after = JSON.parse(await monthly('2024-04-23', '2024-03')) as { banks: { bank: string }[]; revisions: unknown[] };
    expect(after.revisions.length).toBe(1);
    expect(after.banks).toEqual(JSON.parse(published).banks);
    // a later period, final too: the bank recorded before its cut-off is listed
    expect(banksOf(await monthly('2024-05-11', '2024-04'))).toContain(NEW_BANK);
  });

  it('the units set up with the database count as recorded before every period', async () => {
    const rows = await sb.sql<{ n: number }>("select count(*) as n from org where name <> ? and (recorded_at is null or recorded_at <> '1900-01-01')", [NEW_BANK]);
    expect(rows[0]!.n).toBe(0);
  });
});
