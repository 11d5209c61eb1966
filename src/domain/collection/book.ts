/**
 * The monthly collection workbook as data, shared by the writer (render/collectbook.ts) and the importer
 * (import.ts): sheet names, titles, columns and closed choices, and the hidden `_xypz` sheet that
 * says whose workbook it is, for which month, and what its pre-filled cells held (a hash per cell, so a
 * changed cell can be named, and a digest over all of them, recorded when the workbook is made).
 */
import { createHash } from 'node:crypto';
import type { ColumnSpec } from '../../import/header.js';
import { normaliseCell } from '../../import/cell.js';
import type { SheetRow } from '../../import/sheets.js';
import { dateInWords, monthInWords } from '../../util/dates.js';
import type { UnitContent, UnitKind } from './units.js';
import { feedbackDeadline } from '../core/index.js';
import { COACHING_ITEM, LOAN } from '../service/index.js';

export const SHEET = {
  guide: '填报说明',
  holdings: '主办企业',
  loans: '授信放款',
  items: '辅导事项',
  feedback: '月度反馈',
  pool: '在库企业',
  meta: '_xypz',
} as const;

export type SheetKind = Exclude<keyof typeof SHEET, 'guide' | 'meta'>;
/** The sheets whose rows are pre-filled and protected by the digest. */
export type PrefilledKind = 'holdings' | 'items' | 'pool';

/** The sheets each kind of unit fills (after 填报说明). */
export const SHEETS_OF: Record<UnitKind, SheetKind[]> = {
  bank: ['holdings', 'loans', 'items', 'feedback'],
  department: ['items'],
  district: ['pool', 'items', 'feedback'],
};

/** The sheets of a unit's workbook: 辅导事项 only when items are handed to it (a 金融办 or bank may have none). */
export function sheetsOf(c: { unit: { kind: UnitKind }; items: unknown[] }): SheetKind[] {
  return SHEETS_OF[c.unit.kind].filter((k) => k !== 'items' || c.items.length > 0);
}

export const LOAN_KINDS = LOAN.fields.kind.sheet.choices;
export const ITEM_STATES = COACHING_ITEM.fields.status.sheet.choices;
export const YES_NO = Object.keys(LOAN.fields.firstLoan.sheet.choices);
export const FEEDBACK_TITLE = '本月工作开展情况和信用培植效果';

/** A definition's sheet column as the readers and writers take it (its choices are the definition's own). */
const sheetColumn = ({ choices: _, width, ...c }: ColumnSpec & { prefilled?: boolean; width?: number; choices?: unknown }) => ({ ...c, width: width ?? 10 });

/** Columns of each sheet, in template order. `prefilled` columns are locked and hashed; `key` identifies a row. */
export const COLUMNS: Record<SheetKind, (ColumnSpec & { prefilled?: boolean; width: number })[]> = {
  holdings: [
    { key: 'serial', title: '序号', width: 6 },
    { key: 'code', title: '统一社会信用代码', required: true, prefilled: true, width: 22 },
    { key: 'name', title: '企业名称', required: true, prefilled: true, width: 30 },
    { key: 'district', title: '所在区', required: true, prefilled: true, width: 14 },
    { key: 'class', title: '分类', prefilled: true, width: 8 },
    { key: 'stage', title: '阶段', prefilled: true, width: 14 },
    // Titled by their span (to the month's end); workbooks made before read 累计授信 / 累计放款, still accepted.
    { key: 'credit', title: '截至月末累计授信（万元）', aliases: ['累计授信（万元）'], required: true, prefilled: true, width: 14 },
    { key: 'loan', title: '截至月末累计放款（万元）', aliases: ['累计放款（万元）'], required: true, prefilled: true, width: 14 },
  ],
  // The firm, then the loan's own columns as its definition gives them (service/loans.ts).
  loans: [
    { key: 'code', title: '统一社会信用代码', required: true, width: 22 },
    { key: 'name', title: '企业名称', width: 30 },
    ...LOAN.sheet.map((s) => sheetColumn(s.column)),
  ],
  // The item's number, the firm, then the item's own columns as its definition gives them (service/coaching.ts).
  items: [
    sheetColumn(COACHING_ITEM.fields.id.sheet),
    { key: 'code', title: '统一社会信用代码', required: true, prefilled: true, width: 22 },
    { key: 'name', title: '企业名称', prefilled: true, width: 26 },
    ...COACHING_ITEM.sheet.filter((s) => s.name !== 'id').map((s) => sheetColumn(s.column)),
  ],
  feedback: [{ key: 'text', title: FEEDBACK_TITLE, required: true, width: 100, multiline: true }],
  pool: [
    { key: 'serial', title: '序号', width: 6 },
    { key: 'code', title: '统一社会信用代码', required: true, prefilled: true, width: 22 },
    { key: 'name', title: '企业名称', required: true, prefilled: true, width: 30 },
    { key: 'class', title: '分类', prefilled: true, width: 8 },
    { key: 'stage', title: '阶段', required: true, prefilled: true, width: 14 },
    { key: 'lead', title: '主办行', prefilled: true, width: 24 },
    { key: 'confirmed', title: '入库日期', required: true, prefilled: true, width: 12 },
  ],
};

/** The row key of a pre-filled sheet: a firm's code, or a coaching item's number. */
export const ROW_KEY: Record<PrefilledKind, string> = { holdings: 'code', items: COACHING_ITEM.fields.id.sheet.key, pool: 'code' };

/** The pre-filled columns that are hashed (the key identifies the row; 序号 is only a count). */
export function hashedColumns(kind: PrefilledKind): readonly string[] {
  return HASHED[kind];
}
/** Each pre-filled sheet's hashed columns, said once (a returned workbook's every pre-filled row asks). */
const hashedOf = (kind: PrefilledKind) => COLUMNS[kind].filter((c) => c.prefilled && c.key !== ROW_KEY[kind]).map((c) => c.key);
const HASHED: Record<PrefilledKind, readonly string[]> = { holdings: hashedOf('holdings'), items: hashedOf('items'), pool: hashedOf('pool') };


