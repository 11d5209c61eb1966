/**
 * 首贷 at most once per firm, ever (docs/figures.md): one rule for `loan` and the collection import
 * (service/loans.ts FirstLoans), and the database's own trigger (migration 0023) for anything else that writes a
 * loan. On the collection scenario (test/fixtures/collect-scenario.mjs): B (工行) has a 放款 of 50 on 05-06, not 首贷.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Directory } from '../src/domain/core/directory.js';
import { computeFigures } from '../src/domain/reporting/figures.js';
import { openStore } from '../src/store/db.js';
import { monthPeriod, yearPeriod } from '../src/util/dates.js';
import { code, dayOf, declare, recommend, show, VERIFY } from './cases.js';
import { fill, loans, make, ok, S, scenario } from './collect-helpers.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const { CODES, NAMES, ICBC } = S;
const importJson = async (files: string[], today = S.RECEIVED) => sb.run(['collect', 'import', ...files, '--json'], { today });
const loansOf = async (c: string) => (await show(sb, c)).loans.map((l: { kind: string; amount: string; date: string; first_loan: boolean }) => `${l.kind} ${l.amount} ${l.date}${l.first_loan ? ' 首贷' : ''}`);
const icbcMay = async () => (await ok(sb, ['report', 'monthly', '--period', S.MONTH, '--json'])).json().banks.find((b: { bank: string }) => b.bank === ICBC);

describe('the collection import applies the 首贷 rule of `loan`', () => {
  it('a row flagged 首贷 for a firm with a 首贷 on file is a row error naming it; nothing is written', async () => {
    sb = await scenario();
    await ok(sb, ['loan', CODES.B, '--kind', 'disbursement', '--amount', '10', '--first-loan', '--date', '2024-05-08'], { today: '2024-05-08' });
    const books = await make(sb, S.MONTH, ['--unit', ICBC]);
    const file = await fill(sb, books[ICBC]!, (wb) =>
      loans(wb, [
        [CODES.A, '授信', 500, '2024-05-10', 3.95, 12, '信用', '否'],
        [CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证', '是'],
      ]),
    );
    const before = await sb.fingerprint();
    const r = await importJson([file]);
    expect(r.code).toBe(3);
    expect(r.json().errors).toEqual([
      expect.objectContaining({ sheet: '授信放款', row: 5, column: '首贷', reason: `${NAMES.B}已有首贷：2024-05-08 ${ICBC} 放款 10.00 万元；每户企业只有一次首贷，本行的「首贷」请填“否”` }),
    ]);
    expect(await sb.fingerprint()).toBe(before);
    // the same loan without the flag imports
    const plain = await fill(sb, books[ICBC]!, (wb) => loans(wb, [[CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证', '否']]));
    expect((await importJson([plain])).code).toBe(0);
    expect(await loansOf(CODES.B)).toEqual(['disbursement 50.00 2024-05-06', 'disbursement 10.00 2024-05-08 首贷', 'disbursement 80.00 2024-05-20']);
  });

  it('two rows of a batch flag the same firm: the second is refused, naming the first row', async () => {
    sb = await scenario();
    const books = await make(sb, S.MONTH, ['--unit', ICBC]);
    const file = await fill(sb, books[ICBC]!, (wb) =>
      loans(wb, [
        [CODES.B, '放款', 80, '2024-05-20', 4.2, 6, '保证', '是'],
        [CODES.B, '放款', 20, '2024-05-25', 4.2, 6, '保证', '是'],
      ]),
    );
    const r = await importJson([file]);
    expect(r.code).toBe(3);
    expect(r.json().errors).toEqual([
      expect.objectContaining({ row: 5, column: '首贷', reason: expect.stringContaining(`${NAMES.B}已有首贷：${file.split('/').at(-1)}「授信放款」第 4 行（2024-05-20 ${ICBC} 放款 80.00 万元）`) }),
    ]);
    expect(await loansOf(CODES.B)).toEqual(['disbursement 50.00 2024-05-06']);
  });

  it('a corrected workbook may change its 首贷 (the earlier one is withdrawn first), withdraw it, and report it again', async () => {
    sb = await scenario();
    const books = await make(sb, S.MONTH, ['--unit', ICBC]);
    const first = (amount: number) => fill(sb, books[ICBC]!, (wb) => loans(wb, [[CODES.B, '放款', amount, '2024-05-20', 4.2, 6, '保证', '是']]));
    expect((await importJson([await first(80)], '2024-06-05')).code).toBe(0);
    // corrected: the same 首贷 with another amount
    const r = await importJson([await first(60)], '2024-06-07');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ added: 1, withdrawn: 1 });
    expect(await loansOf(CODES.B)).toEqual(['disbursement 50.00 2024-05-06', 'disbursement 60.00 2024-05-20 首贷']);
    expect(await icbcMay()).toMatchObject({ loan_amount: 110, first_loan_firms: 1 });
    // the same workbook again: nothing changes
    expect((await importJson([await first(60)], '2024-06-07')).json()).toMatchObject({ added: 0, unchanged: 2, withdrawn: 0 }); // the loan, and the item pre-filled
    // corrected without it (withdrawn), then reporting it again: a withdrawn loan is no 首贷 on file
    const none = await fill(sb, books[ICBC]!, (wb) => loans(wb, [[CODES.A, '授信', 500, '2024-05-10']]));
    expect((await importJson([none], '2024-06-08')).json()).toMatchObject({ added: 1, withdrawn: 1 });
    expect(await loansOf(CODES.B)).toEqual(['disbursement 50.00 2024-05-06']);
    const again = await importJson([await first(60)], '2024-06-09');
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ added: 1, withdrawn: 1 });
    expect(await loansOf(CODES.B)).toEqual(['disbursement 50.00 2024-05-06', 'disbursement 60.00 2024-05-20 首贷']);
    // and `loan` refuses a second one, naming the workbook's
    const cli = await sb.run(['loan', CODES.B, '--kind', 'disbursement', '--amount', '5', '--first-loan', '--date', '2024-06-10'], { today: '2024-06-10' });
    expect(cli.code).toBe(3);
    expect(cli.stderr).toContain(`${NAMES.B}已有首贷：2024-05-20 ${ICBC} 放款 60.00 万元；每户企业只有一次首贷，本笔请不加 --first-loan 登记`);
  });
});

describe('the database refuses a second 首贷 itself (migration 0023), whoever writes it', () => {
  it('an insert or an update that makes a second live 首贷 is refused; a copied record (with its stamp) is kept', async () => {
    sb = await scenario();
    const [{ id: caseB }] = await sb.sql<{ id: number }>(`select id from case_file where enterprise_code = '${CODES.B}'`);
    const [{ id: bank }] = await sb.sql<{ id: number }>(`select id from org where name = '${ICBC}'`);
    const insert = (day: string, stamp = 'null') =>
      sb.sql(`insert into loan (case_id, bank_id, kind, amount_cents, loan_on, first_loan, created_at, recorded_at) values (${caseB}, ${bank}, 'disbursement', 100, '${day}', 1, '${day}', ${stamp})`);
    await insert('2024-06-01');
    await expect(insert('2024-06-02')).rejects.toThrow(/首贷每户企业只有一次/);
    // a credit, or a disbursement not flagged, is no 首贷
    await sb.sql(`insert into loan (case_id, bank_id, kind, amount_cents, loan_on, first_loan, created_at) values (${caseB}, ${bank}, 'disbursement', 100, '2024-06-03', 0, '2024-06-03')`);
    // flagging the earlier 放款 (05-06) afterwards is refused too; changing another column of the 首贷 is not
    await expect(sb.sql(`update loan set first_loan = 1 where case_id = ${caseB} and loan_on = '2024-05-06'`)).rejects.toThrow(/首贷每户企业只有一次/);
    await sb.sql(`update loan set amount_cents = 200, first_loan = 1 where case_id = ${caseB} and loan_on = '2024-06-01'`);
    // a record copied with its stamp, as an older release accepted it: kept
    await insert('2024-06-04', `'2024-06-04 10:00:00.000'`);
    const flagged = await sb.sql<{ loan_on: string }>(`select loan_on from loan where case_id = ${caseB} and first_loan = 1 order by loan_on`);
    expect(flagged.map((l) => l.loan_on)).toEqual(['2024-06-01', '2024-06-04']);
    // withdrawn, the 首贷 is no longer live: another may be recorded
    await sb.sql(`delete from loan where case_id = ${caseB} and first_loan = 1`);
    await insert('2024-06-05');
  });
});

describe('首贷户数 and 放款户数 count a firm once, across its cases', () => {
  it('a firm rejected and recommended again; a firm financed, closed and recommended again with a second flag from the first release', async () => {
    sb = await initialised();
    const run = (args: string[]) => ok(sb, args, { today: dayOf(args) ?? '2025-01-15' });
    const [F, G] = [code(821), code(822)];
    // F: rejected 03-25, recommended again 04-10, in the list 05-01, lead bank 工行 05-05, 首贷 05-15
    await recommend(sb, F, { date: '2024-03-01' });
    await declare(sb, F, { date: '2024-03-05' });
    await run(['verify', 'reject', F, '--reason', '经营异常', '--date', '2024-03-25']);
    await recommend(sb, F, { date: '2024-04-10' });
    await declare(sb, F, { date: '2024-04-12' });
    await run(['verify', F, '--class', 'financing', ...VERIFY, '--date', '2024-04-20']);
    // G: in the list 05-01, 工行 05-05, 首贷 05-10, closed 获得融资 05-20; recommended again 06-01, 工行 07-20
    await recommend(sb, G, { date: '2024-03-01' });
    await declare(sb, G, { date: '2024-03-05' });
    await run(['verify', G, '--class', 'financing', ...VERIFY, '--date', '2024-04-20']);
    await run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-05-01', F, G]);
    for (const c of [F, G]) await run(['assign', c, '--bank', '工行', '--date', '2024-05-05']);
    await run(['loan', F, '--kind', 'disbursement', '--amount', '30', '--first-loan', '--date', '2024-05-15']);
    await run(['loan', G, '--kind', 'disbursement', '--amount', '40', '--first-loan', '--date', '2024-05-10']);
    await run(['close', G, '--outcome', 'financed', '--date', '2024-05-20']);
    await recommend(sb, G, { date: '2024-06-01' });
    await declare(sb, G, { date: '2024-06-05' });
    await run(['verify', G, '--class', 'financing', ...VERIFY, '--date', '2024-07-01']);
    await run(['pool', 'confirm', '--district', '华容区', '--meeting', '2024-07-15', G]);
    await run(['assign', G, '--bank', '工行', '--date', '2024-07-20']);
    // `loan` refuses G's second 首贷 in its second case, naming the first case's
    const refused = await sb.run(['loan', G, '--kind', 'disbursement', '--amount', '20', '--first-loan', '--date', '2024-11-10'], { today: '2024-11-10' });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('已有首贷：2024-05-10 中国工商银行鄂州分行 放款 40.00 万元');
    // as the first release accepted it: a second flag in the second case (a record with its stamp)
    const [second] = await sb.sql<{ id: number; bank_id: number }>(`select id, lead_bank_id as bank_id from case_file where enterprise_code = '${G}' and stage = 'assigned'`);
    await sb.sql(
      `insert into loan (case_id, bank_id, kind, amount_cents, loan_on, first_loan, created_at, recorded_at) values (${second!.id}, ${second!.bank_id}, 'disbursement', 2000, '2024-11-10', 1, '2024-11-10', '2024-11-10')`,
    );
    const store = await openStore(sb.db);
    try {
      const dir = await Directory.load(store.db);
      const first = async (p: ReturnType<typeof monthPeriod>, annual = false) => {
        const f = await computeFigures(store.db, dir, p, { annual });
        const icbc = f.banks.find((b) => b.bank === '中国工商银行鄂州分行')!;
        return [f.total.first_loan_firms, icbc.first_loan_firms, f.total.loan_amount, f.total.loan_firms, icbc.loan_firms];
      };
      // May: F and G; November: G's second flag counts no 首贷 (its loan counts as a loan); the year: F and G once
      // each, and G, financed in both its cases, is one 放款户 (not two)
      expect(await first(monthPeriod(2024, 5))).toEqual([2, 2, 70, 2, 2]);
      expect(await first(monthPeriod(2024, 11))).toEqual([0, 0, 20, 1, 1]);
      expect(await first(yearPeriod(2024), true)).toEqual([2, 2, 90, 2, 2]);
    } finally {
      await store.close();
    }
  });
});
