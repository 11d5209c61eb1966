/**
 * Migrations for SQLite files alone, from 0008 on, numbered in the one sequence shared with the other
 * lists (the plan refuses a number used twice). Each file exports a kysely Migration (`up(db)`); register
 * it here under its file's name. See docs/migrations.md.
 */
import type { Migration } from 'kysely';

export const SQLITE_ONLY: Record<string, Migration> = {};
