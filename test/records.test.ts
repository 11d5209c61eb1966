/**
 * Record definitions (docs/records.md): a record's identity comes from its definition alone. Unit checks of
 * the loan's key, stored row and sheet columns, then collection workbooks re-imported with one cell changed at
 * a time, for every column of the 授信放款 sheet the definition has: a row differing in an identity field is
 * another loan (the earlier one withdrawn, this one added); the same row in a new return is kept. A coaching item's
 * row changes the item in place, field by field of what the unit fills in, by the item's definition. A survey
 * return's rating, and a feedback submission, is the same when its identity fields agree, by its definition.
 */
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { COLUMNS } from '../src/domain/collection/index.js';
import type { InSheetOf } from '../src/domain/core/index.js';
import { COACHING_ITEM, LOAN, loanRow, type LoanRecord } from '../src/domain/service/index.js';
import { RATING } from '../src/domain/service/satisfaction.js';
import { FEEDBACK } from '../src/domain/collection/feedback.js';
import { RETURN, returnAudit, type ReturnRecord } from '../src/domain/collection/return.js';
import { ACCOUNT, USER_COLUMNS } from '../src/domain/accounts/users.js';
import { CASE, type CaseRecord } from '../src/domain/intake/index.js';
import { ENTERPRISE, RECOMMEND_COLUMNS } from '../src/domain/intake/records.js';
import { feedback, fill, loans, make, ok, progress, S, scenario, type Loan } from './collect-helpers.js';
import { caseAt, code, HR, nameOf, show } from './cases.js';
import { addAccounts, as, initialised, type Sandbox } from './helpers.js';
import { writeXlsx } from './sheets.js';

const base: LoanRecord = { caseId: 7, bankId: 3, kind: 'disbursement', amountCents: 8000, date: '2024-05-20', rateBp: 420, term: 6, guarantee: '保证', firstLoan: false, note: '续贷', collectionId: 11 };
/** Another value for every field. */
const other: LoanRecord = { caseId: 8, bankId: 4, kind: 'credit', amountCents: 8100, date: '2024-05-21', rateBp: 430, term: 7, guarantee: '信用', firstLoan: true, note: '补充', collectionId: 12 };

describe('the loan definition', () => {
  it('its key changes with each identity field and with no other field', () => {
    expect(LOAN.identity.length).toBeGreaterThan(0);
    for (const name of LOAN.names) {
      const changed = { ...base, [name]: other[name] };
      if ((LOAN.identity as string[]).includes(name)) expect(LOAN.key(changed), name).not.toBe(LOAN.key(base));
      else expect(LOAN.key(changed), name).toBe(LOAN.key(base));
    }
    // A stored row has the same identity as the record it was written from.
    expect(LOAN.key(LOAN.fromRow(loanRow(base, '2024-06-01 10:00:00')))).toBe(LOAN.key(base));
  });

  it('its stored row round-trips and holds its columns; the 授信放款 sheet has its columns after the firm', () => {
    const row = loanRow(base, '2024-06-01 10:00:00');
    expect(row).toMatchObject({ case_id: 7, bank_id: 3, amount_cents: 8000, loan_on: '2024-05-20', rate_bp: 420, term_months: 6, first_loan: 0, collection_id: 11, note: '续贷' });
    expect(LOAN.fromRow(row)).toEqual(base);
    expect(COLUMNS.loans.map((c) => c.key)).toEqual(['code', 'name', ...LOAN.sheet.map((s) => s.column.key)]);
  });
});

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** Each column of the loan in the sheet: its cell in the base row and a different one. */
const CELLS = {
  kind: ['放款', '授信'],
  amountCents: [80, 81],
  date: ['2024-05-20', '2024-05-21'],
  rateBp: [4.2, 4.3],
  term: [6, 7],
  guarantee: ['保证', '信用'],
  firstLoan: ['否', '是'],
  note: ['续贷', '补充'],
} satisfies Record<InSheetOf<typeof LOAN.fields>, [string | number, string | number]>;

