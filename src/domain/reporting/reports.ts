/**
 * Who sees which report: the whole city, or one district. A district's own staff see their own district
 * without naming it; a unit without a district of its own (a department, a bank) sees no report. Whether a
 * report's figures are final, and the report itself: figures, ranking, revisions, the JSON document.
 */
import type { Kysely } from 'kysely';
import { UsageError } from '../../errors.js';
import { recordedView, type RecordedBound } from '../../store/as-recorded.js';
import { capacityChanges, orgsRecordedBy, type Region } from '../../store/reference.js';
import { correctionsFrom } from '../../store/corrections.js';
import { trendTotals } from '../../store/figures.js';
import type { DB } from '../../store/schema.js';
import { moneyNumber } from '../../util/money.js';
import { addDays, monthPeriod, periodInWords, type Period } from '../../util/dates.js';
import { authorize, Directory, feedbackDeadline, scopeRegions, type Actor } from '../core/index.js';
import { otherLenders } from './enterprise-detail.js';
import { computeFigureSet, effectiveStart, type Figures } from './figures.js';
import { rankBanks, rankDistricts, type RankRow } from './ranking.js';
import { figureChanges, type Revision, type Version } from './revisions.js';

/** The district a report covers (undefined: the whole city), checked against the actor's scope. */
export function reportRegion(dir: Directory, who: Actor, district?: string): Region | undefined {
  const own = scopeRegions(who);
  if (district === undefined && own?.length === 1) district = dir.regionName(own[0]!);
  const region = district ? dir.district(district) : undefined;
  authorize(who, 'report.read', region ? { region: region.code, regionName: region.name } : {});
  if (own !== undefined && !region) authorize(who, 'report.read', { region: '', regionName: '全市' });
  return region;
}

/** A period in words: 2026年11月, 2026年第四季度, 2026年. */
export function periodName(p: Period): string {
  return p.kind === 'year' ? `${p.label}年` : periodInWords(p);
}

/**
 * How a report reads the records. A period is preliminary until its cut-off (the feedback deadline of its last
 * month) has passed: its report reads the records as they are, and says the figures can still change. From
 * the day after the cut-off it is final: its report is published, the figures of the records as recorded by
 * the end of the cut-off day, the same whatever is entered later; a later correction is a revision, listed
 * with the figures it moves, and `revised` reads the figures with every correction.
 */
export type ReportMode = 'preliminary' | 'published' | 'revised';

export interface ReportStatus {
  final: boolean;
  warning?: string;
  mode: ReportMode;
  /** The feedback deadline of the period's last month: the period is final from the day after. */
  cutoff: string;
  /** A final period's publication day (the day after its cut-off): the date its published report carries. */
  published_on?: string;
}

/**
 * Whether a report's figures are final: its period has ended and the feedback deadline of its last month
 * has passed. Before that they can still change, and the report says so (a warning, "final": false). A period
 * that has not begun has no report (a usage error).
 */
export function reportStatus(p: Period, today: string, revised = false): ReportStatus {
  const cutoff = feedbackDeadline(p.end.slice(0, 7));
  if (today < p.start) throw new UsageError(`${periodName(p)}尚未开始（${p.start} 起），没有报表；请指定已开始的期间`);
  if (today <= p.end) return { final: false, warning: `${periodName(p)}尚未结束，数字会变化`, mode: 'preliminary', cutoff };
  if (today <= cutoff) return { final: false, warning: `${periodName(p)}的月度反馈报送截止日为 ${cutoff}，截止前数字会变化`, mode: 'preliminary', cutoff };
  return { final: true, mode: revised ? 'revised' : 'published', cutoff, published_on: addDays(cutoff, 1) };
}

/**
 * A period that ends before the programme's (effective) start has no report either, as one not yet begun: no
 * feedback was owed and nothing could be recorded in it.
 */
export function checkAfterStart(p: Period, start: string): void {
  if (p.end < start) throw new UsageError(`${periodName(p)}在项目开始日期（${start}）以前，没有报表；请指定项目开始以后的期间`);
}

export interface PeriodicReport {
  status: ReportStatus;
  figures: Figures;
  ranking?: { districts: RankRow[]; banks: RankRow[] };
  /** The districts covered (undefined: all). */
  regions?: string[];
  /** The corrections recorded after a final period's cut-off that move its figures (none for a preliminary one). */
  revisions: Revision[];
  /**
   * What the rest of the report (the trend, the enterprise detail, the other lenders, the capacities) is read
   * from: the records as recorded by the cut-off for a published report, as they are otherwise.
   */
  db: Kysely<DB>;
  dir: Directory;
}

interface Reading {
  db: Kysely<DB>;
  dir: Directory;
}

/**
 * The units a report lists as they were at a moment: an organisation recorded later (a bank added after a
 * period's cut-off) has no row in that period's published report. Capacities as given.
 */
async function unitsAt(db: Kysely<DB>, dir: Directory, bound: RecordedBound, capacities = dir.regions.flatMap((r) => dir.capacityHistory(r.code))): Promise<Directory> {
  const there = await orgsRecordedBy(db, bound);
  return new Directory(dir.regions, dir.orgs.filter((o) => there.has(o.id)), capacities);
}

