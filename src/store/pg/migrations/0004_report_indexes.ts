/**
 * Frozen: covering indexes for the report figures (PostgreSQL counterpart of migrations/0004_report_indexes),
 * and one PostgreSQL needs besides: coaching_closed lets the coaching figures' condition (added in the
 * period, or still open, or closed in it) be answered from index ranges joined by a bitmap OR, where
 * PostgreSQL would otherwise scan every item (measured with bench/report.mjs --pg on 155,535 items: about
 * 90 ms → 25 ms for each of the two coaching statements).
 */
import type { Kysely } from 'kysely';
import { runAll } from './sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `create index case_figures on case_file (region_code, recommended_on, confirmed_on, closed_on, assigned_on, outcome, over_quota_reason)`,
    `create index case_active on case_file (closed_on, confirmed_on)`,
    `drop index loan_case`,
    `create index loan_case_kind on loan (case_id, kind, loan_on, amount_cents)`,
    `drop index assignment_case`,
    `create index assignment_lead on bank_assignment (case_id, assigned_on, ended_on, bank_id)`,
    `create index coaching_closed on coaching_item (closed_on, added_on)`,
  ]);
}
