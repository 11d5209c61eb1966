/**
 * The rows of a returned collection workbook: each sheet's row checked against the workbook's own unit and
 * month (from its _xypz sheet), its pre-filled cells against their hashes, and its entries against the
 * same rules as `loan` and `coach done/fail` (service/loans.ts, service/coaching.ts). The file's state comes from import.ts.
 */
import type { Selectable } from 'kysely';
import type { ItemRow, ReturnRow, Span } from '../../store/collection.js';
import type { CaseRow } from '../../store/cases.js';
import type { CoachingItemTable } from '../../store/schema.js';
import { monthInWords } from '../../util/dates.js';
import { parseMoney } from '../../util/money.js';
import { authorize, caseTarget, checkUscc, fromCellText, type Actor, type Directory, type EntryDates, type InSheetOf } from '../core/index.js';
import { cellHash, hashedColumns, ROW_KEY, SHEET, type PrefilledKind, type SheetKind } from './book.js';
import type { Holding, Unit } from './units.js';
import type { RowReader } from '../imports/index.js';
import { checkItemClosing, checkLoanCase, COACHING_ITEM, firstLoanRefusal, LOAN, loanRules, refuseEndedItem, type FirstLoan, type FirstLoans, type ItemReport, type LoanFieldName, type LoanRecord } from '../service/index.js';

/** What the import knows about one returned workbook. */
export interface FileState {
  index: number;
  file: string;
  sha256: string;
  unit: Unit;
  month: string;
  span: Span;
  workbookId: number;
  /** The day the workbook counts as received: --received or today, or (the same file again) its first day, decided under the write lock. */
  received: string;
  /** Hashes of the pre-filled cells, by sheet and row key. */
  manifest: Map<PrefilledKind, Map<string, string[]>>;
  /** Pre-filled rows met in the file, by sheet. */
  seen: Map<PrefilledKind, Set<string>>;
  /** Sheets found, by kind. */
  found: Set<SheetKind>;
  /** Sheets of a kind this unit's workbook does not have (ignored). */
  ignored: Set<string>;
  /** The bank's firms in the month (banks only), by code and by case. */
  holdings: Map<string, Holding>;
  byCase: Map<number, Holding>;
  /** The cases of the unit's coaching items. */
  cases: Map<number, CaseRow>;
  /** Coaching items open in the month, of every unit (to say whose an unknown row's item is). */
  items: Map<number, ItemRow>;
  /**
   * The unit's earlier returns for the month: as read while parsing (for the rows' checks), then again inside
   * the write transaction (import.ts authorizeWrites), which alone decides what the workbook replaces.
   */
  returns: ReturnRow[];
  feedbackRow?: number;
  /** Said once the file has been read. */
  warnings: string[];
  /** The firms whose loans the actor may record as this unit's (asked once per firm). */
  loanAllowed: Set<number>;
  /** Each loan row's content, with the first row that had it: a row typed twice is pointed out. */
  loanRows: Map<string, number>;
  /** The first loans on file of the bank's firms, but those the unit's earlier workbooks for the month brought in (this one replaces them). */
  firstLoans: FirstLoans;
  /** Records parsed from this file. */
  records: number;
}

export interface Ctx {
  who: Actor;
  dir: Directory;
  /** The rows' event dates (core/entry-dates.ts): a row of a final month only as the 人民银行's correction. */
  dates: EntryDates;
  /** The 首贷 rows accepted so far in the batch, by firm: a later row flagging the same firm is refused. */
  batchFirstLoans: Map<string, FirstLoan>;
}

export type CollectRecord =
  | { t: 'loan'; f: number; loan: SheetLoan }
  | { t: 'item'; f: number; item: ItemReport }
  | { t: 'feedback'; f: number; text: string };

const PREFILLED_CHANGED = '预填的单元格被改动（与生成报送表时不同）：预填内容不能修改，请恢复原值，或重新生成报送表';
/** Checks a pre-filled row against its hashes; returns its key if the row was pre-filled, else fails. */
function prefilled(row: RowReader, st: FileState, kind: PrefilledKind, unknown: (key: string) => string): string | undefined {
  const keyCol = ROW_KEY[kind];
  let key = row.text(keyCol);
  if (kind !== 'items') {
    const c = checkUscc(key);
    key = c.code;
  }
  const hashes = st.manifest.get(kind)?.get(key);
  if (!hashes) {
    row.fail(keyCol, unknown(key));
    return undefined;
  }
  st.seen.get(kind)!.add(key);
  hashedColumns(kind).forEach((col, i) => {
    if (row.has(col) && cellHash(row.text(col)) !== hashes[i]) row.fail(col, PREFILLED_CHANGED);
  });
  return key;
}

