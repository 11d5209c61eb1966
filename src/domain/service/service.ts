/**
 * In service (docs/workflow.md): one lead bank per case, financing (授信/放款) for 融资类 cases, the coaching list
 * (辅导清单) for 培植类 cases, reclassification, satisfaction and closing.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { assignmentsOf, caseById, loansOf, reclassificationsOf, updateCase, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { Org } from '../../store/reference.js';
import type { CaseClass, CoachingItemTable, DB, LoanTable } from '../../store/schema.js';
import { formatMoney } from '../../util/money.js';
import { checkFreeText, checkOneLine } from '../../util/text.js';
import { authorize, type Actor } from '../core/index.js';
import { caseTarget, checkStepDate, mayRead, noVisibleItem, recordStep, required, visibleCase, type Step } from '../core/index.js';
import { Directory } from '../core/index.js';
import { MAX_LOAN_CENTS } from '../core/index.js';
import { classOn, CLASS_LABEL, inEffectOrder, requireStage, verifiedClass, type ClassChange } from '../core/index.js';

/** A write on the case of `code`, if the actor may see it (else the same "not found" as an unknown code). */
async function withCase<T>(store: Store, who: Actor, code: string, fn: (tx: Kysely<DB>, c: CaseRow, dir: Directory) => Promise<T>): Promise<T> {
  return store.write(async (tx) => {
    const c = await visibleCase(tx, who, code);
    const dir = await Directory.load(tx);
    return fn(tx, c, dir);
  });
}

export interface AssignInput {
  code: string;
  bank: string;
  mode: 'self' | 'designated';
  date: string;
  reason?: string;
}

/** Sets the one current lead bank; a change needs a reason and keeps the history. */
export async function assignLeadBank(store: Store, who: Actor, input: AssignInput): Promise<{ case: CaseRow; bank: string; changed: boolean; previous: string | null }> {
  return withCase(store, who, input.code, async (tx, c, dir) => {
    const bank = dir.bank(input.bank);
    const current = await currentAssignment(tx, c.id);
    const { changed, reason } = checkAssignment(who, dir, c, current, bank, input, '（--reason）');
    if (!changed) return { case: c, bank: bank.name, changed: false, previous: bank.name };
    const previous = await writeAssignment(tx, who, dir, c, current, bank, { ...input, reason });
    return { case: { ...c, stage: 'assigned', lead_bank_id: bank.id }, bank: bank.name, changed: true, previous };
  });
}

type Assignment = Awaited<ReturnType<typeof assignmentsOf>>[number];

/** The case's current lead-bank assignment, if any. */
export async function currentAssignment(tx: Kysely<DB>, caseId: number): Promise<Assignment | undefined> {
  return (await assignmentsOf(tx, caseId)).find((a) => a.ended_on === null);
}

/**
 * The rules of a lead-bank assignment (shared by `assign` and `assign import`): permission, stage, the
 * date, a reason for a change. Assigning the current bank again changes nothing.
 */
export function checkAssignment(
  who: Actor,
  dir: Directory,
  c: CaseRow,
  current: Assignment | undefined,
  bank: Org,
  input: { date: string; reason?: string },
  reasonHint: string,
): { changed: boolean; reason: string } {
  authorize(who, 'case.assign', caseTarget(dir, c));
  requireStage(c, ['confirmed', 'assigned'], '确定主办行');
  if (current && current.bank_id === bank.id) return { changed: false, reason: '' };
  checkStepDate(input.date, who, current ? { date: current.assigned_on, label: '现主办行的确定日期' } : { date: c.confirmed_on, label: '入库日期' });
  const reason = input.reason !== undefined ? checkFreeText(input.reason, '--reason 更换理由') : '';
  if (current && !reason) {
    throw new RuleError(`${c.name}的主办行现为${dir.orgByIdOrThrow(current.bank_id).name}，更换须说明理由${reasonHint}`, [], [], 'reason_required');
  }
  return { changed: true, reason };
}

