/**
 * The 督办清单: districts whose list has had a vacancy for more than VACANCY_DAYS days, open cases without
 * progress for more than STALL_DAYS days, coaching items past due (not those ended with their firm's closing),
 * districts and lead banks that have not fed back for the month once its feedback deadline has passed, those whose feedback came after the deadline (逾期报送), and units whose collection
 * workbook for the month is not back by its deadline.
 */
import type { Kysely } from 'kysely';
import { listCases } from '../../store/cases.js';
import type { DB } from '../../store/schema.js';
import { addDays, daysBetween, previousPeriod } from '../../util/dates.js';
import { authorize, feedbackDeadline, scopeRegions, STAGE_LABEL, STALL_DAYS, VACANCY_DAYS, type Actor, type Directory } from '../core/index.js';
import { collectionOverdue, lateFeedback, missingFeedback, type CollectionOverdue } from '../collection/index.js';
import { activeOn } from '../pool/index.js';

export interface Overdue {
  today: string;
  feedback_month: string;
  vacancies: { district: string; capacity: number; active: number; vacancies: number; since: string | null; days: number | null }[];
  stalled: { code: string; name: string; district: string; stage: string; last_progress_on: string; days: number }[];
  coaching: { id: number; code: string; name: string; district: string; item: string; org: string; due: string; days: number }[];
  /** The month's feedback deadline: until it has passed, no unit is listed as not having fed back. */
  feedback_deadline: string;
  /** Units with no feedback at all for the month (none before the deadline has passed). */
  feedback: { kind: 'district' | 'bank'; name: string }[];
  /** Units whose feedback for the month came only after the deadline (not counted in the month's figures). */
  feedback_late: { kind: 'district' | 'bank'; name: string; submitted_on: string; deadline: string }[];
  /** Units whose monthly collection workbook was sent and is not back by its deadline. */
  collection: CollectionOverdue[];
}

/**
 * Since when a district's list has had a vacancy: the last day on which it went from full to not full (a
 * closing, or a larger capacity in force from that day), or, if it was never full, the day its first case
 * was recommended. Each day is judged after all of its confirmations, closings and capacity changes.
 */
function vacancySince(cases: { confirmed_on: string | null; closed_on: string | null }[], capacityOn: (day: string) => number, capacityDates: string[], first: string | undefined): string | null {
  const days = [...new Set([...cases.flatMap((c) => (c.confirmed_on ? [c.confirmed_on, c.closed_on] : [])), ...capacityDates])]
    .filter((d): d is string => d !== null && (first === undefined || d >= first))
    .sort();
  let since: string | null = first ?? null;
  let full = false;
  for (const day of days) {
    const nowFull = activeOn(cases, day) >= capacityOn(day);
    if (full && !nowFull) since = day;
    full = nowFull;
  }
  return since;
}

/**
 * The month the 督办清单 checks by default: the latest month whose feedback deadline has passed. On the 1st to
 * the FEEDBACK_DUE_DAY of a month, last month's feedback is not yet late, so the list looks at the month before it
 * (on 2024-06-05 that is 2024-04; from 2024-06-11 on it is 2024-05).
 */
export function overdueMonth(today: string): string {
  const last = previousPeriod(today, 'month').label;
  return today > feedbackDeadline(last) ? last : previousPeriod(`${last}-01`, 'month').label;
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
    const capacity = dir.capacityOn(r.code, today);
    const active = activeOn(mine, today);
    if (active >= capacity) continue;
    const first = mine.map((c) => c.recommended_on).sort()[0];
    const since = vacancySince(mine, (day) => dir.capacityOn(r.code, day), dir.capacityHistory(r.code).map((c) => c.effectiveOn), first);
    const days = since ? daysBetween(since, today) : null;
    if (days === null || days > VACANCY_DAYS) vacancies.push({ district: r.name, capacity, active, vacancies: capacity - active, since, days });
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
    // an item of a closed case ended (终止) with it: never overdue
    .where('case_file.closed_on', 'is', null)
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
  const inScope = (f: { kind: string; name: string }) => !regions || f.kind === 'bank' || regions.some((r) => dir.regionName(r) === f.name);
  // A month's feedback is due by its deadline: before that has passed, nobody is late with it.
  const deadline = feedbackDeadline(feedbackMonth);
  const feedback = today > deadline ? await missingFeedback(db, dir, feedbackMonth, regions) : [];
  const late = (await lateFeedback(db, dir, feedbackMonth)).filter(inScope);
  const collection = (await collectionOverdue(db, dir, feedbackMonth, today)).filter((c) => !regions || c.kind === 'bank' || regions.includes(c.region));
  return { today, feedback_month: feedbackMonth, vacancies, stalled, coaching, feedback_deadline: deadline, feedback, feedback_late: late, collection };
}
