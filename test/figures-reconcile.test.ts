/**
 * Figures that reconcile (docs/figures.md, 金融机构 and 口径): an event counts for the bank that led the firm on
 * its day, a state at the period's end for the lead bank then; the bank table carries a 未确定主办行 row so that it
 * adds up to the district table; the months add up to the quarters and the year.
 *
 * Hand-computed scenario (today 2025-01-15), all in 华容区:
 *   A  lead 工行 from 04-20;  放款 50 (首贷) 05-10 by 工行;  满意 06-01;  lead → 建行 12-31;  放款 30 12-31 by 工行
 *   B  in the list from 04-15 without a lead bank (a loan needs one, so it has none then);  lead 农行 from 06-01;  授信 20 06-05
 * Then the demo history: every month, quarter and year, for every bank, the 未确定主办行 row and every district.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory } from '../src/domain/core/directory.js';
import { figuresOf } from '../src/domain/reporting/figure-table.js';
import { computeFigures, type Figures } from '../src/domain/reporting/figures.js';
import { openStore, type Store } from '../src/store/db.js';
import { monthPeriod, quarterPeriod, yearPeriod } from '../src/util/dates.js';
import { caseAt, code, dayOf, declare, recommend } from './cases.js';
import { demoSandbox, initialised, ok, type Sandbox } from './helpers.js';

const TODAY = '2025-01-15';
const [A, B] = [code(801), code(802)] as [string, string];
const [ICBC, ABC, CCB] = ['中国工商银行鄂州分行', '中国农业银行鄂州分行', '中国建设银行鄂州分行'];
const NONE = '未确定主办行';
const OTHER = '其他单位承办';

/** A bank row of the report, or the 未确定主办行 or 其他单位承办 row. */
const row = (f: Figures, name: string) => (name === NONE ? f.banks_unassigned : name === OTHER ? f.banks_other : f.banks.find((b) => b.bank === name)!);