/** Records a checked assignment: ends the current one, starts the new, writes the history; returns the previous bank. */
export async function writeAssignment(
  tx: Kysely<DB>,
  who: Actor,
  dir: Directory,
  c: CaseRow,
  current: Assignment | undefined,
  bank: Org,
  input: { mode: 'self' | 'designated'; date: string; reason: string },
): Promise<string | null> {
  const at = localTimestamp(who.now);
  if (current) await tx.updateTable('bank_assignment').set({ ended_on: input.date }).where('id', '=', current.id).execute();
  await tx
    .insertInto('bank_assignment')
    .values({ case_id: c.id, bank_id: bank.id, mode: input.mode, assigned_on: input.date, ended_on: null, reason: input.reason || null, created_at: at })
    .execute();
  await updateCase(tx, c.id, { stage: 'assigned', lead_bank_id: bank.id, assigned_on: c.assigned_on ?? input.date, updated_at: at });
  const previous = current ? dir.orgByIdOrThrow(current.bank_id).name : null;
  await recordStep(tx, who, c, {
    date: input.date,
    kind: current ? 'bank_changed' : 'assigned',
    details: { bank: bank.name, mode: input.mode, ...(current ? { from_bank: previous, reason: input.reason } : {}) },
    before: { stage: c.stage, lead_bank: previous },
  });
  return previous;
}

export const GUARANTEE_TYPES = ['信用', '保证', '抵押', '质押'];

export interface LoanInput {
  code: string;
  kind: 'credit' | 'disbursement';
  amountCents: number;
  date: string;
  rate?: string;
  term?: string;
  guarantee?: string;
  firstLoan?: boolean;
  bank?: string;
}

export type LoanField = 'rate' | 'term' | 'guarantee' | 'firstLoan' | 'amount';

/** A loan's own fields, checked (shared by `loan` and the collection import); each problem names its field. */
export function checkLoanFields(input: Omit<LoanInput, 'code' | 'date' | 'bank'>): {
  rateBp: number | null;
  term: number | null;
  problems: { field: LoanField; reason: string; value?: string }[];
} {
  const problems: { field: LoanField; reason: string; value?: string }[] = [];
  let rateBp: number | null = null;
  if (input.rate !== undefined) {
    const r = Number(input.rate.replace(/%$/, ''));
    if (!/^\d+(\.\d{1,2})?%?$/.test(input.rate.trim()) || r <= 0 || r >= 36) problems.push({ field: 'rate', value: input.rate, reason: '不是有效年利率（%，如 3.95，最多两位小数）' });
    else rateBp = Math.round(r * 100);
  }
  let term: number | null = null;
  if (input.term !== undefined) {
    term = Number(input.term);
    if (!Number.isInteger(term) || term < 1 || term > 360) problems.push({ field: 'term', value: input.term, reason: '应为 1–360 的整数（月）' });
  }
  if (input.guarantee !== undefined && !GUARANTEE_TYPES.includes(input.guarantee)) problems.push({ field: 'guarantee', reason: `应为 ${GUARANTEE_TYPES.join('/')}` });
  if (input.firstLoan && input.kind !== 'disbursement') problems.push({ field: 'firstLoan', reason: '首贷只用于放款' });
  if (input.amountCents <= 0) problems.push({ field: 'amount', reason: '应大于 0' });
  else if (input.amountCents > MAX_LOAN_CENTS) {
    problems.push({ field: 'amount', reason: `${formatMoney(input.amountCents)} 万元超过单笔上限 ${formatMoney(MAX_LOAN_CENTS).replace(/\.00$/, '')} 万元（100 亿元），对小微企业不合理：请核对金额和单位（万元，不是元）` });
  }
  return { rateBp, term, problems };
}

const LOAN_FLAG: Record<LoanField, string> = { rate: '--rate', term: '--term', guarantee: '--guarantee', firstLoan: '--first-loan', amount: '--amount' };

/**
 * A loan may be recorded on the case: in service, financing-ready on the loan's date (the class as of that day,
 * from the case's reclassifications `changes`, not today's), dated from `since` (the lead bank's assignment) on.
 * Shared by `loan` and the collection import.
 */
