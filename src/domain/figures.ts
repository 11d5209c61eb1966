/**
 * Computes the report figures defined in src/domain/figure-table.ts (in words: docs/figures.md) from the
 * history: a report for a past period gives the figures as of that period's last day, not today's state.
 */
import type { Kysely } from 'kysely';
import { feedbackMonths, type Span } from '../store/figures.js';
import type { DB } from '../store/schema.js';
import type { Period } from '../util/dates.js';
import { moneyNumber } from '../util/money.js';
import type { Directory } from './directory.js';
import { figuresOf, SOURCES, type BankFigures, type Column, type Columns, type DistrictFigures, type RowKind, type TotalFigures } from './figure-table.js';

export { BANK_NOTE, satisfactionRate, type BankFigures, type DistrictFigures, type TotalFigures } from './figure-table.js';

export interface Figures {
  period: string;
  start: string;
  end: string;
  districts: DistrictFigures[];
  banks: BankFigures[];
  total: TotalFigures;
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

/** The figures of one row, in FIGURES order (which is the order of the JSON keys). */
function rowFigures(kind: RowKind, annual: boolean, cols: RowColumns): Record<string, number | boolean | null> {
  const read = reader(cols);
  return Object.fromEntries(figuresOf(kind, annual).map((f) => [f.key, f.value(read)]));
}

export async function computeFigures(db: Kysely<DB>, dir: Directory, period: Period, opts: { district?: string; annual?: boolean } = {}): Promise<Figures> {
  const annual = opts.annual === true;
  const span: Span = { start: period.start, end: period.end };
  const districts = opts.district ? [dir.district(opts.district)] : dir.districts;
  const regions = opts.district ? districts.map((d) => d.code) : undefined;
  const months = monthsOf(span);
  const q = { db, span, regions };
  // Started in SOURCES order with the feedback before the annual queries (bench/report.mjs checks the order).
  const plain = SOURCES.filter((s) => !('annual' in s));
  const extra = annual ? SOURCES.filter((s) => 'annual' in s) : [];
  const [plainRows, fb, extraRows] = await Promise.all([Promise.all(plain.map((s) => s.load(q))), feedbackMonths(db, months), Promise.all(extra.map((s) => s.load(q)))]);
  const results = [...plainRows, ...extraRows];
  const loaded = [...plain, ...extra].map((source, i) => ({ source, rows: results[i]! }));

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
  const fed = (kind: string, key: string) => months.filter((m) => fb.some((f) => f.from_kind === kind && f.from_key === key && f.month === m)).length;
  const withContext = (kind: RowKind, id: string, extra: RowColumns = {}): RowColumns => ({
    ...columns[kind].get(id),
    ...extra,
    months: months.length,
    feedback_months: fed(kind, id),
  });

  const districtCols = districts.map((r) => withContext('district', r.code, { capacity: r.capacity }));
  const districtRows = districts.map((r, i) => ({ district: r.name, code: r.code, ...rowFigures('district', annual, districtCols[i]!) }) as DistrictFigures);
  const bankRows = dir.orgs
    .filter((o) => o.kind === 'bank')
    .map((b) => ({ bank: b.name, ...rowFigures('bank', annual, withContext('bank', String(b.id))) }) as BankFigures);
  const total = { district: '合计', ...totalFigures('district', annual, districtRows, districtCols) } as TotalFigures;
  return { period: period.label, start: period.start, end: period.end, districts: districtRows, banks: bankRows, total };
}

/**
 * The 合计 of some rows, each figure by its total rule: `sum`, `money` (summed in cents, exact), `ratio`
 * (recomputed from the summed columns of the rows, never an average of rates), `all` (true when every row is).
 */
export function totalFigures(kind: RowKind, annual: boolean, rows: object[], cols: RowColumns[]): Record<string, number | boolean | null> {
  const values = (key: string) => rows.map((r) => (r as Record<string, unknown>)[key]);
  const summed: RowColumns = {};
  for (const c of cols) for (const [k, v] of Object.entries(c)) summed[k as Column] = (summed[k as Column] ?? 0) + (v ?? 0);
  return Object.fromEntries(
    figuresOf(kind, annual).map((f) => {
      switch (f.total) {
        case 'sum':
          return [f.key, values(f.key).reduce((a: number, v) => a + Number(v ?? 0), 0)];
        case 'money':
          return [f.key, moneyNumber(values(f.key).reduce((a: number, v) => a + Math.round(Number(v) * 100), 0))];
        case 'all':
          return [f.key, values(f.key).every((v) => v === true)];
        case 'ratio':
          return [f.key, f.value(reader(summed))];
      }
    }),
  );
}

export interface EnterpriseAtEnd {
  district: string;
  code: string;
  name: string;
  stage: string;
  class: string | null;
  lead_bank: string | null;
  credit_amount: number;
  loan_amount: number;
  loan_amount_total: number;
  coaching_open: number;
}

/**
 * One row per case alive in the period (recommended by its end, not closed or rejected before its start),
 * as it stood at the end of the period: stage, class and lead bank from the history, not today's state.
 */
export async function enterprisesAtEnd(db: Kysely<DB>, dir: Directory, period: Span, regions?: string[]): Promise<EnterpriseAtEnd[]> {
  let q = db
    .selectFrom('case_file')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .selectAll('case_file')
    .select('enterprise.name')
    .where('case_file.recommended_on', '<=', period.end)
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', period.start)]))
    .where((eb) => eb.or([eb('case_file.stage', '!=', 'rejected'), eb('case_file.verified_on', '>=', period.start)]));
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  const cases = await q.orderBy('case_file.region_code').orderBy('case_file.recommended_on').orderBy('case_file.id').execute();
  const ids = cases.map((c) => c.id);
  if (ids.length === 0) return [];
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += 500) chunks.push(ids.slice(i, i + 500));
  const many = async <T>(f: (part: number[]) => Promise<T[]>) => (await Promise.all(chunks.map(f))).flat();
  const [decls, vers, recls, assigns, loans, items] = await Promise.all([
    many((p) => db.selectFrom('declaration').select((eb) => ['case_id', eb.fn.min<string>('submitted_on').as('first_on')]).where('case_id', 'in', p).groupBy('case_id').execute()),
    many((p) => db.selectFrom('verification').select(['case_id', 'verified_on', 'result']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('reclassification').select(['case_id', 'to_class', 'changed_on', 'id']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('bank_assignment').select(['case_id', 'bank_id', 'assigned_on', 'ended_on']).where('case_id', 'in', p).execute()),
    many((p) => db.selectFrom('loan').select(['case_id', 'kind', 'amount_cents', 'loan_on']).where('case_id', 'in', p).where('loan_on', '<=', period.end).execute()),
    many((p) => db.selectFrom('coaching_item').select(['case_id', 'added_on', 'closed_on']).where('case_id', 'in', p).execute()),
  ]);
  const group = <T extends { case_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) m.set(r.case_id, [...(m.get(r.case_id) ?? []), r]);
    return m;
  };
  const [gd, gv, gr, ga, gl, gi] = [group(decls), group(vers), group(recls), group(assigns), group(loans), group(items)];
  const e = period.end;
  return cases.map((c) => {
    const v = gv.get(c.id)?.[0];
    const verified = v && v.verified_on <= e ? v : undefined;
    const declaredBy = (gd.get(c.id)?.[0]?.first_on ?? '9999') <= e;
    const stage =
      c.closed_on && c.closed_on <= e
        ? 'closed'
        : verified?.result === 'rejected'
          ? 'rejected'
          : c.confirmed_on && c.confirmed_on <= e
            ? c.assigned_on && c.assigned_on <= e
              ? 'assigned'
              : 'confirmed'
            : verified
              ? 'verified'
              : declaredBy
                ? 'declared'
                : 'recommended';
    let cls: string | null = verified && verified.result !== 'rejected' ? verified.result : null;
    for (const r of (gr.get(c.id) ?? []).filter((x) => x.changed_on <= e).sort((a, b) => a.changed_on.localeCompare(b.changed_on) || a.id - b.id)) cls = r.to_class;
    const lead = (ga.get(c.id) ?? []).find((a) => a.assigned_on <= e && (a.ended_on === null || a.ended_on > e));
    const ls = gl.get(c.id) ?? [];
    const inPeriod = (kind: string) => ls.filter((l) => l.kind === kind && l.loan_on >= period.start).reduce((a, l) => a + l.amount_cents, 0);
    return {
      district: dir.regionName(c.region_code),
      code: c.enterprise_code,
      name: c.name,
      stage,
      class: cls,
      lead_bank: lead ? dir.orgByIdOrThrow(lead.bank_id).name : null,
      credit_amount: moneyNumber(inPeriod('credit')),
      loan_amount: moneyNumber(inPeriod('disbursement')),
      loan_amount_total: moneyNumber(ls.filter((l) => l.kind === 'disbursement').reduce((a, l) => a + l.amount_cents, 0)),
      coaching_open: (gi.get(c.id) ?? []).filter((i) => i.added_on <= e && (i.closed_on === null || i.closed_on > e)).length,
    };
  });
}
