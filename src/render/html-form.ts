/**
 * A table as an official statistics form in HTML: the title, the period in words, the 填报单位 line with the
 * units (单位：户、万元), a two-level header where columns share a group (推荐企业数 over 本期 / 累计), the 合计
 * row, and the signature line with the 报出日期. Used by the HTML report (src/render/html-report.ts).
 */
import { dateInWords } from '../util/dates.js';
import type { ColumnKind } from './xlsx.js';

/** The kinds of the workbook's columns, and scores (two decimals, 分). */
export type CellKind = ColumnKind | 'score';

export interface FormColumn<T> {
  /** The column's full name; its own header when it has no group. */
  header: string;
  kind: CellKind;
  value: (row: T) => string | number | boolean | null | undefined;
  /** The upper header shared with the neighbouring columns of the same group, and this column's part of it. */
  group?: string;
  sub?: string;
  /** The unit of a count (户, 项, 个), listed in the 单位 line; amounts are 万元. */
  unit?: string;
}

export interface FormSpec<T> {
  title: string;
  /** The period in words: 2024年3月, 2024年第一季度, 2024年度. */
  period: string;
  /** The 填报单位. */
  unit: string;
  /** The 报出日期 (ISO). */
  date: string;
  columns: FormColumn<T>[];
  rows: T[];
  total?: T;
}

/** The signature line under every form. */
export const SIGNATURE_LABELS = ['单位负责人：', '统计负责人：', '填表人：', '报出日期：'] as const;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A cell as the form shows it: amounts and scores with two decimals, rates as percentages. */
export function cellText(kind: CellKind, v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return kind === 'rate' ? '—' : '';
  if (kind === 'bool') return v === true ? '已报送' : v === false ? '未报送' : String(v);
  if (typeof v !== 'number') return String(v);
  if (kind === 'money' || kind === 'score') return v.toFixed(2);
  if (kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  return String(v);
}

/** 单位：户、万元 — the units of the table's quantities, in column order. */
export function measureLine(cols: FormColumn<unknown>[]): string {
  const units = [...new Set(cols.flatMap((c) => (c.kind === 'money' ? ['万元'] : c.kind === 'score' ? ['分'] : c.unit && c.kind === 'int' ? [c.unit] : [])))];
  return units.length ? `单位：${units.join('、')}` : '';
}

/** Consecutive columns of one group share an upper header cell; a column outside any group spans both rows. */
function headerRows(cols: FormColumn<unknown>[]): string {
  const grouped = cols.some((c) => c.group);
  if (!grouped) return `<tr>${cols.map((c) => `<th scope="col">${escapeHtml(c.header)}</th>`).join('')}</tr>`;
  const top: string[] = [];
  const bottom: string[] = [];
  for (let i = 0; i < cols.length; ) {
    const c = cols[i]!;
    if (!c.group) {
      top.push(`<th scope="col" rowspan="2">${escapeHtml(c.header)}</th>`);
      i += 1;
      continue;
    }
    let j = i;
    for (; j < cols.length && cols[j]!.group === c.group; j++) bottom.push(`<th scope="col">${escapeHtml(cols[j]!.sub ?? cols[j]!.header)}</th>`);
    top.push(`<th scope="colgroup" colspan="${j - i}">${escapeHtml(c.group)}</th>`);
    i = j;
  }
  return `<tr>${top.join('')}</tr><tr>${bottom.join('')}</tr>`;
}

function row<T>(cols: FormColumn<T>[], r: T, total: boolean): string {
  const cells = cols.map((c, i) => {
    const text = escapeHtml(cellText(c.kind, c.value(r)));
    if (i === 0) return `<th scope="row">${text}</th>`;
    return `<td class="${c.kind === 'text' ? 'txt' : c.kind === 'bool' || c.kind === 'date' ? 'mid' : 'num'}">${text}</td>`;
  });
  return `<tr${total ? ' class="total"' : ''}>${cells.join('')}</tr>`;
}

/** The whole form: head lines, the table (its header repeats on every printed page), the signature line. */
export function formHtml<T>(f: FormSpec<T>): string {
  const measure = measureLine(f.columns as FormColumn<unknown>[]);
  const signature = SIGNATURE_LABELS.map((l, i) => `<span>${l}${i === SIGNATURE_LABELS.length - 1 ? dateInWords(f.date) : ''}</span>`).join('');
  return [
    '<div class="form">',
    `<h3 class="form-title">${escapeHtml(f.title)}</h3>`,
    `<p class="form-period">${escapeHtml(f.period)}</p>`,
    `<p class="form-unit"><span>填报单位：${escapeHtml(f.unit)}</span><span>${measure}</span></p>`,
    '<table class="form-table">',
    `<thead>${headerRows(f.columns as FormColumn<unknown>[])}</thead>`,
    `<tbody>${[...f.rows.map((r) => row(f.columns, r, false)), ...(f.total === undefined ? [] : [row(f.columns, f.total, true)])].join('')}</tbody>`,
    '</table>',
    `<p class="form-sign">${signature}</p>`,
    '</div>',
  ].join('\n');
}
