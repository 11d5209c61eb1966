/**
 * Writing a returned collection workbook (import.ts reads it): its loans as the bank's, its
 * coaching items' closings, its feedback; and what it replaces of the unit's earlier workbook for the month.
 * The rules are those of `loan`, `coach done/fail` and `feedback add` (service/, feedback.ts).
 *
 * A workbook's loans go into a firm's history as one entry per workbook listing each loan (its month's
 * report), and into the audit log as one entry per workbook listing every loan added or withdrawn (each
 * loan row carries its collection_id), as the account import records what it adds.
 */
import type { Kysely, Selectable } from 'kysely';
import { localTimestamp } from '../../store/audit.js';
import { caseById, casesByIds, reclassificationsOf, type CaseRow } from '../../store/cases.js';
import { insertLoans, latestFeedback, setItemClosing, withdrawLoans, type LoanRow } from '../../store/collection.js';
import type { CoachingItemTable, DB } from '../../store/schema.js';
import { DataError } from '../../errors.js';
import { formatMoney } from '../../util/money.js';
import { addHistory, audit, authorize, caseTarget, monthIsFinal, recordStep, type Actor, type Directory, type EntryDates, type Step } from '../core/index.js';

import { closedByUnit, type FileState } from './rows.js';
import { feedbackSender } from './units.js';
import { authorizeFeedbackFrom, submitCollectedFeedback } from './feedback.js';
import { checkItemClosing, checkLoanCase, COACHING_ITEM, firstLoanRefusal, FirstLoans, LOAN, loanRow, refuseEndedItem, writeItemClosings, type ItemReport, type LoanFieldName, type LoanRecord } from '../service/index.js';
import { monthInWords } from '../../util/dates.js';
import { groupBy } from '../../util/group.js';

/**
 * The cases a write transaction has read, by id: each read once, however many chunks of rows name it. What the
 * import's checks read of a case (its stage, class, district, lead bank, name) the import never changes (it moves
 * only a case's latest progress date), and every write holds the store's one write lock: a case read earlier in
 * the transaction is the case as it is now.
 */
export class TxCases {
  private readonly known = new Map<number, CaseRow>();
  constructor(private readonly tx: Kysely<DB>) {}
  /** The cases of `ids` (and those read before), reading only the ones not yet read. */
  async of(ids: Iterable<number>): Promise<Map<number, CaseRow>> {
    const missing = new Set<number>();
    for (const id of ids) if (!this.known.has(id)) missing.add(id);
    if (missing.size > 0) for (const c of await casesByIds(this.tx, [...missing])) this.known.set(c.id, c);
    return this.known;
  }
}

/** What the write transaction keeps per returned workbook. */
export interface Written {
  returnId: number;
  /** Loans the unit's earlier workbooks for the month brought in, by identity, not yet met again. */
  earlier: Map<string, LoanRow[]>;
  /** Coaching items the workbook reported on. */
  items: Set<number>;
  rows: number;
  /** Loans added and withdrawn, for the workbook's audit entry. */
  added: string[];
  withdrawn: string[];
}

const kindText = LOAN.fields.kind.format;

/** Each field in a loan's words, in this order after the kind and amount (null: not said). */
const LOAN_WORDS = {
  caseId: null,
  bankId: null,
  kind: null,
  amountCents: null,
  date: (l) => l.date,
  rateBp: (l) => (l.rateBp !== null ? `年利率 ${LOAN.fields.rateBp.format(l.rateBp)}%` : ''),
  term: (l) => (l.term !== null ? `${l.term} 个月` : ''),
  guarantee: (l) => l.guarantee ?? '',
  firstLoan: (l) => (l.firstLoan ? '首贷' : ''),
  note: (l) => l.note ?? '',
  collectionId: null,
} satisfies Record<LoanFieldName, ((l: LoanRecord) => string) | null>;

/** The fields LOAN_WORDS says, in its order. */
const SAID = Object.values(LOAN_WORDS).filter((words) => words !== null);

/** A loan in words: "授信 500.00 万元（2024-05-10，年利率 3.95%，12 个月，信用）". */
function loanText(l: LoanRecord): string {
  const more: string[] = [];
  for (const words of SAID) {
    const w = words(l);
    if (w) more.push(w);
  }
  return `${kindText(l.kind)} ${formatMoney(l.amountCents)} 万元（${more.join('，')}）`;
}

