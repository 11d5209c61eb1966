/**
 * A unit's monthly collection workbook (xypz collect make): 填报说明 first, then the unit's sheets, each with
 * a title row, the 填报单位 line and one header row; pre-filled cells locked (sheet protection without a
 * password), fill-in cells unlocked with drop-downs for closed choices; the hidden _xypz sheet last.
 */
import type { Worksheet } from 'exceljs';
import { collectionDeadline, COLUMNS, FEEDBACK_TITLE, ITEM_STATES, LOAN_KINDS, metaRows, monthSpan, prefilledRows, SHEET, sheetsOf, titleText, unitLine, YES_NO, type Meta, type SheetKind, type UnitContent } from '../domain/collection/index.js';
import { GUARANTEE_TYPES } from '../domain/service/index.js';
import { safeText } from './formula.js';
import { BODY_PT, headerLines, linesIn, NO_INDENT, PRINTABLE, rowHeight, TEXT_COLUMNS, textWidth } from './sheet-layout.js';
import { dateInWords, monthInWords } from '../util/dates.js';

const HEADER_ROW = 3;
const HAN = /\p{Script=Han}/u;
/** Pre-filled columns holding amounts in 万元. */
const MONEY = new Set(['credit', 'loan']);
const FIRST = HEADER_ROW + 1;
const LOCKED_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFF2F2F2' } };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFDDEBF7' } };
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, bottom: THIN, left: THIN, right: THIN };
// Units may sort rows, add rows below the table, resize and filter; locked cells stay locked.
const PROTECTION = { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, insertRows: true, deleteRows: true, sort: true, autoFilter: true };

export interface BookOptions {
  /** Who made the workbook, for 填报说明's "whom to ask". */
  contact: string;
}

function guideLines(c: UnitContent, contact: string): string[] {
  const deadline = dateInWords(collectionDeadline(c.month));
  const lines = [
    `1. 本表是${c.unit.org.name}${monthInWords(c.month)}的信用培植工程数据报送表，请于${deadline}前填好，原文件（.xlsx，不要改成其他格式）交回。`,
    '2. 灰色底纹的单元格是预填内容，已锁定（工作表保护，未设密码），请不要修改；也不要删除隐藏的“_xypz”工作表。导入时逐格核对预填内容，被改动的单元格会被指出，整份报送表退回。',
    '3. 可以调整列宽、筛选、排序，可以在表格下方接着添加行；请不要修改列名。以“合计”“填表人”等开头的行会被跳过。',
  ];
  const sheets = sheetsOf(c);
  let n = 4;
  if (sheets.includes('holdings')) lines.push(`${n++}. 「${SHEET.holdings}」：本行在本月主办的企业及本行对每户企业截至本月末的累计授信、放款（预填，仅供核对）。`);
  if (sheets.includes('loans')) {
    lines.push(
      `${n++}. 「${SHEET.loans}」：逐笔填写本月的授信和放款。统一社会信用代码从下拉列表选择（只能是本行主办的企业）；类型选“授信”或“放款”；金额以万元计，最多两位小数；日期须在${monthInWords(c.month)}内；担保方式选信用/保证/抵押/质押；首贷（首次从银行获得贷款）只用于放款。行不够可以在下方接着填。`,
    );
  }
  if (sheets.includes('pool')) lines.push(`${n++}. 「${SHEET.pool}」：本区${monthInWords(c.month)}初的在库企业名单（预填，仅供核对）。`);
  if (sheets.includes('items')) {
    lines.push(
      `${n++}. 「${SHEET.items}」：交给本单位办理的辅导事项（预填）。请在“办理情况”选择进行中、办结或未办成；办结或未办成的填写办结日期（${monthInWords(c.month)}内）；未办成的须在“说明”中写明原因。`,
    );
  }
  if (sheets.includes('feedback')) lines.push(`${n++}. 「${SHEET.feedback}」：在合并的大单元格中填写本月工作开展情况和信用培植效果。`);
  lines.push(`${n}. 如有疑问，请联系：${contact}。`);
  return lines;
}