/** The workbook is due with the feedback it carries: the FEEDBACK_DUE_DAY of the next month. */
export const collectionDeadline = feedbackDeadline;

export function titleText(unit: string, month: string): string {
  return `${unit} ${monthInWords(month)} 信用培植工程数据报送`;
}

export function unitLine(unit: string, month: string): string {
  return `填报单位：${unit}　报送截止：${dateInWords(collectionDeadline(month))}`;
}

/**
 * The hash of a pre-filled cell: of its text as the reader will read it back. It tells an edited cell from
 * an untouched one (32-bit FNV-1a: fast over thousands of cells); the sha256 digest covers them all.
 */
export function cellHash(value: string | number | null): string {
  const text = value === null ? '' : normaliseCell(value).text;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface ManifestRow {
  sheet: PrefilledKind;
  key: string;
  /** One hash per hashedColumns(sheet), in that order. */
  hashes: string[];
}

export interface Meta {
  unitCode: string;
  unitName: string;
  month: string;
  madeAt: string;
  digest: string;
  manifest: ManifestRow[];
}

/** The digest of a workbook's pre-filled cells, with the unit and month they were made for. */
export function digestOf(unitCode: string, month: string, manifest: ManifestRow[]): string {
  const h = createHash('sha256').update(`${unitCode}\n${month}\n`);
  for (const r of manifest) h.update(`${r.sheet}\t${r.key}\t${r.hashes.join(' ')}\n`);
  return h.digest('hex');
}

const META_KEYS = ['unit_code', 'unit', 'month', 'made_at', 'digest', 'format'] as const;
/** Row of the manifest's heading in _xypz (the key/value lines come first); its text follows in column A. */
const MANIFEST_ROW = META_KEYS.length + 2;
/** The manifest is written as a few long cells ("holdings,<code>,<h1>.<h2>…;items,…"), not a row per pre-filled row: read back in a handful of cells. */
const MANIFEST_CELL_CHARS = 30_000;

/** The rows of the hidden sheet, as cell values. */
export function metaRows(m: Meta): (string | number)[][] {
  const values: Record<(typeof META_KEYS)[number], string> = { unit_code: m.unitCode, unit: m.unitName, month: m.month, made_at: m.madeAt, digest: m.digest, format: '2' };
  const cells: string[] = [];
  let cell = '';
  for (const r of m.manifest) {
    const line = `${r.sheet},${r.key},${r.hashes.join('.')}`;
    if (cell && cell.length + line.length + 1 > MANIFEST_CELL_CHARS) {
      cells.push(cell);
      cell = '';
    }
    cell = cell ? `${cell};${line}` : line;
  }
  if (cell) cells.push(cell);
  return [...META_KEYS.map((k) => [k, values[k]]), [], ['manifest'], ...cells.map((c) => [c])];
}

/** Where a value of the hidden sheet is, for messages. */
export function metaCell(key: (typeof META_KEYS)[number]): string {
  return `B${META_KEYS.indexOf(key) + 1}`;
}

/** Reads the hidden sheet back; undefined when it does not hold what collect make writes. */
export function parseMeta(rows: SheetRow[]): Meta | undefined {
  const value = new Map<string, string>();
  const manifest: ManifestRow[] = [];
  for (const r of rows) {
    const a = r.cells[0]?.text ?? '';
    if (r.row < MANIFEST_ROW) value.set(a, r.cells[1]?.text ?? '');
    else if (r.row > MANIFEST_ROW && a) {
      for (const line of a.split(';')) {
        const [sheet, key, hashes] = line.split(',');
        if ((sheet === 'holdings' || sheet === 'items' || sheet === 'pool') && key !== undefined) manifest.push({ sheet, key, hashes: hashes ? hashes.split('.') : [] });
      }
    }
  }
  const unitCode = value.get('unit_code');
  const month = value.get('month');
  const digest = value.get('digest');
  if (!unitCode || !month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || !digest) return undefined;
  return { unitCode, unitName: value.get('unit') ?? '', month, madeAt: value.get('made_at') ?? '', digest, manifest };
}

/** The values of a pre-filled row, by column key, exactly as written (the manifest hashes these). */
export type PrefilledRow = Record<string, string | number>;

/** The pre-filled rows of each sheet of a unit's workbook. */
export function prefilledRows(c: UnitContent): Record<PrefilledKind, PrefilledRow[]> {
  return {
    holdings: c.holdings.map((h, i) => ({ serial: i + 1, code: h.code, name: h.name, district: h.district, class: h.class, stage: h.stage, credit: h.credit, loan: h.loan })),
    items: c.items.map((it) => ({ id: it.id, code: it.code, name: it.name, item: it.item, org: it.org, due: it.due ?? '' })),
    pool: c.pool.map((p, i) => ({ serial: i + 1, code: p.code, name: p.name, class: p.class, stage: p.stage, lead: p.lead, confirmed: p.confirmed })),
  };
}

/** One line per pre-filled row of the sheets the unit's workbook has. */
export function manifestOf(c: UnitContent): ManifestRow[] {
  const rows = prefilledRows(c);
  const kinds = sheetsOf(c).filter((k): k is PrefilledKind => k === 'holdings' || k === 'items' || k === 'pool');
  return kinds.flatMap((sheet) =>
    rows[sheet].map((r) => ({ sheet, key: String(r[ROW_KEY[sheet]]), hashes: hashedColumns(sheet).map((k) => cellHash(r[k] ?? null)) })),
  );
}
