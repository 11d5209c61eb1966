/** The 工作台账: one row per enterprise of a district, and the coaching list (辅导清单) views. */
import type { Kysely, Selectable } from 'kysely';
import { coachingOf, listCases, loansOf } from '../../store/cases.js';
import type { CoachingItemTable, DB } from '../../store/schema.js';
import { formatMoney, sumCents } from '../../util/money.js';
import { authorize, CLASS_LABEL, itemState, readScope, STAGE_LABEL, type Actor, type Directory, type ItemState } from '../core/index.js';
import { OUTCOME_LABEL } from './enterprises.js';

export interface LedgerRow {
  code: string;
  name: string;
  district: string;
  recommended_by: string;
  recommended_on: string;
  over_quota_reason: string | null;
  declared_on: string | null;
  verified_on: string | null;
  confirmed_on: string | null;
  assigned_on: string | null;
  closed_on: string | null;
  stage: string;
  stage_label: string;
  class: string | null;
  class_label: string | null;
  lead_bank: string | null;
  credit_total: string;
  disbursement_total: string;
  coaching_open: number;
  /** Closed by the unit holding them (办结 or 未办成). */
  coaching_closed: number;
  /** Ended (终止) with the case's closing, still open then. */
  coaching_ended: number;
  outcome: string | null;
  outcome_label: string | null;
  /** How many times the enterprise has been recommended (its earlier cases were rejected or closed). */
  recommendations: number;
}

export async function districtLedger(db: Kysely<DB>, dir: Directory, who: Actor, district: string): Promise<LedgerRow[]> {
  const region = dir.district(district);
  authorize(who, 'district.read', { region: region.code, regionName: region.name });
  const all = await listCases(db, { regions: [region.code] });
  // One row per enterprise: its latest case.
  const latest = new Map<string, (typeof all)[number]>();
  const times = new Map<string, number>();
  for (const c of all) {
    times.set(c.enterprise_code, (times.get(c.enterprise_code) ?? 0) + 1);
    const prev = latest.get(c.enterprise_code);
    if (!prev || c.id > prev.id) latest.set(c.enterprise_code, c);
  }
  const cases = [...latest.values()];
  const ids = cases.map((c) => c.id);
  const [loans, items] = await Promise.all([loansOf(db, ids), coachingOf(db, ids)]);
  return cases.map((c) => {
    const mine = loans.filter((l) => l.case_id === c.id);
    const sum = (kind: string) => sumCents(mine.filter((l) => l.kind === kind).map((l) => l.amount_cents));
    const its = items.filter((i) => i.case_id === c.id).map((i) => itemState(i, c.closed_on).state);
    return {
      code: c.enterprise_code,
      name: c.name,
      district: region.name,
      recommended_by: dir.orgByIdOrThrow(c.recommended_by).name,
      recommended_on: c.recommended_on,
      over_quota_reason: c.over_quota_reason,
      declared_on: c.declared_on,
      verified_on: c.verified_on,
      confirmed_on: c.confirmed_on,
      assigned_on: c.assigned_on,
      closed_on: c.closed_on,
      stage: c.stage,
      stage_label: STAGE_LABEL[c.stage],
      class: c.class,
      class_label: c.class ? CLASS_LABEL[c.class] : null,
      lead_bank: c.lead_bank_id ? dir.orgByIdOrThrow(c.lead_bank_id).name : null,
      credit_total: formatMoney(sum('credit')),
      disbursement_total: formatMoney(sum('disbursement')),
      coaching_open: its.filter((i) => i === 'open').length,
      coaching_closed: its.filter((i) => i === 'done' || i === 'failed').length,
      coaching_ended: its.filter((i) => i === 'ended').length,
      outcome: c.outcome,
      outcome_label: c.outcome ? OUTCOME_LABEL[c.outcome] : null,
      recommendations: times.get(c.enterprise_code) ?? 1,
    };
  });
}

/** The city's ledger: every district's, in the directory's order (the actor must be able to read each). */
export async function cityLedger(db: Kysely<DB>, dir: Directory, who: Actor): Promise<{ district: string; code: string; rows: LedgerRow[] }[]> {
  const out: { district: string; code: string; rows: LedgerRow[] }[] = [];
  for (const d of dir.districts) out.push({ district: d.name, code: d.code, rows: await districtLedger(db, dir, who, d.name) });
  return out;
}

export interface CoachFilter {
  org?: string;
  open?: boolean;
  overdue?: boolean;
  code?: string;
}

/**
 * A coaching item as listed: the stored fields people read, with the firm, its district and the unit named;
 * `status` and `closed_on` as people see them (ended, dated the case's closing, when the case was closed while
 * the item was open: itemState).
 */
export type CoachView = Pick<Selectable<CoachingItemTable>, 'id' | 'item' | 'category' | 'due' | 'added_on' | 'note'> & {
  status: ItemState;
  closed_on: string | null;
  code: string;
  name: string;
  district: string;
  org: string;
  overdue: boolean;
};

/** The coaching list within the actor's scope: its district's, or the items forwarded to it. */
export async function coachingList(db: Kysely<DB>, dir: Directory, who: Actor, f: CoachFilter): Promise<CoachView[]> {
  authorize(who, 'case.read');
  const scope = readScope(who.profile!);
  const org = f.org ? dir.org(f.org) : undefined;
  let q = db
    .selectFrom('coaching_item')
    .innerJoin('case_file', 'case_file.id', 'coaching_item.case_id')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .selectAll('coaching_item')
    .select(['case_file.enterprise_code as code', 'enterprise.name as name', 'case_file.region_code as region', 'case_file.lead_bank_id as lead', 'case_file.closed_on as case_closed_on']);
  if (org) q = q.where('coaching_item.org_id', '=', org.id);
  // open: neither closed nor ended with its case (a closed case's items are all closed or ended)
  if (f.open || f.overdue) q = q.where('coaching_item.status', '=', 'open').where('case_file.closed_on', 'is', null);
  if (f.overdue) q = q.where('coaching_item.due', '<', who.today);
  if (f.code) q = q.where('case_file.enterprise_code', '=', f.code);
  const rows = await q.orderBy('coaching_item.id').execute();
  return rows
    .filter((r) => {
      if (scope.all) return true;
      if (scope.regions.length > 0) return (scope.regions as string[]).includes(r.region);
      const mine = scope.deptOrgId ?? scope.bankOrgId!;
      return r.org_id === mine || (scope.bankOrgId !== undefined && r.lead === scope.bankOrgId);
    })
    .map((r) => {
      const state = itemState(r, r.case_closed_on);
      return {
        id: r.id,
        code: r.code,
        name: r.name,
        district: dir.regionName(r.region),
        item: r.item,
        org: dir.orgByIdOrThrow(r.org_id).name,
        category: r.category,
        due: r.due,
        status: state.state,
        added_on: r.added_on,
        closed_on: state.on,
        note: r.note,
        overdue: state.state === 'open' && r.due !== null && r.due < who.today,
      };
    });
}

