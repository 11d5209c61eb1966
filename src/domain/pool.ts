/**
 * The district list (名单, SPEC §2): each district keeps up to `capacity` (default 10) cases in service;
 * the joint consultation meeting confirms verified cases into vacancies; every closed case frees a slot.
 */
import type { Kysely } from 'kysely';
import { DataError, NotFoundError, RuleError, UsageError } from '../errors.js';
import { localTimestamp } from '../store/audit.js';
import { listCases, updateCase, type CaseRow } from '../store/cases.js';
import type { Store } from '../store/db.js';
import type { DB } from '../store/schema.js';
import type { Region } from '../store/reference.js';
import { daysBetween } from '../util/dates.js';
import { audit, authorize, scopeRegions, type Actor } from './actor.js';
import { checkStepDate, loadCase, recordStep } from './cases.js';
import { Directory } from './directory.js';
import { NEXT_STEP, STAGE_LABEL } from './stages.js';

/** Cases in a district's list: confirmed (with or without a lead bank) and not closed. */
export const ACTIVE_STAGES = ['confirmed', 'assigned'] as const;

export interface PoolStatus {
  district: string;
  code: string;
  capacity: number;
  active: { code: string; name: string; stage: string; class: string | null; lead_bank: string | null; confirmed_on: string; days_in_pool: number }[];
  vacancies: number;
  candidates: { code: string; name: string; class: string | null; verified_on: string }[];
}

export async function poolStatus(db: Kysely<DB>, dir: Directory, region: Region, today: string): Promise<PoolStatus> {
  const cases = await listCases(db, { regions: [region.code], stages: ['verified', ...ACTIVE_STAGES] });
  const active = cases
    .filter((c) => c.stage !== 'verified')
    .sort((a, b) => (a.confirmed_on ?? '').localeCompare(b.confirmed_on ?? '') || a.id - b.id);
  const candidates = cases
    .filter((c) => c.stage === 'verified')
    .sort((a, b) => (a.verified_on ?? '').localeCompare(b.verified_on ?? '') || a.id - b.id);
  return {
    district: region.name,
    code: region.code,
    capacity: region.capacity,
    active: active.map((c) => ({
      code: c.enterprise_code,
      name: c.name,
      stage: c.stage,
      class: c.class,
      lead_bank: c.lead_bank_id ? dir.orgByIdOrThrow(c.lead_bank_id).name : null,
      confirmed_on: c.confirmed_on!,
      days_in_pool: Math.max(0, daysBetween(c.confirmed_on!, today)),
    })),
    vacancies: Math.max(0, region.capacity - active.length),
    candidates: candidates.map((c) => ({ code: c.enterprise_code, name: c.name, class: c.class, verified_on: c.verified_on! })),
  };
}

/**
 * The lists the actor may see: one district's (`district` given) or every district of its unit's scope.
 * Refuses a unit that has no district of its own (exit 4).
 */
export async function visiblePools(db: Kysely<DB>, dir: Directory, who: Actor, today: string, district?: string): Promise<PoolStatus[]> {
  const regions = district ? [dir.district(district)] : dir.districts.filter((r) => scopeRegions(who) === undefined || scopeRegions(who)!.includes(r.code));
  if (regions.length === 0) authorize(who, 'district.read');
  for (const r of regions) authorize(who, 'district.read', { region: r.code, regionName: r.name });
  const out: PoolStatus[] = [];
  for (const r of regions) out.push(await poolStatus(db, dir, r, today));
  return out;
}

/** The list as it will be filed on `filedOn`, checked before anything is written (permission and date). */
export async function filingStatus(db: Kysely<DB>, dir: Directory, who: Actor, district: string, filedOn: string): Promise<{ region: Region; status: PoolStatus }> {
  const region = dir.district(district);
  authorize(who, 'pool.filing', { region: region.code, regionName: region.name });
  const status = await poolStatus(db, dir, region, filedOn);
  checkFilingDate(who, status, filedOn);
  return { region, status };
}

export interface ConfirmInput {
  district: string;
  meeting: string;
  codes: string[];
}