describe('re-importing a corrected collection workbook', () => {
  it('keeps a loan whose row is unchanged and replaces one that differs in any identity field, by the definition', async () => {
    sb = await scenario();
    const books = await make(sb, S.MONTH, ['--unit', S.ICBC]);
    const row = (change?: keyof typeof CELLS): Loan => {
      const cell = (name: keyof typeof CELLS) => CELLS[name][name === change ? 1 : 0]!;
      // A 授信 cannot be a 首贷: the base row is a disbursement, and the kind's change leaves 首贷 否.
      return [S.CODES.B, cell('kind') as string, cell('amountCents'), cell('date'), cell('rateBp'), cell('term') as number, cell('guarantee') as string, cell('firstLoan') as string, cell('note') as string];
    };
    /** B's loans as `enterprise show` lists them, with everything the sheet gave. */
    const loansOfB = async () => (await show(sb, S.CODES.B)).loans.map((l: Record<string, unknown>) => JSON.stringify(l)) as string[];
    let n = 0;
    // Each file differs in its feedback (a new return each time); the feedback is not a loan and withdraws nothing.
    const importRow = async (loan: Loan): Promise<{ withdrawn: number; unchanged: number }> => {
      const file = await fill(sb, books[S.ICBC]!, (wb: ExcelJS.Workbook) => {
        loans(wb, [loan]);
        feedback(wb, `第 ${++n} 份`);
      });
      const r = await sb.run(['collect', 'import', file, '--json'], { today: '2024-06-05' });
      expect(r.code, r.stderr).toBe(0);
      return r.json();
    };
    const before = await loansOfB();
    // The workbook's other rows (its coaching item, left as it was) count as unchanged: u0 of them.
    const first = await importRow(row());
    expect(first).toMatchObject({ withdrawn: 0 });
    const u0 = first.unchanged;
    const withBase = await loansOfB();
    expect(withBase).toHaveLength(before.length + 1);
    // The same loan again, in a corrected workbook (another return: only fields outside the identity differ): kept.
    expect(await importRow(row())).toMatchObject({ withdrawn: 0, unchanged: u0 + 1 });
    expect(await loansOfB()).toEqual(withBase);
    const columns = Object.keys(CELLS) as (keyof typeof CELLS)[];
    expect([...columns].sort()).toEqual(LOAN.sheet.map((s) => s.name).sort());
    // Every column of the sheet is identity (a reported loan is never edited in place: service/loans.ts).
    expect(LOAN.identity).toEqual(expect.arrayContaining(columns));
    for (const name of columns) {
      // One cell changed: another loan (the earlier one withdrawn, this one added).
      expect(await importRow(row(name)), name).toMatchObject({ withdrawn: 1, unchanged: u0 });
      const now = await loansOfB();
      expect(now, name).toHaveLength(withBase.length);
      // Back to the base row for the next column.
      expect(await importRow(row()), name).toMatchObject({ withdrawn: 1, unchanged: u0 });
      expect(await loansOfB(), name).toEqual(withBase);
    }
  });
});

