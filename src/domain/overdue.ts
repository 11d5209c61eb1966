/**
 * The 督办清单: districts whose list has had a vacancy for more than VACANCY_DAYS days, open cases without
 * progress for more than STALL_DAYS days, coaching items past due, districts and lead banks that have not fed
 * back for the month, and units whose collection workbook for the month is not back by its deadline.
 */
import type { Kysely } from 'kysely';
import { listCases } from '../store/cases.js';
import type { DB } from '../store/schema.js';
import { addDays, daysBetween } from '../util/dates.js';
import type { Directory } from './directory.js';
import { missingFeedback } from './feedback.js';
import { collectionOverdue, type CollectionOverdue } from './collect.js';
import { authorize, scopeRegions, type Actor } from './actor.js';
import { STALL_DAYS, VACANCY_DAYS } from './rules.js';
import { STAGE_LABEL } from './stages.js';

export interface Overdue {
  today: string;
  feedback_month: string;
  vacancies: { district: string; capacity: number; active: number; vacancies: number; since: string | null; days: number | null }[];
  stalled: { code: string; name: string; district: string; stage: string; last_progress_on: string; days: number }[];
  coaching: { id: number; code: string; name: string; district: string; item: string; org: string; due: string; days: number }[];
  feedback: { kind: 'district' | 'bank'; name: string }[];
  /** Units whose monthly collection workbook was sent and is not back by its deadline. */
  collection: CollectionOverdue[];
}

/**
 * Since when a district's list has had a vacancy: the day its count last fell below capacity (a closing),
 * or, if it was never full, the day its first case was recommended.
 */
function vacancySince(events: { date: string; delta: number }[], capacity: number, first: string | undefined): string | null {
  let active = 0;
  let since: string | null = first ?? null;
  for (const e of [...events].sort((a, b) => a.date.localeCompare(b.date) || b.delta - a.delta)) {
    const before = active;
    active += e.delta;
    if (before >= capacity && active < capacity) since = e.date;
  }
  return since;
}

/** The 督办清单 for what the actor may see: one district, or every district of its scope. */
export async function overdueFor(db: Kysely<DB>, dir: Directory, who: Actor, today: string, month: string, district?: string): Promise<Overdue> {
  const region = district ? dir.district(district) : undefined;
  authorize(who, 'report.read', region ? { region: region.code, regionName: region.name } : {});
  return overdueList(db, dir, today, month, region ? [region.code] : scopeRegions(who));
}

export async function overdueList(db: Kysely<DB>, dir: Directory, today: string, feedbackMonth: string, regions?: string[]): Promise<Overdue> {
  const cases = await listCases(db, regions ? { regions } : {});
  const vacancies: Overdue['vacancies'] = [];
  for (const r of dir.districts) {
    if (regions && !regions.includes(r.code)) continue;
    const mine = cases.filter((c) => c.region_code === r.code);
    const events: { date: string; delta: number }[] = [];
    for (const c of mine) {
      if (c.confirmed_on) events.push({ date: c.confirmed_on, delta: 1 });
      if (c.closed_on && c.confirmed_on) events.push({ date: c.closed_on, delta: -1 });
    }
    const active = mine.filter((c) => c.stage === 'confirmed' || c.stage === 'assigned').length;
    if (active >= r.capacity) continue;
    const first = mine.map((c) => c.recommended_on).sort()[0];
    const since = vacancySince(events, r.capacity, first);
    const days = since ? daysBetween(since, today) : null;
    if (days === null || days > VACANCY_DAYS) vacancies.push({ district: r.name, capacity: r.capacity, active, vacancies: r.capacity - active, since, days });
  }
  const limit = addDays(today, -STALL_DAYS);
  const stalled = cases
    .filter((c) => c.stage !== 'closed' && c.stage !== 'rejected' && c.last_progress_on < limit)
    .sort((a, b) => a.last_progress_on.localeCompare(b.last_progress_on) || a.id - b.id)
    .map((c) => ({
      code: c.enterprise_code,
      name: c.name,
      district: dir.regionName(c.region_code),
      stage: STAGE_LABEL[c.stage],
      last_progress_on: c.last_progress_on,
      days: daysBetween(c.last_progress_on, today),
    }));
  let q = db
    .selectFrom('coaching_item')
    .innerJoin('case_file', 'case_file.id', 'coaching_item.case_id')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .select(['coaching_item.id', 'coaching_item.item', 'coaching_item.org_id', 'coaching_item.due', 'case_file.enterprise_code as code', 'enterprise.name as name', 'case_file.region_code as region'])
    .where('coaching_item.status', '=', 'open')
    .where('coaching_item.due', '<', today);
  if (regions) q = q.where('case_file.region_code', 'in', regions);
  const items = await q.orderBy('coaching_item.due').orderBy('coaching_item.id').execute();
  const coaching = items.map((i) => ({
    id: i.id,
    code: i.code,
    name: i.name,
    district: dir.regionName(i.region),
    item: i.item,
    org: dir.orgByIdOrThrow(i.org_id).name,
    due: i.due!,
    days: daysBetween(i.due!, today),
  }));
  let feedback = await missingFeedback(db, dir, feedbackMonth);
  if (regions) feedback = feedback.filter((f) => f.kind === 'bank' || regions.some((r) => dir.regionName(r) === f.name));
  const collection = (await collectionOverdue(db, dir, feedbackMonth, today)).filter((c) => !regions || c.kind === 'bank' || regions.includes(c.region));
  return { today, feedback_month: feedbackMonth, vacancies, stalled, coaching, feedback, collection };
}
