/**
 * A loan needs the firm to be 融资类 on the loan's date, not today: a 培植类 firm reclassified later has no
 * financing before its reclassification, by command or by a returned collection workbook; and the class
 * history stays in date order, so that no recorded loan falls on a 培植类 day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { caseAt, code, enteredOn, show } from './cases.js';
import { fill, loans, make, S, scenario } from './collect-helpers.js';
import { initialised, ok, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** Each entered on its day (the clock at the event's date). */
const loan = (c: string, kind: string, date: string) => sb.run(['loan', c, '--kind', kind, '--amount', '100', '--date', date], enteredOn(date));
const reclassify = (c: string, to: string, date: string) => sb.run(['reclassify', c, '--to', to, '--reason', '辅导事项已办结', '--date', date], enteredOn(date));

describe('loan: the class on the loan’s date', () => {
  it('refuses a loan dated while the firm was 培植类, saying since when it is 融资类; accepts one from that day', async () => {
    sb = await initialised();
    await caseAt(sb, 'assigned', code(1), { class: 'cultivation' }); // lead bank since 2024-04-20
    await ok(sb, ['reclassify', code(1), '--to', 'financing', '--reason', '辅导事项已办结', '--date', '2024-05-15'], enteredOn('2024-05-15'));
    const before = await sb.fingerprint();
    for (const [kind, word] of [['credit', '授信'], ['disbursement', '放款']]) {
      const r = await loan(code(1), kind!, '2024-05-14');
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toContain(`在 2024-05-14 是培植类企业（2024-05-15 起调整为融资类），不能登记该日的${word}`);
    }
    expect(await sb.fingerprint()).toBe(before);
    expect((await loan(code(1), 'credit', '2024-05-15')).code).toBe(0);
    expect((await loan(code(1), 'disbursement', '2024-06-01')).code).toBe(0);
    expect((await show(sb, code(1))).loans.map((l: { date: string }) => l.date)).toEqual(['2024-05-15', '2024-06-01']);
  });

  it('a firm 培植类 today still says to reclassify it first', async () => {
    sb = await initialised();
    await caseAt(sb, 'assigned', code(1), { class: 'cultivation' });
    const r = await loan(code(1), 'credit', '2024-05-01');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('是培植类企业，需先辅导并调整为融资类');
  });

  it('a reclassification is dated from the previous one on, and to 培植类 only after the last loan', async () => {
    sb = await initialised();
    await caseAt(sb, 'assigned', code(1), { class: 'cultivation' });
    await ok(sb, ['reclassify', code(1), '--to', 'financing', '--reason', '辅导事项已办结', '--date', '2024-05-15'], enteredOn('2024-05-15'));
    await ok(sb, ['loan', code(1), '--kind', 'credit', '--amount', '100', '--date', '2024-05-20'], enteredOn('2024-05-20'));
    const early = await reclassify(code(1), 'cultivation', '2024-05-10');
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('早于上次调整分类的日期（2024-05-15）');
    const overLoan = await reclassify(code(1), 'cultivation', '2024-05-20');
    expect(overLoan.code).toBe(3);
    expect(overLoan.stderr).toContain('不晚于');
    expect(overLoan.stderr).toContain('最近一笔授信或放款的日期（2024-05-20）');
    expect((await reclassify(code(1), 'cultivation', '2024-05-21')).code).toBe(0);
    // financing between the two reclassifications only
    expect((await loan(code(1), 'disbursement', '2024-05-18')).code).toBe(0);
    const after = await loan(code(1), 'disbursement', '2024-05-22');
    expect(after.code).toBe(4);
    expect(after.stderr).toContain('是培植类企业，需先辅导并调整为融资类');
  });
});

describe('collect import: the class on each 授信放款 row’s date', () => {
  it('refuses a row dated before the firm became 融资类 (exit 3, nothing written), accepts one after', async () => {
    sb = await scenario(); // D: 培植类, lead bank 工行 since 2024-04-20
    await ok(sb, ['reclassify', S.CODES.D, '--to', 'financing', '--reason', '辅导事项已办结', '--date', '2024-05-15'], enteredOn('2024-05-15'));
    const books = await make(sb, S.MONTH, ['--unit', S.ICBC]);
    const bad = await fill(sb, books[S.ICBC]!, (wb) =>
      loans(wb, [
        [S.CODES.D, '授信', 200, '2024-05-10'],
        [S.CODES.D, '放款', 100, '2024-05-20'],
      ]),
    );
    const before = await sb.fingerprint();
    const r = await sb.run(['collect', 'import', bad, '--json'], { today: S.RECEIVED });
    expect(r.code).toBe(3);
    const details = JSON.parse(r.stderr).error.details;
    expect(details).toEqual([
      expect.objectContaining({ sheet: '授信放款', row: 4, column: '日期', reason: expect.stringContaining('在 2024-05-10 是培植类企业（2024-05-15 起调整为融资类），不能登记该日的授信') }),
    ]);
    expect(await sb.fingerprint()).toBe(before);
    const good = await fill(sb, books[S.ICBC]!, (wb) => loans(wb, [[S.CODES.D, '放款', 100, '2024-05-20']]));
    const r2 = await sb.run(['collect', 'import', good, '--json'], { today: S.RECEIVED });
    expect(r2.code, r2.stderr).toBe(0);
    expect((await show(sb, S.CODES.D)).loans).toEqual([expect.objectContaining({ kind: 'disbursement', amount: '100.00', date: '2024-05-20' })]);
  });
});
