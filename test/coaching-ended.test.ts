/**
 * Closing a case ends its open coaching items (终止), dated the closing day: counted apart from 办结, never 未办结 or
 * 逾期 afterwards, shown as 终止 wherever items are listed, and never closed or changed again. Nothing is written to
 * the items when the case closes: 终止 is read from the case's closing date, so the published figures (read as
 * recorded by each cut-off) see it from the closing's own recording on. Every figure below is worked out by hand.
 *
 * Departments and banks as named; every step entered on its day; the reports made on 2025-01-15 (2024 final).
 * 华容区
 *   A  培植类, 工行 from 03-12, 建行 from 05-15 (designated), closed 退出 06-10
 *      A1 added 03-15 due 04-15 → 华容区生态环境局, done 04-10 (before the close: stays 办结)
 *      A2 added 03-20 due 04-30 → 华容区财政局, open at the close: 终止 06-10 (overdue in May)
 *      A3 added 05-02 due 05-10 → 工行 (the lead bank then), open at the close: 终止 06-10 (overdue in May)
 *   B  培植类, 农行 from 03-12, never closed
 *      B1 added 03-15 due 03-31 → 华容区财政局, open: overdue from April on
 * 鄂城区
 *   C  培植类, 工行 from 03-16, closed 退出 07-20
 *      C1 added 04-01 due 06-30 → 工行, open at the close: 终止 07-20
 *
 * 终止 by month: June 2 (华容区), July 1 (鄂城区); the year 3. In the bank table an item counts, as its 办结 would,
 * for the unit it was given to: A3 and C1 for 工行 (though 建行 led A on 06-10), A2 (and A1's 办结) in the
 * 其他单位承办 row.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemState } from '../src/domain/core/item-state.js';
import { Directory } from '../src/domain/core/directory.js';
import { enterprisesAtEnd } from '../src/domain/reporting/enterprise-detail.js';
import { openStore } from '../src/store/db.js';
import { monthPeriod } from '../src/util/dates.js';
import { caseAt, code, enteredOn, recommend } from './cases.js';
import { ok, initialised, type Sandbox } from './helpers.js';

const TODAY = '2025-01-15';
const [A, B, C] = [701, 702, 703].map(code) as [string, string, string];
const [ICBC, ABC, CCB] = ['中国工商银行鄂州分行', '中国农业银行鄂州分行', '中国建设银行鄂州分行'];
const HR = '华容区';
const EC = '鄂城区';

let sb: Sandbox;
const ids: Record<string, number> = {};
/** What `close` answered: A's text, C's JSON. */
const closing: { A?: string; C?: { ended_items: number[] } } = {};
const on = (date: string, args: string[]) => ok(sb, args, enteredOn(date));

