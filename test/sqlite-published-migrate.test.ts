/**
 * An upgraded database keeps its published figures. A file from the first release that kept cases (schema
 * 0003_cases: no recorded dates, no programme start), holding the demo's year of history, is migrated by this
 * version. Its records count as recorded on their event date — not on their created_at, a wall-clock time that
 * for the demo is the day it was built, long after every event — so every final report of the migrated file is,
 * byte for byte, the report of the same history recorded by this version as it happened. After the upgrade the
 * closed months are closed: a unit's late entry is refused, and a PBOC correction leaves the published reports
 * as they were.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSandbox, type RunResult, type Sandbox, TODAY } from './helpers.js';
import { olderCopy } from './old-schema.js';
import { fileQuery } from './engines.js';

/** The first schema that holds cases: the oldest file with reports to keep. */
const FIRST = '0003_cases';
const BUILT = TODAY;
const LATER = '2024-07-05';

let sb: Sandbox;
let old: string;
const run = (db: string, who: string, today: string, args: string[]): Promise<RunResult> => sb.run(args, { today, env: { XYPZ_DB: db, XYPZ_ACTOR: who } });
const ok = async (db: string, who: string, today: string, args: string[]): Promise<RunResult> => {
  const r = await run(db, who, today, args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
/** Every month, quarter and year of the history whose cut-off (the 10th after its last month) has passed on BUILT. */
function finalPeriods(first: string): [string, string][] {
  const out: [string, string][] = [];
  for (let m = first; `${nextMonth(m)}-10` < BUILT; m = nextMonth(m)) {
    out.push(['monthly', m]);
    const mo = Number(m.slice(5, 7));
    if (mo % 3 === 0) out.push(['quarterly', `${m.slice(0, 4)}Q${mo / 3}`]);
    if (mo === 12) out.push(['annual', m.slice(0, 4)]);
  }
  return out;
}
let periods: [string, string][];
/** The migrated file's reports as the second test made them: nothing is written between it and the third. */
let migratedReports: Record<string, string> | undefined;

/** Each final report of `db` as JSON, CSV and HTML, made on BUILT. */
let outs = 0;
async function reports(db: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const [kind, period] of periods) {
    for (const ext of ['json', 'csv', 'html']) {
      const path = sb.path(`r-${++outs}.${ext}`);
      await ok(db, 'demo_admin', BUILT, ['report', kind, '--period', period, '--out', path]);
      files[`${period}.${ext}`] = readFileSync(path, 'utf8');
    }
  }
  return files;
}

beforeAll(async () => {
  sb = await demoSandbox();
  old = sb.path('first-release.db');
  await olderCopy(sb.db, old, FIRST);
  const [first] = fileQuery<{ m: string }>(sb.db, 'select substr(min(recommended_on), 1, 7) as m from case_file');
  periods = finalPeriods(first!.m);
}, 120_000);
afterAll(() => sb?.cleanup());

describe('a first-release database, migrated', () => {
  it('migrates; its records count as recorded on their event date, whatever their created_at', async () => {
    const created = fileQuery<{ c: string; on: string }>(old, 'select min(created_at) as c, max(loan_on) as "on" from loan')[0]!;
    expect(created.c > created.on).toBe(true); // every loan was written (wall clock) after the last loan's date
    expect((await run(old, 'demo_admin', BUILT, ['report', 'monthly', '--period', '2024-01'])).code).toBe(4); // not before it is migrated
    await ok(old, 'demo_admin', BUILT, ['db', 'migrate']);
    expect(fileQuery(old, 'select count(*) as n from loan where recorded_at is null or recorded_at <> loan_on')).toEqual([{ n: 0 }]);
    expect(fileQuery(old, 'select count(*) as n from feedback where recorded_at is null or recorded_at <> submitted_on')).toEqual([{ n: 0 }]);
    expect(fileQuery(old, 'select start_on from programme')).toEqual([{ start_on: '2023-12-28' }]);
    expect((await ok(old, 'demo_admin', BUILT, ['audit', 'verify', '--json'])).json()).toMatchObject({ ok: true });
  });

  it('every final report is byte for byte that of the same history recorded as it happened', async () => {
    expect(periods.length).toBeGreaterThanOrEqual(15);
    const migrated = await reports(old);
    migratedReports = migrated;
    const native = await reports(sb.db);
    for (const name of Object.keys(native)) expect(migrated[name], name).toBe(native[name]);
    for (const [, period] of periods) expect(JSON.parse(migrated[`${period}.json`]!).final, period).toBe(true);
    expect(JSON.parse(migrated['2024-01.json']!).total.loan_amount_ytd).toBeGreaterThan(0);
  });

  it('after the upgrade a closed month is closed: a unit is refused, a correction leaves the published reports', async () => {
    // the reports before the correction: those the test before made of this very file (reports write nothing)
    const before = migratedReports ?? (await reports(old));
    // a financing firm 工行 has led since before May, never reclassified
    let f: { code: string } | undefined;
    for (const c of (await ok(old, 'icbc_kh', LATER, ['enterprise', 'list', '--json'])).json() as { code: string; stage: string; class: string }[]) {
      if (c.stage !== 'assigned' || c.class !== 'financing') continue;
      const s = (await ok(old, 'icbc_kh', LATER, ['enterprise', 'show', c.code, '--json'])).json();
      if (s.assigned_on <= '2024-05-01' && s.lead_banks.length === 1 && !s.history.some((h: { kind: string }) => h.kind === 'reclassified')) f = c;
    }
    expect(f, 'a firm 工行 leads').toBeDefined();
    const late = ['loan', f!.code, '--kind', 'credit', '--amount', '40', '--date', '2024-05-20'];
    const refused = await run(old, 'icbc_kh', LATER, late);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('2024年5月已结报');
    await ok(old, 'demo_op', LATER, [...late, '--correction', '工行 5 月授信漏报']);
    const after = await reports(old);
    const strip = (s: string) => {
      const { revisions: _r, ...rest } = JSON.parse(s);
      return rest;
    };
    for (const name of Object.keys(before)) {
      if (name === '2024-05.json') expect(strip(after[name]!), name).toEqual(strip(before[name]!));
      else if (name === '2024-05.html') expect(after[name], name).toContain('本期有 1 项更正（--revised 查看）');
      else expect(after[name], name).toBe(before[name]);
    }
    const revised = (await ok(old, 'demo_op', LATER, ['report', 'monthly', '--period', '2024-05', '--revised', '--json'])).json();
    const may = JSON.parse(before['2024-05.json']!);
    const bank = (j: { banks: { bank: string; credit_amount: number }[] }) => j.banks.find((b) => b.bank === '中国工商银行鄂州分行')!.credit_amount;
    expect(bank(revised)).toBe(Math.round((bank(may) + 40) * 100) / 100);
    expect(revised.total.credit_amount).toBe(Math.round((may.total.credit_amount + 40) * 100) / 100);
  });
});