function heading(ws: Worksheet, c: UnitContent, width: number): void {
  if (width > 1) {
    ws.mergeCells(1, 1, 1, width);
    ws.mergeCells(2, 1, 2, width);
  }
  const t = ws.getCell(1, 1);
  t.value = safeText(titleText(c.unit.org.name, c.month));
  t.font = { bold: true, size: 14 };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 26;
  ws.getCell(2, 1).value = safeText(unitLine(c.unit.org.name, c.month));
}

/** A title wider than its column, broken between words (金额 over （万元）, never 金额（万元 over a lone bracket). */
// bold CJK text needs about one unit more than its display width, and the cell its padding
const headerText = (title: string, width: number): string => (textWidth(title) + 2 <= width ? title : headerLines(title, 3).join('\n'));

function header(ws: Worksheet, kind: SheetKind): void {
  const cols = COLUMNS[kind];
  let lines = 1;
  cols.forEach((col, i) => {
    const cell = ws.getCell(HEADER_ROW, i + 1);
    const text = headerText(col.title, col.width);
    lines = Math.max(lines, text.split('\n').length);
    cell.value = text;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    ws.getColumn(i + 1).width = col.width;
  });
  ws.getRow(HEADER_ROW).height = Math.max(30, rowHeight(lines));
}

type Validation = Record<string, unknown>;

function validate(ws: Worksheet, range: string, v: Validation): void {
  (ws as unknown as { dataValidations: { add(ref: string, v: Validation): void } }).dataValidations.add(range, { allowBlank: true, showErrorMessage: true, ...v });
}

const list = (values: readonly string[], what: string): Validation => ({ type: 'list', formulae: [`"${values.join(',')}"`], errorTitle: '请从列表中选择', error: `请选择有效的${what}` });

function monthDates(month: string, what: string): Validation {
  const span = monthSpan(month);
  return {
    type: 'date',
    operator: 'between',
    formulae: [new Date(`${span.start}T00:00:00Z`), new Date(`${span.end}T00:00:00Z`)],
    errorTitle: '日期不在本月',
    error: `${what}须在${monthInWords(month)}内`,
  };
}

const colLetter = (kind: SheetKind, key: string) => String.fromCharCode(65 + COLUMNS[kind].findIndex((c) => c.key === key));

/** Writes pre-filled rows (locked, grey) and marks the fill-in columns unlocked down to `last`. */
function body(ws: Worksheet, kind: SheetKind, rows: Record<string, string | number | null>[], last: number): void {
  const cols = COLUMNS[kind];
  rows.forEach((r, i) => {
    const row = ws.getRow(FIRST + i);
    // A row as tall as its longest wrapped text: LibreOffice prints a row left at the default height as one
    // line, the second line of a long 所在区 or 主办行 over the next row. Codes and dates (no Chinese) are in
    // the sheet's default font, narrower than the 宋体 stand-ins linesIn measures, in columns made for them.
    const lines = cols.reduce((n, col) => {
      const v = r[col.key];
      return typeof v === 'string' && HAN.test(v) ? Math.max(n, linesIn(v, col.width, BODY_PT, NO_INDENT)) : n;
    }, 1);
    if (lines > 1) row.height = rowHeight(lines);
    cols.forEach((col, j) => {
      const v = r[col.key];
      const cell = row.getCell(j + 1);
      if (v !== null && v !== undefined && v !== '') cell.value = typeof v === 'string' ? safeText(v) : v;
      // Amounts are numbers a unit's spreadsheet can sum, shown with their two decimals.
      if (typeof v === 'number' && MONEY.has(col.key)) cell.numFmt = '0.00';
      cell.border = BORDER;
      // Text longer than its column wraps (the columns are as narrow as a landscape page at 10 pt allows).
      if (typeof v === 'string') cell.alignment = { vertical: 'middle', wrapText: true };
      if (col.prefilled || col.key === 'serial' || (kind === 'items' && col.key === 'id')) cell.fill = LOCKED_FILL;
    });
  });
  cols.forEach((col, j) => {
    if (col.prefilled || col.key === 'serial' || (kind === 'items' && col.key === 'id')) return;
    ws.getColumn(j + 1).protection = { locked: false };
    for (let r = FIRST; r <= last; r++) ws.getCell(r, j + 1).protection = { locked: false };
  });
}

