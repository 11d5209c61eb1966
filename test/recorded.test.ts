/**
 * Recorded stamps: every event a user dates is stamped by the write that sets it, from the clock (XYPZ_TODAY,
 * the test clock), with the write's one stamp; a change of an event stamps it again; a row brought with its
 * stamps keeps them; a write from another tool is stamped from the database's own clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from './engines.js';
import { ok, sandbox, type Sandbox } from './helpers.js';
import { caseAt, code, declare, recommend, VERIFY } from './cases.js';
import { STAMPED } from '../src/store/recording.js';

const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;
const on = (today: string) => ({ today });

let sb: Sandbox;
const row = async (table: string, where = '1 = 1', params: unknown[] = []) => (await sb.sql<Record<string, string | null>>(`select * from ${table} where ${where} order by 1`, params))[0]!;
const caseOf = (c: string) => row('case_file', 'enterprise_code = ?', [c]);
/** The stamp's date: the clock's today when the write was made. */
const dayOf = (stamp: string | null | undefined) => {
  expect(stamp).toMatch(STAMP);
  return stamp!.slice(0, 10);
};

beforeAll(async () => {
  sb = sandbox();
  await ok(sb, ['init', '--admin', 'tester', '--name', '测试员'], on('2024-06-01'));
}, 120_000);
afterAll(() => sb.cleanup());

