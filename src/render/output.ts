/**
 * One way to print results: JSON (identical whether or not stdout is a TTY) or a terminal table
 * (cli-table3, colour only when allowed). Cell text is made safe for a terminal: control characters
 * shown visibly, long text shortened, so hostile input cannot break the layout.
 *
 * On a terminal a table fits the screen (`ctx.width`): long text columns wrap inside their cells; a table
 * still too wide is split into several stacked tables that repeat the first column; when even that does
 * not fit, each row is printed as a record (`表头：值` lines). `--wide` keeps one table. Without a terminal
 * the layout never depends on a width.
 */
import type { Context } from '../context.js';
import { displayWidth, ellipsis, visible } from '../util/text.js';
import { wrapText } from '../util/wrap.js';
import { applyTone, painter, toneOf, type Paint } from './color.js';

export type CellValue = string | number | boolean | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => CellValue;
  align?: 'left' | 'right';
  /** Longest text shown in the cell (characters); default 40. */
  max?: number;
}

export function printJson(ctx: Context, data: unknown): void {
  ctx.out(JSON.stringify(data, null, 2));
}

export function cellText(v: CellValue, max = 40): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  return ellipsis(visible(String(v)), max);
}

/** A wrapped text column is never made narrower than this. */
const MIN_TEXT_WIDTH = 16;
/** The label of a row that sums the others: printed bold. */
const TOTAL_LABEL = '合计';

interface Grid {
  headers: string[];
  aligns: ('left' | 'right')[];
  rows: string[][];
}

/** cli-table3's compact layout: one space of padding each side and a border between columns. */
function tableWidth(widths: number[]): number {
  return widths.reduce((a, w) => a + w + 3, 1);
}

function naturalWidths(g: Grid): number[] {
  return g.headers.map((h, i) => Math.max(displayWidth(h), ...g.rows.map((r) => displayWidth(r[i]!))));
}

/** Narrows the widest columns (text wraps in its cell) until the table fits or none can narrow further. */
function shrink(widths: number[], limit: number): number[] {
  const w = [...widths];
  while (tableWidth(w) > limit) {
    const widest = w.reduce((best, x, i) => (x > w[best]! ? i : best), 0);
    if (w[widest]! <= MIN_TEXT_WIDTH) break;
    w[widest] = Math.max(MIN_TEXT_WIDTH, w[widest]! - (tableWidth(w) - limit));
  }
  return w;
}

/** Column groups for stacked tables, each starting with the first column; undefined if one cannot fit. */
function stack(widths: number[], limit: number): number[][] | undefined {
  const parts: number[][] = [];
  let part = [0];
  for (let i = 1; i < widths.length; i++) {
    const next = [...part, i];
    if (tableWidth(next.map((c) => widths[c]!)) <= limit) {
      part = next;
      continue;
    }
    if (part.length === 1) return undefined;
    parts.push(part);
    part = [0, i];
    if (tableWidth(part.map((c) => widths[c]!)) > limit) return undefined;
  }
  parts.push(part);
  // One figure per table reads worse than a record per row.
  return parts.length > 1 && parts.every((p) => p.length === 2) && widths.length > 3 ? undefined : parts;
}

/** A cell's lines styled by what the whole cell says (a wrapped 逾期 stays red on both lines). */
function styleCell(p: Paint, header: string, text: string, lines: string[], total: boolean): string {
  const tone = toneOf(header, text);
  return lines.map((l) => (total ? p.bold(applyTone(p, tone, l)) : applyTone(p, tone, l))).join('\n');
}

async function drawTable(p: Paint, g: Grid, cols: number[], widths: number[]): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: cols.map((c) => p.bold(g.headers[c]!)),
    style: { head: [], border: [], compact: true },
    colAligns: cols.map((c) => g.aligns[c]!),
  });
  for (const r of g.rows) {
    const total = r[0] === TOTAL_LABEL;
    table.push(
      cols.map((c) => {
        const text = r[c]!;
        return styleCell(p, g.headers[c]!, text, displayWidth(text) > widths[c]! ? wrapText(text, widths[c]!) : [text], total);
      }),
    );
  }
  return table.toString();
}