/**
 * Empty rows offered for loans: as many as print on the sheet's first page (a printed blank form has no pages
 * of empty rows); a unit with more loans in the month goes on below them, as 填报说明 says.
 */
const LOAN_ROWS = 25;

async function loansSheet(ws: Worksheet, c: UnitContent): Promise<void> {
  const n = LOAN_ROWS;
  const last = FIRST + n - 1;
  const cols = COLUMNS.loans;
  const L = (k: string) => colLetter('loans', k);
  const firms = c.holdings.length;
  for (let r = FIRST; r <= last; r++) {
    const row = ws.getRow(r);
    cols.forEach((_, j) => (row.getCell(j + 1).border = BORDER));
    // The name is looked up from 主办企业 (the formula's result is left empty until the unit's program calculates it).
    if (firms > 0) {
      row.getCell(2).value = { formula: `IF(${L('code')}${r}="","",IFERROR(VLOOKUP(${L('code')}${r},'${SHEET.holdings}'!$B$${FIRST}:$C$${FIRST + firms - 1},2,FALSE),"不是本行主办的企业"))`, result: '' };
    }
    row.getCell(2).fill = LOCKED_FILL;
  }
  body(ws, 'loans', [], last);
  ws.getColumn(2).protection = { locked: true };
  for (let r = FIRST; r <= last; r++) ws.getCell(r, 2).protection = { locked: true };
  ws.getColumn(1).numFmt = '@';
  ws.getColumn(4).numFmt = '0.00';
  ws.getColumn(5).numFmt = 'yyyy-mm-dd';
  const range = (k: string) => `${L(k)}${FIRST}:${L(k)}${last + 500}`;
  if (firms > 0) validate(ws, range('code'), { type: 'list', formulae: [`'${SHEET.holdings}'!$B$${FIRST}:$B$${FIRST + firms - 1}`], errorTitle: '不是本行主办的企业', error: '请从列表中选择本行主办企业的统一社会信用代码' });
  validate(ws, range('kind'), list(Object.keys(LOAN_KINDS), '类型（授信/放款）'));
  validate(ws, range('amount'), { type: 'decimal', operator: 'greaterThan', formulae: [0], errorTitle: '金额', error: '金额以万元计，大于 0，最多两位小数' });
  validate(ws, range('date'), monthDates(c.month, '日期'));
  validate(ws, range('rate'), { type: 'decimal', operator: 'between', formulae: [0, 36], errorTitle: '年利率', error: '年利率以 % 计，如 3.95' });
  validate(ws, range('term'), { type: 'whole', operator: 'between', formulae: [1, 360], errorTitle: '期限', error: '期限以月计，1–360' });
  validate(ws, range('guarantee'), list(GUARANTEE_TYPES, '担保方式'));
  validate(ws, range('first'), list(YES_NO, '首贷（是/否）'));
}

function itemsSheet(ws: Worksheet, c: UnitContent): void {
  const end = monthSpan(c.month).end;
  // As the item stood at the month's end: one closed later was still in progress then.
  const rows = prefilledRows(c).items.map((r, i) => {
    const it = c.items[i]!;
    const closed = it.closed_on !== null && it.closed_on <= end;
    const state = !closed ? '进行中' : it.status === 'done' ? '办结' : '未办成';
    return { ...r, state, closedOn: closed ? it.closed_on! : '', note: closed ? (it.note ?? '') : '' };
  });
  const last = FIRST + Math.max(rows.length, 1) - 1;
  body(ws, 'items', rows, last);
  const L = (k: string) => colLetter('items', k);
  ws.getColumn(8).numFmt = 'yyyy-mm-dd';
  validate(ws, `${L('state')}${FIRST}:${L('state')}${last}`, list(Object.keys(ITEM_STATES), '办理情况'));
  validate(ws, `${L('closedOn')}${FIRST}:${L('closedOn')}${last}`, monthDates(c.month, '办结日期'));
}