beforeAll(async () => {
  sb = await initialised();
  const cultivation = { class: 'cultivation' as const, on: { recommended: '2024-03-01', declared: '2024-03-02', verified: '2024-03-05', confirmed: '2024-03-10', assigned: '2024-03-12' } };
  await caseAt(sb, 'assigned', A, { ...cultivation, bank: '工行' });
  await caseAt(sb, 'assigned', B, { ...cultivation, bank: '农行' });
  await caseAt(sb, 'assigned', C, { ...cultivation, district: EC, dept: '科技', bank: '工行', on: { ...cultivation.on, assigned: '2024-03-16' } });
  const add = async (key: string, c: string, org: string, due: string, date: string) => {
    const r = await on(date, ['coach', 'add', c, '--item', `事项${key}`, '--org', org, '--due', due, '--date', date, '--json']);
    ids[key] = r.json().id;
  };
  await add('A1', A, '华容区生态环境局', '2024-04-15', '2024-03-15');
  await add('B1', B, '华容区财政局', '2024-03-31', '2024-03-15');
  await add('A2', A, '华容区财政局', '2024-04-30', '2024-03-20');
  await add('C1', C, '工行', '2024-06-30', '2024-04-01');
  await on('2024-04-10', ['coach', 'done', String(ids.A1), '--date', '2024-04-10']);
  await add('A3', A, '工行', '2024-05-10', '2024-05-02');
  await on('2024-05-15', ['assign', A, '--bank', '建行', '--mode', 'designated', '--reason', '工行额度不足', '--date', '2024-05-15']);
  closing.A = (await on('2024-06-10', ['close', A, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-06-10'])).stdout;
  closing.C = (await on('2024-07-20', ['close', C, '--outcome', 'withdrawn', '--note', '企业迁出', '--date', '2024-07-20', '--json'])).json();
}, 300_000);
afterAll(() => sb.cleanup());

type Row = Record<string, number | string | boolean | null>;
interface Report {
  final: boolean;
  districts: Row[];
  banks: Row[];
  banks_unassigned: Row;
  banks_other: Row;
  banks_total: Row;
  total: Row;
}
const report = async (kind: string, period: string): Promise<Report> => (await ok(sb, ['report', kind, '--period', period, '--json'], { today: TODAY })).json();
const COACHING = ['coaching_added', 'coaching_done', 'coaching_ended', 'coaching_open', 'coaching_overdue'] as const;
/** A district's coaching figures, in the order added, done, ended, open, overdue. */
const coaching = (r: Report, district: string) => {
  const d = r.districts.find((x) => x.district === district)!;
  return COACHING.map((k) => d[k]);
};
const bank = (r: Report, name: string) => r.banks.find((b) => b.bank === name)!;

describe('close says which items it ended', () => {
  it('names the items open on the closing day (A2, A3; not A1, done before), in the order added; --json lists them', () => {
    const lines = closing.A!.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('已办结：退出（2024-06-10）');
    expect(lines[1]).toBe(`未办结的辅导事项 2 项随之终止（#${ids.A2}、#${ids.A3}）`);
    expect(closing.C!.ended_items).toEqual([ids.C1]);
  });
});

describe('终止 in the reports, by hand', () => {
  it('each month: an item open at the close is 终止 in the month of the close, and neither 未办结 nor 逾期 then or later', async () => {
    // [added, done, ended, open, overdue] of 华容区 and 鄂城区, month by month
    const expected: Record<string, [unknown[], unknown[]]> = {
      '2024-03': [[3, 0, 0, 3, 0], [0, 0, 0, 0, 0]], // B1 due 03-31 is not yet overdue on 03-31
      '2024-04': [[0, 1, 0, 2, 1], [1, 0, 0, 1, 0]], // A1 done; B1 overdue; A2 due 04-30 not yet
      '2024-05': [[1, 0, 0, 3, 3], [0, 0, 0, 1, 0]], // A2, A3, B1 all overdue at 05-31
      '2024-06': [[0, 0, 2, 1, 1], [0, 0, 0, 1, 0]], // A closed 06-10: A2, A3 终止; only B1 left; C1 due 06-30 not yet
      '2024-07': [[0, 0, 0, 1, 1], [0, 0, 1, 0, 0]], // C closed 07-20: C1 终止, not overdue though past its due
      '2024-12': [[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]],
    };
    for (const [month, [hr, ec]] of Object.entries(expected)) {
      const r = await report('monthly', month);
      expect(r.final, month).toBe(true);
      expect(coaching(r, HR), `${month} ${HR}`).toEqual(hr);
      expect(coaching(r, EC), `${month} ${EC}`).toEqual(ec);
    }
    // the bank table: an item for the unit it was given to, 终止 as 办结 (A3 for 工行 though 建行 led A on 06-10,
    // A2 in the 其他单位承办 row; A1's 办结 in April there too, not 工行's); the rows add up to the districts
    const june = await report('monthly', '2024-06');
    expect(bank(june, ICBC)).toMatchObject({ coaching_ended: 1, coaching_done: 0 });
    expect(bank(june, CCB)).toMatchObject({ coaching_ended: 0 });
    expect(june.banks_other).toMatchObject({ coaching_ended: 1 });
    expect(june.banks_unassigned).toMatchObject({ coaching_ended: 0 });
    expect(june.banks_total).toMatchObject({ coaching_ended: 2 });
    expect(june.total).toMatchObject({ coaching_ended: 2, coaching_open: 2, coaching_overdue: 1 }); // B1 overdue, C1 open
    const july = await report('monthly', '2024-07');
    expect(bank(july, ICBC)).toMatchObject({ coaching_ended: 1 });
    expect(bank(july, CCB)).toMatchObject({ coaching_ended: 0 });
    const april = await report('monthly', '2024-04');
    expect(bank(april, ICBC)).toMatchObject({ coaching_done: 0, coaching_ended: 0 });
    expect(april.banks_other).toMatchObject({ coaching_done: 1, coaching_ended: 0 });
    expect(bank(june, ABC)).toMatchObject({ coaching_ended: 0 });
  });

  it('the months add up to the quarters and the year for 终止, for every district and bank; the year balances', async () => {
    const months = await Promise.all(Array.from({ length: 12 }, (_, i) => report('monthly', `2024-${String(i + 1).padStart(2, '0')}`)));
    const quarters = await Promise.all([1, 2, 3, 4].map((q) => report('quarterly', `2024Q${q}`)));
    const year = await report('annual', '2024');
    const sum = (rs: Report[], pick: (r: Report) => Row) => rs.reduce((n, r) => n + Number(pick(r).coaching_ended), 0);
    const rows = (r: Report): [string, (x: Report) => Row][] => [
      ...r.districts.map((d): [string, (x: Report) => Row] => [String(d.district), (x) => x.districts.find((y) => y.district === d.district)!]),
      ...r.banks.map((b): [string, (x: Report) => Row] => [String(b.bank), (x) => x.banks.find((y) => y.bank === b.bank)!]),
      ['未确定主办行', (x) => x.banks_unassigned],
      ['其他单位承办', (x) => x.banks_other],
      ['合计', (x) => x.total],
      ['金融机构合计', (x) => x.banks_total],
    ];
    for (const [name, pick] of rows(year)) {
      expect(sum(months, pick), name).toBe(Number(pick(year).coaching_ended));
      expect(sum(quarters, pick), name).toBe(Number(pick(year).coaching_ended));
      for (const [q, quarter] of quarters.entries()) expect(sum(months.slice(q * 3, q * 3 + 3), pick), `${name} Q${q + 1}`).toBe(Number(pick(quarter).coaching_ended));
    }
    expect(quarters.map((q) => q.total.coaching_ended)).toEqual([0, 2, 1, 0]);
    expect(coaching(year, HR)).toEqual([4, 1, 2, 1, 1]);
    expect(coaching(year, EC)).toEqual([1, 0, 1, 0, 0]);
    // every item added ends the year once: 办结, 终止 or still open (5 = 1 + 3 + 1)
    const t = year.total;
    expect(Number(t.coaching_added)).toBe(Number(t.coaching_done) + Number(t.coaching_ended) + Number(t.coaching_open));
    expect(year.banks_total.coaching_ended).toBe(3);
    expect(bank(year, ICBC)).toMatchObject({ coaching_ended: 2, coaching_done: 0 });
    expect(bank(year, CCB)).toMatchObject({ coaching_ended: 0 });
    expect(year.banks_other).toMatchObject({ coaching_ended: 1, coaching_done: 1 });
  });

  it('the enterprise detail: a closed firm has no open item at the end of the period', async () => {
    const store = await openStore(sb.db);
    try {
      const dir = await Directory.load(store.db);
      const detail = (month: number) => enterprisesAtEnd(store.db, dir, monthPeriod(2024, month));
      const open = async (month: number) => Object.fromEntries((await detail(month)).map((e) => [e.code, e.coaching_open]));
      expect(await open(5)).toMatchObject({ [A]: 2, [B]: 1, [C]: 1 });
      expect(await open(6)).toMatchObject({ [A]: 0, [B]: 1, [C]: 1 });
      expect(await open(7)).toMatchObject({ [B]: 1, [C]: 0 });
    } finally {
      await store.close();
    }
  });
});

describe('终止 wherever items are listed', () => {
  it('coach list: 终止 dated the closing, never overdue; --open and --overdue leave it out', async () => {
    const list = (await ok(sb, ['coach', 'list', '--json'], { today: TODAY })).json() as { id: number; status: string; closed_on: string | null; overdue: boolean }[];
    const byId = (key: string) => list.find((i) => i.id === ids[key]);
    expect(byId('A1')).toMatchObject({ status: 'done', closed_on: '2024-04-10', overdue: false });
    expect(byId('A2')).toMatchObject({ status: 'ended', closed_on: '2024-06-10', overdue: false });
    expect(byId('A3')).toMatchObject({ status: 'ended', closed_on: '2024-06-10', overdue: false });
    expect(byId('C1')).toMatchObject({ status: 'ended', closed_on: '2024-07-20', overdue: false });
    expect(byId('B1')).toMatchObject({ status: 'open', closed_on: null, overdue: true });
    const only = async (flag: string) => (await ok(sb, ['coach', 'list', flag, '--json'], { today: TODAY })).json().map((i: { id: number }) => i.id);
    expect(await only('--open')).toEqual([ids.B1]);
    expect(await only('--overdue')).toEqual([ids.B1]);
    const text = (await ok(sb, ['coach', 'list', '--code', A], { today: TODAY })).stdout;
    expect(text).toContain('终止（2024-06-10）');
    expect(text).not.toContain('（逾期）');
    expect(text).toContain('共 3 项，未办结 0 项，逾期 0 项，随企业办结终止 2 项');
  });

  it('the 辅导清单 workbook shows 终止', async () => {
    await ok(sb, ['coach', 'list', '--org', '华容区财政局', '--out', sb.path('list.xlsx')], { today: TODAY });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sb.path('list.xlsx'));
    const cells = (wb.worksheets[0]!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.map((c) => String(c ?? '')).join('|'));
    const rowOf = (item: string) => cells.find((r) => r.includes(item))!;
    expect(rowOf('事项A2')).toContain('终止（企业已办结）');
    expect(rowOf('事项A2')).toContain('2024-06-10');
    expect(rowOf('事项B1')).toContain('逾期未办结');
  });

  it('the 督办清单 lists no 终止 item as overdue', async () => {
    const o = (await ok(sb, ['report', 'overdue', '--json'], { today: TODAY })).json();
    expect(o.coaching.map((i: { id: number }) => i.id)).toEqual([ids.B1]);
    const june = (await ok(sb, ['report', 'overdue', '--json'], { today: '2024-06-20' })).json();
    // on 06-20 C1 (due 06-30) is not yet overdue and A's items ended on 06-10
    expect(june.coaching.map((i: { id: number }) => i.id)).toEqual([ids.B1]);
  });

  it('the ledger and enterprise show count 终止 apart from 办结', async () => {
    const rows = (await ok(sb, ['ledger', '--district', HR, '--json'], { today: TODAY })).json() as { code: string; coaching_open: number; coaching_closed: number; coaching_ended: number }[];
    expect(rows.find((r) => r.code === A)).toMatchObject({ coaching_open: 0, coaching_closed: 1, coaching_ended: 2 });
    expect(rows.find((r) => r.code === B)).toMatchObject({ coaching_open: 1, coaching_closed: 0, coaching_ended: 0 });
    const text = (await ok(sb, ['ledger', '--district', HR], { today: TODAY })).stdout;
    expect(text).toContain('辅导(未/结/止)');
    expect(text).toContain('0/1/2');
    const show = (await ok(sb, ['enterprise', 'show', A, '--json'], { today: TODAY })).json();
    expect(show.coaching.map((i: { status: string; closed_on: string }) => [i.status, i.closed_on])).toEqual([
      ['done', '2024-04-10'],
      ['ended', '2024-06-10'],
      ['ended', '2024-06-10'],
    ]);
    expect((await ok(sb, ['enterprise', 'show', A], { today: TODAY })).stdout).toContain('辅导事项：0 项未办结、2 项随企业办结终止 / 共 3 项');
  });
});

describe('an item of a closed case does not change', () => {
  it('coach done / fail of an ended item, or of one done before the close, is refused (exit 4, one line), nothing written', async () => {
    const before = await sb.fingerprint();
    for (const [args, says] of [
      [['coach', 'done', String(ids.A2), '--date', '2024-06-20'], `辅导事项 #${ids.A2}「事项A2」已终止`],
      [['coach', 'fail', String(ids.A3), '--note', '企业已退出', '--date', '2024-06-20'], `辅导事项 #${ids.A3}「事项A3」已终止`],
      [['coach', 'done', String(ids.A1), '--date', '2024-06-20'], `辅导事项 #${ids.A1} 已办结（2024-04-10）`],
    ] as const) {
      const r = await sb.run([...args], { today: '2024-06-20' });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toContain(says);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(await sb.fingerprint()).toBe(before);
  });

  it('a coaching item cannot be added to a closed case', async () => {
    const r = await sb.run(['coach', 'add', A, '--item', '新事项', '--org', '华容区财政局', '--date', '2024-06-20'], { today: '2024-06-20' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('已办结');
  });
});

describe('a closed case is never reopened', () => {
  it('a firm recommended again is a new case: the closed case’s items stay 终止, the new one starts with none', async () => {
    await recommend(sb, A, { date: '2024-08-01', dept: '商务' });
    const list = (await ok(sb, ['coach', 'list', '--code', A, '--json'], { today: TODAY })).json() as { id: number; status: string; closed_on: string | null }[];
    expect(list.map((i) => [i.id, i.status, i.closed_on])).toEqual([
      [ids.A1, 'done', '2024-04-10'],
      [ids.A2, 'ended', '2024-06-10'],
      [ids.A3, 'ended', '2024-06-10'],
    ]);
    const show = (await ok(sb, ['enterprise', 'show', A, '--json'], { today: TODAY })).json();
    expect(show.stage).toBe('recommended');
    expect(show.coaching).toEqual([]);
    expect(show.cases[1].coaching.map((i: { status: string }) => i.status)).toEqual(['done', 'ended', 'ended']);
    const august = await report('monthly', '2024-08');
    expect(coaching(august, HR)).toEqual([0, 0, 0, 1, 1]); // B1 alone, still overdue
    const r = await sb.run(['coach', 'done', String(ids.A2), '--date', '2024-08-02'], { today: '2024-08-02' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('已终止');
  });
});

describe('itemState', () => {
  it('an item open on the closing day ends that day; one closed by then keeps its closing; records made before the rule end too', () => {
    expect(itemState({ status: 'open', closed_on: null }, null)).toEqual({ state: 'open', on: null });
    expect(itemState({ status: 'open', closed_on: null }, '2024-06-10')).toEqual({ state: 'ended', on: '2024-06-10' });
    expect(itemState({ status: 'done', closed_on: '2024-06-10' }, '2024-06-10')).toEqual({ state: 'done', on: '2024-06-10' });
    expect(itemState({ status: 'failed', closed_on: '2024-05-01' }, '2024-06-10')).toEqual({ state: 'failed', on: '2024-05-01' });
    // a closing recorded after the case's (possible before the rule): the item was open on the closing day
    expect(itemState({ status: 'done', closed_on: '2024-06-11' }, '2024-06-10')).toEqual({ state: 'ended', on: '2024-06-10' });
  });
});
