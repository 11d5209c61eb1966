/**
 * Financing (授信/放款, docs/workflow.md) of 融资类 cases: the loan record (its one definition, docs/records.md),
 * the case it may be recorded on, its row and history step. Shared by `loan` and the collection import.
 */
import type { Kysely, Selectable } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { reclassificationsOf, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { DB, LoanTable } from '../../store/schema.js';
import { formatMoney, parseMoney } from '../../util/money.js';
import {
  authorize,
  caseTarget,
  CLASS_LABEL,
  classOn,
  codec,
  defineRecord,
  EntryDates,
  field,
  inEffectOrder,
  MAX_LOAN_CENTS,
  optionKey,
  recordStep,
  requireStage,
  verifiedClass,
  type Actor,
  type ClassChange,
  type Directory,
  type IdentityOf,
  type InSheetOf,
  type OptionKeyOf,
  type Parsed,
  type RowOf,
  type SameShape,
  type Step,
  type ValuesOf,
} from '../core/index.js';
import { withCase } from './with-case.js';

export const GUARANTEE_TYPES = ['信用', '保证', '抵押', '质押'];

const fail = (reason: string, value?: string): Parsed<never> => ({ ok: false, reason, ...(value !== undefined ? { value } : {}) });
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

/**
 * The loan, declared once: each field's storage column, its column in the 授信放款 sheet of the collection workbook
 * (or null: filled from the workbook's unit or the import), how it is read and written as text, and whether it is
 * part of a loan's identity (a corrected workbook's row equal in every identity field is the same loan, kept).
 * The sheet's leading columns (the firm's code and name) name the case; they are not the loan's own fields.
 */
export const LOAN = defineRecord({
  caseId: field('case_id', codec.int, { identity: true, sheet: null }),
  bankId: field('bank_id', codec.int, { identity: false, sheet: null }),
  kind: field('kind', codec.oneOf(['credit', 'disbursement'] as const), {
    identity: true,
    sheet: { key: 'kind', title: '类型', required: true, width: 8, choices: { 授信: 'credit', 放款: 'disbursement' } },
    format: (v) => (v === 'credit' ? '授信' : '放款'),
  }),
  amountCents: field('amount_cents', codec.int, {
    identity: true,
    sheet: { key: 'amount', title: '金额（万元）', required: true, width: 12 },
    parse: (t) => {
      const cents = parseMoney(t);
      return cents === undefined ? fail('不是有效金额（万元，最多两位小数）') : ok(cents);
    },
    format: formatMoney,
  }),
  date: field('loan_on', codec.text, { identity: true, sheet: { key: 'date', title: '日期', required: true, width: 12 } }),
  rateBp: field('rate_bp', codec.intOrNull, {
    identity: true,
    sheet: { key: 'rate', title: '年利率（%）', width: 10 },
    parse: (t) => {
      const r = Number(t.replace(/%$/, ''));
      if (!/^\d+(\.\d{1,2})?%?$/.test(t.trim()) || r <= 0 || r >= 36) return fail('不是有效年利率（%，如 3.95，最多两位小数）', t);
      return ok(Math.round(r * 100));
    },
    format: (v) => (v === null ? '' : (v / 100).toFixed(2)),
  }),
  term: field('term_months', codec.intOrNull, {
    identity: true,
    sheet: { key: 'term', title: '期限（月）', width: 10 },
    parse: (t) => {
      const n = Number(t);
      return !Number.isInteger(n) || n < 1 || n > 360 ? fail('应为 1–360 的整数（月）', t) : ok(n);
    },
    format: (v) => (v === null ? '' : String(v)),
  }),
  guarantee: field('guarantee', codec.textOrNull, {
    identity: true,
    sheet: { key: 'guarantee', title: '担保方式', width: 10 },
    parse: (t) => (GUARANTEE_TYPES.includes(t) ? ok(t) : fail(`应为 ${GUARANTEE_TYPES.join('/')}`)),
    format: (v) => v ?? '',
  }),
  firstLoan: field('first_loan', codec.flag, {
    identity: true,
    sheet: { key: 'first', title: '首贷', width: 6, choices: { 是: true, 否: false } },
    format: (v) => (v ? '是' : '否'),
  }),
  note: field('note', codec.textOrNull, {
    identity: true,
    sheet: { key: 'note', title: '备注', width: 24, multiline: true },
    parse: (t) => (Array.from(t).length > 500 ? fail('不超过 500 字') : ok(t)),
    format: (v) => v ?? '',
  }),
  collectionId: field('collection_id', codec.intOrNull, { identity: false, sheet: null }),
});

type LoanFields = typeof LOAN.fields;
/** A checked loan, ready to be written (the definition's values). */
export type LoanRecord = ValuesOf<LoanFields>;
/** The loan's field names. */
export type LoanFieldName = keyof LoanFields;

/**
 * The definition's columns are exactly the store's loan table, but for its id and creation time: a column added
 * to one and not the other makes this line fail ("Type 'true' is not assignable to type 'false'").
 */
export const _storage: SameShape<RowOf<LoanFields>, Omit<Selectable<LoanTable>, 'id' | 'created_at' | 'recorded_at'>> = true;

/**
 * Every column of the 授信放款 sheet is part of a loan's identity: a corrected row that differs in any of them is
 * another loan (the earlier one withdrawn), as a reported loan is never edited in place. A column outside the
 * identity would need writeLoans to update the kept loan; this line fails until it does.
 */
export const _sheetIsIdentity: [InSheetOf<LoanFields>] extends [IdentityOf<LoanFields>] ? true : false = true;

/** A problem of one of a loan's fields. */
export interface LoanProblem {
  field: LoanFieldName;
  reason: string;
  value?: string;
}

/** The rules across a loan's fields (shared by `loan` and the collection import). */
export function loanRules(r: Pick<LoanRecord, 'kind' | 'amountCents' | 'firstLoan'>): LoanProblem[] {
  const problems: LoanProblem[] = [];
  if (r.firstLoan && r.kind !== 'disbursement') problems.push({ field: 'firstLoan', reason: '首贷只用于放款' });
  if (r.amountCents <= 0) problems.push({ field: 'amountCents', reason: '应大于 0' });
  else if (r.amountCents > MAX_LOAN_CENTS) {
    problems.push({ field: 'amountCents', reason: `${formatMoney(r.amountCents)} 万元超过单笔上限 ${formatMoney(MAX_LOAN_CENTS).replace(/\.00$/, '')} 万元（100 亿元），对小微企业不合理：请核对金额和单位（万元，不是元）` });
  }
  return problems;
}

/**
 * How `loan` gives each field (null: not on the command line, the context gives it): its option, and whether
 * the command passes the field's value (`value`: the command line parsed it), the text as typed (`text`: read
 * here by the definition's parse) or a bank's name (`bank`: looked up in the directory). A field added to LOAN
 * must be placed here; given an option, it becomes a key of LoanInput and the loan command must pass it.
 */
const LOAN_OPTION = {
  caseId: null,
  bankId: { flag: '--bank', given: 'bank' },
  kind: { flag: '--kind', given: 'value' },
  amountCents: { flag: '--amount', given: 'value' },
  date: { flag: '--date', given: 'value' },
  rateBp: { flag: '--rate', given: 'text' },
  term: { flag: '--term', given: 'text' },
  guarantee: { flag: '--guarantee', given: 'text' },
  firstLoan: { flag: '--first-loan', given: 'value' },
  note: null,
  collectionId: null,
} as const satisfies Record<LoanFieldName, { flag: `--${string}`; given: 'value' | 'text' | 'bank' } | null>;

type LoanOptions = typeof LOAN_OPTION;
/** The fields `loan` takes an option for, and those it takes as text read by the definition. */
type OptionField = { [K in LoanFieldName]: LoanOptions[K] extends null ? never : K }[LoanFieldName];
type TextField = { [K in OptionField]: LoanOptions[K] extends { given: 'text' } ? K : never }[OptionField];
type OptionKey<K extends OptionField> = OptionKeyOf<LoanOptions[K] extends { flag: infer F } ? F : never>;

/**
 * What `loan` is given, derived from LOAN and LOAN_OPTION: the firm's code, a 人民银行 correction's reason (for a
 * loan dated in a month already final), and for each field with an option, under the option's name, the field's
 * value or the text as typed (undefined: not given). Every key is required, so a field given an option makes the
 * typecheck point at each caller (the loan command, the demo).
 */
export type LoanInput = { code: string; correction?: string | undefined } & {
  [K in OptionField as OptionKey<K>]: LoanOptions[K] extends { given: 'value' } ? LoanRecord[K] : string | undefined;
};

const TEXT_FIELDS = (Object.keys(LOAN_OPTION) as LoanFieldName[]).filter((n) => LOAN_OPTION[n]?.given === 'text') as TextField[];

/** The fields given as text, read by their definition (null: not given); each problem names its field. */
function checkLoanFields(input: LoanInput): { read: Pick<LoanRecord, TextField>; problems: LoanProblem[] } {
  const problems: LoanProblem[] = [];
  const read: Record<string, unknown> = {};
  for (const name of TEXT_FIELDS) {
    const text = (input as unknown as Record<string, string | undefined>)[optionKey(LOAN_OPTION[name].flag)];
    read[name] = null;
    if (text === undefined) continue;
    const p = LOAN.fields[name].parse(text);
    if (p.ok) read[name] = p.value;
    else problems.push({ field: name, reason: p.reason, ...(p.value !== undefined ? { value: p.value } : {}) });
  }
  problems.push(...loanRules({ kind: input.kind, amountCents: input.amount, firstLoan: input.firstLoan }));
  return { read: read as Pick<LoanRecord, TextField>, problems };
}

/**
 * A loan may be recorded on the case: in service, financing-ready on the loan's date (the class as of that day,
 * from the case's reclassifications `changes`, not today's), dated from `since` (the lead bank's assignment) on.
 * `dates` checks the date (core/entry-dates.ts). Shared by `loan` and the collection import.
 */
export function checkLoanCase(
  c: Pick<CaseRow, 'stage' | 'class' | 'name' | 'enterprise_code'>,
  kind: LoanRecord['kind'],
  date: string,
  since: { date: string | null; label: string },
  changes: ClassChange[],
  dates: EntryDates,
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
  dates.check(date, `${c.name}的${kind === 'credit' ? '授信' : '放款'}`, since);
}

/** The loan's stored row (the definition's columns, and when it was written). */
export function loanRow(r: LoanRecord, at: string): RowOf<LoanFields> & { created_at: string } {
  // Added to the row, not spread with it: on Node 20 `{ ...row, created_at }` gives every row a hidden class of its own.
  return Object.assign(LOAN.toRow(r), { created_at: at });
}

/**
 * A loan's entry in a case history: each field's key in the entry's details and its value there (null: not in
 * the details; the kind and date are the entry's own). The keys are stored history: keep them as they are.
 * render/history.ts names each key in words (LoanDetailKey).
 */
const LOAN_DETAIL = {
  caseId: null,
  kind: null,
  date: null,
  amountCents: ['amount', (r) => formatMoney(r.amountCents)],
  bankId: ['lender', (_r, lender) => lender],
  rateBp: ['rate', (r) => (r.rateBp === null ? null : LOAN.fields.rateBp.format(r.rateBp))],
  term: ['term_months', (r) => r.term],
  guarantee: ['guarantee', (r) => r.guarantee],
  firstLoan: ['first_loan', (r) => r.firstLoan],
  note: ['note', (r) => r.note || undefined],
  collectionId: null,
} as const satisfies Record<LoanFieldName, readonly [string, (r: LoanRecord, lender: string) => unknown] | null>;

/** The keys of a loan's history details. */
export type LoanDetailKey = NonNullable<(typeof LOAN_DETAIL)[LoanFieldName]>[0];

/** The case history's entry of a loan. */
export function loanStep(r: LoanRecord, lender: string): Step {
  const details: Record<string, unknown> = {};
  for (const d of Object.values(LOAN_DETAIL)) {
    if (!d) continue;
    const v = d[1](r, lender);
    if (v !== undefined) details[d[0]] = v;
  }
  return { date: r.date, kind: r.kind, details };
}

/** A firm's 首贷 on file (or reported earlier in the same batch): the loan a second flag is refused for. */
export interface FirstLoan {
  id: number | null;
  date: string;
  amountCents: number;
  bankId: number;
  /** Where it was reported, when it is a row of the batch being imported (not yet on file). */
  row?: string;
}

/**
 * 首贷 is at most once per firm, ever, in any of its cases: the one rule for every path that records a loan
 * (`loan`, the collection import; the database's own trigger, migration 0023, refuses the same). The firms'
 * live first loans (not withdrawn; a firm flagged more than once by an older release: the earliest), and
 * those met earlier in an import's batch.
 */
export class FirstLoans {
  private constructor(private readonly byFirm: Map<string, FirstLoan>) {}

  /** The live first loans of these firms, except the loans `except` (those a corrected workbook replaces). */
  static async load(db: Kysely<DB>, codes: readonly string[], except: ReadonlySet<number> = new Set()): Promise<FirstLoans> {
    const byFirm = new Map<string, FirstLoan>();
    const unique = [...new Set(codes)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await db
        .selectFrom('loan')
        .innerJoin('case_file', 'case_file.id', 'loan.case_id')
        .select(['case_file.enterprise_code as code', 'loan.id', 'loan.loan_on', 'loan.amount_cents', 'loan.bank_id'])
        .where('case_file.enterprise_code', 'in', unique.slice(i, i + 500))
        .where('loan.kind', '=', 'disbursement')
        .where('loan.first_loan', '=', 1)
        .orderBy('loan.loan_on')
        .orderBy('loan.id')
        .execute();
      for (const r of rows) {
        if (except.has(r.id) || byFirm.has(r.code)) continue;
        byFirm.set(r.code, { id: r.id, date: r.loan_on, amountCents: r.amount_cents, bankId: r.bank_id });
      }
    }
    return new FirstLoans(byFirm);
  }

  /** The firm's first loan, if it has one: a new 首贷 of the firm is refused. */
  of(code: string): FirstLoan | undefined {
    return this.byFirm.get(code);
  }

  /** A 首贷 accepted for the firm (a row of the batch): any later one is refused. */
  add(code: string, loan: FirstLoan): void {
    if (!this.byFirm.has(code)) this.byFirm.set(code, loan);
  }
}

/** Why a firm's second 首贷 is refused: the earlier one named, and what to do instead (`advice`). */
export function firstLoanRefusal(name: string, earlier: FirstLoan, dir: Directory, advice: string): string {
  const loan = `${earlier.date} ${dir.orgByIdOrThrow(earlier.bankId).name} 放款 ${formatMoney(earlier.amountCents)} 万元`;
  return `${name}已有首贷：${earlier.row ? `${earlier.row}（${loan}）` : loan}；每户企业只有一次首贷，${advice}`;
}

export async function recordLoan(store: Store, who: Actor, input: LoanInput): Promise<{ case: CaseRow; bank: string; id: number }> {
  const { read, problems } = checkLoanFields(input);
  if (problems.length > 0) {
    const flag = (p: LoanProblem) => LOAN_OPTION[p.field]?.flag;
    const lines = problems.map((p) => (p.value !== undefined ? `${flag(p)} 的值「${p.value}」${p.reason}` : `${flag(p)} ${p.reason}`));
    throw new DataError(lines.join('；'), lines.map((message) => ({ message })));
  }
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'case.loan', caseTarget(dir, c));
    const dates = await EntryDates.load(tx, who, input.correction);
    checkLoanCase(c, input.kind, input.date, { date: c.assigned_on, label: '确定主办行的日期' }, await reclassificationsOf(tx, [c.id]), dates);
    const bank = input.bank ? dir.bank(input.bank) : dir.orgByIdOrThrow(c.lead_bank_id!);
    if (bank.kind !== 'bank') throw new DataError(`${bank.name}不是金融机构`);
    authorize(who, 'case.loan', { ...caseTarget(dir, c), lenderOrgId: bank.id });
    // The context's fields first: a field later read from text would be given twice here (a type error).
    const r: LoanRecord = {
      caseId: c.id,
      note: null,
      collectionId: null,
      bankId: bank.id,
      kind: input.kind,
      amountCents: input.amount,
      date: input.date,
      firstLoan: input.firstLoan,
      ...read,
    };
    if (r.firstLoan) {
      const earlier = (await FirstLoans.load(tx, [c.enterprise_code])).of(c.enterprise_code);
      if (earlier) throw new DataError(firstLoanRefusal(c.name, earlier, dir, '本笔请不加 --first-loan 登记'));
    }
    const row = await tx.insertInto('loan').values(loanRow(r, localTimestamp(who.now))).returning('id').executeTakeFirstOrThrow();
    await recordStep(tx, who, c, loanStep(r, bank.name));
    await dates.record(tx);
    return { case: c, bank: bank.name, id: row.id };
  });
}