/** Each row as `表头：值` lines, values wrapped to the screen, rows separated by a rule naming the row. */
function drawRecords(p: Paint, g: Grid, limit: number): string {
  const labelWidth = Math.max(...g.headers.map(displayWidth));
  const valueWidth = Math.max(10, limit - labelWidth - 2);
  const out: string[] = [];
  g.rows.forEach((r, n) => {
    const total = r[0] === TOTAL_LABEL;
    const title = `── ${r[0] || `${n + 1}`} `;
    out.push(p.bold(title + '─'.repeat(Math.max(2, Math.min(limit, 40) - displayWidth(title)))));
    g.headers.forEach((h, i) => {
      if (i === 0) return;
      const pad = ' '.repeat(labelWidth - displayWidth(h));
      const lines = styleCell(p, h, r[i]!, wrapText(r[i]!, valueWidth), total).split('\n');
      lines.forEach((line, k) => out.push(`${k === 0 ? `${h}${pad}` : ' '.repeat(labelWidth)}  ${line}`.trimEnd()));
    });
  });
  return out.join('\n');
}

export async function renderTable<T>(ctx: Context, rows: T[], cols: Column<T>[], opts: { title?: string } = {}): Promise<string> {
  const p = painter(ctx.color);
  const g: Grid = {
    headers: cols.map((c) => c.header),
    aligns: cols.map((c) => c.align ?? 'left'),
    rows: rows.map((r) => cols.map((c) => cellText(c.value(r), c.max))),
  };
  const title = opts.title ? `${p.bold(opts.title)}\n` : '';
  const all = cols.map((_, i) => i);
  const natural = naturalWidths(g);
  const limit = ctx.width;
  if (limit === undefined || tableWidth(natural) <= limit) return title + (await drawTable(p, g, all, natural));
  // Long text wrapping in its cells keeps one table; else stacked tables with whole cells; else records.
  const narrowed = shrink(natural, limit);
  if (tableWidth(narrowed) <= limit) return title + (await drawTable(p, g, all, narrowed));
  const parts = stack(natural, limit);
  if (!parts) return title + drawRecords(p, g, limit);
  const tables = await Promise.all(parts.map((part) => drawTable(p, g, part, natural)));
  return title + tables.join('\n');
}

/**
 * `标签  值` lines with the labels aligned; on a terminal long values wrap under themselves to fit the screen.
 * Empty values show as —.
 */
export function renderPairs(ctx: Context, pairs: [string, CellValue][]): string {
  const labelWidth = Math.max(0, ...pairs.map(([l]) => displayWidth(l)));
  const valueWidth = ctx.width === undefined ? Infinity : Math.max(10, ctx.width - labelWidth - 2);
  const out: string[] = [];
  for (const [label, v] of pairs) {
    const text = cellText(v, 1000) || '—';
    const lines = valueWidth === Infinity ? [text] : wrapText(text, valueWidth);
    lines.forEach((line, k) => out.push(`${k === 0 ? label + ' '.repeat(labelWidth - displayWidth(label)) : ' '.repeat(labelWidth)}  ${line}`));
  }
  return out.join('\n');
}

/** A list: JSON array of `json(row)` with --json, else a table (or the `empty` line when there are no rows). */
export async function printList<T>(
  ctx: Context,
  rows: T[],
  cols: Column<T>[],
  json: (row: T) => unknown,
  opts: { empty: string; title?: string; footer?: string },
): Promise<void> {
  if (ctx.json) return printJson(ctx, rows.map(json));
  if (rows.length === 0) return ctx.out(opts.empty);
  ctx.out(await renderTable(ctx, rows, cols, opts));
  if (opts.footer) ctx.out(opts.footer);
}