describe('the coaching item definition', () => {
  const item = { id: 2, caseId: 4, item: '补齐财务报表', orgId: 5, category: null, due: '2024-05-31', status: 'done' as const, addedOn: '2024-05-02', closedOn: '2024-05-28', note: '已办', closedCollectionId: 3 };
  const otherItem = { id: 3, caseId: 5, item: '另一事项', orgId: 6, category: '财务', due: null, status: 'failed' as const, addedOn: '2024-05-03', closedOn: '2024-05-29', note: '未能办成', closedCollectionId: 4 };

  it('its identity is the number; a row differs from the item only in the fields the unit fills in', () => {
    expect(COACHING_ITEM.identity).toEqual(['id']);
    expect(COACHING_ITEM.filled.length).toBeGreaterThan(0);
    for (const name of COACHING_ITEM.names) {
      const changed = { ...item, [name]: otherItem[name] };
      expect(COACHING_ITEM.key(changed) === COACHING_ITEM.key(item), name).toBe(!(COACHING_ITEM.identity as string[]).includes(name));
      expect(COACHING_ITEM.sameFilled(changed, item), name).toBe(!(COACHING_ITEM.filled as string[]).includes(name));
    }
  });

  it('a corrected workbook changes its item in place, for each field the unit fills in', async () => {
    sb = await scenario();
    const books = await make(sb, S.MONTH, ['--unit', S.ICBC]);
    /** The row of item #2: 办理情况, 办结日期, 说明. */
    const BASE = { status: '办结', closedOn: '2024-05-28', note: '已补齐' };
    const OTHER = { status: '未办成', closedOn: '2024-05-29', note: '企业未提供' };
    const STORED = { status: { 办结: 'done', 未办成: 'failed' }, closedOn: { '2024-05-28': '2024-05-28', '2024-05-29': '2024-05-29' }, note: { 已补齐: '已补齐', 企业未提供: '企业未提供' } } as const;
    const COLUMN = { status: 'status', closedOn: 'closed_on', note: 'note' } satisfies Record<(typeof COACHING_ITEM.filled)[number], string>;
    const stored = async () => (await ok(sb, ['coach', 'list', '--json'])).json().find((i: { id: number }) => i.id === 2);
    const importItem = async (r: typeof BASE) => {
      const file = await fill(sb, books[S.ICBC]!, (wb: ExcelJS.Workbook) => progress(wb, 2, r.status, r.closedOn, r.note));
      const out = await sb.run(['collect', 'import', file, '--json'], { today: '2024-06-05' });
      expect(out.code, out.stderr).toBe(0);
      return out.json();
    };
    expect(await importItem(BASE)).toMatchObject({ updated: 1, withdrawn: 0 });
    expect(await stored()).toMatchObject({ status: 'done', closed_on: '2024-05-28', note: '已补齐' });
    expect(await importItem(BASE)).toMatchObject({ updated: 0, unchanged: 1, withdrawn: 0 });
    expect([...COACHING_ITEM.filled].sort()).toEqual(Object.keys(COLUMN).sort());
    for (const name of COACHING_ITEM.filled) {
      const row = { ...BASE, [name]: OTHER[name] };
      expect(await importItem(row), name).toMatchObject({ updated: 1, withdrawn: 0 });
      expect((await stored())[COLUMN[name]], name).toBe((STORED[name] as Record<string, string>)[OTHER[name]]);
      expect(await importItem(BASE), name).toMatchObject({ updated: 1, withdrawn: 0 });
      expect(await stored(), name).toMatchObject({ status: 'done', closed_on: '2024-05-28', note: '已补齐' });
    }
  });
});

describe('the rating definition', () => {
  it('a survey return already on file changes nothing; one differing in an identity column is another rating', async () => {
    sb = await initialised();
    await addAccounts(sb, [{ login: 'hr_jrb', org: '华容区金融办', kind: '金融办', region: '华容区' }]);
    const firm = code(971);
    await caseAt(sb, 'assigned', firm);
    /** The return's cells of the rating's own columns: the first row's and a different one. */
    const CELLS = { rating: ['满意', '不满意'], date: ['2024-06-01', '2024-06-02'] } satisfies Record<(typeof RATING.sheet)[number]['name'], [string, string]>;
    expect(Object.keys(CELLS).sort()).toEqual(RATING.sheet.map((c) => c.name).sort());
    let files = 0;
    const importReturn = async (change?: keyof typeof CELLS) => {
      const f = sb.path(`return-${++files}.xlsx`);
      const cell = (name: keyof typeof CELLS) => CELLS[name][name === change ? 1 : 0];
      await writeXlsx(f, { 问卷回收: [['统一社会信用代码', '企业名称', ...RATING.sheet.map((c) => c.column.title)], [firm, nameOf(firm), ...RATING.sheet.map((c) => cell(c.name))]] });
      const r = await sb.run(['satisfaction', 'import', f, '--json'], as('hr_jrb'));
      expect(r.code, r.stderr).toBe(0);
      return r.json();
    };
    expect(await importReturn()).toMatchObject({ added: 1, unchanged: 0 });
    expect(await importReturn()).toMatchObject({ added: 0, unchanged: 1 });
    for (const name of Object.keys(CELLS) as (keyof typeof CELLS)[]) {
      const identity = (RATING.identity as string[]).includes(name);
      expect(await importReturn(name), name).toMatchObject(identity ? { added: 1, unchanged: 0 } : { added: 0, unchanged: 1 });
      // Imported once, it is on file.
      expect(await importReturn(name), name).toMatchObject({ added: 0, unchanged: 1 });
    }
  });
});

