/**
 * Organisations: seeding the Ezhou reference data, adding one, importing a sheet of them.
 * Names, codes and aliases are unique across all organisations (compared loosely).
 */
import type { Kysely } from 'kysely';
import { DataError } from '../../errors.js';
import type { ColumnSpec } from '../../import/header.js';
import type { ImportSpec, Item, RowReader } from '../imports/index.js';
import type { Store } from '../../store/db.js';
import { FIRST_CAPACITY_DATE, insertOrgs, insertRegions, putCapacity, updateOrg, type NewOrg, type Org } from '../../store/reference.js';
import type { DB } from '../../store/schema.js';
import { localTimestamp } from '../../store/audit.js';
import { audit, authorize, DEFAULT_CAPACITY, DEPARTMENT_KINDS, Directory, EZHOU_REGIONS, ezhouOrgs, ORG_KIND_LABEL, parseDeptKind, parseOrgKind, type Actor, type OrgKind } from '../core/index.js';
import { controlProblem, nameKey, normaliseText, quote } from '../../util/text.js';

export async function seedEzhou(tx: Kysely<DB>, who: Actor): Promise<{ regions: number; orgs: number }> {
  await insertRegions(
    tx,
    EZHOU_REGIONS.map((r, i) => ({ ...r, sortOrder: i })),
  );
  for (const r of EZHOU_REGIONS.filter((x) => x.level === 'district')) {
    await putCapacity(tx, { regionCode: r.code, capacity: DEFAULT_CAPACITY, effectiveOn: FIRST_CAPACITY_DATE }, null);
  }
  const orgs = ezhouOrgs();
  await insertOrgs(tx, orgs.map((o) => ({ ...o, deptKind: o.deptKind ?? null, regionCode: o.region })), localTimestamp(who.now), { setUp: true });
  await audit(tx, who, [{ entity: 'reference', entityId: 'ezhou', after: { regions: EZHOU_REGIONS.length, orgs: orgs.length } }]);
  return { regions: EZHOU_REGIONS.length, orgs: orgs.length };
}

export interface OrgInput {
  code?: string;
  name: string;
  kind: string;
  region: string;
  deptKind?: string;
  aliases?: string[];
}

export type FieldProblem = { field: 'code' | 'name' | 'kind' | 'region' | 'deptKind' | 'aliases'; reason: string; value?: string };

const CODE = /^[A-Za-z0-9_-]{2,32}$/;

export function splitList(s: string | undefined): string[] {
  if (!s) return [];
  return [...new Set(s.split(/[、,，;；|/]/).map((x) => normaliseText(x)).filter(Boolean))];
}

/**
 * Validates an organisation against the directory. `self` is the organisation being updated (its own
 * names do not collide with themselves).
 */
export function validateOrg(dir: Directory, input: OrgInput, self?: Org): { org?: NewOrg; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = normaliseText(input.name);
  const kind = parseOrgKind(input.kind);
  if (!kind) problems.push({ field: 'kind', reason: `机构类型应为 ${Object.values(ORG_KIND_LABEL).join('/')}`, value: input.kind });
  if (Array.from(name).length < 2 || Array.from(name).length > 60) problems.push({ field: 'name', reason: '机构名称应为 2–60 个字', value: name });
  const region = dir.findRegion(input.region);
  if (!region) problems.push({ field: 'region', reason: dir.unknownRegion(), value: input.region });
  let deptKind: string | null = null;
  if (kind === 'department') {
    deptKind = input.deptKind ? (parseDeptKind(input.deptKind) ?? null) : null;
    if (!deptKind) {
      problems.push({ field: 'deptKind', reason: `政府部门须填部门类别：${DEPARTMENT_KINDS.map((d) => d.kind).join('、')}`, value: input.deptKind ?? '' });
    } else if (region) {
      const twin = dir.orgs.find((o) => o.kind === 'department' && o.deptKind === deptKind && o.regionCode === region.code && o.id !== self?.id);
      if (twin) problems.push({ field: 'deptKind', reason: `${region.name}已有${deptKind}部门：${twin.name}（每区每类一个）`, value: deptKind });
    }
  } else if (input.deptKind) {
    problems.push({ field: 'deptKind', reason: '只有政府部门填写部门类别', value: input.deptKind });
  }
  for (const [field, value] of [['name', name], ['code', input.code ?? ''], ['aliases', (input.aliases ?? []).join('、')]] as const) {
    const bad = controlProblem(value);
    if (bad) problems.push({ field, reason: bad, value });
  }
  let code = input.code ? normaliseText(input.code).toUpperCase() : undefined;
  if (code !== undefined && !CODE.test(code)) problems.push({ field: 'code', reason: '机构代码应为 2–32 位字母、数字、- 或 _', value: code });
  const aliases = (input.aliases ?? []).map(normaliseText).filter((a) => a && nameKey(a) !== nameKey(name));
  // Collisions with other organisations' code, name or alias.
  const taken = (s: string) => {
    const hit = dir.findOrg(s);
    return hit && hit.id !== self?.id ? hit : undefined;
  };
  const nameHit = taken(name);
  if (nameHit) problems.push({ field: 'name', reason: `与已有机构重名：${nameHit.name}`, value: name });
  if (code && taken(code)) problems.push({ field: 'code', reason: `机构代码已被 ${taken(code)!.name} 使用`, value: code });
  for (const a of aliases) {
    const hit = taken(a);
    if (hit) problems.push({ field: 'aliases', reason: `别名${quote(a)}已被 ${hit.name} 使用`, value: a });
  }
  if (problems.length > 0 || !kind || !region) return { problems };
  code ??= self?.code ?? '';
  return { org: { code, name, kind, deptKind, regionCode: region.code, aliases: [...new Set(aliases)] }, problems };
}

