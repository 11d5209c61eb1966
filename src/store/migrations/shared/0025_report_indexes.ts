/**
 * Frozen: an index for the annual report's satisfaction figures. A firm's rating counts only when no later
 * rating of the same firm exists (its last one in the year); the only index on satisfaction was by date, so
 * each rating looked for later ones among every rating after it in the year: quadratic in the year's ratings,
 * about 3 of the 6 seconds of an annual report at province scale. By case and date (then the stamp the
 * as-recorded view reads), the firm's other ratings are found through its cases directly.
 */
import type { SharedMigration } from '../kit.js';

export const up: SharedMigration['up'] = async (db) => {
  await db.schema.createIndex('satisfaction_case').on('satisfaction').columns(['case_id', 'rated_on', 'recorded_at']).execute();
};