describe('the feedback definition', () => {
  it('a submission already on file changes nothing; one differing in an identity column is a further submission', async () => {
    sb = await initialised();
    /** The file's cells of the submission's columns: the first row's and a different one. */
    const CELLS = {
      fromKey: ['华容区', '鄂城区'],
      month: ['2024-04', '2024-05'],
      text: ['走访企业 3 家', '走访企业 4 家'],
      submittedOn: ['2024-05-08', '2024-05-09'],
    } satisfies Record<(typeof FEEDBACK.sheet)[number]['name'], [string, string]>;
    expect(Object.keys(CELLS).sort()).toEqual(FEEDBACK.sheet.map((c) => c.name).sort());
    let files = 0;
    const importFile = async (change?: keyof typeof CELLS) => {
      const f = sb.path(`feedback-${++files}.xlsx`);
      const cell = (name: keyof typeof CELLS) => CELLS[name][name === change ? 1 : 0];
      await writeXlsx(f, { 月度反馈: [FEEDBACK.sheet.map((c) => c.column.title), FEEDBACK.sheet.map((c) => cell(c.name))] });
      // received the day its 报送日期 says (another day is a correction, the 人民银行's only)
      const r = await sb.run(['feedback', 'import', f, '--json'], { today: cell('submittedOn') });
      expect(r.code, r.stderr).toBe(0);
      return r.json();
    };
    const first = await importFile();
    expect(first.added + first.updated).toBe(1);
    expect(await importFile()).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    for (const name of Object.keys(CELLS) as (keyof typeof CELLS)[]) {
      const identity = (FEEDBACK.identity as string[]).includes(name);
      const r = await importFile(name);
      expect(r.unchanged, name).toBe(identity ? 0 : 1);
      // Imported once, it is on file.
      expect(await importFile(name), name).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    }
  });
});

describe('the account definition', () => {
  const a = { login: 'hr_jrb', name: '张三', orgId: 3, role: 'operator' as const, phone: '13800000000', idNumber: null, email: null, title: '科员', note: null };
  const b = { login: 'wc_jrb', name: '李四', orgId: 4, role: 'viewer' as const, phone: '13900000000', idNumber: '420700199001011234', email: 'li@example.cn', title: '科长', note: '新调入' };

  it('its identity is the login; every other column of the sheet is a field an import updates in place', () => {
    expect(ACCOUNT.identity).toEqual(['login']);
    for (const name of ACCOUNT.names) {
      const changed = { ...a, [name]: b[name] };
      expect(ACCOUNT.key(changed) === ACCOUNT.key(a), name).toBe(name !== 'login');
      expect(ACCOUNT.sameFilled(changed, a), name).toBe(name === 'login');
    }
    // The sheet: 序号, the account's columns, the organisation's kind and district after 所属机构.
    expect(USER_COLUMNS.map((c) => c.key)).toEqual(['serial', 'login', 'name', 'org', 'orgKind', 'region', 'role', 'phone', 'idNumber', 'email', 'title', 'note']);
  });
});

