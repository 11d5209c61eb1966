/** Queries of the reference data: regions (city and districts) and organisations. */
import type { Kysely } from 'kysely';
import type { DB, OrgTable, RegionTable } from './schema.js';
import type { OrgKind } from '../domain/reference.js';

export interface Region {
  code: string;
  name: string;
  level: 'city' | 'district';
  aliases: string[];
  capacity: number;
  sortOrder: number;
}

export interface Org {
  id: number;
  code: string;
  name: string;
  kind: OrgKind;
  deptKind: string | null;
  regionCode: string;
  aliases: string[];
}

function toRegion(r: RegionTable): Region {
  return { code: r.code, name: r.name, level: r.level, aliases: JSON.parse(r.aliases), capacity: r.capacity, sortOrder: r.sort_order };
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
        capacity: r.capacity,
        sort_order: r.sortOrder,
      })),
    )
    .execute();
}

export interface NewOrg {
  code: string;
  name: string;
  kind: OrgKind;
  deptKind: string | null;
  regionCode: string;
  aliases: string[];
}

export async function insertOrgs(db: Kysely<DB>, orgs: NewOrg[], createdAt: string): Promise<number[]> {
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