function feedbackSheet(ws: Worksheet, c: UnitContent): void {
  const width = 8;
  ws.mergeCells(HEADER_ROW, 1, HEADER_ROW, width);
  ws.mergeCells(FIRST, 1, FIRST, width);
  const h = ws.getCell(HEADER_ROW, 1);
  h.value = FEEDBACK_TITLE;
  h.font = { bold: true };
  h.fill = HEADER_FILL;
  h.alignment = { horizontal: 'center', vertical: 'middle' };
  for (let i = 1; i <= width; i++) ws.getColumn(i).width = 14;
  const cell = ws.getCell(FIRST, 1);
  if (c.feedback) cell.value = safeText(c.feedback);
  cell.alignment = { wrapText: true, vertical: 'top' };
  cell.border = BORDER;
  cell.protection = { locked: false };
  ws.getRow(FIRST).height = 360;
}

/** Writes a unit's workbook into the (temporary) file `path`: for writeFilesAtomic, which puts it in place. */
export async function writeCollectBook(path: string, c: UnitContent, meta: Meta, opts: BookOptions): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'xypz';
  const guide = wb.addWorksheet(SHEET.guide, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  // Two columns merged on each row, as every sheet of text (see TEXT_COLUMNS): printed inside the page.
  heading(guide, c, TEXT_COLUMNS.length);
  TEXT_COLUMNS.forEach((w, i) => (guide.getColumn(i + 1).width = w));
  guide.mergeCells(HEADER_ROW, 1, HEADER_ROW, TEXT_COLUMNS.length);
  guide.getCell(HEADER_ROW, 1).value = SHEET.guide;
  guide.getCell(HEADER_ROW, 1).font = { bold: true };
  guideLines(c, opts.contact).forEach((line, i) => {
    guide.mergeCells(FIRST + i, 1, FIRST + i, TEXT_COLUMNS.length);
    const cell = guide.getCell(FIRST + i, 1);
    cell.value = safeText(line);
    cell.alignment = { wrapText: true, vertical: 'top' };
    // A merged cell does not grow with its wrapped text in Excel or LibreOffice: the row is made tall enough here.
    guide.getRow(FIRST + i).height = rowHeight(linesIn(line, PRINTABLE.portrait));
  });
  await guide.protect('', PROTECTION);
  const rows = prefilledRows(c);
  for (const kind of sheetsOf(c)) {
    const ws = wb.addWorksheet(SHEET[kind], {
      views: [{ state: 'frozen', ySplit: HEADER_ROW }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `1:${HEADER_ROW}` },
    });
    heading(ws, c, kind === 'feedback' ? 8 : COLUMNS[kind].length);
    if (kind !== 'feedback') header(ws, kind);
    if (kind === 'holdings') body(ws, kind, rows.holdings, FIRST + rows.holdings.length - 1);
    else if (kind === 'pool') body(ws, kind, rows.pool, FIRST + rows.pool.length - 1);
    else if (kind === 'loans') await loansSheet(ws, c);
    else if (kind === 'items') itemsSheet(ws, c);
    else feedbackSheet(ws, c);
    await ws.protect('', PROTECTION);
  }
  const hidden = wb.addWorksheet(SHEET.meta, { state: 'hidden' });
  for (const r of metaRows(meta)) hidden.addRow(r.map((v) => (typeof v === 'string' ? safeText(v) : v)));
  hidden.getColumn(1).width = 12;
  hidden.getColumn(3).width = 60;
  await hidden.protect('', PROTECTION);
  await wb.xlsx.writeFile(path);
}
