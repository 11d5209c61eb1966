/**
 * Finding the header row (within the first 10 rows) and mapping columns by their titles, in any order.
 */
import { foldWidth } from '../util/text.js';
import type { Cell } from './cell.js';

export interface ColumnSpec {
  key: string;
  /** The title written in templates. */
  title: string;
  aliases?: string[];
  required?: boolean;
  /** Free text that may span lines; every other column is one line (see controlProblem). */
  multiline?: boolean;
}

/** Header text compared loosely: `*`, spaces, colons, "(必填)" and bracket width ignored. */
export function headerKey(s: string): string {
  return foldWidth(s)
    .replace(/[*※\s]/g, '')
    .replace(/\(\s*(必填|选填|可选|必须)\s*\)/g, '')
    .replace(/:+$/, '')
    .toLowerCase();
}

export interface HeaderMatch {
  /** 1-based row number of the header within the sheet. */
  row: number;
  /** column index (1-based) → spec key */
  columns: Map<number, string>;
  /** titles of columns not recognised (warned, ignored) */
  unknown: { col: number; title: string }[];
  /** keys that appear in more than one column */
  duplicated: string[];
  missing: string[];
}

export type TitleMatcher = (title: string) => string | undefined;

/** A header without its bracketed qualifier: "所属机构(全称)" → "所属机构". */
function withoutQualifier(key: string): string {
  return key.replace(/\([^)]*\)$/, '');
}

/**
 * Matches titles exactly (after headerKey), then without a trailing bracketed qualifier on either side,
 * unless that would be ambiguous.
 */
export function specMatcher(columns: ColumnSpec[]): TitleMatcher {
  const exact = new Map<string, string>();
  const loose = new Map<string, string | null>();
  for (const c of columns) {
    for (const t of [c.title, ...(c.aliases ?? [])]) {
      const k = headerKey(t);
      exact.set(k, c.key);
      const l = withoutQualifier(k);
      loose.set(l, loose.has(l) && loose.get(l) !== c.key ? null : c.key);
    }
  }
  return (title) => {
    const k = headerKey(title);
    return exact.get(k) ?? loose.get(withoutQualifier(k)) ?? undefined;
  };
}

/**
 * Picks the row (among the first 10) that names the most known columns; undefined if none names two (or,
 * for a sheet of a single column, none names it).
 */
export function findHeader(rows: { row: number; cells: Cell[] }[], columns: ColumnSpec[], match: TitleMatcher): HeaderMatch | undefined {
  let best: { row: number; cells: Cell[]; hits: number } | undefined;
  for (const r of rows.slice(0, 10)) {
    const hits = new Set(r.cells.map((c) => (c.text ? match(c.text) : undefined)).filter(Boolean)).size;
    if (hits >= Math.min(2, columns.length) && (!best || hits > best.hits)) best = { ...r, hits };
  }
  if (!best) return undefined;
  const cells = best.cells;
  const mapped = new Map<number, string>();
  const unknown: { col: number; title: string }[] = [];
  const seen = new Map<string, number>();
  best.cells.forEach((c, i) => {
    if (!c.text) return;
    const key = match(c.text);
    if (!key) unknown.push({ col: i + 1, title: c.text });
    else {
      mapped.set(i + 1, key);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  });
  // Two columns for one field (手机号码 and 联系电话): the one titled as the template wins and the other is
  // ignored with a warning; if neither or both are, it is an error.
  for (const [key, n] of seen) {
    if (n < 2) continue;
    const spec = columns.find((c) => c.key === key);
    const cols = [...mapped].filter(([, k]) => k === key).map(([col]) => col);
    const primary = cols.filter((col) => spec && headerKey(cells[col - 1]!.text) === headerKey(spec.title));
    if (primary.length !== 1) continue;
    for (const col of cols) {
      if (col === primary[0]) continue;
      mapped.delete(col);
      unknown.push({ col, title: cells[col - 1]!.text });
    }
    seen.set(key, 1);
  }
  unknown.sort((a, b) => a.col - b.col);
  return {
    row: best.row,
    columns: mapped,
    unknown,
    duplicated: [...seen].filter(([, n]) => n > 1).map(([k]) => k),
    missing: columns.filter((c) => c.required && !seen.has(c.key)).map((c) => c.key),
  };
}

/** Excel column letters of a 1-based index (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}