/** Confirms verified cases into the district list at a meeting: all or nothing. */
export async function confirmIntoPool(store: Store, who: Actor, input: ConfirmInput): Promise<CaseRow[]> {
  if (input.codes.length === 0) throw new UsageError('请给出要确认入库的企业代码');
  return store.write(async (tx) => {
    const dir = await Directory.load(tx);
    const region = dir.district(input.district);
    authorize(who, 'pool.confirm', { region: region.code, regionName: region.name });
    checkStepDate(input.meeting, who);
    const cases: CaseRow[] = [];
    const problems: string[] = [];
    const unknown: string[] = [];
    for (const code of input.codes) {
      let c: CaseRow;
      try {
        c = await loadCase(tx, code);
      } catch (e) {
        if (e instanceof NotFoundError) {
          unknown.push(e.message);
          continue;
        }
        throw e;
      }
      if (cases.some((x) => x.id === c.id)) continue;
      if (c.region_code !== region.code) problems.push(`${c.name}（${c.enterprise_code}）属于${dir.regionName(c.region_code)}，不是${region.name}的企业`);
      else if (c.stage !== 'verified') {
        problems.push(`${c.name}（${c.enterprise_code}）当前阶段为「${STAGE_LABEL[c.stage]}」，只有已核查（未入库）的企业可以确认入库；下一步是：${NEXT_STEP[c.stage]}`);
      }
      else if (c.verified_on && input.meeting < c.verified_on) problems.push(`${c.name}（${c.enterprise_code}）的核查日期 ${c.verified_on} 晚于会议日期`);
      cases.push(c);
    }
    if (unknown.length > 0) throw new NotFoundError(unknown.join('；'), unknown.map((message) => ({ message })));
    if (problems.length > 0) throw new RuleError(`不能确认入库，未做任何改动：${problems.length} 个问题`, problems.map((message) => ({ message })), problems, 'wrong_stage');
    // A meeting may be recorded late: the cases join the list from its date, so the list must have room
    // then and at every later confirmation or closing.
    const history = await listCases(tx, { regions: [region.code] });
    const peak = peakActiveSince(history, input.meeting);
    const vacancies = Math.max(0, region.capacity - peak);
    if (cases.length > vacancies) {
      throw new RuleError(
        `${region.name}名单容量 ${region.capacity} 家，${input.meeting} 起在库最多 ${peak} 家，空缺 ${vacancies} 个；本次确认 ${cases.length} 家超过空缺，未做任何改动`,
        [{ capacity: region.capacity, active: peak, vacancies, requested: cases.length }],
        [],
        'pool_full',
      );
    }
    const at = localTimestamp(who.now);
    for (const c of cases) {
      await updateCase(tx, c.id, { stage: 'confirmed', confirmed_on: input.meeting, updated_at: at });
      await recordStep(tx, who, c, { date: input.meeting, kind: 'confirmed', details: { meeting: input.meeting }, before: { stage: c.stage } });
    }
    return cases;
  });
}

/** The most cases in the list on any day from `date` on (confirmed by then, not yet closed). */
export function peakActiveSince(cases: { confirmed_on: string | null; closed_on: string | null }[], date: string): number {
  const inList = cases.filter((c) => c.confirmed_on !== null);
  const days = new Set([date, ...inList.flatMap((c) => [c.confirmed_on!, c.closed_on].filter((d): d is string => d !== null && d > date))]);
  let peak = 0;
  for (const d of days) {
    peak = Math.max(peak, inList.filter((c) => c.confirmed_on! <= d && (c.closed_on === null || c.closed_on > d)).length);
  }
  return peak;
}

export async function setCapacity(store: Store, who: Actor, district: string, capacity: number): Promise<{ before: number; after: number }> {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1000) throw new DataError('名单容量应为 1–1000 的整数');
  return store.write(async (tx) => {
    const dir = await Directory.load(tx);
    const region = dir.district(district);
    authorize(who, 'pool.capacity', { region: region.code, regionName: region.name });
    await tx.updateTable('region').set({ capacity }).where('code', '=', region.code).execute();
    await audit(tx, who, [{ entity: 'region', entityId: region.code, before: { capacity: region.capacity }, after: { capacity } }]);
    return { before: region.capacity, after: capacity };
  });
}

/** A filing date: not in the future, not before the latest confirmation it lists. */
export function checkFilingDate(who: Actor, status: PoolStatus, filedOn: string): void {
  const latest = status.active.map((a) => a.confirmed_on).sort().pop();
  checkStepDate(filedOn, who, { date: latest ?? null, label: '名单中最近一次入库的日期' });
}

/** Records that a district's list was filed (报备) with the city office. */
export async function recordFiling(store: Store, who: Actor, region: Region, filedOn: string, file: string, status: PoolStatus): Promise<number> {
  return store.write(async (tx) => {
    authorize(who, 'pool.filing', { region: region.code, regionName: region.name });
    checkFilingDate(who, status, filedOn);
    const at = localTimestamp(who.now);
    const row = await tx
      .insertInto('pool_filing')
      .values({ region_code: region.code, filed_on: filedOn, file, cases: JSON.stringify(status.active.map((a) => a.code)), created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cases = await listCases(tx, { regions: [region.code], stages: [...ACTIVE_STAGES] });
    for (const c of cases) {
      await recordStep(tx, who, c, { date: filedOn, kind: 'filed', details: { filed_on: filedOn } });
    }
    await audit(tx, who, [{ entity: 'pool_filing', entityId: row.id, after: { district: region.name, filed_on: filedOn, file, cases: status.active.length } }]);
    return row.id;
  });
}
