/**
 * The shared migrations, from 0008 on: written once with kysely's schema builder and the kit, run on both
 * engines. Each file exports `up(db, k)` (a SharedMigration); register it here under its file's name.
 * Never edit one that has been released: databases in the offices have applied it. See docs/migrations.md.
 */
import type { SharedMigration } from '../kit.js';
import * as m0018 from './0018_recorded.js';
import * as m0021 from './0021_recorded_indexes.js';
import * as m0022 from './0022_org_recorded.js';
import * as m0023 from './0023_first_loan_once.js';
import * as m0024 from './0024_coaching_ended.js';
import * as m0025 from './0025_report_indexes.js';
import * as m0026 from './0026_loan_case_figures.js';

export const SHARED: Record<string, SharedMigration> = {
  '0018_recorded': m0018,
  '0021_recorded_indexes': m0021,
  '0022_org_recorded': m0022,
  '0023_first_loan_once': m0023,
  '0024_coaching_ended': m0024,
  '0025_report_indexes': m0025,
  '0026_loan_case_figures': m0026,
};