/** A code for an organisation added without one: readable, unique. */
export function generateCode(taken: (code: string) => boolean, kind: OrgKind, region: string, deptKind: string | null): string {
  const base =
    kind === 'bank'
      ? 'BANK'
      : kind === 'department'
        ? `${region}-${DEPARTMENT_KINDS.find((d) => d.kind === deptKind)?.code ?? 'DEPT'}`
        : kind === 'finance-office'
          ? `JRB-${region}`
          : `PBOC-${region}`;
  if (!taken(base) && kind !== 'bank') return base;
  for (let i = 1; ; i++) {
    const c = `${base}-${i}`;
    if (!taken(c)) return c;
  }
}

const FIELD_LABEL: Record<FieldProblem['field'], string> = {
  code: '--code',
  name: '--name',
  kind: '--kind',
  region: '--district',
  deptKind: '--dept-kind',
  aliases: '--alias',
};

export async function addOrg(store: Store, who: Actor, input: OrgInput): Promise<Org> {
  authorize(who, 'org.manage');
  return store.write(async (tx) => {
    const dir = await Directory.load(tx);
    const { org, problems } = validateOrg(dir, input);
    if (org && !org.code) org.code = generateCode((c) => dir.findOrg(c) !== undefined, org.kind, org.regionCode, org.deptKind);
    if (!org) {
      throw new DataError(
        problems.map((p) => `${FIELD_LABEL[p.field]}：${p.reason}`).join('；'),
        problems.map((p) => ({ field: p.field, value: p.value, message: p.reason })),
      );
    }
    const [id] = await insertOrgs(tx, [org], localTimestamp(who.now));
    await audit(tx, who, [{ entity: 'org', entityId: org.code, after: org }]);
    return { ...org, id: id! };
  });
}

export const ORG_COLUMNS: ColumnSpec[] = [
  { key: 'serial', title: '序号' },
  { key: 'code', title: '机构代码', aliases: ['代码', '编码'] },
  { key: 'name', title: '机构名称', aliases: ['名称', '机构全称', '单位名称'], required: true },
  { key: 'kind', title: '机构类型', aliases: ['类型'], required: true },
  { key: 'region', title: '所属区域', aliases: ['区域', '所在区域', '区县'], required: true },
  { key: 'deptKind', title: '部门类别', aliases: ['部门类型'] },
  { key: 'aliases', title: '别名', aliases: ['简称'] },
];

const FIELD_COLUMN: Record<FieldProblem['field'], string> = {
  code: 'code',
  name: 'name',
  kind: 'kind',
  region: 'region',
  deptKind: 'deptKind',
  aliases: 'aliases',
};

function rowInput(row: RowReader): OrgInput {
  return {
    code: row.text('code') || undefined,
    name: row.text('name'),
    kind: row.text('kind'),
    region: row.text('region'),
    deptKind: row.text('deptKind') || undefined,
    aliases: splitList(row.text('aliases')),
  };
}

/** `org import`: upsert by code, else by name. */
export function orgImportSpec(dir: Directory, who: Actor): ImportSpec<{ input: OrgInput; org: NewOrg; existing?: Org }> {
  authorize(who, 'org.manage');
  return {
    kind: 'orgs',
    columns: ORG_COLUMNS,
    parseRow(row) {
      const input = rowInput(row);
      if (!input.name) row.fail('name', '必填');
      if (!input.kind) row.fail('kind', '必填');
      if (!input.region) row.fail('region', '必填');
      if (row.problems.length > 0) return undefined;
      // Matched by its code when one is given, else by its exact full name (never by an alias).
      const byCode = input.code ? dir.orgs.find((o) => o.code === normaliseText(input.code!).toUpperCase()) : undefined;
      const byName = input.code ? undefined : dir.orgs.find((o) => nameKey(o.name) === nameKey(input.name));
      const existing = byCode ?? byName;
      const { org, problems } = validateOrg(dir, input, existing);
      for (const p of problems) row.fail(FIELD_COLUMN[p.field], p.reason, p.value);
      return org ? { input, org, existing } : undefined;
    },
    uniqueKeys: (r) => [
      { column: 'name', key: nameKey(r.org.name) },
      { column: 'code', key: r.org.code }, // '' (to be generated) is skipped
      ...r.org.aliases.map((a) => ({ column: 'aliases', key: nameKey(a) })),
    ],
    async apply(tx, items: Item<{ input: OrgInput; org: NewOrg; existing?: Org }>[], who) {
      const codes = new Set([...dir.orgs.map((o) => o.code), ...items.map((i) => i.record.org.code).filter(Boolean)]);
      const taken = (c: string) => codes.has(c) || dir.findOrg(c) !== undefined;
      let added = 0;
      let updated = 0;
      let unchanged = 0;
      const fresh: NewOrg[] = [];
      for (const { record } of items) {
        const { org, existing } = record;
        if (!existing) {
          if (!org.code) org.code = generateCode(taken, org.kind, org.regionCode, org.deptKind);
          codes.add(org.code);
          fresh.push(org);
          added += 1;
          continue;
        }
        const before = { code: existing.code, name: existing.name, kind: existing.kind, deptKind: existing.deptKind, regionCode: existing.regionCode, aliases: existing.aliases };
        if (JSON.stringify(before) === JSON.stringify({ ...org })) {
          unchanged += 1;
          continue;
        }
        await updateOrg(tx, existing.id, org);
        await audit(tx, who, [{ entity: 'org', entityId: org.code, before, after: org }]);
        updated += 1;
      }
      await insertOrgs(tx, fresh, localTimestamp(who.now));
      if (fresh.length > 0) await audit(tx, who, fresh.map((o) => ({ entity: 'org', entityId: o.code, after: o })));
      return { added, updated, unchanged };
    },
  };
}
