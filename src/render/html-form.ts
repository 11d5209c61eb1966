/**
 * A table as an official statistics form in HTML, from the same table definition as the workbook's form
 * (SheetSpec, src/render/xlsx.ts): the title, the period in words, the 填报单位 line with the units (单位：户、
 * 万元), a two-level header where columns share a group (推荐企业数 over 本期 / 累计), the 合计 row, and the
 * signature line with the 报出日期. Used by the HTML report (src/render/html-report.ts).
 */
import { dateInWords } from '../util/dates.js';
import { headerWords } from './sheet-layout.js';
import { measureLine, totalValues, type ColumnKind, type SheetColumn, type SheetSpec } from './xlsx.js';
import { SIGNATURE_LABELS, type FormSpec } from './xlsx-form.js';
import { percent } from '../util/rates.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A cell as the form shows it: amounts and scores with two decimals, rates as percentages. */
export function cellText(kind: ColumnKind, v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return kind === 'rate' ? '—' : '';
  if (kind === 'bool' && typeof v === 'boolean') return v ? '已报送' : '未报送';
  if (typeof v !== 'number') return String(v);
  if (kind === 'money') return v.toFixed(2);
  if (kind === 'rate') return percent(v);
  return String(v);
}

/**
 * A header that may break only between its words (申报<wbr>企业数): the table's CSS sets word-break: keep-all,
 * so a browser breaks Chinese text nowhere else.
 */
export function headerHtml(text: string): string {
  return headerWords(text).map(escapeHtml).join('<wbr>');
}

/** Consecutive columns of one group share an upper header cell; a column outside any group spans both rows. */
function headerRows(cols: SheetColumn<unknown>[]): string {
  if (!cols.some((c) => c.group)) return `<tr>${cols.map((c) => `<th scope="col">${headerHtml(c.header)}</th>`).join('')}</tr>`;
  const top: string[] = [];
  const bottom: string[] = [];
  for (let i = 0; i < cols.length; ) {
    const c = cols[i]!;
    if (!c.group) {
      top.push(`<th scope="col" rowspan="2">${headerHtml(c.header)}</th>`);
      i += 1;
      continue;
    }
    let j = i;
    for (; j < cols.length && cols[j]!.group === c.group; j++) bottom.push(`<th scope="col">${headerHtml(cols[j]!.sub ?? cols[j]!.header)}</th>`);
    top.push(`<th scope="colgroup" colspan="${j - i}">${headerHtml(c.group)}</th>`);
    i = j;
  }
  return `<tr>${top.join('')}</tr><tr>${bottom.join('')}</tr>`;
}

function row(cols: SheetColumn<unknown>[], values: (string | number | boolean | null | undefined)[], total: boolean): string {
  const cells = cols.map((c, i) => {
    const text = escapeHtml(cellText(c.kind, values[i]));
    // A column the workbook wraps wraps here too, and keeps its line breaks (one changed figure a line).
    const wrap = c.wrap ? ' wrap' : '';
    if (i === 0) return `<th scope="row"${wrap ? ' class="wrap"' : ''}>${text}</th>`;
    return `<td class="${c.kind === 'text' ? 'txt' : c.kind === 'bool' || c.kind === 'date' ? 'mid' : 'num'}${wrap}">${text}</td>`;
  });
  return `<tr${total ? ' class="total"' : ''}>${cells.join('')}</tr>`;
}

/** The whole form: head lines, the table (its header repeats on every printed page), the signature line. */
export function formHtml(spec: SheetSpec<unknown>, period: string, form: FormSpec): string {
  const cols = spec.columns;
  const body = spec.rows.map((r) => cols.map((c) => c.value(r)));
  const total = spec.total !== undefined && body.length > 0 ? totalValues(spec, cols, body, 0) : undefined;
  const date = form.date ? dateInWords(form.date) : '';
  const signature = SIGNATURE_LABELS.map((l, i) => `<span>${l}${i === SIGNATURE_LABELS.length - 1 ? date : ''}</span>`).join('');
  return [
    '<div class="form">',
    `<h3 class="form-title">${escapeHtml(spec.title ?? spec.name)}</h3>`,
    `<p class="form-period">${escapeHtml(period)}</p>`,
    `<p class="form-unit"><span>填报单位：${escapeHtml(form.unit)}</span><span>${measureLine(cols)}</span></p>`,
    '<table class="form-table">',
    `<thead>${headerRows(cols)}</thead>`,
    `<tbody>${[...body.map((v) => row(cols, v, false)), ...(total ? [row(cols, total, true)] : [])].join('')}</tbody>`,
    '</table>',
    `<p class="form-sign">${signature}</p>`,
    '</div>',
  ].join('\n');
}
