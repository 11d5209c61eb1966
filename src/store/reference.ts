/** Queries of the reference data: regions (city and districts) and organisations. */
import type { Kysely } from 'kysely';
import type { DB, OrgTable, RegionTable } from './schema.js';

export interface Region {
  code: string;
  name: string;
  level: 'city' | 'district';
  aliases: string[];
  sortOrder: number;
}

/** A district's capacity from a date on (the first one of each district is in force from 1900-01-01). */
export interface CapacityChange {
  regionCode: string;
  capacity: number;
  effectiveOn: string;
}

/** The date a district's first capacity is in force from: the earliest date the tool accepts. */
export const FIRST_CAPACITY_DATE = '1900-01-01';

export interface Org {
  id: number;
  code: string;
  name: string;
  kind: OrgTable['kind'];
  deptKind: string | null;
  regionCode: string;
  aliases: string[];
}

function toRegion(r: Omit<RegionTable, 'capacity'>): Region {
  return { code: r.code, name: r.name, level: r.level, aliases: JSON.parse(r.aliases), sortOrder: r.sort_order };
}

function toOrg(r: Omit<OrgTable, 'id'> & { id: number }): Org {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    deptKind: r.dept_kind,
    regionCode: r.region_code,
    aliases: JSON.parse(r.aliases),
  };
}

export async function allRegions(db: Kysely<DB>): Promise<Region[]> {
  const rows = await db.selectFrom('region').selectAll().orderBy('sort_order').execute();
  return rows.map(toRegion);
}

/** Every capacity change, by district and date. */
export async function capacityChanges(db: Kysely<DB>): Promise<CapacityChange[]> {
  const rows = await db.selectFrom('capacity_change').select(['region_code', 'capacity', 'effective_on']).orderBy('region_code').orderBy('effective_on').execute();
  return rows.map((r) => ({ regionCode: r.region_code, capacity: r.capacity, effectiveOn: r.effective_on }));
}

/**
 * Records a capacity in force from a date (replacing one recorded for the same date, in place: its recorded stamp
 * stays, so the domain never replaces one that a final month's published figures read); null created_at: a first
 * capacity. A district's first capacity is part of setting the district up, in force from FIRST_CAPACITY_DATE:
 * it counts as recorded then too (as the first capacities of databases older than the recorded stamps do), so
 * every period sees it; any later change is stamped by the write that records it.
 */
export async function putCapacity(db: Kysely<DB>, c: CapacityChange, createdAt: string | null): Promise<void> {
  const first = createdAt === null && c.effectiveOn === FIRST_CAPACITY_DATE;
  await db
    .insertInto('capacity_change')
    .values({ region_code: c.regionCode, capacity: c.capacity, effective_on: c.effectiveOn, created_at: createdAt, ...(first ? { recorded_at: FIRST_CAPACITY_DATE } : {}) })
    .onConflict((oc) => oc.columns(['region_code', 'effective_on']).doUpdateSet({ capacity: c.capacity, created_at: createdAt }))
    .execute();
}

/**
 * The ids of the organisations recorded by a moment (a stamp: before it, or with `through`, on or before it):
 * the banks a final period's report lists. An organisation without a stamp counts as always there.
 */
export async function orgsRecordedBy(db: Kysely<DB>, bound: { before: string } | { through: string }): Promise<Set<number>> {
  const [at, op] = 'before' in bound ? ([bound.before, '<'] as const) : ([bound.through, '<='] as const);
  const rows = await db
    .selectFrom('org')
    .select('id')
    .where((eb) => eb.or([eb('recorded_at', 'is', null), eb('recorded_at', op, at)]))
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function allOrgs(db: Kysely<DB>): Promise<Org[]> {
  const rows = await db.selectFrom('org').selectAll().orderBy('id').execute();
  return rows.map(toOrg);
}

export async function insertRegions(db: Kysely<DB>, regions: Omit<Region, never>[]): Promise<void> {
  if (regions.length === 0) return;
  await db
    .insertInto('region')
    .values(
      regions.map((r) => ({
        code: r.code,
        name: r.name,
        level: r.level,
        aliases: JSON.stringify(r.aliases),
        sort_order: r.sortOrder,
      })),
    )
    .execute();
}

/** An organisation before it has an id. */
export type NewOrg = Omit<Org, 'id'>;

/**
 * What the organisations set up with the database (`init`) are recorded as: before every period, so that every
 * report lists them (migration 0022_org_recorded gives the same to those of an older database).
 */
export const ORG_SET_UP_RECORDED = FIRST_CAPACITY_DATE;

/** Adds organisations; `setUp`: part of setting the database up (recorded before every period, see ORG_SET_UP_RECORDED). */
export async function insertOrgs(db: Kysely<DB>, orgs: NewOrg[], createdAt: string, opts: { setUp?: boolean } = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < orgs.length; i += 200) {
    const rows = await db
      .insertInto('org')
      .values(
        orgs.slice(i, i + 200).map((o) => ({
          code: o.code,
          name: o.name,
          kind: o.kind,
          dept_kind: o.deptKind,
          region_code: o.regionCode,
          aliases: JSON.stringify(o.aliases),
          created_at: createdAt,
          ...(opts.setUp ? { recorded_at: ORG_SET_UP_RECORDED } : {}),
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export async function updateOrg(db: Kysely<DB>, id: number, o: NewOrg): Promise<void> {
  await db
    .updateTable('org')
    .set({ code: o.code, name: o.name, kind: o.kind, dept_kind: o.deptKind, region_code: o.regionCode, aliases: JSON.stringify(o.aliases) })
    .where('id', '=', id)
    .execute();
}
