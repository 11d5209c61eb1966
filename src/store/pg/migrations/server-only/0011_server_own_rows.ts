/**
 * Server only: a department or bank also sees the case row it has just written, in the same statement
 * (`insert … returning`, as `recommend` does). firm_visible() finds a firm through the rows the statement
 * started with, so a department's new recommendation would not yet be visible to it; this policy reads the
 * row itself: the case a department recommended, the case a bank leads.
 */
import type { Kysely } from 'kysely';
import { READER_GROUP, WRITER_GROUP } from '../../constants.js';
import { runAll } from '../sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `create policy scope_read_own on case_file for select to ${WRITER_GROUP}, ${READER_GROUP}
       using (recommended_by = (select unit_org()) or lead_bank_id = (select unit_org()))`,
  ]);
}