describe('flows follow the lead bank of their day, stocks the lead bank at the end (hand-computed)', () => {
  let sb: Sandbox;
  let store: Store;
  let dir: Directory;
  const run = (args: string[]) => ok(sb, args, { today: dayOf(args) ?? TODAY }); // entries on their day
  beforeAll(async () => {
    sb = await initialised();
    await caseAt(sb, 'assigned', A);
    await caseAt(sb, 'confirmed', B);
    await run(['loan', A, '--kind', 'disbursement', '--amount', '50', '--first-loan', '--date', '2024-05-10']);
    await run(['assign', B, '--bank', '农行', '--date', '2024-06-01']);
    await run(['loan', B, '--kind', 'credit', '--amount', '20', '--date', '2024-06-05']);
    await run(['satisfaction', A, '--rating', '满意', '--date', '2024-06-01']);
    await run(['assign', A, '--bank', '建行', '--mode', 'designated', '--reason', '工行额度不足', '--date', '2024-12-31']);
    await run(['loan', A, '--kind', 'disbursement', '--amount', '30', '--bank', '工行', '--date', '2024-12-31']);
    store = await openStore(sb.db);
    dir = await Directory.load(store.db);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    sb?.cleanup();
  });

  it('May: 工行 lent 50 to the firm it led; the firm in the list without a lead bank is in the 未确定主办行 row', async () => {
    const f = await computeFigures(store.db, dir, monthPeriod(2024, 5));
    expect(row(f, ICBC)).toMatchObject({ active: 1, loan_firms: 1, loan_amount: 50, first_loan_firms: 1, credit_amount: 0 });
    expect(row(f, NONE)).toEqual({
      bank: NONE, active: 1, credit_firms: 0, credit_amount: 0, loan_firms: 0, loan_amount: 0, first_loan_firms: 0, coaching_done: 0, coaching_ended: 0, feedback: null, feedback_owed: 0, feedback_months: 0,
      credit_firms_ytd: 0, credit_amount_ytd: 0, loan_firms_ytd: 0, loan_amount_ytd: 0, first_loan_firms_ytd: 0,
    });
    expect(row(f, ICBC)).toMatchObject({ loan_firms_ytd: 1, loan_amount_ytd: 50, first_loan_firms_ytd: 1 });
    expect(row(f, OTHER)).toEqual({
      bank: OTHER, active: 0, credit_firms: 0, credit_amount: 0, loan_firms: 0, loan_amount: 0, first_loan_firms: 0, coaching_done: 0, coaching_ended: 0, feedback: null, feedback_owed: 0, feedback_months: 0,
      credit_firms_ytd: 0, credit_amount_ytd: 0, loan_firms_ytd: 0, loan_amount_ytd: 0, first_loan_firms_ytd: 0,
    });
    expect(row(f, ABC)).toMatchObject({ active: 0, credit_amount: 0 });
    expect(f.banks_total).toMatchObject({ active: 2, loan_firms: 1, loan_amount: 50, first_loan_firms: 1 });
    expect(f.total).toMatchObject({ active: 2, loan_firms: 1, loan_amount: 50, first_loan_firms: 1 });
  });

  it('December: the loan of the day the lead changed counts for the new lead bank; 工行 stays visible as the lender', async () => {
    const f = await computeFigures(store.db, dir, monthPeriod(2024, 12));
    expect(row(f, CCB)).toMatchObject({ active: 1, loan_firms: 1, loan_amount: 30, first_loan_firms: 0 });
    expect(row(f, ICBC)).toMatchObject({ active: 0, loan_firms: 0, loan_amount: 0 });
    expect(row(f, ABC)).toMatchObject({ active: 1 });
    expect(row(f, NONE)).toMatchObject({ active: 0, credit_amount: 0, loan_amount: 0 });
    const r = await run(['report', 'monthly', '--period', '2024-12', '--json']);
    expect(r.json().other_lenders).toEqual([
      { district: '华容区', code: A, name: expect.any(String), lead_bank: CCB, bank: ICBC, kind: 'disbursement', amount: 30, date: '2024-12-31' },
    ]);
  });

  it('2024: the year is the sum of its months for each bank (工行 50, not 0; 建行 30, not 80); a firm counts once, for its last loan', async () => {
    const y = await computeFigures(store.db, dir, yearPeriod(2024), { annual: true });
    // the lead change on 12-31 moves neither the May loan nor the June rating to 建行
    expect(row(y, ICBC)).toMatchObject({ active: 0, loan_amount: 50, loan_firms: 0, first_loan_firms: 1, ratings: 1, satisfaction_rate: 1 });
    expect(row(y, CCB)).toMatchObject({ active: 1, loan_amount: 30, loan_firms: 1, first_loan_firms: 0, ratings: 0, satisfaction_rate: null });
    expect(row(y, ABC)).toMatchObject({ active: 1, credit_amount: 20, credit_firms: 1 });
    expect(row(y, NONE)).toMatchObject({ active: 0, credit_firms: 0, credit_amount: 0 });
    expect(y.banks_total).toMatchObject({ active: 2, credit_firms: 1, credit_amount: 20, loan_firms: 1, loan_amount: 80, first_loan_firms: 1, ratings: 1 });
    expect(y.total).toMatchObject({ active: 2, credit_firms: 1, credit_amount: 20, loan_firms: 1, loan_amount: 80, first_loan_firms: 1, ratings: 1 });
    const months = await Promise.all(Array.from({ length: 12 }, (_, i) => computeFigures(store.db, dir, monthPeriod(2024, i + 1))));
    for (const name of [ICBC, CCB, ABC, NONE]) {
      expect(months.reduce((s, m) => s + row(m, name).loan_amount, 0), name).toBe(row(y, name).loan_amount);
      expect(months.reduce((s, m) => s + row(m, name).credit_amount, 0), name).toBe(row(y, name).credit_amount);
    }
  });

  it('首贷 is once per firm: a second flag is refused with exit 3 naming the earlier loan, nothing written', async () => {
    const r = await sb.run(['loan', A, '--kind', 'disbursement', '--amount', '5', '--first-loan', '--date', '2024-12-31', '--json'], { today: '2024-12-31' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('已有首贷：2024-05-10 中国工商银行鄂州分行 放款 50.00 万元');
    const y = await computeFigures(store.db, dir, yearPeriod(2024), { annual: true });
    expect(y.total).toMatchObject({ loan_amount: 80, first_loan_firms: 1 });
  });

  it('satisfaction: a bank without a rating in the year shows 无评价, and its ranking leaves that part out', async () => {
    await run(['report', 'annual', '--period', '2024', '--out', sb.path('y.csv')]);
    const lines = readFileSync(sb.path('y.csv'), 'utf8').split('\r\n');
    // 建行 (no rating) and 工行 (one 满意): the rate with one decimal, as a person reads it
    expect(lines.find((l) => l.startsWith(`${CCB},`))).toMatch(/,无评价$/);
    expect(lines.find((l) => l.startsWith(`${ICBC},`))).toMatch(/,100\.0%$/);
    const y = (await run(['report', 'annual', '--period', '2024', '--json'])).json();
    const ccb = y.ranking.banks.find((r: { name: string }) => r.name === CCB);
    expect(ccb.parts.satisfaction).toBeNull();
    expect(y.banks.find((b: { bank: string }) => b.bank === CCB).satisfaction_rate).toBeNull();
  });

  it('one rule for who owes feedback: a bank that led a firm on any day of the month, in the reports and the 督办清单 alike', async () => {
    // December: 工行 led A until 12-30, 建行 from 12-31, 农行 led B all month; nobody fed back
    const missing = (await run(['feedback', 'missing', '--month', '2024-12', '--json'])).json() as { kind: string; name: string }[];
    expect(missing.filter((m) => m.kind === 'bank').map((m) => m.name)).toEqual([ICBC, ABC, CCB]);
    const dec = await computeFigures(store.db, dir, monthPeriod(2024, 12));
    for (const name of [ICBC, ABC, CCB]) expect(row(dec, name), name).toMatchObject({ feedback: false, feedback_owed: 1, feedback_months: 0 });
    expect(dec.banks.filter((b) => ![ICBC, ABC, CCB].includes(b.bank)).every((b) => b.feedback === null && b.feedback_owed === 0)).toBe(true);
    // March: no bank led any firm yet (工行 from 04-20): none is chased, every bank shows 无需报送
    const march = (await run(['feedback', 'missing', '--month', '2024-03', '--json'])).json() as { kind: string }[];
    expect(march.filter((m) => m.kind === 'bank')).toEqual([]);
    expect((await computeFigures(store.db, dir, monthPeriod(2024, 3))).banks.every((b) => b.feedback === null)).toBe(true);
    // the year: 工行 owed April–December (9 months), 农行 June–December (7), 建行 December (1)
    const y = await computeFigures(store.db, dir, yearPeriod(2024), { annual: true });
    expect([ICBC, ABC, CCB].map((n) => row(y, n).feedback_owed)).toEqual([9, 7, 1]);
  });

  it('the CSV (as the workbook and the terminal) shows the 未确定主办行 row before 合计, its feedback as 无需报送', async () => {
    await run(['report', 'monthly', '--period', '2024-05', '--out', sb.path('m.csv')]);
    const csv = readFileSync(sb.path('m.csv'), 'utf8');
    const lines = csv.split('\r\n');
    const none = lines.findIndex((l) => l.startsWith(`${NONE},`));
    expect(none).toBeGreaterThan(0);
    expect(lines[none]).toBe(`${NONE},1,0,0,0.00,0.00,0,0,0.00,0.00,0,0,0,0,无需报送`);
    expect(lines[none + 1]).toBe(`${OTHER},0,0,0,0.00,0.00,0,0,0.00,0.00,0,0,0,0,无需报送`);
    // of the nine banks only 工行 led a firm in May: it alone owes the month's feedback
    expect(lines[none + 2]).toBe('合计,2,0,0,0.00,0.00,1,1,50.00,50.00,1,1,0,0,已报送 0 家/应报送 1 家');
  });
});

describe('企业数 counts firms: a firm rejected and recommended again is one firm and two recommendations (hand-computed)', () => {
  // F (华容区): recommended 03-01, declared 03-05, rejected 03-25; recommended again 04-10, declared 04-12
  let sb: Sandbox;
  const F = code(803);
  const run = (args: string[]) => ok(sb, args, { today: dayOf(args) ?? TODAY }); // entries on their day
  const report = async (kind: string, period: string) => (await run(['report', kind, '--period', period, '--json'])).json();
  const hr = (r: { districts: { district: string }[] }) => r.districts.find((d) => d.district === '华容区');
  beforeAll(async () => {
    sb = await initialised();
    await caseAt(sb, 'declared', F);
    await run(['verify', 'reject', F, '--reason', '经营异常', '--date', '2024-03-25']);
    await recommend(sb, F, { date: '2024-04-10' });
    await declare(sb, F, { date: '2024-04-12' });
  }, 120_000);
  afterAll(() => sb?.cleanup());

  it('each month counts the firm once; the quarter, the year and 本年累计 count it once, the recommendations twice', async () => {
    expect(hr(await report('monthly', '2024-03'))).toMatchObject({ recommended: 1, recommendations: 1, recommended_ytd: 1, declared: 1, rejected: 1 });
    // recommended in March and in April: one firm January–April, not 1 + 1
    expect(hr(await report('monthly', '2024-04'))).toMatchObject({ recommended: 1, recommendations: 1, recommended_ytd: 1, declared: 1, rejected: 0 });
    expect(hr(await report('quarterly', '2024Q2'))).toMatchObject({ recommended: 1, recommendations: 1, declared: 1 });
    const y = await report('annual', '2024');
    expect(hr(y)).toMatchObject({ recommended: 1, recommendations: 2, recommended_since_start: 1, declared: 1, rejected: 1 });
    expect(y.total).toMatchObject({ recommended: 1, recommendations: 2, declared: 1 });
  });
});

describe('服务事项 are units of service: an item handled counts for its unit, a firm financed in a month once (hand-computed)', () => {
  // P (华容区), lead 工行 from 04-20:  授信 100 05-08;  放款 30 and 放款 20 on 05-10 (one loan in two records)
  //   item #1 → 工行 (added 05-02);  item #2 → 华容区生态环境局 (added 05-03), done 06-02
  //   lead → 建行 06-15;  item #1 done by 工行 06-20 (建行 leads that day);  放款 10 07-01 by 建行
  // 2024: 工行 1 item + 1 firm-month (May) = 2;  建行 0 items + 1 firm-month (July) = 1;  其他单位承办 1 item = 1;
  //   华容区 2 items + 2 firm-months = 4 (the first definition: 2 items + 4 records = 6, and 工行's 1 + 3 records)
  let sb: Sandbox;
  let store: Store;
  let dir: Directory;
  const P = code(831);
  const run = (args: string[]) => ok(sb, args, { today: dayOf(args) ?? TODAY });
  beforeAll(async () => {
    sb = await initialised();
    await caseAt(sb, 'assigned', P);
    await run(['loan', P, '--kind', 'credit', '--amount', '100', '--date', '2024-05-08']);
    await run(['loan', P, '--kind', 'disbursement', '--amount', '30', '--date', '2024-05-10']);
    await run(['loan', P, '--kind', 'disbursement', '--amount', '20', '--date', '2024-05-10']);
    await run(['coach', 'add', P, '--item', '完善财务制度', '--org', '工行', '--date', '2024-05-02']);
    await run(['coach', 'add', P, '--item', '补办环评手续', '--org', '华容区生态环境局', '--date', '2024-05-03']);
    const items = (await run(['coach', 'list', '--json'])).json() as { id: number; item: string }[];
    const id = (item: string) => String(items.find((i) => i.item === item)!.id);
    await run(['coach', 'done', id('补办环评手续'), '--date', '2024-06-02']);
    await run(['assign', P, '--bank', '建行', '--mode', 'designated', '--reason', '工行额度不足', '--date', '2024-06-15']);
    await run(['coach', 'done', id('完善财务制度'), '--date', '2024-06-20']);
    await run(['loan', P, '--kind', 'disbursement', '--amount', '10', '--date', '2024-07-01']);
    store = await openStore(sb.db);
    dir = await Directory.load(store.db);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    sb?.cleanup();
  });

  it('a loan split into two records on one day is one unit; a firm financed in two months is two', async () => {
    const y = await computeFigures(store.db, dir, yearPeriod(2024), { annual: true });
    expect(row(y, ICBC)).toMatchObject({ loan_amount: 50, coaching_done: 1, service_items: 2 });
    expect(row(y, CCB)).toMatchObject({ loan_amount: 10, coaching_done: 0, service_items: 1 });
    expect(row(y, OTHER)).toMatchObject({ loan_amount: 0, coaching_done: 1, service_items: 1, feedback: null });
    expect(row(y, NONE)).toMatchObject({ coaching_done: 0, service_items: 0 });
    const hr = y.districts.find((d) => d.district === '华容区')!;
    expect(hr).toMatchObject({ coaching_done: 2, service_items: 4 });
    expect(y.banks_total).toMatchObject({ coaching_done: 2, service_items: 4 });
    expect(y.total).toMatchObject({ coaching_done: 2, service_items: 4 });
    // the ranking reads the same figure: 华容区 has the most service, the full 20 points
    const ranking = (await run(['report', 'annual', '--period', '2024', '--json'])).json().ranking;
    expect(ranking.districts.find((r: { name: string }) => r.name === '华容区').parts.service_items).toBe(20);
    // a flow: the months (computed with the annual figures) add up to the year, for every row
    const months = await Promise.all(Array.from({ length: 12 }, (_, i) => computeFigures(store.db, dir, monthPeriod(2024, i + 1), { annual: true })));
    for (const name of [ICBC, CCB, OTHER, NONE]) expect(months.reduce((n, m) => n + (row(m, name).service_items ?? 0), 0), name).toBe(row(y, name).service_items);
    expect(months.map((m) => m.total.service_items)).toEqual([0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0, 0]);
  });

  it('an item handled by a department is in no bank’s 辅导办结; a bank’s item counts for it, not for the lead bank of the day', async () => {
    const june = await computeFigures(store.db, dir, monthPeriod(2024, 6));
    expect(june.banks.reduce((n, b) => n + b.coaching_done, 0)).toBe(1);
    expect(row(june, ICBC).coaching_done).toBe(1);
    expect(row(june, CCB).coaching_done).toBe(0);
    expect(row(june, OTHER).coaching_done).toBe(1);
    expect(june.banks_total.coaching_done).toBe(june.total.coaching_done);
    expect(june.total.coaching_done).toBe(2);
  });
});

describe('the annual pool score reads the whole year, not its last day (hand-computed)', () => {
  // 华容区: capacity 2 from 01-01; two firms in the list from 04-15; capacity 4 from 12-31
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await initialised();
    await ok(sb, ['pool', 'capacity', '2', '--district', '华容区', '--date', '2024-01-01'], { today: '2024-01-01' });
    await caseAt(sb, 'confirmed', [code(811), code(812)]);
    await ok(sb, ['pool', 'capacity', '4', '--district', '华容区', '--date', '2024-12-31'], { today: '2024-12-31' });
  }, 120_000);
  afterAll(() => sb?.cleanup());

  it('12 month-ends: 2 firms at 9 of them (18) over capacities 2 × 11 + 4 (26): 18/26 × 15 = 10.38, not 2/4 × 15 = 7.5', async () => {
    const y = (await ok(sb, ['report', 'annual', '--period', '2024', '--json'], { today: TODAY })).json();
    const hr = y.ranking.districts.find((r: { name: string }) => r.name === '华容区');
    expect(hr.parts.pool_filled).toBe(10.38);
  });
});

