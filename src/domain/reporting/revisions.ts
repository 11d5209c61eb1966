/**
 * Revisions of a published period: the corrections the 人民银行 recorded after the period's cut-off, each with
 * the figures it moves. The figures as recorded by a correction's stamp, minus those as recorded by the stamp
 * before it (the first: the end of the cut-off day), are that correction's effect: every record of one write
 * shares its stamp, and nothing but a correction can be recorded after a cut-off with an event date inside the
 * period (the late-entry rule), so stepping through the corrections' stamps isolates each one.
 */
import { figuresOf, type RowKind } from './figure-table.js';
import type { Figures } from './figures.js';
import type { RankRow } from './ranking.js';

/** One figure a correction moves: in which table and row, which figure, from what to what. */
export interface FigureChange {
  /** districts, total, banks, banks_unassigned, banks_other, banks_total, ranking.districts, ranking.banks. */
  table: string;
  /** The row: a district's or bank's name, 合计, 未确定主办行. */
  row: string;
  /** The figure's JSON key (rank and score for a ranking). */
  figure: string;
  /** The figure's name as the tables head it. */
  label: string;
  unit: string;
  from: number | boolean | null;
  to: number | boolean | null;
}

export interface Revision {
  /** What was corrected, in words, as recorded with the correction. */
  what: string;
  /** When it was recorded (the stamp of its write). */
  recorded_at: string;
  /** Who recorded it: the account and its unit. */
  actor: string;
  org: string | null;
  reason: string;
  command: string;
  changes: FigureChange[];
}

type Value = number | boolean | null;

const read = (row: object, key: string): Value => ((row as Record<string, Value>)[key] ?? null) as Value;

/** The figures of one table whose value differs between two versions of its rows (matched by `name`). */
function tableChanges<R extends object>(table: string, kind: RowKind, annual: boolean, before: R[], after: R[], name: (r: R) => string): FigureChange[] {
  const out: FigureChange[] = [];
  const old = new Map(before.map((r) => [name(r), r]));
  for (const r of after) {
    const o = old.get(name(r));
    for (const f of figuresOf(kind, annual)) {
      const from = o ? read(o, f.key) : null;
      const to = read(r, f.key);
      if (from !== to) out.push({ table, row: name(r), figure: f.key, label: f.label, unit: f.unit, from, to });
    }
  }
  return out;
}

function rankChanges(table: string, before: RankRow[], after: RankRow[]): FigureChange[] {
  const out: FigureChange[] = [];
  const old = new Map(before.map((r) => [r.name, r]));
  for (const r of after) {
    const o = old.get(r.name);
    if (o?.score !== r.score) out.push({ table, row: r.name, figure: 'score', label: '通报得分', unit: '分', from: o?.score ?? null, to: r.score });
    if (o?.rank !== r.rank) out.push({ table, row: r.name, figure: 'rank', label: '名次', unit: '名', from: o?.rank ?? null, to: r.rank });
  }
  return out;
}

export interface Version {
  figures: Figures;
  ranking?: { districts: RankRow[]; banks: RankRow[] };
}

/** Every figure that differs between two versions of a report: district rows and total, bank rows and totals, the rankings. */
export function figureChanges(before: Version, after: Version, annual: boolean): FigureChange[] {
  const b = before.figures;
  const a = after.figures;
  const district = (r: { district: string }) => r.district;
  const bank = (r: { bank: string }) => r.bank;
  return [
    ...tableChanges('districts', 'district', annual, b.districts, a.districts, district),
    ...tableChanges('total', 'district', annual, [b.total], [a.total], district),
    ...tableChanges('banks', 'bank', annual, b.banks, a.banks, bank),
    ...tableChanges('banks_unassigned', 'bank', annual, [b.banks_unassigned], [a.banks_unassigned], bank),
    ...tableChanges('banks_other', 'bank', annual, [b.banks_other], [a.banks_other], bank),
    ...tableChanges('banks_total', 'bank', annual, [b.banks_total], [a.banks_total], bank),
    ...(before.ranking && after.ranking
      ? [...rankChanges('ranking.districts', before.ranking.districts, after.ranking.districts), ...rankChanges('ranking.banks', before.ranking.banks, after.ranking.banks)]
      : []),
  ];
}