describe('recorded stamps', () => {
  it('init records the programme start (default 2023-12-28) and the first capacities as always there', async () => {
    expect(await sb.sql('select id, start_on from programme')).toEqual([{ id: 1, start_on: '2023-12-28' }]);
    const caps = await sb.sql<{ effective_on: string; recorded_at: string }>('select effective_on, recorded_at from capacity_change');
    expect(caps.length).toBeGreaterThan(0);
    for (const c of caps) expect(c).toEqual({ effective_on: '1900-01-01', recorded_at: '1900-01-01' });
    expect(await sb.sql('select * from recording')).toEqual([]);
  });

  it('each step is stamped by its own write, with the clock’s date, whatever date the event carries', async () => {
    const c = code(101);
    // Typed two days after the recommendation's date.
    await recommend(sb, c, { date: '2024-06-01', run: on('2024-06-03') });
    let k = await caseOf(c);
    expect(dayOf(k.recommended_recorded_at)).toBe('2024-06-03');
    for (const col of ['declared', 'verified', 'confirmed', 'assigned', 'closed']) expect(k[`${col}_recorded_at`], col).toBeNull();

    await declare(sb, c, { date: '2024-06-03', run: on('2024-06-04') });
    k = await caseOf(c);
    expect(dayOf(k.declared_recorded_at)).toBe('2024-06-04');
    const decl = await row('declaration', 'case_id = ?', [k.id]);
    expect(decl.recorded_at).toBe(k.declared_recorded_at); // one write, one stamp

    await ok(sb, ['verify', c, '--class', 'financing', ...VERIFY, '--date', '2024-06-04'], on('2024-06-05'));
    k = await caseOf(c);
    expect(dayOf(k.verified_recorded_at)).toBe('2024-06-05');
    expect((await row('verification', 'case_id = ?', [k.id])).recorded_at).toBe(k.verified_recorded_at);
    // earlier stamps stay as they were
    expect(dayOf(k.recommended_recorded_at)).toBe('2024-06-03');
    expect(dayOf(k.declared_recorded_at)).toBe('2024-06-04');
  });

  it('one write stamps all it records with one stamp (a meeting confirming two cases, the lead banks after)', async () => {
    const [a, b] = [code(201), code(202)];
    await caseAt(sb, 'verified', [a, b], { on: { recommended: '2024-06-01', declared: '2024-06-02', verified: '2024-06-03' } });
    await ok(sb, ['pool', 'confirm', '--district', '华容区', '--meeting', '2024-06-06', a, b], on('2024-06-07'));
    const [ka, kb] = [await caseOf(a), await caseOf(b)];
    expect(dayOf(ka.confirmed_recorded_at)).toBe('2024-06-07');
    expect(kb.confirmed_recorded_at).toBe(ka.confirmed_recorded_at);

    await ok(sb, ['assign', a, '--bank', '工行', '--date', '2024-06-08'], on('2024-06-08'));
    const k = await caseOf(a);
    expect(dayOf(k.assigned_recorded_at)).toBe('2024-06-08');
    const bank = await row('bank_assignment', 'case_id = ?', [k.id]);
    expect(bank.recorded_at).toBe(k.assigned_recorded_at);
    expect(bank.ended_recorded_at).toBeNull();
    expect(k.confirmed_recorded_at).toBe(ka.confirmed_recorded_at);
  });

  it('a change of an event stamps it: the lead bank’s ending, a coaching item’s closing, a case’s closing', async () => {
    const a = code(201);
    const k = await caseOf(a);
    await ok(sb, ['assign', a, '--bank', '农商行', '--date', '2024-06-09', '--reason', '原主办行额度紧张'], on('2024-06-10'));
    const banks = await sb.sql<Record<string, string | null>>('select * from bank_assignment where case_id = ? order by id', [k.id]);
    expect(banks).toHaveLength(2);
    expect(dayOf(banks[0]!.ended_recorded_at)).toBe('2024-06-10');
    expect(banks[1]!.recorded_at).toBe(banks[0]!.ended_recorded_at);
    expect(dayOf(banks[0]!.recorded_at)).toBe('2024-06-08'); // the row's own stamp stays

    const added = (await ok(sb, ['coach', 'add', a, '--item', '补办环评手续', '--org', '华容区生态环境局', '--date', '2024-06-10', '--json'], on('2024-06-11'))).json();
    let item = await row('coaching_item', 'id = ?', [added.id]);
    expect(dayOf(item.recorded_at)).toBe('2024-06-11');
    expect(item.closed_recorded_at).toBeNull();
    await ok(sb, ['coach', 'done', String(added.id), '--date', '2024-06-11'], on('2024-06-12'));
    item = await row('coaching_item', 'id = ?', [added.id]);
    expect(dayOf(item.closed_recorded_at)).toBe('2024-06-12');
    expect(dayOf(item.recorded_at)).toBe('2024-06-11');

    await ok(sb, ['loan', a, '--kind', 'disbursement', '--amount', '100', '--date', '2024-06-12'], on('2024-06-13'));
    const loan = await row('loan', 'case_id = ?', [k.id]);
    expect(dayOf(loan.recorded_at)).toBe('2024-06-13');

    await ok(sb, ['close', a, '--outcome', 'financed', '--date', '2024-06-13'], on('2024-06-14'));
    const closed = await caseOf(a);
    expect(dayOf(closed.closed_recorded_at)).toBe('2024-06-14');
    expect(closed.assigned_recorded_at).not.toBe(closed.closed_recorded_at);
    expect(await sb.sql('select * from recording')).toEqual([]);
  });

  it('the other entries: a list filed, a capacity changed, a feedback, a class changed, a rating', async () => {
    const a = code(201);
    await ok(sb, ['pool', 'filing', '--district', '华容区', '--out', sb.path('报备表.xlsx'), '--filed-on', '2024-06-14'], on('2024-06-14'));
    expect(dayOf((await row('pool_filing', "region_code = '420703'")).recorded_at)).toBe('2024-06-14');
    await ok(sb, ['pool', 'capacity', '12', '--district', '华容区', '--date', '2024-06-14'], on('2024-06-14'));
    expect(dayOf((await row('capacity_change', "region_code = '420703' and effective_on = '2024-06-14'")).recorded_at)).toBe('2024-06-14');
    await ok(sb, ['feedback', 'add', '--from', '华容区', '--month', '2024-05', '--text', '五月工作情况'], on('2024-06-08'));
    const fb = await row('feedback', "month = '2024-05'");
    expect([fb.submitted_on, dayOf(fb.recorded_at)]).toEqual(['2024-06-08', '2024-06-08']);
    await ok(sb, ['satisfaction', a, '--rating', '满意', '--date', '2024-06-15'], on('2024-06-15'));
    const k = await caseOf(a);
    expect(dayOf((await row('satisfaction', 'case_id = ?', [k.id])).recorded_at)).toBe('2024-06-15');
    const b = code(202);
    await ok(sb, ['reclassify', b, '--to', 'cultivation', '--reason', '财务制度需先规范', '--date', '2024-06-15'], on('2024-06-15'));
    const kb = await caseOf(b);
    expect(dayOf((await row('reclassification', 'case_id = ?', [kb.id])).recorded_at)).toBe('2024-06-15');
  });

  it('a row written by another tool is stamped from the database’s clock; a row brought with its stamp keeps it', async () => {
    const [k] = await sb.sql<{ id: number }>('select id from case_file order by id limit 1');
    const raw = async (stamp: string | null) => {
      await sb.sql(
        `insert into reclassification (case_id, from_class, to_class, changed_on, reason, created_at${stamp ? ', recorded_at' : ''}) values (?, 'financing', 'cultivation', '2024-06-14', '直接写入', '2024-06-14T10:00:00.000+08:00'${stamp ? ', ?' : ''})`,
        stamp ? [k!.id, stamp] : [k!.id],
      );
      return (await sb.sql<{ recorded_at: string }>('select recorded_at from reclassification order by id desc limit 1'))[0]!.recorded_at;
    };
    const stamped = await raw(null);
    expect(stamped).toMatch(STAMP);
    // the database's own clock (UTC on a file; on a server its today, in the programme's time zone), not the
    // test clock: no XYPZ_TODAY reaches it
    const days = [-1, 0, 1].map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10));
    expect(days).toContain(stamped.slice(0, 10));
    expect(await raw('2024-06-14 08:00:00.000')).toBe('2024-06-14 08:00:00.000');
  });

  it(`${ENGINE}: an update that leaves the event as it was leaves its stamp`, async () => {
    const [k] = await sb.sql<{ id: number; recommended_recorded_at: string }>('select id, recommended_recorded_at from case_file order by id limit 1');
    await sb.sql("update case_file set recommended_on = recommended_on, updated_at = '2024-06-15T00:00:00.000+08:00' where id = ?", [k!.id]);
    expect((await caseOf((await row('case_file', 'id = ?', [k!.id])).enterprise_code!)).recommended_recorded_at).toBe(k!.recommended_recorded_at);
  });
});