/** 主办企业 and 在库企业: reference rows, checked only. */
export function parseReference(row: RowReader, st: FileState, kind: 'holdings' | 'pool'): undefined {
  prefilled(row, st, kind, (key) =>
    kind === 'holdings' ? `不是生成报送表时预填的企业：${st.unit.org.name}在${monthInWords(st.month)}不是统一社会信用代码为 ${key || '（空）'} 的企业的主办行（或代码被改动）` : `不是生成报送表时${SHEET.pool}名单中的企业（或代码被改动）`,
  );
  return undefined;
}

/** A date cell or text, checked to lie within the workbook's month. */
function monthDate(row: RowReader, key: string, st: FileState): string | undefined {
  const date = row.date(key);
  if (date !== undefined && (date < st.span.start || date > st.span.end)) row.fail(key, `不在${monthInWords(st.month)}内：本报送表只报送${monthInWords(st.month)}的数据`, date);
  return date;
}

/** A percentage as typed: 3.95, "3.95%", or 0.0395 in a cell formatted as a percentage. */
function rateText(row: RowReader): string | undefined {
  const cell = row.cell(columnOf('rateBp'));
  if (!cell.text) return undefined;
  if (cell.kind === 'number' && cell.num! > 0 && cell.num! < 1) return String(Number((cell.num! * 100).toFixed(6)));
  return cell.text.replace(/\s/g, '');
}

type LoanFields = typeof LOAN.fields;
/** A loan as its row in the 授信放款 sheet gives it: the firm (from its code) and the fields the sheet has. */
export type SheetLoan = Pick<LoanRecord, 'caseId' | InSheetOf<LoanFields>>;
/** The sheet's fields parseLoan reads itself (number and date cells); every other one is read by its definition. */
const READ_HERE = new Set<keyof SheetLoan>(['amountCents', 'date', 'rateBp']);
/** The sheet's other fields, in the definition's order. */
const SHEET_READ = LOAN.sheet.map((s) => s.name).filter((n) => !READ_HERE.has(n));

/** The sheet's column of a loan's field. */
const columnOf = (name: LoanFieldName) => LOAN.fields[name].sheet!.key;

