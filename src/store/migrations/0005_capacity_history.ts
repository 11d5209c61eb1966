/**
 * Frozen: a district's list capacity becomes history (capacity_change: a capacity in force from a date).
 * Each district's capacity at the time of the upgrade is recorded as in force from 1900-01-01, the earliest
 * date the tool accepts, so every figure of an existing database stays as it was. region.capacity is no
 * longer read (the column stays so that an older file keeps every column it had).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('capacity_change')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 1`))
    .addColumn('effective_on', 'text', (c) => c.notNull())
    // null for a district's first capacity (seeded here or when the database is created), not a recorded change
    .addColumn('created_at', 'text')
    .addUniqueConstraint('capacity_one_per_day', ['region_code', 'effective_on'])
    .execute();
  await db
    .insertInto('capacity_change' as never)
    .columns(['region_code', 'capacity', 'effective_on'] as never)
    .expression(
      (db as Kysely<{ region: { code: string; capacity: number; level: string; sort_order: number } }>)
        .selectFrom('region')
        .select(['code', 'capacity', sql<string>`'1900-01-01'`.as('effective_on')])
        .where('level', '=', 'district')
        .orderBy('sort_order') as never,
    )
    .execute();
}
