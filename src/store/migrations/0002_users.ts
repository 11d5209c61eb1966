/** Frozen: operator accounts. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_user')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('login_key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().references('org.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','operator','viewer')`))
    .addColumn('phone', 'text')
    .addColumn('id_number', 'text')
    .addColumn('email', 'text')
    .addColumn('title', 'text')
    .addColumn('note', 'text')
    .addColumn('agreement_signed_on', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('batch_id', 'integer', (c) => c.references('import_batch.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_user_org').on('app_user').columns(['org_id']).execute();
  await db.schema.createIndex('app_user_phone').on('app_user').columns(['phone']).execute();
}
