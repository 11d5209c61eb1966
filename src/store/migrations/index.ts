/** Every migration, statically imported (no file-system provider: works bundled and under ESM). */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_users.js';
import * as m0003 from './0003_cases.js';
import * as m0004 from './0004_report_indexes.js';
import * as m0005 from './0005_capacity_history.js';
import * as m0006 from './0006_feedback_history.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_users': m0002,
  '0003_cases': m0003,
  '0004_report_indexes': m0004,
  '0005_capacity_history': m0005,
  '0006_feedback_history': m0006,
};

export const SCHEMA_VERSION = Object.keys(MIGRATIONS).length;
