/**
 * The migrations that make inputs history, on a file an older version left: 0005 seeds each district's
 * capacity history with the capacity the district had (in force from 1900-01-01, so past figures do not
 * move), 0006 rebuilds the feedback table so a month can hold several submissions, keeping every row as the
 * first entry of its month's history. The older file: 华容区's capacity changed to 2 the old way (in place),
 * and its April feedback replaced in place (text and date of the replacement, created_at of the first).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, onItsDay } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';
import { olderCopy, records } from './old-schema.js';

let sb: Sandbox;
let old: string;
let before: Record<string, unknown[]>;
/** On the older file, each entry on the day its date says. */
const ok = async (...args: string[]) => {
  const r = await sb.run(args, onItsDay(args, { env: { XYPZ_DB: old } }));
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  sb = await initialised();
  await caseAt(sb, 'confirmed', code(801), { on: { verified: '2024-03-06', confirmed: '2024-03-10' } });
  expect((await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-04', '--text', '初报', '--date', '2024-05-05'], { today: '2024-05-05' })).code).toBe(0);
  old = sb.path('old.db');
  await olderCopy(sb.db, old, '0004_report_indexes', (raw) => {
    raw.prepare("update region set capacity = 2 where code = '420703'").run();
    raw.prepare("update feedback set text = '更正', submitted_on = '2024-05-08', updated_at = '2024-05-08 09:00:00'").run();
    // the first release accepted 首贷 twice for one firm
    for (const day of ['2024-03-20', '2024-04-20']) {
      raw.prepare(`insert into loan (case_id, bank_id, kind, amount_cents, loan_on, first_loan, created_at) select id, 5, 'disbursement', 1000, ?, 1, ? from case_file`).run(day, day);
    }
  });
  before = records(old);
}, 60_000);
afterAll(() => sb.cleanup());

describe('db migrate to capacity and feedback history', () => {
  it('applies both migrations, seeding the capacities and keeping every feedback row', async () => {
    expect((await ok('db', 'migrate', '--json')).json().applied).toEqual(['0005_capacity_history', '0006_feedback_history', '0007_collection', '0018_recorded', '0021_recorded_indexes', '0022_org_recorded', '0023_first_loan_once', '0024_coaching_ended', '0025_report_indexes', '0026_loan_case_figures']);
    const after = records(old);
    // both 首贷 flags of the firm are kept (the figures count its earliest); a new one is refused from now on
    expect(after.loan).toEqual(before.loan!.map((l) => ({ ...(l as object), rate_bp: null, term_months: null, guarantee: null, collection_id: null, note: null, recorded_at: (l as { loan_on: string }).loan_on })));
    expect(after.loan!.map((l) => (l as { first_loan: number }).first_loan)).toEqual([1, 1]);
    const raw = new Database(old);
    try {
      expect(() => raw.prepare(`insert into loan (case_id, bank_id, kind, amount_cents, loan_on, first_loan, created_at) select id, 5, 'disbursement', 1000, '2024-05-20', 1, '2024-05-20' from case_file`).run()).toThrow(/首贷每户企业只有一次/);
    } finally {
      raw.close();
    }
    // recorded on their event's date, as every record older than the recorded stamps
    const seeded = (region: string, capacity: number, id: number) => ({ id, region_code: region, capacity, effective_on: '1900-01-01', created_at: null, recorded_at: '1900-01-01' });
    expect(after.capacity_change).toEqual([seeded('420704', 10, 1), seeded('420703', 2, 2), seeded('420702', 10, 3), seeded('GDKFQ', 10, 4), seeded('LKJJQ', 10, 5)]);
    expect(after.feedback).toEqual(before.feedback!.map((f) => ({ ...(f as object), recorded_at: (f as { submitted_on: string }).submitted_on })));
    expect(after.region).toEqual(before.region);
    expect((await ok('db', 'check', '--json')).json()).toMatchObject({ integrity: ['ok'], foreign_key_errors: 0, pending: [] });
  });

  it('past figures stay as they were: the capacity in force from the start, the replaced feedback counted', async () => {
    const march = (await ok('report', 'monthly', '--period', '2024-03', '--json')).json();
    expect(march.districts.find((d: { district: string }) => d.district === '华容区')).toMatchObject({ active: 1, vacancies: 1 });
    const april = (await ok('report', 'monthly', '--period', '2024-04', '--json')).json();
    expect(april.districts.find((d: { district: string }) => d.district === '华容区')).toMatchObject({ feedback: true, vacancies: 1 });
  });

  it('the carried-over row is the first entry of its month; later submissions and capacities add to the history', async () => {
    await ok('feedback', 'add', '--from', '华容区', '--month', '2024-04', '--text', '再次更正', '--date', '2024-05-09');
    const history = (await ok('feedback', 'show', '--month', '2024-04', '--from', '华容区', '--json')).json();
    expect(history.map((e: { text: string; status: string }) => [e.text, e.status])).toEqual([['更正', 'superseded'], ['再次更正', 'counted']]);
    expect((await ok('pool', 'capacity', '3', '--district', '华容区', '--date', '2024-04-01', '--json')).json()).toMatchObject({ before: 2, after: 3 });
    const vacancies = async (m: string) => (await ok('report', 'monthly', '--period', m, '--json')).json().districts.find((d: { district: string }) => d.district === '华容区').vacancies;
    expect([await vacancies('2024-03'), await vacancies('2024-04')]).toEqual([1, 2]);
  });
});
