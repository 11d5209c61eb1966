/**
 * `xypz db migrate` on a database made by an older version and holding a year of records: a file with only
 * the first migrations applied, filled through the real domain functions (the demo's history), then
 * migrated by the CLI. Every record, the audit chain and the report figures must come through unchanged
 * and equal to those of the same history recorded by this version.
 */
import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, DEMO_ADMIN, demoSetupActor, populateDemo } from '../src/domain/demo.js';
import { fillNewDatabase } from '../src/domain/setup.js';
import { openStore } from '../src/store/db.js';
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { sandbox, type Sandbox } from './helpers.js';

/**
 * The schema the old file stops at. The migrations after it must leave the tables the demo fills as they
 * were (today: 0004 only adds indexes); when a later migration changes such a table, move this forward.
 */
const FROM = '0003_cases';
const LATER = Object.keys(MIGRATIONS).filter((name) => name > FROM);
const BASE = { now: new Date('2024-06-15T10:00:00+08:00'), today: '2024-06-15' };

/** An empty xypz database file with the migrations up to `to` applied, as that version's `xypz init` left it. */
async function schemaUpTo(path: string, to: string): Promise<void> {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateTo(to);
    if (error) throw error;
    expect(results?.map((r) => r.migrationName)).toEqual(Object.keys(MIGRATIONS).filter((name) => name <= to));
  } finally {
    await db.destroy();
  }
  chmodSync(path, 0o600);
}

/** Every row of every data table, in rowid order (the migrator's own bookkeeping left out). */
function records(path: string): Record<string, unknown[]> {
  const raw = new Database(path, { readonly: true });
  try {
    const tables = raw
      .prepare("select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_stat%' order by name")
      .all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, raw.prepare(`select * from "${name}" order by rowid`).all()]));
  } finally {
    raw.close();
  }
}

let sb: Sandbox;
let old: string;
let current: string;
let before: Record<string, unknown[]>;
const as = (db: string) => ({ env: { XYPZ_DB: db, XYPZ_ACTOR: DEMO_ADMIN.login } });
const cli = async (db: string, args: string[]) => {
  const r = await sb.run(args, as(db));
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  sb = sandbox();
  old = sb.path('old.db');
  current = sb.path('current.db');
  await schemaUpTo(old, FROM);
  const store = await openStore(old, { allowPending: true });
  try {
    await fillNewDatabase(store, demoSetupActor(BASE), 'ezhou', DEMO_ADMIN);
    await populateDemo(store, BASE);
  } finally {
    await store.close();
  }
  before = records(old);
  await buildDemo(current, BASE);
}, 120_000);
afterAll(() => sb.cleanup());

describe('db migrate from an older schema holding data', () => {
  it('the old file is refused until migrated, then migrates once', async () => {
    expect(LATER.length).toBeGreaterThan(0);
    const refused = await sb.run(['enterprise', 'list'], as(old));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('xypz db migrate');
    const r = await cli(old, ['db', 'migrate', '--json']);
    expect(r.json().applied).toEqual(LATER);
    expect((await cli(old, ['db', 'migrate', '--json'])).json().applied).toEqual([]);
    const check = (await cli(old, ['db', 'check', '--json'])).json();
    expect(check).toMatchObject({ integrity: ['ok'], foreign_key_errors: 0, pending: [] });
    expect(check.schema_version).toBe(check.expected_version);
  });

  it('keeps every record, and they are the records this version makes of the same history', () => {
    const after = records(old);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    // the history is substantial, not a handful of rows
    for (const table of ['case_file', 'case_event', 'loan', 'coaching_item', 'feedback', 'audit_log', 'app_user']) {
      expect(after[table]?.length ?? 0, table).toBeGreaterThan(5);
    }
    expect(after).toEqual(records(current));
  });

  it('the audit chain verifies', async () => {
    const v = await cli(old, ['audit', 'verify', '--json']);
    expect(v.json()).toMatchObject({ ok: true });
    expect(v.json().entries).toBe(before.audit_log!.length);
  });

  it('the report figures are those of this version', async () => {
    for (const args of [
      ['report', 'monthly', '--period', '2024-05'],
      ['report', 'quarterly', '--period', '2024Q1'],
      ['report', 'annual', '--period', '2023'],
      ['report', 'overdue'],
      ['pool', 'show'],
    ]) {
      const migrated = (await cli(old, [...args, '--json'])).stdout;
      expect(migrated, args.join(' ')).toBe((await cli(current, [...args, '--json'])).stdout);
    }
    const may = (await cli(old, ['report', 'monthly', '--period', '2024-05', '--json'])).json();
    expect(may.total.recommended_total).toBeGreaterThan(0);
    expect(may.total.active).toBeGreaterThan(0);
  });
});