/** The records as recorded by a moment, the districts' capacities and the units listed included. */
async function readingAt(db: Kysely<DB>, dir: Directory, bound: RecordedBound): Promise<Reading> {
  const view = await recordedView(db, bound);
  return { db: view, dir: await unitsAt(db, dir, bound, await capacityChanges(view)) };
}

/**
 * A monthly, quarterly (or, with `annual`, yearly with its ranking) report's figures as of its period's end:
 * preliminary, published or (with `revised`) revised (see ReportMode).
 */
export async function periodicReport(db: Kysely<DB>, dir: Directory, period: Period, opts: { region?: Region; annual: boolean; today: string; revised?: boolean }): Promise<PeriodicReport> {
  const status = reportStatus(period, opts.today, opts.revised === true);
  const start = await effectiveStart(db);
  checkAfterStart(period, start);
  const regions = opts.region ? [opts.region.code] : undefined;
  const version = async (r: Reading): Promise<Version> => {
    const set = await computeFigureSet(r.db, r.dir, period, { district: opts.region?.name, annual: opts.annual, start });
    return { figures: set.figures, ranking: opts.annual ? { districts: rankDistricts(set), banks: rankBanks(set) } : undefined };
  };
  const asIs: Reading = { db, dir };
  if (!status.final) return { status, ...(await version(asIs)), regions, revisions: [], ...asIs };
  const after = addDays(status.cutoff, 1);
  const corrections = await correctionsFrom(db, after);
  // Without a correction recorded after the cut-off, the records as they are give the published figures
  // exactly: whatever else was recorded since then has an event date after the period (an entry dated in a
  // final period is refused unless it is a correction), and a figure of the period reads only events dated
  // up to the period's end (a closing, an end of a lead bank or a withdrawal dated later counts as "not yet").
  const published = corrections.length === 0 ? { db, dir: await unitsAt(db, dir, { before: after }) } : await readingAt(db, dir, { before: after });
  const base = await version(published);
  const revisions: Revision[] = [];
  let before = base;
  for (const [stamp, made] of byStamp(corrections)) {
    const now = await version(await readingAt(db, dir, { through: stamp }));
    const changes = figureChanges(before, now, opts.annual);
    if (changes.length > 0) {
      revisions.push({
        what: made.map((c) => c.what).join('；'),
        recorded_at: stamp,
        actor: [...new Set(made.map((c) => c.actor))].join('、'),
        org: dir.orgs.find((o) => o.id === made[0]!.org_id)?.name ?? null,
        reason: [...new Set(made.map((c) => c.reason))].join('；'),
        command: [...new Set(made.map((c) => c.command))].join('；'),
        changes,
      });
    }
    before = now;
  }
  if (status.mode === 'revised') {
    // The records as they are, and the units recorded by the last correction: a unit added since, which no
    // correction concerns, has no row (as in the published report).
    const last = corrections.at(-1)?.recorded_at;
    const revised: Reading = { db, dir: await unitsAt(db, dir, last === undefined ? { before: after } : { through: last }) };
    return { status, ...(await version(revised)), regions, revisions, ...revised };
  }
  return { status, ...base, regions, revisions, ...published };
}

/** Corrections grouped by the stamp of their write (one write, one step), in the order recorded. */
function byStamp<C extends { recorded_at: string }>(list: C[]): [string, C[]][] {
  const out = new Map<string, C[]>();
  for (const c of list) out.set(c.recorded_at, [...(out.get(c.recorded_at) ?? []), c]);
  return [...out];
}

/** The report as JSON (stdout or .json): the figures, whether they are final, the loans by other lenders, the ranking, the revisions. */
export async function reportDocument(period: Period, r: PeriodicReport) {
  const { period: label, start, end, ...tables } = r.figures;
  const lenders = (await otherLenders(r.db, r.dir, period, r.regions)).map(({ caseId: _, ...l }) => l);
  return {
    period: label,
    start,
    end,
    final: r.status.final,
    ...(r.status.mode === 'revised' ? { revised: true } : {}),
    ...tables,
    other_lenders: lenders,
    ...(r.ranking ? { ranking: r.ranking } : {}),
    revisions: r.revisions,
  };
}

/** One month of the trend: its 放款金额 and its 在库企业数 at the month's end. */
export interface TrendPoint {
  month: string;
  loan_amount: number;
  active: number;
}

/**
 * The twelve months to a period's end, each as its own monthly report gives it (point in time: a month's
 * figures as of its last day), for the region or the whole city: read in one statement (trendTotals).
 */
export async function monthlyTrend(r: Pick<PeriodicReport, 'db' | 'dir'>, period: Period, region?: Region): Promise<TrendPoint[]> {
  const { db, dir } = r;
  const last = Number(period.end.slice(0, 4)) * 12 + Number(period.end.slice(5, 7)) - 1;
  const months = Array.from({ length: 12 }, (_, i) => monthPeriod(Math.floor((last - 11 + i) / 12), ((last - 11 + i) % 12) + 1));
  const regions = (region ? [region] : dir.districts).map((d) => d.code);
  const totals = await trendTotals(db, months, regions);
  return months.map((m, i) => ({ month: m.label, loan_amount: moneyNumber(totals[i]!.loan_cents), active: totals[i]!.active }));
}
