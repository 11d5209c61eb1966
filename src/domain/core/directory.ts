/**
 * Name resolution for districts, departments, banks and other organisations: by code, full name or alias
 * (docs/roles.md). An unknown name is a not-found error listing the closest known names.
 */
import type { Kysely } from 'kysely';
import { NotFoundError, UsageError } from '../../errors.js';
import type { DB } from '../../store/schema.js';
import { allOrgs, allRegions, capacityChanges, type CapacityChange, type Org, type Region } from '../../store/reference.js';
import { closest } from '../../util/similar.js';
import { nameKey, quote } from '../../util/text.js';
import { DEPARTMENT_KIND_ALIASES, DEPARTMENT_KINDS, ORG_KIND_LABEL, type OrgKind } from './reference.js';
import { DEFAULT_CAPACITY } from './rules.js';

export const ORG_KINDS = Object.keys(ORG_KIND_LABEL) as OrgKind[];

/** 'bank', '金融机构', 'department', '政府部门', … → kind. */
export function parseOrgKind(input: string): OrgKind | undefined {
  const k = nameKey(input);
  for (const kind of ORG_KINDS) if (kind === k || nameKey(ORG_KIND_LABEL[kind]) === k) return kind;
  if (k === '银行') return 'bank';
  return undefined;
}

export function orgKindOrThrow(input: string, flag: string): OrgKind {
  const kind = parseOrgKind(input);
  if (!kind) {
    throw new UsageError(`${flag} 的值${quote(input)}不是机构类型；可选：${ORG_KINDS.map((k) => `${k}（${ORG_KIND_LABEL[k]}）`).join('、')}`);
  }
  return kind;
}

/** '经信' → '经信'; '银保监' → '金融监管'; otherwise undefined. */
export function parseDeptKind(input: string): string | undefined {
  const k = nameKey(input);
  const alias = DEPARTMENT_KIND_ALIASES[k];
  if (alias) return alias;
  return DEPARTMENT_KINDS.find((d) => d.kind === k)?.kind;
}

function keysOf(x: { code: string; name: string; aliases: string[] }): string[] {
  return [x.code, x.name, ...x.aliases].map(nameKey);
}

export class Directory {
  private readonly regionByKey = new Map<string, Region>();
  private readonly orgByKey = new Map<string, Org>();
  private readonly orgById = new Map<number, Org>();
  private readonly regionByCode = new Map<string, Region>();
  private readonly capacityByRegion = new Map<string, CapacityChange[]>();