export function parseLoan(row: RowReader, st: FileState, c: Ctx): CollectRecord | undefined {
  const codeText = row.text('code');
  if (!codeText) {
    row.fail('code', '必填');
    return undefined;
  }
  const code = checkUscc(codeText);
  const holding = code.ok || code.badCheck ? st.holdings.get(code.code) : undefined;
  // A code with a wrong check character counts only when it is a firm on file that way (an early pilot code).
  if (!code.ok && !(code.badCheck && holding)) row.fail('code', code.reason);
  else if (!holding) row.fail('code', `${st.unit.org.name}在${monthInWords(st.month)}不是该企业的主办行，不能报送它的授信或放款`);
  const amountCell = row.cell(columnOf('amountCents'));
  const cents = amountCell.kind === 'number' ? parseMoney(amountCell.num!) : parseMoney(amountCell.text);
  if (!amountCell.text) row.fail(columnOf('amountCents'), '必填');
  else if (cents === undefined) row.fail(columnOf('amountCents'), '不是有效金额（万元，最多两位小数）');
  const date = monthDate(row, columnOf('date'), st);
  if (!row.text(columnOf('date'))) row.fail(columnOf('date'), '必填');
  const rate = rateText(row);
  const rateBp = rate === undefined ? null : LOAN.fields.rateBp.parse(rate);
  if (rateBp && !rateBp.ok) row.fail(columnOf('rateBp'), rateBp.reason);
  // Every other column of the sheet, by the loan's definition.
  const read: Record<string, unknown> = {};
  for (const { name, column } of LOAN.sheet) {
    if (READ_HERE.has(name)) continue;
    const p = fromCellText(LOAN.fields[name], row.text(column.key));
    if (p.ok) read[name] = p.value;
    else row.fail(column.key, p.reason);
  }
  const kind = read.kind as LoanRecord['kind'] | undefined;
  for (const p of loanRules({ kind: kind ?? 'credit', amountCents: cents ?? 1, firstLoan: read.firstLoan === true })) {
    if (kind || p.field !== 'firstLoan') row.fail(columnOf(p.field), p.reason);
  }
  if (holding && kind && date && row.problems.length === 0) {
    const cs = holding.case;
    // The permission depends on the firm alone (the lender is the workbook's unit): asked once per firm.
    if (!st.loanAllowed.has(holding.caseId)) {
      row.check('code', () => {
        authorize(c.who, 'case.loan', { ...caseTarget(c.dir, cs), lenderOrgId: st.unit.org.id });
        st.loanAllowed.add(holding.caseId);
      });
    }
    const led = holding.spans.find((s) => s.from <= date && (s.until === null || date < s.until));
    if (!led) row.fail(columnOf('date'), `这一天${st.unit.org.name}不是该企业的主办行（本行主办：${holding.spans.map((s) => `${s.from} 起${s.until ? `至 ${s.until}` : ''}`).join('；')}）`);
    else row.check(columnOf('date'), () => checkLoanCase(cs, kind, date, { date: led.from, label: '本行成为主办行的日期' }, holding.classChanges, c.dates));
  }
  if (row.problems.length > 0 || !holding || !kind || cents === undefined || !date || (rateBp && !rateBp.ok)) return undefined;
  if (read.firstLoan === true) {
    // 首贷 at most once per firm, ever: not if the firm has one on file, nor if an earlier row of the batch flagged it
    const earlier = st.firstLoans.of(holding.code) ?? c.batchFirstLoans.get(holding.code);
    if (earlier) {
      row.fail(columnOf('firstLoan'), firstLoanRefusal(holding.name, earlier, c.dir, '本行的「首贷」请填“否”'));
      return undefined;
    }
    c.batchFirstLoans.set(holding.code, { id: null, date, amountCents: cents, bankId: st.unit.org.id, row: `${st.file}「${row.loc.sheet}」第 ${row.loc.row} 行` });
  }
  // Built property by property: on Node 20 a spread followed by more properties ({ ...read, caseId }) gives every
  // object a hidden class of its own, and each function that reads the 18,000 loans of a batch then looks their
  // fields up the slow way (a heap snapshot after the rows were read: 18,000 classes, one a loan).
  const loan = { caseId: holding.caseId, amountCents: cents, date, rateBp: rateBp?.ok ? rateBp.value : null } as SheetLoan;
  for (const name of SHEET_READ) (loan as Record<string, unknown>)[name] = read[name];
  // Two loans alike in every column are possible (two disbursements on one day), but more often one row typed twice.
  const same = LOAN.key(loan);
  const earlier = st.loanRows.get(same);
  if (earlier === undefined) st.loanRows.set(same, row.loc.row);
  else st.warnings.push(`${st.file}「${row.loc.sheet}」第 ${row.loc.row} 行与第 ${earlier} 行完全相同，两笔都已计入；如是重复填写，请删去一行后重新导入`);
  return { t: 'loan', f: st.index, loan };
}

/** Whether an item was closed by this unit's earlier workbook for the month (a closing it may change). */
export function closedByUnit(item: Pick<Selectable<CoachingItemTable>, 'closed_collection_id'>, st: FileState): boolean {
  return item.closed_collection_id !== null && st.returns.some((r) => r.id === item.closed_collection_id);
}

const STATE_LABEL = { open: '进行中', done: '办结', failed: '未办成' } as const satisfies Record<ItemReport['status'], string>;
/** The sheet's column of an item's field. */
const itemColumn = (name: keyof typeof COACHING_ITEM.fields) => COACHING_ITEM.fields[name].sheet!.key;

