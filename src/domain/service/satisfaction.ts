/**
 * The satisfaction rating (满意度评价, docs/workflow.md) of a case in service: who may give it (never a bank that
 * led the firm that year), when, and recording it. Shared by `satisfaction` and `satisfaction import`.
 */
import type { Kysely, Selectable } from 'kysely';
import { RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { assignmentsOf, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { DB, SatisfactionTable } from '../../store/schema.js';
import { authorize, caseTarget, codec, defineRecord, Directory, EntryDates, field, recordStep, requireStage, type Actor, type RowOf, type SameShape, type ValuesOf } from '../core/index.js';
import { withCase } from './with-case.js';

export type Rating = 'satisfied' | 'basically' | 'unsatisfied';

export const RATING_LABEL: Record<Rating, string> = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };

export function parseRating(s: string): Rating | undefined {
  const t = s.trim();
  if (t === '满意' || t === 'satisfied') return 'satisfied';
  if (t === '基本满意' || t === 'basically') return 'basically';
  if (t === '不满意' || t === 'unsatisfied') return 'unsatisfied';
  return undefined;
}

/**
 * The satisfaction rating, declared once (docs/records.md): its storage columns, its columns in a survey return
 * (`satisfaction import`, after the firm's code and name), and its identity: a return already on file (the same
 * case, rating and date) is not recorded again.
 */
export const RATING = defineRecord({
  caseId: field('case_id', codec.int, { identity: true, sheet: null }),
  rating: field('rating', codec.oneOf(['satisfied', 'basically', 'unsatisfied'] as const), {
    identity: true,
    sheet: { key: 'rating', title: '评价', aliases: ['满意度', '满意度评价', '服务评价', '评价结果', '您对主办金融机构的服务是否满意'], required: true },
    parse: (t) => {
      const r = parseRating(t);
      return r ? { ok: true, value: r } : { ok: false, reason: '应为 满意 / 基本满意 / 不满意' };
    },
    format: (v) => RATING_LABEL[v],
  }),
  date: field('rated_on', codec.text, { identity: true, sheet: { key: 'date', title: '日期', aliases: ['评价日期', '填报日期', '提交答卷时间', '提交时间'] } }),
});

export type RatingRecord = ValuesOf<typeof RATING.fields>;

/** The definition's columns are exactly the store's satisfaction table, but for its id and creation time (a column on one side alone fails here). */
export const _ratingStorage: SameShape<RowOf<typeof RATING.fields>, Omit<Selectable<SatisfactionTable>, 'id' | 'created_at' | 'recorded_at'>> = true;

/** The banks that led a case at some time in a year (from its lead-bank history). */
export function banksLeadingIn(assignments: { bank_id: number; assigned_on: string; ended_on: string | null }[], year: string): number[] {
  return assignments.filter((a) => a.assigned_on <= `${year}-12-31` && (a.ended_on === null || a.ended_on >= `${year}-01-01`)).map((a) => a.bank_id);
}

/**
 * Checks a rating of a case on a date (throws): who may record it (never a bank that led the firm that year,
 * `ledInYear`), the case's stage, the date (`dates`). Shared by `satisfaction` and `satisfaction import`.
 */
export function checkRating(who: Actor, dir: Directory, c: CaseRow, ledInYear: number[], date: string, dates: EntryDates): void {
  authorize(who, 'case.satisfaction', { ...caseTarget(dir, c), ledInYear });
  requireStage(c, ['assigned', 'closed'], '评价满意度');
  if (!c.lead_bank_id) throw new RuleError(`${c.name}没有主办行，无从评价`);
  dates.check(date, `${c.name}的满意度评价`, { date: c.assigned_on, label: '确定主办行的日期' });
}

/** Records a rating (one per case per year counts in the figures: the latest; earlier ones stay). */
export async function insertRating(tx: Kysely<DB>, who: Actor, c: CaseRow, rating: Rating, date: string, batchId: number | null = null): Promise<void> {
  await tx.insertInto('satisfaction').values({ ...RATING.toRow({ caseId: c.id, rating, date }), created_at: localTimestamp(who.now) }).execute();
  await recordStep(tx, who, c, { date, kind: 'satisfaction', details: { rating, ...(batchId === null ? {} : { batch_id: batchId }) } });
}

export async function rateService(store: Store, who: Actor, input: { code: string; rating: Rating; date: string; correction?: string }): Promise<CaseRow> {
  return withCase(store, who, input.code, async (tx, c, dir) => {
    const dates = await EntryDates.load(tx, who, input.correction);
    checkRating(who, dir, c, banksLeadingIn(await assignmentsOf(tx, c.id), input.date.slice(0, 4)), input.date, dates);
    await insertRating(tx, who, c, input.rating, input.date);
    await dates.record(tx);
    return c;
  });
}
