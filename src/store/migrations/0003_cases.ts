/** Frozen: enterprises and their cases, from recommendation to closing; feedback; the case history. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('enterprise')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
    .addColumn('check_ok', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_file')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('enterprise_code', 'text', (c) => c.notNull().references('enterprise.code'))
    .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
    .addColumn('stage', 'text', (c) =>
      c.notNull().check(sql`stage in ('recommended','declared','verified','rejected','confirmed','assigned','closed')`),
    )
    .addColumn('class', 'text', (c) => c.check(sql`class in ('financing','cultivation')`))
    .addColumn('recommended_on', 'text', (c) => c.notNull())
    .addColumn('recommended_by', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('recommend_reason', 'text')
    .addColumn('over_quota_reason', 'text')
    .addColumn('declared_on', 'text')
    .addColumn('authorised', 'integer')
    .addColumn('verified_on', 'text')
    .addColumn('confirmed_on', 'text')
    .addColumn('lead_bank_id', 'integer', (c) => c.references('org.id'))
    .addColumn('assigned_on', 'text')
    .addColumn('closed_on', 'text')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('financed','withdrawn')`))
    .addColumn('close_note', 'text')
    .addColumn('last_progress_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_enterprise').on('case_file').columns(['enterprise_code']).execute();
  await db.schema.createIndex('case_region_stage').on('case_file').columns(['region_code', 'stage']).execute();
  await db.schema.createIndex('case_recommender').on('case_file').columns(['recommended_by', 'recommended_on']).execute();
  await db.schema.createIndex('case_lead_bank').on('case_file').columns(['lead_bank_id']).execute();
  // At most one open case per enterprise (rejected and closed cases are history).
  await sql`create unique index case_one_open on case_file (enterprise_code) where stage not in ('rejected','closed')`.execute(db);

  await db.schema
    .createTable('declaration')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('submitted_on', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('authorised', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('current', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('batch_id', 'integer', (c) => c.references('import_batch.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('declaration_case').on('declaration').columns(['case_id', 'current']).execute();
  await db.schema.createIndex('declaration_date').on('declaration').columns(['submitted_on']).execute();

  await db.schema
    .createTable('verification')
    .addColumn('case_id', 'integer', (c) => c.primaryKey().references('case_file.id'))
    .addColumn('verified_on', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('financing','cultivation','rejected')`))
    .addColumn('basic', 'text')
    .addColumn('causes', 'text')
    .addColumn('advice', 'text')
    .addColumn('experts', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('verification_date').on('verification').columns(['verified_on', 'result']).execute();

  await db.schema
    .createTable('bank_assignment')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('bank_id', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('self','designated')`))
    .addColumn('assigned_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assignment_case').on('bank_assignment').columns(['case_id', 'assigned_on']).execute();

  await db.schema
    .createTable('loan')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('bank_id', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('credit','disbursement')`))
    .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql`amount_cents > 0`))
    .addColumn('loan_on', 'text', (c) => c.notNull())
    .addColumn('rate_bp', 'integer')
    .addColumn('term_months', 'integer')
    .addColumn('guarantee', 'text')
    .addColumn('first_loan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('loan_date').on('loan').columns(['loan_on', 'kind', 'case_id', 'amount_cents', 'first_loan']).execute();
  await db.schema.createIndex('loan_case').on('loan').columns(['case_id']).execute();

  await db.schema
    .createTable('coaching_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('category', 'text')
    .addColumn('due', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','done','failed')`))
    .addColumn('added_on', 'text', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('coaching_case').on('coaching_item').columns(['case_id']).execute();
  await db.schema.createIndex('coaching_org').on('coaching_item').columns(['org_id', 'status']).execute();
  await db.schema.createIndex('coaching_dates').on('coaching_item').columns(['added_on', 'closed_on']).execute();

  await db.schema
    .createTable('reclassification')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('from_class', 'text', (c) => c.notNull())
    .addColumn('to_class', 'text', (c) => c.notNull())
    .addColumn('changed_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('satisfaction')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('rating', 'text', (c) => c.notNull().check(sql`rating in ('satisfied','basically','unsatisfied')`))
    .addColumn('rated_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('satisfaction_date').on('satisfaction').columns(['rated_on']).execute();

  await db.schema
    .createTable('pool_filing')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
    .addColumn('filed_on', 'text', (c) => c.notNull())
    .addColumn('file', 'text')
    .addColumn('cases', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('feedback')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('from_kind', 'text', (c) => c.notNull().check(sql`from_kind in ('district','bank')`))
    // the district's code, or the bank's org id as text: one key for both kinds
    .addColumn('from_key', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('submitted_on', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'integer', (c) => c.references('import_batch.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('feedback_one_per_month', ['from_kind', 'from_key', 'month'])
    .execute();

  await db.schema
    .createTable('case_event')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('case_file.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_case').on('case_event').columns(['case_id', 'on_date']).execute();
  await db.schema.createIndex('event_date').on('case_event').columns(['on_date', 'kind', 'region_code']).execute();
}