export function checkLoanCase(
  who: Actor,
  c: Pick<CaseRow, 'stage' | 'class' | 'name' | 'enterprise_code'>,
  kind: LoanInput['kind'],
  date: string,
  since: { date: string | null; label: string },
  changes: ClassChange[],
): void {
  requireStage(c, ['assigned'], kind === 'credit' ? '登记授信' : '登记放款');
  const onDate = classOn(verifiedClass(c.class, changes), changes, date);
  if (onDate !== 'financing') {
    const label = onDate ? CLASS_LABEL[onDate] : '未分类';
    const later = inEffectOrder(changes).find((ch) => ch.changed_on > date && ch.to_class === 'financing');
    if (later) {
      throw new RuleError(
        `${c.name}在 ${date} 是${label}企业（${later.changed_on} 起调整为融资类），不能登记该日的${kind === 'credit' ? '授信' : '放款'}：请核对日期`,
        [],
        [],
        'wrong_class',
      );
    }
    throw new RuleError(`${c.name}是${label}企业，需先辅导并调整为融资类（xypz reclassify ${c.enterprise_code} --to financing --reason …）才能登记融资`, [], [], 'wrong_class');
  }
  checkStepDate(date, who, since);
}

/** A checked loan, ready to be written. */
export interface LoanRecord {
  caseId: number;
  bankId: number;
  kind: LoanInput['kind'];
  amountCents: number;
  date: string;
  rateBp: number | null;
  term: number | null;
  guarantee: string | null;
  firstLoan: boolean;
  note?: string | null;
  collectionId?: number | null;
}

export function loanRow(r: LoanRecord, at: string): Insertable<LoanTable> {
  return {
    case_id: r.caseId,
    bank_id: r.bankId,
    kind: r.kind,
    amount_cents: r.amountCents,
    loan_on: r.date,
    rate_bp: r.rateBp,
    term_months: r.term,
    guarantee: r.guarantee,
    first_loan: r.firstLoan ? 1 : 0,
    created_at: at,
    collection_id: r.collectionId ?? null,
    note: r.note ?? null,
  };
}

/** The case history's entry of a loan. */
export function loanStep(r: LoanRecord, lender: string): Step {
  return {
    date: r.date,
    kind: r.kind,
    details: {
      amount: formatMoney(r.amountCents),
      lender,
      rate: r.rateBp === null ? null : (r.rateBp / 100).toFixed(2),
      term_months: r.term,
      guarantee: r.guarantee,
      first_loan: r.firstLoan,
      ...(r.note ? { note: r.note } : {}),
    },
  };
}

export async function recordLoan(store: Store, who: Actor, input: LoanInput): Promise<{ case: CaseRow; bank: string; id: number }> {
  const { rateBp, term, problems } = checkLoanFields(input);
  if (problems.length > 0) {
    const lines = problems.map((p) => (p.value !== undefined ? `${LOAN_FLAG[p.field]} 的值「${p.value}」${p.reason}` : `${LOAN_FLAG[p.field]} ${p.reason}`));
    throw new DataError(lines.join('；'), lines.map((message) => ({ message })));
  }
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'case.loan', caseTarget(dir, c));
    checkLoanCase(who, c, input.kind, input.date, { date: c.assigned_on, label: '确定主办行的日期' }, await reclassificationsOf(tx, [c.id]));
    const bank = input.bank ? dir.bank(input.bank) : dir.orgByIdOrThrow(c.lead_bank_id!);
    if (bank.kind !== 'bank') throw new DataError(`${bank.name}不是金融机构`);
    authorize(who, 'case.loan', { ...caseTarget(dir, c), lenderOrgId: bank.id });
    const r: LoanRecord = { caseId: c.id, bankId: bank.id, kind: input.kind, amountCents: input.amountCents, date: input.date, rateBp, term, guarantee: input.guarantee ?? null, firstLoan: input.firstLoan === true };
    const row = await tx.insertInto('loan').values(loanRow(r, localTimestamp(who.now))).returning('id').executeTakeFirstOrThrow();
    await recordStep(tx, who, c, loanStep(r, bank.name));
    return { case: c, bank: bank.name, id: row.id };
  });
}

export interface CoachInput {
  code: string;
  item: string;
  org: string;
  category?: string;
  due?: string;
  date: string;
}

