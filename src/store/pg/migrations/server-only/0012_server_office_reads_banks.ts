/**
 * Server only: a 金融办 (a district's or the city's) reads what the banks send every month: their feedback
 * and the record of their collection workbooks (made, returned, when). The commands give both to every
 * 金融办 (`feedback show --from <银行>`, `feedback missing`, the banks' 月度反馈 columns of the monthly,
 * quarterly and annual reports, the unreturned workbooks of `report overdue`), but the policies of 0008 let a
 * district's office read only its own district's records, so on the server its reports said that every bank
 * had failed to feed back and that none owed a workbook.
 */
import type { Kysely } from 'kysely';
import { READER_GROUP, WRITER_GROUP } from '../../constants.js';
import { ident, runAll, schemaName } from '../sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const s = ident(await schemaName(db));
  const definer = `stable security definer set search_path = ${s}, pg_temp`;
  const groups = `${WRITER_GROUP}, ${READER_GROUP}`;
  await runAll(db, [
    // A bank's monthly records (its feedback, its collection workbooks): read by every 金融办.
    `create function bank_record_visible(org bigint) returns boolean language sql ${definer} as $$
      select coalesce(unit_kind() = 'finance-office' and exists (select from org o where o.id = org and o.kind = 'bank'), false)
    $$`,
    `create policy scope_read_bank on feedback for select to ${groups}
       using (from_kind = 'bank' and bank_record_visible(case when from_key ~ '^[0-9]{1,18}$' then from_key::bigint end))`,
    `create policy scope_read_bank on collection_workbook for select to ${groups} using (bank_record_visible(org_id))`,
    `create policy scope_read_bank on collection_return for select to ${groups} using (bank_record_visible(org_id))`,
  ]);
}
