/**
 * Financing (授信/放款, docs/workflow.md) of 融资类 cases: a loan's fields, the case it may be recorded on, its row
 * and history step. Shared by `loan` and the collection import.
 */
import type { Insertable } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { reclassificationsOf, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { LoanTable } from '../../store/schema.js';
import { formatMoney } from '../../util/money.js';
import { authorize, caseTarget, checkStepDate, CLASS_LABEL, classOn, inEffectOrder, MAX_LOAN_CENTS, recordStep, requireStage, verifiedClass, type Actor, type ClassChange, type Step } from '../core/index.js';
import { withCase } from './with-case.js';

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
