/**
 * Frozen: indexes for the report figures at province scale (100 districts, 10 years; bench/report.mjs).
 *
 * satisfaction_case: a firm's rating counts only when no later rating of the same firm exists (its last one in
 * the year). The only index on satisfaction was by date, so each rating looked for later ones among every
 * rating after it in the year: quadratic in the year's ratings, about 3 of the 6 seconds of an annual report.
 * By case and date (then the stamp the as-recorded view reads) the firm's other ratings are found through its
 * cases directly.
 *
 * case_firms: the district counts of case_file (caseCounts, the pool score's month-ends) count firms, each once:
 * count(distinct enterprise_code) by district. No index held the firm's code beside the dates, so every case
 * was read from the table; with the district, the firm and the dates in one index the counts read the index
 * alone, in district and firm order (about 4 times less CPU for these statements).
 */
import type { SharedMigration } from '../kit.js';

export const up: SharedMigration['up'] = async (db) => {
  await db.schema.createIndex('satisfaction_case').on('satisfaction').columns(['case_id', 'rated_on', 'recorded_at']).execute();
  await db.schema
    .createIndex('case_firms')
    .on('case_file')
    .columns(['region_code', 'enterprise_code', 'recommended_on', 'confirmed_on', 'closed_on', 'assigned_on', 'outcome', 'over_quota_reason'])
    .execute();
};
