/**
 * The PostgreSQL migrations: first one per SQLite migration and under the same name, so `db migrate` and
 * the tables mean the same on both engines (a test checks the two lists match); then the server-only ones,
 * which make PostgreSQL itself enforce each login's scope (a file has one user, its owner).
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_users.js';
import * as m0003 from './0003_cases.js';
import * as m0004 from './0004_report_indexes.js';
import * as m0005 from './0005_capacity_history.js';
import * as m0006 from './0006_feedback_history.js';
import * as m0007 from './0007_collection.js';
import * as m0008 from './0008_server_scope.js';

export const PG_MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_users': m0002,
  '0003_cases': m0003,
  '0004_report_indexes': m0004,
  '0005_capacity_history': m0005,
  '0006_feedback_history': m0006,
  '0007_collection': m0007,
  '0008_server_scope': m0008,
};

/** The migrations the server has and a file has not. */
export const SERVER_ONLY = ['0008_server_scope'];
