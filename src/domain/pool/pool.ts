/**
 * The district list (名单, docs/workflow.md): each district keeps up to its capacity in force on the day
 * (DEFAULT_CAPACITY unless changed) cases in service; the joint consultation meeting confirms verified cases
 * into vacancies; every closed case frees a slot.
 */
import type { Kysely } from 'kysely';
import { DataError, NotFoundError, RuleError, UsageError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { listCases, updateCase, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { DB } from '../../store/schema.js';
import { putCapacity, type Region } from '../../store/reference.js';
import { addDays, daysBetween, monthInWords } from '../../util/dates.js';
import { audit, authorize, checkEntryDate, checkStepDate, Directory, EntryDates, monthIsFinal, NEXT_STEP, recordStep, scopeRegions, STAGE_LABEL, visibleCase, type Actor } from '../core/index.js';

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
  const capacity = dir.capacityOn(region.code, today);
  return {
    district: region.name,
    code: region.code,
    capacity,
    active: active.map((c) => ({
      code: c.enterprise_code,
      name: c.name,
      stage: c.stage,
      class: c.class,
      lead_bank: c.lead_bank_id ? dir.orgByIdOrThrow(c.lead_bank_id).name : null,
      confirmed_on: c.confirmed_on!,
      days_in_pool: Math.max(0, daysBetween(c.confirmed_on!, today)),
    })),
    vacancies: Math.max(0, capacity - active.length),
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
  /** A 人民银行 correction's reason, for a meeting in a month already final. */
  correction?: string;
}

/** Confirms verified cases into the district list at a meeting: all or nothing. */
export async function confirmIntoPool(store: Store, who: Actor, input: ConfirmInput): Promise<CaseRow[]> {
  if (input.codes.length === 0) throw new UsageError('请给出要确认入库的企业代码');
  return store.write(async (tx) => {
    const dir = await Directory.load(tx);
    const region = dir.district(input.district);
    authorize(who, 'pool.confirm', { region: region.code, regionName: region.name });
    const dates = await EntryDates.load(tx, who, input.correction);
    dates.check(input.meeting, `${region.name}联合协商会议确认入库`);
    const cases: CaseRow[] = [];
    const problems: string[] = [];
    const unknown: string[] = [];
    for (const code of input.codes) {
      let c: CaseRow;
      try {
        c = await visibleCase(tx, who, code);
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
    // then and on every later day (confirmations, closings and capacity changes since).
    const history = await listCases(tx, { regions: [region.code] });
    const tight = tightestDay(history, dir, region.code, input.meeting);
    if (cases.length > tight.vacancies) {
      throw new RuleError(
        `${region.name}${tight.day} 名单容量 ${tight.capacity} 家，在库 ${tight.active} 家，空缺 ${tight.vacancies} 个（${input.meeting} 起空缺最少的一天）；本次确认 ${cases.length} 家超过空缺，未做任何改动`,
        [{ capacity: tight.capacity, active: tight.active, vacancies: tight.vacancies, day: tight.day, requested: cases.length }],
        [],
        'pool_full',
      );
    }
    const at = localTimestamp(who.now);
    for (const c of cases) {
      await updateCase(tx, c.id, { stage: 'confirmed', confirmed_on: input.meeting, updated_at: at });
      await recordStep(tx, who, c, { date: input.meeting, kind: 'confirmed', details: { meeting: input.meeting }, before: { stage: c.stage } });
    }
    await dates.record(tx, { what: `${region.name}联合协商会议（${input.meeting}）确认入库：${cases.map((c) => c.name).join('、')}` });
    return cases;
  });
}

type InList = { confirmed_on: string | null; closed_on: string | null };

/** Cases in the list on a day: confirmed by then and not yet closed. */
export function activeOn(cases: InList[], day: string): number {
  return cases.filter((c) => c.confirmed_on !== null && c.confirmed_on <= day && (c.closed_on === null || c.closed_on > day)).length;
}

/**
 * The days from `from` (inclusive) to `until` (exclusive, open when absent) on which the list can change:
 * `from` itself, and every confirmation, closing and capacity change after it.
 */
function changeDays(cases: InList[], capacityDates: string[], from: string, until?: string): string[] {
  const dates = [...cases.flatMap((c) => [c.confirmed_on, c.closed_on]), ...capacityDates];
  const later = dates.filter((d): d is string => d !== null && d > from && (until === undefined || d < until));
  return [...new Set([from, ...later])].sort();
}

/** The day from `from` on with the fewest free places (capacity in force that day minus the cases in the list). */
export function tightestDay(cases: InList[], dir: Directory, region: string, from: string): { day: string; capacity: number; active: number; vacancies: number } {
  const days = changeDays(cases, dir.capacityHistory(region).map((c) => c.effectiveOn), from);
  const each = days.map((day) => {
    const capacity = dir.capacityOn(region, day);
    const active = activeOn(cases, day);
    return { day, capacity, active, vacancies: Math.max(0, capacity - active) };
  });
  return each.reduce((a, b) => (b.vacancies < a.vacancies ? b : a));
}

export interface CapacityInput {
  district: string;
  capacity: number;
  /** In force from this date until the next recorded change. */
  date: string;
  /** A 人民银行 correction's reason, for a date in a month already final. */
  correction?: string;
}

/**
 * Records a district's capacity in force from a date. Refused (exit 4) when the list holds more firms than
 * that on any day it would govern: from the date until the next recorded change.
 */
export async function setCapacity(store: Store, who: Actor, input: CapacityInput): Promise<{ before: number; after: number; effective_on: string }> {
  const { capacity, date } = input;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1000) throw new DataError('名单容量应为 1–1000 的整数');
  return store.write(async (tx) => {
    const dir = await Directory.load(tx);
    const region = dir.district(input.district);
    authorize(who, 'pool.capacity', { region: region.code, regionName: region.name });
    await checkEntryDate(tx, who, { date, what: `${region.name}名单容量改为 ${capacity} 家`, correction: input.correction });
    // A capacity of a date in a final month is read by published figures: it is never replaced (the one recorded
    // for a date is changed in place), only followed by a change from a later date (then a correction).
    const same = dir.capacityHistory(region.code).find((c) => c.effectiveOn === date);
    if (same && monthIsFinal(date.slice(0, 7), who.today)) {
      throw new DataError(
        `${region.name}自 ${date} 起的名单容量已登记为 ${same.capacity} 家，${monthInWords(date.slice(0, 7))}已结报，已发布的数字用的是它，不能改动；请以其后的生效日期登记更正（例如 --date ${addDays(date, 1)}）`,
      );
    }
    const next = dir.capacityHistory(region.code).find((c) => c.effectiveOn > date)?.effectiveOn;
    const cases = await listCases(tx, { regions: [region.code] });
    const crowded = changeDays(cases, [], date, next)
      .map((day) => ({ day, active: activeOn(cases, day) }))
      .reduce((a, b) => (b.active > a.active ? b : a));
    if (crowded.active > capacity) {
      throw new RuleError(
        `${region.name}名单中${crowded.day === date ? '' : `在 ${crowded.day} `}已有 ${crowded.active} 家企业，自 ${date} 起的容量不能小于 ${crowded.active}，未做改动`,
        [{ day: crowded.day, active: crowded.active, capacity }],
        [],
        'pool_full',
      );
    }
    const before = dir.capacityOn(region.code, date);
    await putCapacity(tx, { regionCode: region.code, capacity, effectiveOn: date }, localTimestamp(who.now));
    await audit(tx, who, [{ entity: 'region', entityId: region.code, before: { capacity: before, effective_on: date }, after: { capacity, effective_on: date } }]);
    return { before, after: capacity, effective_on: date };
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