describe('the enterprise and case definitions', () => {
  const c: CaseRecord = {
    enterpriseCode: code(1),
    region: 'HR',
    stage: 'recommended',
    class: null,
    recommendedBy: 5,
    recommendedOn: '2024-05-06',
    recommendReason: '流动资金不足',
    overQuotaReason: null,
    declaredOn: null,
    authorised: null,
    verifiedOn: null,
    confirmedOn: null,
    leadBankId: null,
    assignedOn: null,
    closedOn: null,
    outcome: null,
    closeNote: null,
    lastProgressOn: '2024-05-06',
  };
  const d: CaseRecord = {
    enterpriseCode: code(2),
    region: 'EC',
    stage: 'closed',
    class: 'financing',
    recommendedBy: 6,
    recommendedOn: '2024-05-07',
    recommendReason: null,
    overQuotaReason: '省级重点',
    declaredOn: '2024-05-20',
    authorised: true,
    verifiedOn: '2024-06-01',
    confirmedOn: '2024-06-02',
    leadBankId: 9,
    assignedOn: '2024-06-03',
    closedOn: '2024-09-01',
    outcome: 'financed',
    closeNote: '已获贷款',
    lastProgressOn: '2024-09-01',
  };

  it('a case is the same recommendation when its firm, department and date agree, whatever else differs; a stored row has its identity', () => {
    expect(CASE.identity).toEqual(['enterpriseCode', 'recommendedBy', 'recommendedOn']);
    for (const name of CASE.names) {
      const changed = { ...c, [name]: d[name] };
      expect(CASE.key(changed) === CASE.key(c), name).toBe(!(CASE.identity as string[]).includes(name));
    }
    const row = CASE.toRow(d);
    expect(row).toMatchObject({ enterprise_code: code(2), recommended_by: 6, authorised: 1, class: 'financing', over_quota_reason: '省级重点' });
    expect(CASE.fromRow(row)).toEqual(d);
    expect(CASE.rowKey(row)).toBe(CASE.key(d));
    expect(CASE.rowKey(CASE.toRow(c))).not.toBe(CASE.key(d));
    expect(CASE.fromRow({ ...row, authorised: null }).authorised).toBeNull();
    expect(CASE.fromRow({ ...row, authorised: 0 }).authorised).toBe(false);
  });

  it('an enterprise is its credit code; the 推荐名单 is 序号, the enterprise\'s columns, then the case\'s', () => {
    expect(ENTERPRISE.identity).toEqual(['code']);
    const e = { code: code(1), name: nameOf(code(1)), region: 'HR', checkOk: true };
    for (const [name, v] of Object.entries({ code: code(2), name: '另一家企业有限公司', region: 'EC', checkOk: false })) {
      expect(ENTERPRISE.key({ ...e, [name]: v }) === ENTERPRISE.key(e), name).toBe(name !== 'code');
    }
    expect(ENTERPRISE.toRow(e)).toEqual({ code: code(1), name: nameOf(code(1)), region_code: 'HR', check_ok: 1 });
    expect(RECOMMEND_COLUMNS.map((col) => col.key)).toEqual(['serial', 'code', 'name', 'district', 'dept', 'date', 'reason', 'overQuota']);
    expect(ENTERPRISE.fields.name.parse('短名')).toEqual({ ok: false, reason: '企业名称「短名」应为 4–100 个字' });
  });

  it('a 推荐名单 row already recorded changes nothing; one differing in an identity column is another recommendation', async () => {
    sb = await initialised();
    /** The row's cell in each column of the two definitions: the first row's and a different one. */
    const CELLS = {
      code: [code(31), code(32)],
      name: [nameOf(code(31)), '另一个名称有限公司'],
      region: [HR, '鄂城区'],
      recommendedBy: ['经信', '商务'],
      recommendedOn: ['2024-05-06', '2024-05-07'],
      recommendReason: ['订单增长，流动资金不足', '扩大生产'],
      overQuotaReason: ['', '省级重点项目'],
    } satisfies Record<(typeof ENTERPRISE.sheet)[number]['name'] | (typeof CASE.sheet)[number]['name'], [string, string]>;
    /**
     * What the changed row does: a new firm's code is a new enterprise and case; the same firm's open case under
     * another department or date is a new recommendation, refused while that case is open; a firm is recommended
     * in the district it is registered in; any other column changes nothing.
     */
    const OUTCOME = {
      code: 'added',
      name: 'unchanged',
      region: 'refused',
      recommendedBy: 'refused',
      recommendedOn: 'refused',
      recommendReason: 'unchanged',
      overQuotaReason: 'unchanged',
    } as const satisfies Record<keyof typeof CELLS, 'added' | 'unchanged' | 'refused'>;
    const columns = [...ENTERPRISE.sheet, ...CASE.sheet];
    expect(Object.keys(CELLS).sort()).toEqual(columns.map((s) => s.name).sort());
    /** Why the refused rows are refused. */
    const REFUSAL = { region: '登记在华容区，不能由鄂城区推荐', recommendedBy: '已有办理中的记录', recommendedOn: '已有办理中的记录' };
    let files = 0;
    let refusal = '';
    const importRow = async (change?: keyof typeof CELLS) => {
      const f = sb.path(`recommend-${++files}.xlsx`);
      const cell = (name: keyof typeof CELLS) => CELLS[name][name === change ? 1 : 0];
      await writeXlsx(f, { 推荐名单: [['序号', ...columns.map((s) => s.column.title)], [1, ...columns.map((s) => cell(s.name as keyof typeof CELLS) || null)]] });
      const r = await sb.run(['recommend', 'import', f, '--json'], { today: '2024-06-10' });
      if (r.code !== 0) {
        refusal = r.stderr;
        return 'refused';
      }
      const counts = r.json();
      return counts.added === 1 ? 'added' : counts.unchanged === 1 ? 'unchanged' : JSON.stringify(counts);
    };
    expect(await importRow()).toBe('added');
    expect(await importRow()).toBe('unchanged');
    for (const name of Object.keys(CELLS) as (keyof typeof CELLS)[]) {
      const identity = ([...ENTERPRISE.identity, ...CASE.identity] as string[]).includes(name);
      const outcome = await importRow(name);
      expect(outcome, name).toBe(OUTCOME[name]);
      if (outcome === 'refused') expect(refusal, name).toContain(REFUSAL[name as keyof typeof REFUSAL]);
      // A column outside the identity never makes a row another recommendation.
      if (!identity) expect(outcome, name).not.toBe('added');
      else expect(outcome, name).not.toBe('unchanged');
    }
  });
});

