/**
 * Who reports for a month and what each unit's workbook holds: every district (through its 金融办), every
 * bank that led a firm in the month or holds a coaching item, every department holding a coaching item
 * open in the month. A unit sees only its own data.
 */
import type { Kysely } from 'kysely';
import { reclassificationsOf, type CaseRow } from '../../store/cases.js';
import type { Org } from '../../store/reference.js';
import { bankHoldings, bankLoanTotals, itemHolders, itemsInSpan, latestFeedback, leadingBanks, poolAt, type ItemRow, type Span } from '../../store/collection.js';
import type { DB } from '../../store/schema.js';
import { moneyNumber } from '../../util/money.js';
import { monthPeriod } from '../../util/dates.js';
import { CLASS_LABEL, STAGE_LABEL, type ClassChange, type Directory } from '../core/index.js';

export type UnitKind = 'bank' | 'department' | 'district';

export interface Unit {
  org: Org;
  kind: UnitKind;
}

export const UNIT_KIND_LABEL: Record<UnitKind, string> = { bank: '主办行', department: '政府部门', district: '区金融办' };

export function monthSpan(month: string): Span {
  const p = monthPeriod(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  return { start: p.start, end: p.end };
}

/** The unit an organisation reports as, if it is one that reports at all. */
export function unitOf(dir: Directory, org: Org): Unit | undefined {
  if (org.kind === 'bank') return { org, kind: 'bank' };
  if (org.kind === 'department') return { org, kind: 'department' };
  if (org.kind === 'finance-office' && dir.districts.some((d) => d.code === org.regionCode)) return { org, kind: 'district' };
  return undefined;
}

/** The units expected to report for a month: districts, then banks, then departments, each in directory order. */
export async function expectedUnits(db: Kysely<DB>, dir: Directory, month: string): Promise<Unit[]> {
  const span = monthSpan(month);
  const banks = new Set(await leadingBanks(db, span));
  const holders = new Set(await itemHolders(db, span));
  const out: Unit[] = [];
  for (const d of dir.districts) {
    const office = dir.financeOffice(d.code);
    if (office) out.push({ org: office, kind: 'district' });
  }
  for (const o of dir.orgs) if (o.kind === 'bank' && (banks.has(o.id) || holders.has(o.id))) out.push({ org: o, kind: 'bank' });
  for (const o of dir.orgs) if (o.kind === 'department' && holders.has(o.id)) out.push({ org: o, kind: 'department' });
  return out;
}

export interface Holding {
  caseId: number;
  case: CaseRow;
  code: string;
  name: string;
  district: string;
  class: string;
  stage: string;
  /** The bank's credit and disbursements to the firm up to the month's end, in 万元 (0 unless asked for). */
  credit: number;
  loan: number;
  /** When this bank led the firm within the month: [from, until) (until null: still). */
  spans: { from: string; until: string | null }[];
  /** The case's reclassifications: a loan's class is checked as of its date. */
  classChanges: ClassChange[];
}

export interface PoolEntry {
  code: string;
  name: string;
  class: string;
  stage: string;
  lead: string;
  confirmed: string;
}

export interface UnitContent {
  unit: Unit;
  month: string;
  holdings: Holding[];
  items: (ItemRow & { org: string })[];
  pool: PoolEntry[];
  /** The month's feedback already on file (pre-filled so that re-sending it changes nothing). */
  feedback: string | null;
}

/** A bank's firms in a month, with its own credit and disbursement totals up to the month's end (unless `totals` is false). */
export async function holdingsOf(db: Kysely<DB>, dir: Directory, bankId: number, month: string, totals = true): Promise<Holding[]> {
  const span = monthSpan(month);
  const rows = await bankHoldings(db, bankId, span);
  const byCase = new Map<number, Holding>();
  for (const r of rows) {
    const h = byCase.get(r.id) ?? {
      caseId: r.id,
      case: r,
      code: r.enterprise_code,
      name: r.name,
      district: dir.regionName(r.region_code),
      class: r.class ? CLASS_LABEL[r.class] : '',
      stage: STAGE_LABEL[r.stage],
      credit: 0,
      loan: 0,
      spans: [],
      classChanges: [],
    };
    h.spans.push({ from: r.lead_from, until: r.lead_until });
    byCase.set(r.id, h);
  }
  for (const ch of await reclassificationsOf(db, [...byCase.keys()])) byCase.get(ch.case_id)!.classChanges.push(ch);
  if (!totals) return [...byCase.values()];
  const sums = await bankLoanTotals(db, bankId, [...byCase.keys()], span.end);
  for (const h of byCase.values()) {
    const t = sums.get(h.caseId);
    h.credit = moneyNumber(t?.credit ?? 0);
    h.loan = moneyNumber(t?.disbursement ?? 0);
  }
  return [...byCase.values()];
}

export async function unitContent(db: Kysely<DB>, dir: Directory, unit: Unit, month: string): Promise<UnitContent> {
  const span = monthSpan(month);
  const items = (await itemsInSpan(db, span, unit.org.id)).map((i) => ({ ...i, org: unit.org.name }));
  const holdings = unit.kind === 'bank' ? await holdingsOf(db, dir, unit.org.id, month) : [];
  const pool =
    unit.kind === 'district'
      ? (await poolAt(db, unit.org.regionCode, span.start)).map((p) => ({
          code: p.code,
          name: p.name,
          class: p.class ? CLASS_LABEL[p.class] : '',
          stage: STAGE_LABEL[p.stage],
          lead: p.lead_bank_id ? dir.orgByIdOrThrow(p.lead_bank_id).name : '',
          confirmed: p.confirmed_on ?? '',
        }))
      : [];
  const sender = feedbackSender(unit);
  const feedback = sender ? ((await latestFeedback(db, sender.kind, sender.key, month)) ?? null) : null;
  return { unit, month, holdings, items, pool, feedback };
}

/** Whose monthly feedback a unit's 月度反馈 sheet is: its district's, or the bank's own. */
export function feedbackSender(unit: Unit): { kind: 'district' | 'bank'; key: string } | undefined {
  if (unit.kind === 'bank') return { kind: 'bank', key: String(unit.org.id) };
  if (unit.kind === 'district') return { kind: 'district', key: unit.org.regionCode };
  return undefined;
}
