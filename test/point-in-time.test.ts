/**
 * Every past report of the demo holds: generate each ended month, quarter and year of a year's history (JSON
 * and CSV), then record what happens later — a capacity change, a late and a corrected feedback, closings, a
 * bank change, loans, a rating, a confirmation — and generate them again: every file is byte-identical, while
 * the reports of the current period do move.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from './cases.js';
import { demoSandbox, TODAY, type Sandbox } from './helpers.js';

/** The day the demo was built: the shared demo database is built on the tests' today (test/fixtures-setup.ts, test/pg-setup.ts). */
const BUILT = TODAY;
const LATER = '2024-07-20';
let sb: Sandbox;
const opts = (today: string) => ({ today, env: { XYPZ_ACTOR: 'demo_admin' } });
/** Run on `today`, an entry on the day of its event (--date, --meeting), as staff enter it. */
const ok = async (today: string, ...args: string[]) => {
  const r = await sb.run(args, opts(dayOf(args) ?? today));
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

/** Every period ended on BUILT whose feedback deadline has passed too. */
const PERIODS: [string, string][] = [
  ...Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(2023, 5 + i, 1));
    return ['monthly', `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`] as [string, string];
  }),
  ...['2023Q2', '2023Q3', '2023Q4', '2024Q1'].map((q) => ['quarterly', q] as [string, string]),
  ['annual', '2023'],
];

/** Writes every past report as JSON and CSV into `dir`; the files' contents by name. */
async function generate(today: string, dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const [kind, period] of PERIODS) {
    for (const ext of ['json', 'csv']) {
      const path = sb.path(`${dir}-${period}.${ext}`);
      const r = await ok(today, 'report', kind, '--period', period, '--out', path);
      expect(r.stderr, `${kind} ${period}`).toBe('');
      files[`${period}.${ext}`] = readFileSync(path, 'utf8');
    }
  }
  return files;
}

let before: Record<string, string>;

beforeAll(async () => {
  // The demo as `xypz demo` builds it on BUILT, copied from the run's shared one instead of built again.
  sb = await demoSandbox();
  before = await generate(BUILT, 'before');
}, 240_000);
afterAll(() => sb.cleanup());

describe('the demo history, reported and reported again after later records', () => {
  it('covers each month from 2023-06 to 2024-05, four quarters and 2023, all final', () => {
    expect(Object.keys(before)).toHaveLength(17 * 2);
    for (const [period] of PERIODS.map(([, p]) => [p])) expect(JSON.parse(before[`${period}.json`]!).final, period).toBe(true);
    expect(JSON.parse(before['2023.json']!).ranking.districts).toHaveLength(5);
  });

  it('gives byte-identical past JSON and CSV after a month of later records', async () => {
    type Case = { code: string; stage: string; class: string; district: string; lead_bank: string | null };
    const cases = (await ok(LATER, 'enterprise', 'list', '--json')).json() as Case[];
    const assigned = cases.filter((c) => c.stage === 'assigned');
    const financing = assigned.filter((c) => c.class === 'financing');
    expect(financing.length).toBeGreaterThanOrEqual(3);
    const current = (await ok(LATER, 'report', 'monthly', '--period', '2024-07', '--json')).json();

    const hr = (await ok(LATER, 'pool', 'show', '--district', '华容区', '--json')).json();
    await ok(LATER, 'pool', 'capacity', String(hr.active.length + 3), '--district', '华容区', '--date', '2024-07-01');
    // a late feedback from a district that sent none for its month (the latest such month of the demo)
    let missing: { month: string; name: string } | undefined;
    for (const [, month] of PERIODS.filter(([k]) => k === 'monthly').reverse()) {
      const rows = (await ok(LATER, 'feedback', 'missing', '--month', month, '--json')).json() as { kind: string; name: string }[];
      const d = rows.find((r) => r.kind === 'district');
      if (d) {
        missing = { month, name: d.name };
        break;
      }
    }
    expect(missing).toBeDefined();
    await ok(LATER, 'feedback', 'add', '--from', missing!.name, '--month', missing!.month, '--text', '补报', '--date', '2024-07-02');
    await ok(LATER, 'feedback', 'add', '--from', '鄂城区', '--month', '2024-04', '--text', '四月工作情况（更正）', '--date', '2024-07-03');
    await ok(LATER, 'feedback', 'add', '--from', '华容区', '--month', '2024-06', '--text', '六月工作情况', '--date', '2024-07-04');
    await ok(LATER, 'loan', financing[0]!.code, '--kind', 'credit', '--amount', '120', '--date', '2024-07-05');
    await ok(LATER, 'loan', financing[0]!.code, '--kind', 'disbursement', '--amount', '80.5', '--date', '2024-07-06', '--bank', '湖北银行鄂州分行');
    await ok(LATER, 'close', financing[0]!.code, '--outcome', 'financed', '--date', '2024-07-08');
    await ok(LATER, 'satisfaction', financing[0]!.code, '--rating', '基本满意', '--date', '2024-07-09');
    const other = financing[1]!.lead_bank === '中国建设银行鄂州分行' ? '工行' : '建行';
    await ok(LATER, 'assign', financing[1]!.code, '--bank', other, '--reason', '原主办行额度紧张', '--date', '2024-07-10');
    await ok(LATER, 'close', financing[2]!.code, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-07-11');
    const pool = (await ok(LATER, 'pool', 'show', '--district', financing[2]!.district, '--json')).json();
    if (pool.candidates.length > 0 && pool.vacancies > 0) {
      await ok(LATER, 'pool', 'confirm', '--district', financing[2]!.district, '--meeting', '2024-07-15', pool.candidates[0].code);
    }

    const after = await generate(LATER, 'after');
    for (const name of Object.keys(before)) expect(after[name], name).toBe(before[name]);
    // the later records are there: the current month moved, the late feedback is on the 督办清单, the correction in the history
    expect((await ok(LATER, 'report', 'monthly', '--period', '2024-07', '--json')).json()).not.toEqual(current);
    const overdue = (await ok(LATER, 'report', 'overdue', '--month', missing!.month, '--json')).json();
    expect(overdue.feedback_late).toContainEqual(expect.objectContaining({ name: missing!.name, submitted_on: '2024-07-02' }));
    const history = (await ok(LATER, 'feedback', 'show', '--month', '2024-04', '--from', '鄂城区', '--json')).json();
    expect(history.at(-1)).toMatchObject({ text: '四月工作情况（更正）', status: 'late' });
  }, 240_000);
});