describe('the collection return definition', () => {
  const r: ReturnRecord = { orgId: 3, month: '2024-05', workbookId: 7, batchId: 2, file: '2024-05-中国工商银行鄂州分行.xlsx', sha256: 'a'.repeat(64), receivedOn: '2024-06-05', rows: 4, actor: 'tester' };
  const o: ReturnRecord = { orgId: 4, month: '2024-04', workbookId: 8, batchId: null, file: '更正.xlsx', sha256: 'b'.repeat(64), receivedOn: '2024-06-06', rows: 5, actor: 'other' };

  it('its identity is the unit, the month and the file\'s digest; its stored row round-trips; the audit keeps its keys', () => {
    expect(RETURN.identity).toEqual(['orgId', 'month', 'sha256']);
    for (const name of RETURN.names) {
      const changed = { ...r, [name]: o[name] };
      expect(RETURN.key(changed) === RETURN.key(r), name).toBe(!(RETURN.identity as string[]).includes(name));
    }
    const row = RETURN.toRow(r);
    expect(row).toEqual({ org_id: 3, month: '2024-05', workbook_id: 7, batch_id: 2, file: r.file, sha256: r.sha256, received_on: '2024-06-05', rows: 4, actor: 'tester' });
    expect(RETURN.fromRow(row)).toEqual(r);
    expect(RETURN.rowKey(row)).toBe(RETURN.key(r));
    expect(JSON.stringify(returnAudit(r, null))).toBe(JSON.stringify({ file: r.file, sha256: r.sha256, received_on: '2024-06-05', corrects: null }));
  });

  it('the same file again is the same return (nothing written, its first day kept); a changed file is another return', async () => {
    sb = await scenario();
    const books = await make(sb, S.MONTH, ['--unit', S.ICBC]);
    const returns = async () => sb.sql<{ sha256: string; received_on: string }>('select sha256, received_on from collection_return order by id');
    const file = await fill(sb, books[S.ICBC]!, (wb: ExcelJS.Workbook) => feedback(wb, '第 1 份'));
    expect((await sb.run(['collect', 'import', file], { today: '2024-06-05' })).code).toBe(0);
    const first = await returns();
    expect(first).toHaveLength(1);
    expect((await sb.run(['collect', 'import', file], { today: '2024-06-06' })).code).toBe(0);
    expect(await returns()).toEqual(first);
    const changed = await fill(sb, books[S.ICBC]!, (wb: ExcelJS.Workbook) => feedback(wb, '第 2 份'));
    expect((await sb.run(['collect', 'import', changed], { today: '2024-06-06' })).code).toBe(0);
    const now = await returns();
    expect(now).toHaveLength(2);
    expect(now[1]).toMatchObject({ received_on: '2024-06-06' });
    expect(now[1]!.sha256).not.toBe(first[0]!.sha256);
  });
});
