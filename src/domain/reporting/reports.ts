/**
 * Who sees which report: the whole city, or one district. A district's own staff see their own district
 * without naming it; a unit without a district of its own (a department, a bank) sees no report. Whether a
 * report's figures are final, and the report itself: figures, ranking, the JSON document.
 */
import type { Kysely } from 'kysely';
import type { Region } from '../../store/reference.js';
import { trendTotals } from '../../store/figures.js';
import type { DB } from '../../store/schema.js';
import { moneyNumber } from '../../util/money.js';
import { monthPeriod, periodInWords, type Period } from '../../util/dates.js';
import { authorize, feedbackDeadline, scopeRegions, type Actor, type Directory } from '../core/index.js';
import { otherLenders } from './enterprise-detail.js';
import { computeFigureSet, type Figures } from './figures.js';
import { rankBanks, rankDistricts, type RankRow } from './ranking.js';

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
 * Whether a report's figures are final: its period has ended and the feedback deadline of its last month
 * has passed. Before that they can still change, and the report says so (a warning, "final": false).
 */
export function reportStatus(p: Period, today: string): { final: boolean; warning?: string } {
  const deadline = feedbackDeadline(p.end.slice(0, 7));
  if (today <= p.end) return { final: false, warning: `${periodName(p)}尚未结束，数字会变化` };
  if (today <= deadline) return { final: false, warning: `${periodName(p)}的月度反馈报送截止日为 ${deadline}，截止前数字会变化` };
  return { final: true };
}

export interface PeriodicReport {
  status: { final: boolean; warning?: string };
  figures: Figures;
  ranking?: { districts: RankRow[]; banks: RankRow[] };
  /** The districts covered (undefined: all). */
  regions?: string[];
}

/** A monthly, quarterly (or, with `annual`, yearly with its ranking) report's figures as of its period's end. */
export async function periodicReport(db: Kysely<DB>, dir: Directory, period: Period, opts: { region?: Region; annual: boolean; today: string }): Promise<PeriodicReport> {
  const set = await computeFigureSet(db, dir, period, { district: opts.region?.name, annual: opts.annual });
  return {
    status: reportStatus(period, opts.today),
    figures: set.figures,
    ranking: opts.annual ? { districts: rankDistricts(set), banks: rankBanks(set) } : undefined,
    regions: opts.region ? [opts.region.code] : undefined,
  };
}

/** The report as JSON (stdout or .json): the figures, whether they are final, the loans by other lenders, the ranking. */
export async function reportDocument(db: Kysely<DB>, dir: Directory, period: Period, r: PeriodicReport) {
  const { period: label, start, end, ...tables } = r.figures;
  const lenders = (await otherLenders(db, dir, period, r.regions)).map(({ caseId: _, ...l }) => l);
  return { period: label, start, end, final: r.status.final, ...tables, other_lenders: lenders, ...(r.ranking ? { ranking: r.ranking } : {}) };
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
export async function monthlyTrend(db: Kysely<DB>, dir: Directory, period: Period, region?: Region): Promise<TrendPoint[]> {
  const last = Number(period.end.slice(0, 4)) * 12 + Number(period.end.slice(5, 7)) - 1;
  const months = Array.from({ length: 12 }, (_, i) => monthPeriod(Math.floor((last - 11 + i) / 12), ((last - 11 + i) % 12) + 1));
  const regions = (region ? [region] : dir.districts).map((d) => d.code);
  const totals = await trendTotals(db, months, regions);
  return months.map((m, i) => ({ month: m.label, loan_amount: moneyNumber(totals[i]!.loan_cents), active: totals[i]!.active }));
}
