/**
 * One way to print results: JSON (identical whether or not stdout is a TTY) or a terminal table
 * (cli-table3, colour only when allowed). Cell text is made safe for a terminal: control characters
 * shown visibly, long text shortened, so hostile input cannot break the layout.
 */
import type { Context } from '../context.js';
import { ellipsis, visible } from '../util/text.js';
import { paint } from './color.js';

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

export async function renderTable<T>(ctx: Context, rows: T[], cols: Column<T>[], opts: { title?: string } = {}): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const p = await paint(ctx);
  const table = new Table({
    head: cols.map((c) => p.bold(c.header)),
    style: { head: [], border: [], compact: true },
    colAligns: cols.map((c) => c.align ?? 'left'),
  });
  for (const r of rows) table.push(cols.map((c) => cellText(c.value(r), c.max)));
  return `${opts.title ? `${p.bold(opts.title)}\n` : ''}${table.toString()}`;
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