/** A loan in an audit entry: "<code> 授信 500.00 2024-05-10". */
const loanLine = (code: string, kind: LoanRecord['kind'], cents: number, date: string) => `${code} ${kindText(kind)} ${formatMoney(cents)} ${date}`;

/** One history step per firm: its loans in this workbook, dated by the latest of them (or `on`). */
function perFirm(loans: { caseId: number; date: string; text: string }[], kind: string, details: Record<string, unknown>, on?: string): Map<number, Step> {
  const steps = new Map<number, Step>();
  for (const l of loans) {
    const s = steps.get(l.caseId) ?? { date: on ?? l.date, kind, details: { ...details, loans: [] as string[] } };
    (s.details!.loans as string[]).push(l.text);
    if (!on && l.date > s.date) s.date = l.date;
    steps.set(l.caseId, s);
  }
  return steps;
}

/**
 * Records new loans of one or more workbooks (the rules checked again on the cases as they are now), with
 * their history: all at once, so that a batch of workbooks makes one insert of each kind.
 */
export async function writeLoans(tx: Kysely<DB>, w: Actor, dir: Directory, books: { st: FileState; wr: Written; loans: LoanRecord[] }[], dates: EntryDates, txCases: TxCases): Promise<void> {
  const all = books.flatMap((b) => b.loans);
  if (all.length === 0) return;
  const ids = [...new Set(all.map((r) => r.caseId))];
  const cases = await txCases.of(ids);
  recheckLoans(w, dir, books, cases, groupBy(await reclassificationsOf(tx, ids), (ch) => ch.case_id), dates);
  // 首贷 at most once per firm, ever: checked again on the loans as they are now (the rows were checked when read)
  const firsts = all.filter((r) => r.firstLoan);
  if (firsts.length > 0) {
    const on = await FirstLoans.load(tx, firsts.map((r) => cases.get(r.caseId)!.enterprise_code));
    for (const r of firsts) {
      const c = cases.get(r.caseId)!;
      const earlier = on.of(c.enterprise_code);
      if (earlier) throw new DataError(firstLoanRefusal(c.name, earlier, dir, '报送表中该笔的「首贷」请填“否”'));
      on.add(c.enterprise_code, { id: null, date: r.date, amountCents: r.amountCents, bankId: r.bankId });
    }
  }
  const at = localTimestamp(w.now);
  await insertLoans(tx, all.map((r) => loanRow(r, at)));
  await addHistory(tx, w, loansHistory(books, cases));
}

/**
 * The rules of a loan checked again on each row's case as it is now, in row order (the first refused row stops
 * the batch). The permission is asked once per firm and lender: it depends on nothing else of the row.
 */
function recheckLoans(
  w: Actor,
  dir: Directory,
  books: { st: FileState; loans: LoanRecord[] }[],
  cases: Map<number, CaseRow>,
  changes: Map<number, Awaited<ReturnType<typeof reclassificationsOf>>>,
  dates: EntryDates,
): void {
  const allowed = new Set<string>();
  for (const { st, loans } of books) {
    for (const r of loans) {
      const c = cases.get(r.caseId)!;
      const led = st.byCase.get(r.caseId)!.spans.find((s) => s.from <= r.date && (s.until === null || r.date < s.until))!;
      const who = `${r.caseId}:${r.bankId}`;
      if (!allowed.has(who)) {
        authorize(w, 'case.loan', { ...caseTarget(dir, c), lenderOrgId: r.bankId });
        allowed.add(who);
      }
      checkLoanCase(c, r.kind, r.date, { date: led.from, label: '本行成为主办行的日期' }, changes.get(r.caseId) ?? [], dates);
    }
  }
}

/** The workbooks' new loans as history (one step per firm and workbook), each also listed for the workbook's audit entry. */
function loansHistory(books: { st: FileState; wr: Written; loans: LoanRecord[] }[], cases: Map<number, CaseRow>): { c: CaseRow; step: Step }[] {
  const history: { c: CaseRow; step: Step }[] = [];
  for (const { st, wr, loans } of books) {
    const steps = perFirm(
      loans.map((r) => ({ caseId: r.caseId, date: r.date, text: loanText(r) })),
      'loans_reported',
      { lender: st.unit.org.name, month: monthInWords(st.month) },
    );
    for (const [id, step] of steps) history.push({ c: cases.get(id)!, step });
    for (const r of loans) wr.added.push(loanLine(cases.get(r.caseId)!.enterprise_code, r.kind, r.amountCents, r.date));
  }
  return history;
}

