/**
 * The programme's numbers, each defined once (docs/workflow.md explains them). Help texts, messages, the
 * 说明 sheets and the README read them from here.
 */
import { addDays } from '../../util/dates.js';

/** Recommendations per member department per district per calendar year, "in principle" (more need a reason). */
export const QUOTA_PER_YEAR = 3;

/** Pending cases a district keeps in its list unless its capacity is changed. */
export const DEFAULT_CAPACITY = 10;

/** 督办: a district's list vacant for more than this many days. */
export const VACANCY_DAYS = 30;

/** 督办: an open case without progress for more than this many days. */
export const STALL_DAYS = 60;

/**
 * Monthly feedback is due by this day of the following month (报送截止日). A submission received later is
 * recorded and shown as 逾期报送, but never counts as that month's feedback.
 */
export const FEEDBACK_DUE_DAY = 10;

/**
 * Who owes monthly feedback for which months: a district every month; a bank each month in which it led at least
 * one firm on at least one day — from the day it was assigned to the day before it was replaced, and no later than
 * the day the firm's case was closed. Given the lead spans (leadSpans in src/store/figures.ts), the months (YYYY-MM)
 * each bank owes, by bank id. The reports, the ranking and the 督办清单 all use this one rule.
 */
export function bankMonthsOwed(spans: readonly { bank_id: number; assigned_on: string; ended_on: string | null; closed_on: string | null }[], months: readonly string[]): Map<number, Set<string>> {
  const owed = new Map<number, Set<string>>();
  for (const s of spans) {
    // the last day led: the day before the replacement, or the closing day, whichever comes first
    const ends = [s.ended_on === null ? null : addDays(s.ended_on, -1), s.closed_on].filter((d): d is string => d !== null).sort();
    const last = ends[0] ?? '9999-12-31';
    if (last < s.assigned_on) continue;
    for (const m of months) {
      if (s.assigned_on <= `${m}-31` && last >= `${m}-01`) {
        const set = owed.get(s.bank_id) ?? new Set<string>();
        set.add(m);
        owed.set(s.bank_id, set);
      }
    }
  }
  return owed;
}

/** The 报送截止日 of a month's feedback (YYYY-MM → the FEEDBACK_DUE_DAY of the next month). */
export function feedbackDeadline(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
  return `${ny}-${String(nm).padStart(2, '0')}-${String(FEEDBACK_DUE_DAY).padStart(2, '0')}`;
}

/**
 * The largest single 授信 or 放款 (万元, as cents) accepted: 1,000,000 万元 (100 亿元) is already implausible for
 * a small firm; anything above is a typing error (元 entered as 万元) and is refused. Bounded amounts also keep
 * every sum far below 2^53 cents, so figures stay exact (sums themselves are done in integers: sumCents).
 */
export const MAX_LOAN_CENTS = 1_000_000 * 100;
