/**
 * The programme's numbers, each defined once (docs/workflow.md explains them). Help texts, messages, the
 * 说明 sheets and the README read them from here.
 */

/** Recommendations per member department per district per calendar year, "in principle" (more need a reason). */
export const QUOTA_PER_YEAR = 3;

/** Pending cases a district keeps in its list unless its capacity is changed. */
export const DEFAULT_CAPACITY = 10;

/** 督办: a district's list vacant for more than this many days. */
export const VACANCY_DAYS = 30;

/** 督办: an open case without progress for more than this many days. */
export const STALL_DAYS = 60;
