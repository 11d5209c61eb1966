/**
 * Frozen: monthly feedback keeps every submission (one row each) instead of one row per sender and month
 * replaced in place. The table is rebuilt without its one-per-month constraint (SQLite cannot drop a
 * constraint); every existing row is carried over unchanged as the first entry of its month's history.
 * updated_at equals created_at for rows written from now on (a submission is never changed).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('feedback').renameTo('feedback_0003').execute();
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
    .execute();
  const columns = ['id', 'from_kind', 'from_key', 'month', 'text', 'submitted_on', 'batch_id', 'created_at', 'updated_at'];
  await db
    .insertInto('feedback' as never)
    .columns(columns as never)
    .expression((db as Kysely<Record<string, Record<string, unknown>>>).selectFrom('feedback_0003').select(columns).orderBy('id') as never)
    .execute();
  await db.schema.dropTable('feedback_0003').execute();
  await db.schema.createIndex('feedback_sender_month').on('feedback').columns(['month', 'from_kind', 'from_key', 'submitted_on']).execute();
}