describe('recordCorrection', () => {
  it('records a correction with the stamp of the write it is made in, the same as that write’s records', async () => {
    const { openStore } = await import('../src/store/db.js');
    const { recordCorrection, correctionsFrom } = await import('../src/store/corrections.js');
    const { recordedStamp } = await import('../src/store/recording.js');
    const store = await openStore(sb.db, { env: { XYPZ_TODAY: '2024-06-20' } });
    try {
      const [k] = await sb.sql<{ id: number }>('select id from case_file order by id limit 1');
      const { id, stamp } = await store.write(async (tx) => {
        await tx.insertInto('satisfaction').values({ case_id: k!.id, rating: 'satisfied', rated_on: '2024-05-20', created_at: '2024-06-20T10:00:00.000+08:00' }).execute();
        const id = await recordCorrection(tx, { reason: '纸质评价表漏录', what: '补录 2024-05-20 的满意度评价', actor: 'tester', orgId: 1, command: 'rating', batchId: null });
        return { id, stamp: await recordedStamp(tx) };
      });
      expect(dayOf(stamp)).toBe('2024-06-20');
      const rating = (await sb.sql<{ recorded_at: string }>('select recorded_at from satisfaction order by id desc limit 1'))[0]!;
      expect(rating.recorded_at).toBe(stamp);
      const all = await store.read((tx) => correctionsFrom(tx, '2024-06-20'));
      expect(all.map((c) => [c.id, c.reason, c.what, c.actor, c.org_id, c.command, c.batch_id, c.recorded_at])).toEqual([
        [id, '纸质评价表漏录', '补录 2024-05-20 的满意度评价', 'tester', 1, 'rating', null, stamp],
      ]);
      expect(await store.read((tx) => correctionsFrom(tx, '2024-06-21'))).toEqual([]);
      // a write given its own date: the demo's clock
      const other = await store.write((tx) => recordedStamp(tx), { today: '2024-06-02' });
      expect(dayOf(other)).toBe('2024-06-02');
    } finally {
      await store.close();
    }
  });
});

describe('backup and restore', () => {
  it('keep every stamp exactly, and the restored database stamps new writes as before', async () => {
    const all = async () => {
      const out: Record<string, unknown[]> = {};
      for (const [table, pairs] of Object.entries(STAMPED)) out[table] = await sb.sql(`select ${pairs.map(([, s]) => s).join(', ')} from ${table} order by 1`);
      out.correction = await sb.sql('select * from correction order by id');
      out.programme = await sb.sql('select * from programme');
      return out;
    };
    const before = await all();
    expect(before.case_file!.length).toBeGreaterThan(2);
    const file = sb.path('backup.db');
    await ok(sb, ['db', 'backup', file], on('2024-06-20'));
    await recommend(sb, code(301), { date: '2024-06-20', run: on('2024-06-20') });
    expect(await all()).not.toEqual(before);
    await ok(sb, ['db', 'restore', file, '--yes'], on('2024-06-21'));
    expect(await all()).toEqual(before);
    await recommend(sb, code(302), { date: '2024-06-21', run: on('2024-06-21') });
    expect(dayOf((await caseOf(code(302))).recommended_recorded_at)).toBe('2024-06-21');
  });
});

