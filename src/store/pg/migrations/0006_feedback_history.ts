/**
 * Frozen: monthly feedback keeps every submission (PostgreSQL counterpart of
 * migrations/0006_feedback_history). PostgreSQL drops the one-per-month constraint in place; the table
 * keeps its columns, rows and ids, as the SQLite rebuild does.
 */
import type { Kysely } from 'kysely';
import { runAll } from './sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `alter table feedback drop constraint feedback_one_per_month`,
    `create index feedback_sender_month on feedback (month, from_kind, from_key, submitted_on)`,
  ]);
}