/**
 * Withdraws the loans the unit's earlier workbook brought in and this one no longer has (or only `only` of them). Withdrawing a loan of a
 * month already final changes that month's figures: only as the 人民银行's correction (`dates`).
 */
export async function withdrawEarlier(tx: Kysely<DB>, w: Actor, dir: Directory, st: FileState, wr: Written, dates: EntryDates, txCases: TxCases, only?: LoanRow[]): Promise<number> {
  const gone = only ?? [...wr.earlier.values()].flat();
  if (gone.length === 0) return 0;
  if (only) {
    // withdrawn ahead of the rest (a replaced 首贷): no longer waiting to be met again
    const ids = new Set(only.map((l) => l.id));
    for (const [k, list] of wr.earlier) wr.earlier.set(k, list.filter((l) => !ids.has(l.id)));
  }
  const cases = await txCases.of(gone.map((l) => l.case_id));
  for (const l of gone) authorize(w, 'case.loan', { ...caseTarget(dir, cases.get(l.case_id)!), lenderOrgId: l.bank_id });
  for (const l of gone) dates.check(l.loan_on, `撤回${cases.get(l.case_id)!.name}的${kindText(l.kind)} ${formatMoney(l.amount_cents)} 万元`);
  await withdrawLoans(tx, gone, { returnId: wr.returnId, on: st.received, at: localTimestamp(w.now) });
  const steps = perFirm(
    gone.map((l) => ({ caseId: l.case_id, date: l.loan_on, text: loanText(LOAN.fromRow(l)) })),
    'loans_withdrawn',
    { lender: st.unit.org.name, month: monthInWords(st.month), reason: `${st.unit.org.name}更正后的${monthInWords(st.month)}报送表中没有这些记录` },
    st.received,
  );
  await addHistory(tx, w, [...steps].map(([id, step]) => ({ c: cases.get(id)!, step })));
  for (const l of gone) wr.withdrawn.push(loanLine(cases.get(l.case_id)!.enterprise_code, l.kind, l.amount_cents, l.loan_on));
  return gone.length;
}

/** The workbook's audit entry for its loans, if it added or withdrew any. */
export function loansAudit(st: FileState, wr: Written): Parameters<typeof audit>[2] {
  if (wr.added.length === 0 && wr.withdrawn.length === 0) return [];
  return [{ entity: 'collection_return', entityId: `${st.unit.org.name} ${st.month}`, after: { file: st.file, loans_added: wr.added, loans_withdrawn: wr.withdrawn } }];
}

/**
 * A closing the unit's earlier workbook reported, taken back; never one dated in a month already final
 * (keepPublishedClosing): the 人民银行 is told to keep it and add a new item for the work that goes on.
 */
export async function reopen(tx: Kysely<DB>, w: Actor, dir: Directory, item: Selectable<CoachingItemTable>, st: FileState, why: string, dates: EntryDates): Promise<void> {
  const c = (await caseById(tx, item.case_id))!;
  authorize(w, 'coach.close', { ...caseTarget(dir, c), itemOrgId: item.org_id });
  refuseEndedItem(c, item);
  const what = `撤回${c.name}的辅导事项 #${item.id}「${item.item}」的办结`;
  keepPublishedClosing(w, item, what, dates, '请在报送表中保留它，后续工作另加辅导事项（xypz coach add）');
  if (item.closed_on) dates.check(item.closed_on, what);
  await setItemClosing(tx, item.id, { status: 'open', closed_on: null, note: null, closed_collection_id: null });
  await recordStep(tx, w, c, { date: st.received, kind: 'coach_reopened', details: { id: item.id, item: item.item, reason: why }, before: { status: item.status, closed_on: item.closed_on, note: item.note } });
}

/**
 * A closing dated in a month already final is never taken back nor moved to another date: that month's published
 * figures count it, and either change would erase it from the records they are read from (its recorded stamp moves
 * with its date). A unit is refused as for any late entry; the 人民银行 too, even as a correction.
 */