/**
 * Figures that count events: each event falls in exactly one month, so months add up to quarters and years.
 * (推荐企业数 and 申报企业数 count firms, once per period: a firm recommended again later in the year is one firm.)
 */
const FLOWS = [
  'recommendations', 'verified_financing', 'verified_cultivation', 'rejected', 'confirmed', 'assigned',
  'credit_amount', 'loan_amount', 'first_loan_firms', 'coaching_added', 'coaching_done', 'closed_financed', 'closed_withdrawn',
] as const;

describe('the demo history: months add up to quarters and years; bank rows plus 未确定主办行 equal the districts', () => {
  let sb: Sandbox;
  let store: Store;
  let dir: Directory;
  const years: number[] = [];
  beforeAll(async () => {
    sb = await demoSandbox();
    store = await openStore(sb.db);
    dir = await Directory.load(store.db);
    const span = await store.db.selectFrom('loan').select((eb) => [eb.fn.min<string>('loan_on').as('first'), eb.fn.max<string>('loan_on').as('last')]).executeTakeFirstOrThrow();
    for (let y = Number(span.first.slice(0, 4)); y <= Number(span.last.slice(0, 4)); y++) years.push(y);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    sb?.cleanup();
  });

  const cents = (x: unknown) => Math.round(Number(x) * 100);
  const add = (fs: Figures[], pick: (f: Figures) => object, key: string) => fs.reduce((s, f) => s + cents((pick(f) as Record<string, unknown>)[key]), 0);

  /** The figures reconciled in every period: each bank figure, 本年累计 and 开展以来累计 ones included. */
  const reconciled = new Set<string>();

  /** Every bank figure of the bank table's 合计 equals the district 合计 (the monthly feedback is each unit's own). */
  function reconciles(f: Figures, label: string) {
    for (const d of figuresOf('bank', f.total.service_items !== undefined)) {
      if (d.key.startsWith('feedback')) continue;
      reconciled.add(d.key);
      const k = d.key as keyof Figures['total'];
      expect(f.banks_total[k as keyof Figures['banks_total']], `${label} ${d.key}`).toEqual(f.total[k]);
      if (d.total === 'sum' || d.total === 'money') {
        const rows = [...f.banks, f.banks_unassigned, f.banks_other];
        expect(rows.reduce((s, r) => s + cents((r as Record<string, unknown>)[d.key]), 0), `${label} ${d.key} rows`).toBe(cents(f.total[k]));
      }
    }
  }

  it('the auditor\'s table: for every bank, district and flow, 12 months = 4 quarters = the year; every period reconciles', async () => {
    expect(years.length).toBeGreaterThan(0);
    let checked = 0;
    for (const y of years) {
      const months = await Promise.all(Array.from({ length: 12 }, (_, i) => computeFigures(store.db, dir, monthPeriod(y, i + 1))));
      const quarters = await Promise.all([1, 2, 3, 4].map((q) => computeFigures(store.db, dir, quarterPeriod(y, q))));
      const year = await computeFigures(store.db, dir, yearPeriod(y), { annual: true });
      for (const [i, f] of [...months, ...quarters, year].entries()) reconciles(f, `${y} #${i}`);
      const bankKeys = new Set(figuresOf('bank', false).map((d) => d.key));
      const names = [...year.banks.map((b) => b.bank), NONE, OTHER];
      for (const key of FLOWS) {
        for (const [di, d] of year.districts.entries()) {
          const byMonth = add(months, (f) => f.districts[di]!, key);
          expect(byMonth, `${y} ${d.district} ${key}: months`).toBe(cents(d[key]));
          expect(add(quarters, (f) => f.districts[di]!, key), `${y} ${d.district} ${key}: quarters`).toBe(cents(d[key]));
          checked++;
        }
        if (!bankKeys.has(key)) continue;
        for (const name of names) {
          const annual = cents((row(year, name) as Record<string, unknown>)[key]);
          expect(add(months, (f) => row(f, name), key), `${y} ${name} ${key}: months`).toBe(annual);
          expect(add(quarters, (f) => row(f, name), key), `${y} ${name} ${key}: quarters`).toBe(annual);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    for (const k of ['credit_firms', 'credit_amount', 'loan_firms', 'loan_amount', 'first_loan_firms']) {
      expect(reconciled, k).toContain(`${k}_ytd`);
      expect(reconciled, k).toContain(`${k}_since_start`);
    }
  }, 120_000);

  it('本年累计: January\'s equals its 本期; December\'s and the fourth quarter\'s equal the year\'s 本年, for every district, bank and 合计', async () => {
    const CUMULATED = ['recommended', 'credit_firms', 'credit_amount', 'loan_firms', 'loan_amount', 'first_loan_firms'] as const;
    let checked = 0;
    for (const y of years) {
      const [jan, q1, dec, q4] = await Promise.all([monthPeriod(y, 1), quarterPeriod(y, 1), monthPeriod(y, 12), quarterPeriod(y, 4)].map((p) => computeFigures(store.db, dir, p)));
      const year = await computeFigures(store.db, dir, yearPeriod(y), { annual: true });
      // each row of a report: the districts, the 合计, the banks, 未确定主办行, 其他单位承办 and the banks' 合计
      const rowsOf = (f: Figures) => [...f.districts, f.total, ...f.banks, f.banks_unassigned, f.banks_other, f.banks_total] as unknown as Record<string, unknown>[];
      for (const k of CUMULATED) {
        for (const [i, r] of rowsOf(year).entries()) {
          if (!(k in r)) continue; // 推荐 is a district figure
          for (const [name, f] of [['December', dec], ['Q4', q4]] as const) expect(rowsOf(f)[i]![`${k}_ytd`], `${y} ${name} row ${i} ${k}_ytd`).toBe(r[k]);
          for (const [name, f] of [['January', jan], ['Q1', q1]] as const) expect(rowsOf(f)[i]![`${k}_ytd`], `${y} ${name} row ${i} ${k}_ytd`).toBe(rowsOf(f)[i]![k]);
          checked++;
        }
      }
      // the demo's history has loans in this year: the comparison is not between zeros only
      expect(year.total.loan_amount).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThan(50);
  }, 120_000);

});
