/** Every migration, statically imported (no file-system provider: works bundled and under ESM). */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_users.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_users': m0002,
};

export const SCHEMA_VERSION = Object.keys(MIGRATIONS).length;