function keepPublishedClosing(w: Actor, item: Selectable<CoachingItemTable>, what: string, dates: EntryDates, advice: string): void {
  if (!item.closed_on || !monthIsFinal(item.closed_on.slice(0, 7), w.today)) return;
  if (w.profile?.org.kind !== 'pboc') dates.check(item.closed_on, what); // a unit: the late-entry refusal
  throw new DataError(`不能${what}：办结日期 ${item.closed_on} 在已结报的${monthInWords(item.closed_on.slice(0, 7))}，已发布的数字计入了这一办结；${advice}`);
}

/**
 * The closings of open items a chunk of rows makes, checked and waiting to be written together
 * (writeItemClosings); `flush` writes them, before any other write, so every record is written in row order.
 * `cases`: the items' cases, read once for the chunk.
 */
export class ItemClosings {
  readonly pending: Parameters<typeof writeItemClosings>[2] = [];
  constructor(
    private readonly tx: Kysely<DB>,
    private readonly w: Actor,
    readonly cases: Map<number, CaseRow>,
  ) {}
  async flush(): Promise<void> {
    await writeItemClosings(this.tx, this.w, this.pending.splice(0));
  }
}

/**
 * A coaching item's row: closed as the workbook says (the rules of coach done/fail), a closing the unit's
 * earlier workbook reported changed or taken back; a closing entered by command is never touched.
 */
export async function writeItem(
  tx: Kysely<DB>,
  w: Actor,
  dir: Directory,
  st: FileState,
  wr: Written,
  item: Selectable<CoachingItemTable>,
  rec: ItemReport,
  dates: EntryDates,
  closings: ItemClosings,
): Promise<'updated' | 'unchanged' | 'withdrawn'> {
  const mine = closedByUnit(item, st);
  if (rec.status === 'open') {
    if (!mine) return 'unchanged';
    await closings.flush();
    await reopen(tx, w, dir, item, st, `${st.unit.org.name}更正后的报送表中为“进行中”`, dates);
    return 'withdrawn';
  }
  const to = { status: rec.status, date: rec.closedOn!, note: rec.note, collectionId: wr.returnId };
  const c = closings.cases.get(item.case_id)!;
  if (item.status === 'open') {
    checkItemClosing(w, dir, c, item, to.date, dates);
    closings.pending.push({ c, item, to });
    return 'updated';
  }
  // Unchanged when the row agrees with the item in every field the unit fills in (the item's definition says which).
  if (!mine || COACHING_ITEM.sameFilled(COACHING_ITEM.fromRow(item), rec)) return 'unchanged';
  await closings.flush();
  authorize(w, 'coach.close', { ...caseTarget(dir, c), itemOrgId: item.org_id });
  refuseEndedItem(c, item);
  const what = `更改${c.name}的辅导事项 #${item.id}「${item.item}」的办结`;
  if (to.date !== item.closed_on) {
    keepPublishedClosing(w, item, what, dates, '请在报送表中保留原办结日期');
    dates.check(to.date, what);
  }
  if (item.closed_on) dates.check(item.closed_on, what);
  await setItemClosing(tx, item.id, { status: to.status, closed_on: to.date, note: to.note, closed_collection_id: to.collectionId });
  await recordStep(tx, w, c, {
    date: to.date,
    kind: to.status === 'done' ? 'coach_done' : 'coach_failed',
    details: { id: item.id, item: item.item, note: to.note, corrected: true },
    before: { status: item.status, closed_on: item.closed_on, note: item.note },
  });
  return 'updated';
}

/** Whether the actor may record the workbook's feedback (submitCollectedFeedback checks it again when it writes). */
export function authorizeFeedback(w: Actor, dir: Directory, st: FileState): void {
  authorizeFeedbackFrom(w, dir, st.unit.org.name);
}

/** The workbook's feedback; the text already on file is not submitted again (a correction keeps its date). */
export async function writeFeedback(tx: Kysely<DB>, w: Actor, dir: Directory, st: FileState, text: string, batchId: number | null): Promise<'added' | 'updated' | 'unchanged'> {
  const sender = feedbackSender(st.unit)!;
  if ((await latestFeedback(tx, sender.kind, sender.key, st.month)) === text) return 'unchanged';
  return submitCollectedFeedback(tx, w, dir, { from: st.unit.org.name, month: st.month, text, date: st.received }, batchId);
}
