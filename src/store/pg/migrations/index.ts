/**
 * The PostgreSQL plan: the frozen history 0001–0007 (one per SQLite migration, under the same names),
 * then the shared migrations and those of the server alone, in one name order (../../migrations/plan.ts).
 */
import type { Migration } from 'kysely';
import { buildPlan } from '../../migrations/plan.js';
import { SHARED } from '../../migrations/shared/index.js';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_users.js';
import * as m0003 from './0003_cases.js';
import * as m0004 from './0004_report_indexes.js';
import * as m0005 from './0005_capacity_history.js';
import * as m0006 from './0006_feedback_history.js';
import * as m0007 from './0007_collection.js';
import { SERVER_ONLY } from './server-only/index.js';

/** Frozen: the PostgreSQL migrations written before the shared list. Their names are recorded in every server schema. */
export const PG_HISTORY: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_users': m0002,
  '0003_cases': m0003,
  '0004_report_indexes': m0004,
  '0005_capacity_history': m0005,
  '0006_feedback_history': m0006,
  '0007_collection': m0007,
};

export const SERVER_PLAN = buildPlan('postgres', { history: PG_HISTORY, shared: SHARED, engineOnly: SERVER_ONLY });

/** Every migration of a server schema, in order. */
export const PG_MIGRATIONS: Record<string, Migration> = SERVER_PLAN.migrations;
