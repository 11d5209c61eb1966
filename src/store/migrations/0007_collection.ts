/**
 * Frozen: the monthly collection workbooks (xypz collect). Which workbook was made for which unit and month
 * (collection_workbook), which came back and when (collection_return), and where a loan or a coaching
 * item's closure came from: loans and closures entered by command keep a null source. A loan withdrawn by a
 * unit's corrected workbook moves to loan_withdrawn (kept, never counted). Existing rows are untouched; the
 * new columns are null on them.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('collection_workbook')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    // sha256 of the pre-filled cells, as written in the workbook's _xypz sheet
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('made_at', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collection_workbook_unit').on('collection_workbook').columns(['month', 'org_id', 'digest']).execute();

  await db.schema
    .createTable('collection_return')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('workbook_id', 'integer', (c) => c.notNull().references('collection_workbook.id'))
    .addColumn('batch_id', 'integer', (c) => c.references('import_batch.id'))
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    // rows the workbook carried: loans, coaching items reported on, the feedback
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collection_return_unit').on('collection_return').columns(['month', 'org_id', 'id']).execute();

  // Not indexed: read only when a corrected workbook comes back, while every index slows each loan's insert.
  await db.schema.alterTable('loan').addColumn('collection_id', 'integer', (c) => c.references('collection_return.id')).execute();
  await db.schema.alterTable('loan').addColumn('note', 'text').execute();
  await db.schema.alterTable('coaching_item').addColumn('closed_collection_id', 'integer', (c) => c.references('collection_return.id')).execute();

  await db.schema
    .createTable('loan_withdrawn')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('bank_id', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('loan_on', 'text', (c) => c.notNull())
    .addColumn('rate_bp', 'integer')
    .addColumn('term_months', 'integer')
    .addColumn('guarantee', 'text')
    .addColumn('first_loan', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('collection_id', 'integer', (c) => c.references('collection_return.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_on', 'text', (c) => c.notNull())
    .addColumn('withdrawn_by', 'integer', (c) => c.notNull().references('collection_return.id'))
    .addColumn('withdrawn_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('loan_withdrawn_case').on('loan_withdrawn').columns(['case_id']).execute();
}
