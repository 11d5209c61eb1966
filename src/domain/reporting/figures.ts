/**
 * Computes the report figures defined in src/domain/reporting/figure-table.ts (in words: docs/figures.md) from the
 * history: a report for a past period gives the figures as of that period's last day, not today's state.
 */
import type { Kysely } from 'kysely';
import { activeOnDays, BEGINNING, feedbackMonths, leadSpans, NO_LEAD, OTHER_UNITS, type Span } from '../../store/figures.js';
import { firstEventOn, programmeStart } from '../../store/recording.js';
import type { DB } from '../../store/schema.js';
import { monthPeriod, type Period } from '../../util/dates.js';
import { moneyNumber } from '../../util/money.js';
import { bankMonthsOwed, feedbackDeadline, type Directory } from '../core/index.js';
import { figuresOf, OTHER_UNITS_ROW, SOURCES, UNASSIGNED, type BankFigures, type Column, type Columns, type DistrictFigures, type FigureDef, type RowKind, type TotalFigures } from './figure-table.js';

export { BANK_NOTE, OTHER_UNITS_ROW, satisfactionRate, UNASSIGNED, type BankFigures, type DistrictFigures, type TotalFigures } from './figure-table.js';

export interface Figures {
  period: string;
  start: string;
  end: string;
  districts: DistrictFigures[];
  banks: BankFigures[];
  /** The firms without a lead bank on the day that decides (UNASSIGNED), so that the bank table adds up to the districts. */
  banks_unassigned: BankFigures;
  /** The coaching items handled by units other than banks (OTHER_UNITS_ROW), so that the bank table's coaching figures add up to the districts. */
  banks_other: BankFigures;
  /** The 合计 of the bank rows, the 未确定主办行 row and the 其他单位承办 row (each figure by its total rule). */
  banks_total: BankFigures;
  total: TotalFigures;
}

/**
 * The figures, and the columns each row was computed from (for the ranking, which needs unrounded parts): the
 * period's, and the report's cumulative span's (`cumulative`, read by the 本年累计 or 开展以来累计 figures).
 */
export interface FigureSet {
  figures: Figures;
  columns: { districts: RowColumns[]; banks: RowColumns[]; unassigned: RowColumns; other: RowColumns };
  cumulative: { span: Span; districts: RowColumns[]; banks: RowColumns[]; unassigned: RowColumns; other: RowColumns };
}

/**
 * The effective start of the programme, from which feedback is owed and the annual pool score counts month-ends:
 * the start `init` recorded, or the first recorded event when that is earlier (a database that already held
 * records when the start was first recorded, migration 0018 giving it the default start, may hold earlier ones).
 * A month containing it counts in full; a report whose period ends before it is refused (periodicReport).
 */
export async function effectiveStart(db: Kysely<DB>): Promise<string> {
  const [start, first] = await Promise.all([programmeStart(db), firstEventOn(db)]);
  return first !== null && first < start ? first : start;
}

/** The months of a list (YYYY-MM) that end on or after `start`: the month containing it counts. */
export const monthsFrom = (months: readonly string[], start: string): string[] => months.filter((m) => m >= start.slice(0, 7));

/**
 * The cumulative span of a report: 本年累计 (1 January of the period's year to its end) for a monthly or
 * quarterly report, 开展以来累计 (from the programme's first record to the year's end) for an annual one.
 *
 * Where 开展以来累计 starts: with the first record. No event can be dated before the programme's start (`init`
 * records it), so this is the programme's start for every database made since; a database that already held
 * records when the start was first recorded (migration 0018 gave it the default start) may hold earlier ones,
 * and they are part of the programme's history too. The span starts at BEGINNING (src/store/figures.ts): no
 * lower bound at all.
 */
export function cumulativeSpan(period: { start: string; end: string }, annual: boolean): Span {
  return { start: annual ? BEGINNING : `${period.end.slice(0, 4)}-01-01`, end: period.end };
}