export function parseItem(row: RowReader, st: FileState, c: Ctx): CollectRecord | undefined {
  const idText = row.text('id');
  const id = Number(idText);
  if (!/^\d+$/.test(idText) || id < 1) {
    row.fail('id', idText ? '不是辅导事项编号' : '必填（预填的编号不能删除）');
    return undefined;
  }
  const key = prefilled(row, st, 'items', () => {
    const it = st.items.get(id);
    if (!it) return `没有编号为 ${id} 的${monthInWords(st.month)}辅导事项`;
    if (it.org_id !== st.unit.org.id) return `辅导事项 #${id} 交给${c.dir.orgByIdOrThrow(it.org_id).name}办理，不是交给${st.unit.org.name}的`;
    return `辅导事项 #${id} 不在本报送表的预填事项中（生成报送表之后才交办）：请重新生成报送表，或用 xypz coach done/fail 登记`;
  });
  const read = <K extends 'status' | 'note'>(name: K): ItemReport[K] | undefined => {
    const p = fromCellText(COACHING_ITEM.fields[name], row.text(itemColumn(name)));
    if (!p.ok) row.fail(itemColumn(name), p.reason);
    return p.ok ? (p.value as ItemReport[K]) : undefined;
  };
  const state = read('status');
  const date = monthDate(row, 'closedOn', st) ?? null;
  const noteRead = read('note');
  const note = noteRead ?? null;
  if (state === 'open' && row.text('closedOn')) row.fail('closedOn', '办理情况为“进行中”时不填办结日期：办结了请把办理情况改为“办结”或“未办成”');
  if ((state === 'done' || state === 'failed') && !row.text('closedOn')) row.fail('closedOn', `办理情况为“${STATE_LABEL[state]}”时须填写办结日期`);
  if (state === 'failed' && !note && noteRead !== undefined) row.fail('note', '未办成须说明原因');
  if (key === undefined || !state || row.problems.length > 0) return undefined;
  const item = st.items.get(id)!;
  const cs = st.cases.get(item.case_id)!;
  if (state !== 'open') {
    if (item.status === 'open') {
      row.check('id', () => authorize(c.who, 'coach.close', { ...caseTarget(c.dir, cs), itemOrgId: item.org_id }));
      if (row.problems.length === 0) row.check('closedOn', () => checkItemClosing(c.who, c.dir, cs, item, date!, c.dates));
    } else if (closedByUnit(item, st)) {
      row.check('closedOn', () => c.dates.check(date!, `${cs.name}的辅导事项 #${item.id}「${item.item}」办理结果`, { date: item.added_on, label: '事项添加日期' }));
    }
  }
  // The unit's own closing of an item whose case has since been closed is not the workbook's to change or take back.
  if (item.status !== 'open' && closedByUnit(item, st) && (item.status !== state || item.closed_on !== date || (item.note ?? null) !== note)) {
    row.check('state', () => refuseEndedItem(cs, item));
  }
  // A closing by command (or after the month: the item was still in progress then) is not the workbook's to change.
  const closedAfter = item.closed_on !== null && item.closed_on > st.span.end;
  if (item.status !== 'open' && !closedByUnit(item, st) && !(closedAfter && state === 'open') && (item.status !== state || item.closed_on !== date)) {
    st.warnings.push(`${st.file}「${row.loc.sheet}」第 ${row.loc.row} 行：辅导事项 #${id} 已登记为${describeClosing(item)}，报送表中为${STATE_LABEL[state]}${date ? `（${date}）` : ''}，以已登记的为准，未改动`);
  }
  if (row.problems.length > 0) return undefined;
  return { t: 'item', f: st.index, item: { id, status: state, closedOn: date, note } };
}

export function parseFeedback(row: RowReader, st: FileState): CollectRecord | undefined {
  const text = row.text('text');
  if (!text) return undefined;
  if (st.feedbackRow !== undefined) {
    row.fail('text', `月度反馈请写在同一个单元格中（第 ${st.feedbackRow} 行已有内容）`);
    return undefined;
  }
  st.feedbackRow = row.loc.row;
  if (Array.from(text).length > 5000) {
    row.fail('text', '反馈内容不超过 5000 字');
    return undefined;
  }
  return { t: 'feedback', f: st.index, text };
}

/** What a closing by command looks like, for a warning that the workbook disagrees with it. */
export function describeClosing(item: { status: string; closed_on: string | null }): string {
  return `${STATE_LABEL[item.status as keyof typeof STATE_LABEL]}（${item.closed_on}）`;
}