describe('a withdrawn loan', () => {
  it('keeps the stamp the loan was recorded with; its withdrawal gets the stamp of the write that withdraws it', async () => {
    const { openStore } = await import('../src/store/db.js');
    const { withdrawLoans, loansFromReturns } = await import('../src/store/collection.js');
    const store = await openStore(sb.db);
    try {
      const [loan] = await sb.sql<{ id: number; recorded_at: string }>('select id, recorded_at from loan order by id limit 1');
      expect(dayOf(loan!.recorded_at)).toBe('2024-06-13');
      const rows = await store.read((tx) => tx.selectFrom('loan').selectAll().where('id', '=', loan!.id).execute());
      expect(await store.read((tx) => loansFromReturns(tx, []))).toEqual([]);
      // as a corrected workbook withdraws it
      await store.write(async (tx) => {
        await tx.insertInto('collection_workbook').values({ org_id: 1, month: '2024-06', digest: 'x', made_at: '2024-06-01', file: 'x.xlsx', actor: 'tester' }).execute();
        const wb = (await tx.selectFrom('collection_workbook').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
        const ret = await tx
          .insertInto('collection_return')
          .values({ org_id: 1, month: '2024-06', workbook_id: wb, batch_id: null, file: 'x.xlsx', sha256: 'x', received_on: '2024-06-22', rows: 0, actor: 'tester', created_at: '2024-06-22' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await withdrawLoans(tx, rows, { returnId: ret.id, on: '2024-06-22', at: '2024-06-22T10:00:00.000+08:00' });
      }, { today: '2024-06-22' });
      const [w] = await sb.sql<{ recorded_at: string; withdrawn_recorded_at: string }>('select recorded_at, withdrawn_recorded_at from loan_withdrawn where id = ?', [loan!.id]);
      expect(w!.recorded_at).toBe(loan!.recorded_at);
      expect(dayOf(w!.withdrawn_recorded_at)).toBe('2024-06-22');
    } finally {
      await store.close();
    }
  });
});

describe('init --start', () => {
  it('records the programme start given; refuses one after today (exit 3) and one for a database that exists (exit 2)', async () => {
    const other = sandbox();
    try {
      const late = await other.run(['init', '--admin', 'tester', '--name', '测试员', '--start', '2024-07-01'], on('2024-06-01'));
      expect([late.code, late.stderr]).toEqual([3, expect.stringContaining('--start：项目开始日期 2024-07-01 晚于今天（2024-06-01）')]);
      expect(await other.exists()).toBe(false);
      await ok(other, ['init', '--admin', 'tester', '--name', '测试员', '--start', '2024/1/2'], on('2024-06-01'));
      expect(await other.sql('select id, start_on from programme')).toEqual([{ id: 1, start_on: '2024-01-02' }]);
      const again = await other.run(['init', '--start', '2024-02-01'], on('2024-06-02'));
      expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('项目开始日期为 2024-01-02，未做任何改动')]);
      expect(await other.sql('select start_on from programme')).toEqual([{ start_on: '2024-01-02' }]);
    } finally {
      other.cleanup();
    }
  });
});

describe('a collection workbook', () => {
  it('stamps its return, its loans, the closings it reports and its feedback with the one stamp of its import', async () => {
    const { scenario, make, fill, loans, progress, feedback, S } = await import('./collect-helpers.js');
    const col = await scenario();
    try {
      const books = await make(col, S.MONTH, [], on(S.RECEIVED));
      const file = await fill(col, books[S.ICBC]!, (wb) => {
        loans(wb, [[S.CODES.A, '授信', 500, '2024-05-10', 3.95, 12, '信用', '否']]);
        progress(wb, 2, '办结', '2024-05-28');
        feedback(wb, '本月走访主办企业。');
      });
      await ok(col, ['collect', 'import', file], on(S.RECEIVED));
      const [ret] = await col.sql<{ id: number; recorded_at: string }>('select id, recorded_at from collection_return');
      expect(dayOf(ret!.recorded_at)).toBe(S.RECEIVED);
      const stamped = async (q: string) => (await col.sql<{ s: string }>(q)).map((r) => r.s);
      expect(await stamped(`select recorded_at as s from loan where collection_id = ${ret!.id}`)).toEqual([ret!.recorded_at]);
      expect(await stamped(`select closed_recorded_at as s from coaching_item where closed_collection_id = ${ret!.id}`)).toEqual([ret!.recorded_at]);
      expect(await stamped(`select recorded_at as s from feedback where month = '${S.MONTH}' and from_kind = 'bank'`)).toEqual([ret!.recorded_at]);
    } finally {
      col.cleanup();
    }
  });
});