export async function addCoachingItem(store: Store, who: Actor, input: CoachInput): Promise<{ id: number; case: CaseRow; org: string }> {
  const item = required(input.item, '--item 事项');
  if (Array.from(item).length > 500) throw new DataError('--item 不超过 500 字');
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'coach.add', caseTarget(dir, c));
    requireStage(c, ['assigned'], '添加辅导事项');
    const org = dir.orgFor(input.org, dir.regionByCodeOrThrow(c.region_code));
    if (org.kind !== 'department' && !(org.kind === 'bank' && org.id === c.lead_bank_id)) {
      throw new DataError(`辅导事项交给政府部门或本企业的主办行办理；${org.name}不是`);
    }
    checkStepDate(input.date, who, { date: c.assigned_on, label: '确定主办行的日期' });
    if (input.due && input.due < input.date) throw new DataError(`期限 ${input.due} 早于添加日期 ${input.date}`);
    const at = localTimestamp(who.now);
    const row = await tx
      .insertInto('coaching_item')
      .values({ case_id: c.id, item, org_id: org.id, category: input.category ? checkOneLine(input.category, '--category 类别') || null : null, due: input.due ?? null, status: 'open', added_on: input.date, closed_on: null, note: null, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordStep(tx, who, c, { date: input.date, kind: 'coach_added', details: { id: row.id, item, org: org.name, due: input.due ?? null } });
    return { id: row.id, case: c, org: org.name };
  });
}

export async function closeCoachingItem(store: Store, who: Actor, input: { id: number; status: 'done' | 'failed'; note?: string; date: string }) {
  const note = input.note ? checkFreeText(input.note, '--note 说明') || null : null;
  if (input.status === 'failed' && !note) throw new DataError('未办成须说明原因（--note）');
  return store.write(async (tx) => {
    const item = await tx.selectFrom('coaching_item').selectAll().where('id', '=', input.id).executeTakeFirst();
    const c = item ? (await caseById(tx, item.case_id))! : undefined;
    if (!item || !c || !(await mayRead(tx, who, c))) throw noVisibleItem(input.id);
    const dir = await Directory.load(tx);
    checkItemClosing(who, dir, c, item, input.date);
    await writeItemClosing(tx, who, c, item, { status: input.status, date: input.date, note, collectionId: null });
    return { ...item, status: input.status, closed_on: input.date, note, code: c.enterprise_code };
  });
}

type CoachingItem = Selectable<CoachingItemTable>;

/** The rules of closing a coaching item (shared by `coach done/fail` and the collection import). */
export function checkItemClosing(who: Actor, dir: Directory, c: CaseRow, item: CoachingItem, date: string): void {
  authorize(who, 'coach.close', { ...caseTarget(dir, c), itemOrgId: item.org_id });
  if (item.status !== 'open') throw new RuleError(`辅导事项 #${item.id} 已${item.status === 'done' ? '办结' : '标记为未办成'}（${item.closed_on}）`, [], [], 'wrong_stage');
  checkStepDate(date, who, { date: item.added_on, label: '事项添加日期' });
}

/** Records a checked closing: the item's status, date and note, and the case history. */
export async function writeItemClosing(
  tx: Kysely<DB>,
  who: Actor,
  c: CaseRow,
  item: CoachingItem,
  to: { status: 'done' | 'failed'; date: string; note: string | null; collectionId: number | null },
): Promise<void> {
  await tx.updateTable('coaching_item').set({ status: to.status, closed_on: to.date, note: to.note, closed_collection_id: to.collectionId }).where('id', '=', item.id).execute();
  await recordStep(tx, who, c, {
    date: to.date,
    kind: to.status === 'done' ? 'coach_done' : 'coach_failed',
    details: { id: item.id, item: item.item, note: to.note },
    before: { status: item.status },
  });
}

export async function reclassify(store: Store, who: Actor, input: { code: string; to: CaseClass; reason: string; date: string }): Promise<CaseRow> {
  const reason = required(input.reason, '--reason 理由', true);
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'case.reclassify', caseTarget(dir, c));
    requireStage(c, ['verified', 'confirmed', 'assigned'], '调整分类');
    if (c.class === input.to) throw new RuleError(`${c.name}已是${CLASS_LABEL[input.to]}，未做改动`, [], [], 'unchanged');
    // The class history stays in date order, and no loan on file falls on a day that becomes 培植类.
    const last = (await reclassificationsOf(tx, [c.id])).at(-1);
    checkStepDate(input.date, who, last ? { date: last.changed_on, label: '上次调整分类的日期' } : { date: c.verified_on, label: '核查日期' });
    if (input.to !== 'financing') {
      const loan = (await loansOf(tx, [c.id])).at(-1);
      if (loan && input.date <= loan.loan_on) {
        throw new DataError(`日期 ${input.date} 不晚于${c.name}最近一笔授信或放款的日期（${loan.loan_on}）：调整为${CLASS_LABEL[input.to]}只能从此后的日期起`);
      }
    }
    const at = localTimestamp(who.now);
    await tx.insertInto('reclassification').values({ case_id: c.id, from_class: c.class!, to_class: input.to, changed_on: input.date, reason, created_at: at }).execute();
    await updateCase(tx, c.id, { class: input.to, updated_at: at });
    await recordStep(tx, who, c, { date: input.date, kind: 'reclassified', details: { from: c.class, to: input.to, reason }, before: { class: c.class } });
    return { ...c, class: input.to };
  });
}

