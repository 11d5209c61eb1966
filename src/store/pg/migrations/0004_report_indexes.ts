/** Frozen: covering indexes for the report figures (PostgreSQL counterpart of migrations/0004_report_indexes). */
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
  ]);
}
