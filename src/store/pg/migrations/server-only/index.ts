/**
 * Migrations for a PostgreSQL server alone (roles, grants, row-level security policies, triggers,
 * functions), from 0008 on, numbered in the one sequence shared with the other lists (the plan refuses a
 * number used twice). Each file exports a kysely Migration (`up(db)`, usually raw SQL through runAll and
 * schemaName of ../sql.js); register it here under its file's name. See docs/migrations.md.
 */
import type { Migration } from 'kysely';
import * as m0008 from './0008_server_scope.js';
import * as m0009 from './0009_server_rules.js';
import * as m0010 from './0010_server_audit.js';
import * as m0011 from './0011_server_own_rows.js';
import * as m0012 from './0012_server_office_reads_banks.js';
import * as m0014 from './0014_server_withdrawals.js';
import * as m0015 from './0015_server_audit_triggers.js';
import * as m0016 from './0016_server_audit_notes.js';
import * as m0017 from './0017_server_audit_counter.js';
import * as m0019 from './0019_server_recorded.js';
import * as m0020 from './0020_server_correction_scope.js';
import * as m0027 from './0027_server_scope_lookups.js';
import * as m0028 from './0028_server_policy_initplans.js';

export const SERVER_ONLY: Record<string, Migration> = {
  '0008_server_scope': m0008,
  '0009_server_rules': m0009,
  '0010_server_audit': m0010,
  '0011_server_own_rows': m0011,
  '0012_server_office_reads_banks': m0012,
  '0014_server_withdrawals': m0014,
  '0015_server_audit_triggers': m0015,
  '0016_server_audit_notes': m0016,
  '0017_server_audit_counter': m0017,
  '0019_server_recorded': m0019,
  '0020_server_correction_scope': m0020,
  '0027_server_scope_lookups': m0027,
  '0028_server_policy_initplans': m0028,
};
