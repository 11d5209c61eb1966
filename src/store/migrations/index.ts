/**
 * The SQLite plan: the frozen history 0001–0007, then the shared migrations and those of SQLite alone, in
 * one name order (plan.ts). Every migration is statically imported (no file-system provider: works
 * bundled and under ESM).
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_users.js';
import * as m0003 from './0003_cases.js';
import * as m0004 from './0004_report_indexes.js';
import * as m0005 from './0005_capacity_history.js';
import * as m0006 from './0006_feedback_history.js';
import * as m0007 from './0007_collection.js';
import { buildPlan } from './plan.js';
import { SHARED } from './shared/index.js';
import { SQLITE_ONLY } from './sqlite-only/index.js';

/** Frozen: the SQLite migrations written before the shared list. Their names are recorded in every file. */
export const SQLITE_HISTORY: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_users': m0002,
  '0003_cases': m0003,
  '0004_report_indexes': m0004,
  '0005_capacity_history': m0005,
  '0006_feedback_history': m0006,
  '0007_collection': m0007,
};

export const SQLITE_PLAN = buildPlan('sqlite', { history: SQLITE_HISTORY, shared: SHARED, engineOnly: SQLITE_ONLY });

/** Every migration of a SQLite file, in order. */
export const MIGRATIONS: Record<string, Migration> = SQLITE_PLAN.migrations;

/** The schema version of a SQLite file this program makes. */
export const SCHEMA_VERSION = SQLITE_PLAN.version;
