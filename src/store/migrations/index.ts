/** Every migration, statically imported (no file-system provider: works bundled and under ESM). */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
};

export const SCHEMA_VERSION = Object.keys(MIGRATIONS).length;
