/**
 * Server only: a correction is read by those who see what it changed. A correction names what it entered
 * (a firm, a loan and its amount), so reading every correction would show a bank another bank's firms. The
 * records a correction covers were written in its transaction and carry its recorded stamp
 * (0018_recorded, 0019_server_recorded): a login reads a correction when it reads one of those records
 * (each table's own policy decides that), and the 人民银行 and the city's 金融办 read them all. A
 * corrected list capacity (reference data, read by every login) is read by all.
 */
import type { Kysely } from 'kysely';
import { READER_GROUP, WRITER_GROUP } from '../../constants.js';
import { runAll } from '../sql.js';

/** Each stamped table's stamp columns (as 0018_recorded made them). Frozen with this migration. */
const STAMPS: Record<string, string[]> = {
  case_file: ['recommended_recorded_at', 'declared_recorded_at', 'verified_recorded_at', 'confirmed_recorded_at', 'assigned_recorded_at', 'closed_recorded_at'],
  declaration: ['recorded_at'],
  verification: ['recorded_at'],
  bank_assignment: ['recorded_at', 'ended_recorded_at'],
  loan: ['recorded_at'],
  loan_withdrawn: ['recorded_at', 'withdrawn_recorded_at'],
  collection_return: ['recorded_at'],
  coaching_item: ['recorded_at', 'closed_recorded_at'],
  reclassification: ['recorded_at'],
  satisfaction: ['recorded_at'],
  pool_filing: ['recorded_at'],
  feedback: ['recorded_at'],
  capacity_change: ['recorded_at'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  const covers = Object.entries(STAMPS).map(
    ([t, cols]) => `exists (select from ${t} x where ${cols.map((c) => `x.${c} = correction.recorded_at`).join(' or ')})`,
  );
  await runAll(db, [
    `drop policy scope_read on correction`,
    `create policy scope_read on correction for select to ${WRITER_GROUP}, ${READER_GROUP}
       using ((select unit_sees_all()) or ${covers.join(' or ')})`,
  ]);
}