export async function closeCase(store: Store, who: Actor, input: { code: string; outcome: 'financed' | 'withdrawn'; date: string; note?: string }): Promise<CaseRow> {
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'case.close', caseTarget(dir, c));
    requireStage(c, ['confirmed', 'assigned'], '办结');
    const note = input.note ? checkFreeText(input.note, '--note 说明') || null : null;
    if (input.outcome === 'withdrawn' && !note) throw new DataError('退出须说明原因（--note）');
    if (input.outcome === 'financed' && !(await loansOf(tx, [c.id])).some((l) => l.kind === 'disbursement')) {
      throw new RuleError(`${c.name}还没有放款记录，不能以“获得融资”办结（先 xypz loan ${c.enterprise_code} --kind disbursement …）`, [], [], 'no_disbursement');
    }
    checkStepDate(input.date, who, { date: c.last_progress_on, label: '最近一次办理日期' });
    const at = localTimestamp(who.now);
    await updateCase(tx, c.id, { stage: 'closed', closed_on: input.date, outcome: input.outcome, close_note: note, updated_at: at });
    await recordStep(tx, who, c, { date: input.date, kind: 'closed', details: { outcome: input.outcome, note }, before: { stage: c.stage } });
    return { ...c, stage: 'closed', closed_on: input.date, outcome: input.outcome };
  });
}

export type Rating = 'satisfied' | 'basically' | 'unsatisfied';

export const RATING_LABEL: Record<Rating, string> = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };

export function parseRating(s: string): Rating | undefined {
  const t = s.trim();
  if (t === '满意' || t === 'satisfied') return 'satisfied';
  if (t === '基本满意' || t === 'basically') return 'basically';
  if (t === '不满意' || t === 'unsatisfied') return 'unsatisfied';
  return undefined;
}

/** The banks that led a case at some time in a year (from its lead-bank history). */
export function banksLeadingIn(assignments: { bank_id: number; assigned_on: string; ended_on: string | null }[], year: string): number[] {
  return assignments.filter((a) => a.assigned_on <= `${year}-12-31` && (a.ended_on === null || a.ended_on >= `${year}-01-01`)).map((a) => a.bank_id);
}

/**
 * Checks a rating of a case on a date (throws): who may record it (never a bank that led the firm that year,
 * `ledInYear`), the case's stage, the date. Shared by `satisfaction` and `satisfaction import`.
 */
export function checkRating(who: Actor, dir: Directory, c: CaseRow, ledInYear: number[], date: string): void {
  authorize(who, 'case.satisfaction', { ...caseTarget(dir, c), ledInYear });
  requireStage(c, ['assigned', 'closed'], '评价满意度');
  if (!c.lead_bank_id) throw new RuleError(`${c.name}没有主办行，无从评价`);
  checkStepDate(date, who, { date: c.assigned_on, label: '确定主办行的日期' });
}

/** Records a rating (one per case per year counts in the figures: the latest; earlier ones stay). */
export async function insertRating(tx: Kysely<DB>, who: Actor, c: CaseRow, rating: Rating, date: string, batchId: number | null = null): Promise<void> {
  await tx.insertInto('satisfaction').values({ case_id: c.id, rating, rated_on: date, created_at: localTimestamp(who.now) }).execute();
  await recordStep(tx, who, c, { date, kind: 'satisfaction', details: { rating, ...(batchId === null ? {} : { batch_id: batchId }) } });
}

export async function rateService(store: Store, who: Actor, input: { code: string; rating: Rating; date: string }): Promise<CaseRow> {
  return withCase(store, who, input.code, async (tx, c, dir) => {
    checkRating(who, dir, c, banksLeadingIn(await assignmentsOf(tx, c.id), input.date.slice(0, 4)), input.date);
    await insertRating(tx, who, c, input.rating, input.date);
    return c;
  });
}