/** Every month (YYYY-MM) of a period. */
export function monthsOf(p: { start: string; end: string }): string[] {
  const out: string[] = [];
  let y = Number(p.start.slice(0, 4));
  let m = Number(p.start.slice(5, 7));
  for (;;) {
    const label = `${y}-${String(m).padStart(2, '0')}`;
    if (label > p.end.slice(0, 7)) break;
    out.push(label);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** The columns of one row: the query results merged by key, plus the columns the engine adds. */
export type RowColumns = Partial<Record<Column, number>>;

const reader = (cols: RowColumns): Columns => (name) => cols[name] ?? 0;

/** The columns a figure reads: the period's, or for a 本年累计 / 开展以来累计 figure the cumulative span's. */
const spanOf = (f: FigureDef, cols: RowColumns, cum: RowColumns) => (f.span === undefined ? cols : cum);

/** The figures of one row, in FIGURES order (which is the order of the JSON keys). */
function rowFigures(kind: RowKind, annual: boolean, cols: RowColumns, cum: RowColumns): Record<string, number | boolean | null> {
  return Object.fromEntries(figuresOf(kind, annual).map((f) => [f.key, f.value(reader(spanOf(f, cols, cum)))]));
}

/**
 * `start`: the programme's effective start (effectiveStart; periodicReport reads it once per report): feedback is
 * owed, and the annual pool score counts month-ends, from its month on. Without it the figures read it themselves.
 */
export interface FigureOptions {
  district?: string;
  annual?: boolean;
  start?: string;
}

export async function computeFigures(db: Kysely<DB>, dir: Directory, period: Period, opts: FigureOptions = {}): Promise<Figures> {
  return (await computeFigureSet(db, dir, period, opts)).figures;
}

export async function computeFigureSet(db: Kysely<DB>, dir: Directory, period: Period, opts: FigureOptions = {}): Promise<FigureSet> {
  const annual = opts.annual === true;
  const start = opts.start ?? (await effectiveStart(db));
  const span: Span = { start: period.start, end: period.end };
  const districts = opts.district ? [dir.district(opts.district)] : dir.districts;
  const regions = opts.district ? districts.map((d) => d.code) : undefined;
  const months = monthsOf(span);
  const q = { db, span, regions };
  const cumSpan = cumulativeSpan(span, annual);
  // Started in SOURCES order with the feedback before the annual queries, the cumulative span's last
  // (bench/report.mjs checks the order).
  const plain = SOURCES.filter((s) => !('annual' in s));
  const extra = annual ? SOURCES.filter((s) => 'annual' in s) : [];
  const cumulative = SOURCES.filter((s) => 'cumulative' in s);
  const [plainRows, fb, spans, extraRows, cumRows] = await Promise.all([
    Promise.all(plain.map((s) => s.load(q))),
    feedbackMonths(db, months),
    leadSpans(db, span, regions),
    Promise.all(extra.map((s) => s.load(q))),
    Promise.all(cumulative.map((s) => s.load({ ...q, span: cumSpan }))),
  ]);
  // Only the months from the programme's (effective) start are owed and scored.
  const owedMonths = monthsFrom(months, start);
  const results = [...plainRows, ...extraRows];
  const columns = merged([...plain, ...extra].map((source, i) => ({ source, rows: results[i]! })));
  const cumColumns = merged(cumulative.map((source, i) => ({ source, rows: cumRows[i]! })));
  // A month counts when a submission was received by its deadline; later ones never change it. A district owes
  // every month from the programme's start, a bank those in which it led a firm (bankMonthsOwed); only owed months count.
  const onTime = new Set(fb.filter((f) => f.submitted_on <= feedbackDeadline(f.month)).map((f) => `${f.from_kind}:${f.from_key}:${f.month}`));
  const bankOwes = bankMonthsOwed(spans, owedMonths);
  const owedBy = (kind: RowKind, key: string) => (kind === 'district' ? owedMonths : owedMonths.filter((m) => bankOwes.get(Number(key))?.has(m)));
  const withContext = (kind: RowKind, id: string, extra: RowColumns = {}): RowColumns => {
    const owed = owedBy(kind, id);
    return {
      ...columns[kind].get(id),
      ...extra,
      months: months.length,
      owed_months: owed.length,
      feedback_months: owed.filter((m) => onTime.has(`${kind}:${id}:${m}`)).length,
    };
  };

  // The annual pool score reads the list over the whole year: its 12 month-ends (those from the start), not one day.
  const monthEnds = annual ? owedMonths.map((m) => monthPeriod(Number(m.slice(0, 4)), Number(m.slice(5, 7))).end) : [];
  const atEnds = annual ? await activeOnDays(db, monthEnds, regions) : [];
  const pool = (code: string): RowColumns =>
    annual
      ? {
          pool_active: atEnds.filter((a) => a.region === code).reduce((n, a) => n + a.active, 0),
          pool_capacity: monthEnds.reduce((n, day) => n + dir.capacityOn(code, day), 0),
        }
      : {};
  const districtCols = districts.map((r) => withContext('district', r.code, { capacity: dir.capacityOn(r.code, span.end), ...pool(r.code) }));
  const districtCum = districts.map((r) => cumColumns.district.get(r.code) ?? {});
  const districtRows = districts.map((r, i) => ({ district: r.name, code: r.code, ...rowFigures('district', annual, districtCols[i]!, districtCum[i]!) }) as DistrictFigures);
  const banks = dir.orgs.filter((o) => o.kind === 'bank');
  const bankCols = banks.map((b) => withContext('bank', String(b.id)));
  const bankCum = banks.map((b) => cumColumns.bank.get(String(b.id)) ?? {});
  const bankRows = banks.map((b, i) => ({ bank: b.name, ...rowFigures('bank', annual, bankCols[i]!, bankCum[i]!) }) as BankFigures);
  // No unit answers for the firms without a lead bank: that row owes no feedback.
  const noneCols: RowColumns = { ...columns.bank.get(NO_LEAD), months: months.length, feedback_months: 0, owed_months: 0 };
  const noneCum = cumColumns.bank.get(NO_LEAD) ?? {};
  const noneRow = { bank: UNASSIGNED, ...rowFigures('bank', annual, noneCols, noneCum) } as BankFigures;
  // Nor for the coaching items that departments and district offices handled: they report their own.
  const otherCols: RowColumns = { ...columns.bank.get(OTHER_UNITS), months: months.length, feedback_months: 0, owed_months: 0 };
  const otherCum = cumColumns.bank.get(OTHER_UNITS) ?? {};
  const otherRow = { bank: OTHER_UNITS_ROW, ...rowFigures('bank', annual, otherCols, otherCum) } as BankFigures;
  const banksTotal = {
    bank: '合计',
    ...totalFigures('bank', annual, [...bankRows, noneRow, otherRow], [...bankCols, noneCols, otherCols], [...bankCum, noneCum, otherCum]),
  } as BankFigures;
  const total = { district: '合计', ...totalFigures('district', annual, districtRows, districtCols, districtCum) } as TotalFigures;
  return {
    figures: { period: period.label, start: period.start, end: period.end, districts: districtRows, banks: bankRows, banks_unassigned: noneRow, banks_other: otherRow, banks_total: banksTotal, total },
    columns: { districts: districtCols, banks: bankCols, unassigned: noneCols, other: otherCols },
    cumulative: { span: cumSpan, districts: districtCum, banks: bankCum, unassigned: noneCum, other: otherCum },
  };
}

/** The query results merged by row (district code or bank key): each row's columns. */
function merged(loaded: { source: (typeof SOURCES)[number]; rows: unknown[] }[]): Record<RowKind, Map<string, RowColumns>> {
  const columns: Record<RowKind, Map<string, RowColumns>> = { district: new Map(), bank: new Map() };
  for (const { source, rows } of loaded) {
    for (const r of rows as Record<string, unknown>[]) {
      const id = String(r[source.key]);
      const cols = columns[source.rows].get(id) ?? {};
      for (const [k, v] of Object.entries(r)) {
        if (k === source.key) continue;
        if (k in cols) throw new Error(`figure column ${k} comes from two queries`);
        cols[k as Column] = Number(v ?? 0);
      }
      columns[source.rows].set(id, cols);
    }
  }
  return columns;
}

/**
 * The 合计 of some rows, each figure by its total rule: `sum`, `money` (summed in cents, exact), `ratio`
 * (recomputed from the summed columns of the rows, never an average of rates; `cum`: the rows' columns over the
 * cumulative span, for a cumulative figure), `all` (true when every row is).
 */
export function totalFigures(kind: RowKind, annual: boolean, rows: object[], cols: RowColumns[], cum: RowColumns[] = []): Record<string, number | boolean | null> {
  const values = (key: string) => rows.map((r) => (r as Record<string, unknown>)[key]);
  const sum = (list: RowColumns[]) => {
    const out: RowColumns = {};
    for (const c of list) for (const [k, v] of Object.entries(c)) out[k as Column] = (out[k as Column] ?? 0) + (v ?? 0);
    return out;
  };
  const summed = sum(cols);
  const summedCum = sum(cum);
  return Object.fromEntries(
    figuresOf(kind, annual).map((f) => {
      switch (f.total) {
        case 'sum':
          return [f.key, values(f.key).reduce((a: number, v) => a + Number(v ?? 0), 0)];
        case 'money':
          return [f.key, moneyNumber(values(f.key).reduce((a: number, v) => a + Math.round(Number(v) * 100), 0))];
        case 'all': {
          // rows that owe nothing (null) are left out; null when no row owes anything
          const owed = values(f.key).filter((v) => v !== null);
          return [f.key, owed.length === 0 ? null : owed.every((v) => v === true)];
        }
        case 'ratio':
          return [f.key, f.value(reader(spanOf(f, summed, summedCum)))];
      }
    }),
  );
}