  constructor(
    readonly regions: Region[],
    readonly orgs: Org[],
    capacities: CapacityChange[] = [],
  ) {
    for (const c of [...capacities].sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn))) {
      this.capacityByRegion.set(c.regionCode, [...(this.capacityByRegion.get(c.regionCode) ?? []), c]);
    }
    for (const r of regions) {
      this.regionByCode.set(r.code, r);
      for (const k of keysOf(r)) if (!this.regionByKey.has(k)) this.regionByKey.set(k, r);
    }
    for (const o of orgs) {
      this.orgById.set(o.id, o);
      for (const k of keysOf(o)) if (!this.orgByKey.has(k)) this.orgByKey.set(k, o);
    }
  }

  static async load(db: Kysely<DB>): Promise<Directory> {
    const [regions, orgs, capacities] = await Promise.all([allRegions(db), allOrgs(db), capacityChanges(db)]);
    return new Directory(regions, orgs, capacities);
  }

  /**
   * Regions and organisations only, without the capacity history: enough to know who is acting, and readable
   * on a database that `db migrate` has not yet upgraded.
   */
  static async loadNames(db: Kysely<DB>): Promise<Directory> {
    const [regions, orgs] = await Promise.all([allRegions(db), allOrgs(db)]);
    return new Directory(regions, orgs);
  }

  /** A district's capacity changes, oldest first. */
  capacityHistory(code: string): CapacityChange[] {
    return this.capacityByRegion.get(code) ?? [];
  }

  /** The capacity of a district's list in force on a date: the latest change on or before it. */
  capacityOn(code: string, date: string): number {
    let capacity = DEFAULT_CAPACITY; // a district without any recorded capacity
    for (const c of this.capacityHistory(code)) if (c.effectiveOn <= date) capacity = c.capacity;
    return capacity;
  }

  get districts(): Region[] {
    return this.regions.filter((r) => r.level === 'district');
  }

  get city(): Region | undefined {
    return this.regions.find((r) => r.level === 'city');
  }

  regionByCodeOrThrow(code: string): Region {
    const r = this.regionByCode.get(code);
    if (!r) throw new NotFoundError(`未知的区域代码${quote(code)}`);
    return r;
  }

  regionName(code: string): string {
    return this.regionByCode.get(code)?.name ?? code;
  }

  orgByIdOrThrow(id: number): Org {
    const o = this.orgById.get(id);
    if (!o) throw new NotFoundError(`未知的机构编号 ${id}`);
    return o;
  }

  findRegion(name: string): Region | undefined {
    return this.regionByKey.get(nameKey(name));
  }

  findOrg(name: string): Org | undefined {
    return this.orgByKey.get(nameKey(name));
  }

  /** The city or a district. */
  region(name: string): Region {
    const r = this.findRegion(name);
    if (r) return r;
    throw this.unknownName('区域', name, this.regions);
  }

  /** A district (not the city level). */
  district(name: string): Region {
    const r = this.region(name);
    if (r.level !== 'district') {
      throw new UsageError(`${r.name}是市级，这里需要一个区：${this.districts.map((d) => d.name).join('、')}`);
    }
    return r;
  }

  org(name: string, kind?: OrgKind): Org {
    const pool = kind ? this.orgs.filter((o) => o.kind === kind) : this.orgs;
    const o = this.findOrg(name);
    if (o && (!kind || o.kind === kind)) return o;
    if (o && kind) {
      throw new UsageError(`${o.name}是${ORG_KIND_LABEL[o.kind]}，这里需要${ORG_KIND_LABEL[kind]}`);
    }
    throw this.unknownName(kind ? ORG_KIND_LABEL[kind] : '机构', name, pool);
  }

  bank(name: string): Org {
    return this.org(name, 'bank');
  }

  /**
   * A member department: either a department kind within a region ("经信" + 华容区 → 华容区经济和信息化局;
   * a kind that exists only at city level falls back to the city) or a department's own name.
   */
  department(name: string, region?: Region): Org {
    const kind = parseDeptKind(name);
    if (kind) {
      if (!region) throw new UsageError(`部门${quote(name)}是部门类别，请同时用 --district 指明区域`);
      const inRegion = (code: string) =>
        this.orgs.find((o) => o.kind === 'department' && o.deptKind === kind && o.regionCode === code);
      const found = inRegion(region.code) ?? (this.city ? inRegion(this.city.code) : undefined);
      if (found) return found;
      throw new NotFoundError(`${region.name}没有${kind}部门`);
    }
    const o = this.org(name, 'department');
    if (region && o.regionCode !== region.code && o.regionCode !== this.city?.code) {
      throw new UsageError(`${o.name}属于${this.regionName(o.regionCode)}，不是${region.name}的部门`);
    }
    return o;
  }

  /**
   * An organisation named for work in a district: a department kind (财政, 财政局) means that district's
   * department (华容区财政局 for a 华容区 firm), else the name is read as anywhere.
   */
  orgFor(name: string, region: Region): Org {
    const kind = parseDeptKind(name) ?? DEPARTMENT_KINDS.find((d) => d.fullName !== '' && nameKey(d.fullName) === nameKey(name))?.kind;
    return kind ? this.department(kind, region) : this.org(name);
  }

  /** The finance office (金融办) of a region. */
  financeOffice(regionCode: string): Org | undefined {
    return this.orgs.find((o) => o.kind === 'finance-office' && o.regionCode === regionCode);
  }

  /** A not-found error for `name`, listing the closest names in `pool`. */
  /** Why a region's name in a record was refused, listing those that may be given there (default: every region). */
  unknownRegion(choices: Region[] = this.regions): string {
    return `未知的区域；可选：${choices.map((r) => r.name).join('、')}`;
  }

  unknownName(what: string, name: string, pool: { code: string; name: string; aliases: string[] }[]): NotFoundError {
    const near = closest(nameKey(name), pool.map((p) => ({ name: p.name, keys: keysOf(p) })));
    const hint = near.length > 0 ? `。最接近的有：${near.join('、')}` : `。可用 xypz org list 查看全部`;
    return new NotFoundError(`未知的${what}${quote(name)}${hint}`);
  }
}
