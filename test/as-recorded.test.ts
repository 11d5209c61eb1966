/**
 * The records as recorded by a moment (src/store/as-recorded.ts), on both engines: each step below is entered
 * with the clock at its own date, so its stamp is that date; the view at a moment shows exactly what had been
 * recorded before it, whatever the query (joins on sub-queries, correlated sub-queries, unions).
 *
 * 华容区, case A: rec 01-10  decl 01-20  verified 融资 02-05  confirmed 02-20  工行 02-25
 *   coaching item added 03-01, done 03-10;  lead bank → 建行 03-15 (工行's assignment ends 03-15);
 *   放款 60.50 03-20;  closed 获得融资 04-02.
 *   A withdrawn loan (recorded 03-22, withdrawn, recorded 03-30) is put in loan_withdrawn as a corrected
 *   collection workbook leaves it.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRecorded, type RecordedBound } from '../src/store/as-recorded.js';
import { openStore, type Store } from '../src/store/db.js';
import type { DB } from '../src/store/schema.js';
import { caseAt as caseThrough, code } from './cases.js';
import { initialised, type Sandbox } from './helpers.js';

const A = code(7);
let sb: Sandbox;
let store: Store;

const at = async (today: string, args: string[]) => {
  const r = await sb.run(args, { today });
  if (r.code !== 0) throw new Error(`${args.join(' ')} (${today}) → ${r.code}: ${r.stderr}`);
  return r;
};

beforeAll(async () => {
  sb = await initialised();
  await caseThrough(sb, 'assigned', A, { dept: '经信', on: { recommended: '2024-01-10', declared: '2024-01-20', verified: '2024-02-05', confirmed: '2024-02-20', assigned: '2024-02-25' } });
  await at('2024-03-01', ['coach', 'add', A, '--item', '补办环评手续', '--org', '华容区财政局', '--due', '2024-03-31', '--date', '2024-03-01']);
  const id = (await at('2024-03-01', ['coach', 'list', '--json'])).json()[0].id;
  await at('2024-03-10', ['coach', 'done', String(id), '--date', '2024-03-10']);
  await at('2024-03-15', ['assign', A, '--bank', '建行', '--mode', 'designated', '--reason', '工行额度不足', '--date', '2024-03-15']);
  await at('2024-03-20', ['loan', A, '--kind', 'disbursement', '--amount', '60.50', '--first-loan', '--date', '2024-03-20']);
  await at('2024-04-02', ['close', A, '--outcome', 'financed', '--date', '2024-04-02']);
  // A loan of 03-21 recorded on 03-22 and withdrawn on 03-30 by a corrected workbook: kept in loan_withdrawn
  // with both stamps, as the collection import leaves it (the workbook and its return made here by hand).
  const icbc = `(select id from org where name = '中国工商银行鄂州分行')`;
  await sb.sql(`insert into collection_workbook (id, org_id, month, digest, made_at, file, actor) values (900, ${icbc}, '2024-03', 'x', '2024-03-01', 'x.xlsx', 'tester')`);
  await sb.sql(
    `insert into collection_return (id, org_id, month, workbook_id, file, sha256, received_on, rows, actor, created_at, recorded_at)
     values (900, ${icbc}, '2024-03', 900, 'x.xlsx', 'x', '2024-03-30', 0, 'tester', '2024-03-30', '2024-03-30 09:00:00.000')`,
  );
  await sb.sql(
    `insert into loan_withdrawn (id, case_id, bank_id, kind, amount_cents, loan_on, first_loan, created_at, withdrawn_on, withdrawn_by, withdrawn_at, recorded_at, withdrawn_recorded_at)
     select 900, l.case_id, l.bank_id, 'disbursement', 1000, '2024-03-21', 0, l.created_at, '2024-03-30', 900, l.created_at, '2024-03-22 09:00:00.000', '2024-03-30 09:00:00.000'
       from loan l`,
  );
  store = await openStore(sb.db);
}, 300_000);
afterAll(async () => {
  await store?.close();
  sb.cleanup();
});

const seen = <T>(bound: RecordedBound, fn: (db: Kysely<DB>) => Promise<T>) => store.read((db) => fn(asRecorded(db, bound)));
const caseAt = (bound: RecordedBound) =>
  seen(bound, async (db) => {
    const c = await db.selectFrom('case_file').select(['stage', 'class', 'declared_on', 'verified_on', 'confirmed_on', 'assigned_on', 'lead_bank_id', 'closed_on', 'outcome']).executeTakeFirst();
    return c && { ...c, lead_bank_id: c.lead_bank_id === null ? null : Number(c.lead_bank_id) };
  });
const assignmentsAt = (bound: RecordedBound) =>
  seen(bound, (db) =>
    db
      .selectFrom('bank_assignment')
      .innerJoin('org', 'org.id', 'bank_assignment.bank_id')
      .select(['org.name', 'bank_assignment.assigned_on', 'bank_assignment.ended_on'])
      .orderBy('bank_assignment.id')
      .execute(),
  );

describe('the records as recorded by a moment', () => {
  it('a case shows the steps recorded by then, and the stage they give', async () => {
    expect(await caseAt({ before: '2024-01-10' })).toBeUndefined();
    expect(await caseAt({ before: '2024-01-21' })).toMatchObject({ stage: 'declared', declared_on: '2024-01-20', verified_on: null, confirmed_on: null });
    expect(await caseAt({ before: '2024-02-05' })).toMatchObject({ stage: 'declared', class: null, verified_on: null });
    expect(await caseAt({ before: '2024-02-21' })).toMatchObject({ stage: 'confirmed', class: 'financing', verified_on: '2024-02-05', confirmed_on: '2024-02-20', assigned_on: null, lead_bank_id: null });
    const icbc = Number((await sb.sql<{ id: number }>("select id from org where name = '中国工商银行鄂州分行'"))[0]!.id);
    const ccb = Number((await sb.sql<{ id: number }>("select id from org where name = '中国建设银行鄂州分行'"))[0]!.id);
    expect(await caseAt({ before: '2024-03-01' })).toMatchObject({ stage: 'assigned', assigned_on: '2024-02-25', lead_bank_id: icbc });
    expect(await caseAt({ before: '2024-04-02' })).toMatchObject({ stage: 'assigned', assigned_on: '2024-02-25', lead_bank_id: ccb, closed_on: null, outcome: null });
    expect(await caseAt({ before: '2024-04-03' })).toMatchObject({ stage: 'closed', closed_on: '2024-04-02', outcome: 'financed' });
  });

  it('a stamp bounds exactly: through the closing write it is there, through the write before it is not', async () => {
    const [c] = await sb.sql<{ closed_recorded_at: string; assigned_recorded_at: string }>('select closed_recorded_at, assigned_recorded_at from case_file');
    expect(c!.closed_recorded_at.slice(0, 10)).toBe('2024-04-02');
    expect((await caseAt({ through: c!.closed_recorded_at }))!.stage).toBe('closed');
    expect((await caseAt({ before: c!.closed_recorded_at }))!.stage).toBe('assigned');
  });

  it('a lead bank ended later is still leading; its replacement is not there yet', async () => {
    expect(await assignmentsAt({ before: '2024-02-25' })).toEqual([]);
    expect(await assignmentsAt({ before: '2024-03-15' })).toEqual([{ name: '中国工商银行鄂州分行', assigned_on: '2024-02-25', ended_on: null }]);
    expect(await assignmentsAt({ before: '2024-03-16' })).toEqual([
      { name: '中国工商银行鄂州分行', assigned_on: '2024-02-25', ended_on: '2024-03-15' },
      { name: '中国建设银行鄂州分行', assigned_on: '2024-03-15', ended_on: null },
    ]);
  });

  it('a coaching item closed later is open, its closing not there', async () => {
    const item = (bound: RecordedBound) => seen(bound, (db) => db.selectFrom('coaching_item').select(['status', 'closed_on']).execute());
    expect(await item({ before: '2024-03-01' })).toEqual([]);
    expect(await item({ before: '2024-03-10' })).toEqual([{ status: 'open', closed_on: null }]);
    expect(await item({ before: '2024-03-11' })).toEqual([{ status: 'done', closed_on: '2024-03-10' }]);
  });

  it('a loan withdrawn later is still a loan; once the withdrawal is recorded it is withdrawn', async () => {
    const loans = (bound: RecordedBound) =>
      seen(bound, async (db) => ({
        loan: (await db.selectFrom('loan').select(['loan_on', 'amount_cents']).orderBy('loan_on').execute()).map((l) => `${l.loan_on} ${Number(l.amount_cents)}`),
        withdrawn: (await db.selectFrom('loan_withdrawn').select('loan_on').execute()).map((l) => l.loan_on),
      }));
    expect(await loans({ before: '2024-03-20' })).toEqual({ loan: [], withdrawn: [] });
    expect(await loans({ before: '2024-03-23' })).toEqual({ loan: ['2024-03-20 6050', '2024-03-21 1000'], withdrawn: [] });
    expect(await loans({ before: '2024-03-31' })).toEqual({ loan: ['2024-03-20 6050'], withdrawn: ['2024-03-21'] });
  });

  it('joins on sub-queries, correlated sub-queries and unions all read the view', async () => {
    const n = (bound: RecordedBound) =>
      seen(bound, async (db) => {
        const lead = db.selectFrom('bank_assignment').select(['case_id', 'bank_id']).where('ended_on', 'is', null).as('lead');
        const joined = await db.selectFrom('case_file').innerJoin(lead, 'lead.case_id', 'case_file.id').select('lead.bank_id').execute();
        const exists = await db
          .selectFrom('case_file')
          .select('id')
          .where((eb) => eb.exists(eb.selectFrom('loan').select('loan.id').whereRef('loan.case_id', '=', 'case_file.id')))
          .execute();
        const union = await db.selectFrom('loan').select(sql<string>`'loan'`.as('what')).unionAll(db.selectFrom('coaching_item').select(sql<string>`'item'`.as('what'))).execute();
        return [joined.length, exists.length, union.length];
      });
    expect(await n({ before: '2024-02-26' })).toEqual([1, 0, 0]);
    expect(await n({ before: '2024-03-11' })).toEqual([1, 0, 1]);
    expect(await n({ before: '2024-03-21' })).toEqual([1, 1, 2]);
  });

  it('writes are not what it is for: the tables themselves are unchanged by reading', async () => {
    const before = await sb.fingerprint();
    await caseAt({ before: '2024-02-21' });
    expect(await sb.fingerprint()).toBe(before);
  });
});
