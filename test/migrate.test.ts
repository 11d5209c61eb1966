/**
 * `xypz db migrate` on a database made by an older version and holding a year of records: a file with only
 * the first migrations applied, holding the demo's history (recorded through the real domain functions by
 * this version, copied into the older tables), then migrated by the CLI. Every record, the audit chain and
 * the report figures must come through unchanged and equal to those of the same history recorded by this
 * version. test/migrate-history.test.ts covers what the later migrations convert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, DEMO_ADMIN } from '../src/domain/demo/demo.js';
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { STAMPED } from '../src/store/recording.js';
import { sandbox, type Sandbox } from './helpers.js';
import { olderCopy, records } from './old-schema.js';

/** The schema the old file stops at. */
const FROM = '0003_cases';
const LATER = Object.keys(MIGRATIONS).filter((name) => name > FROM);
const BASE = { now: new Date('2024-06-15T10:00:00+08:00'), today: '2024-06-15' };

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
  await buildDemo(current, BASE);
  await olderCopy(current, old, FROM);
  before = records(old);
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
    // tables added since: a district's capacity history (seeded from its capacity); the collection workbooks,
    // their returns and withdrawn loans (empty); corrections (none), the programme's start, the stamp of a
    // write in progress (none between writes)
    const collection = ['collection_return', 'collection_workbook', 'loan_withdrawn'];
    const recorded = ['correction', 'programme', 'recording'];
    expect(Object.keys(after)).toEqual([...Object.keys(before), 'capacity_change', ...collection, ...recorded].sort());
    for (const table of [...collection, 'correction', 'recording']) expect(after[table], table).toEqual([]);
    expect(after.programme).toEqual([{ id: 1, start_on: '2023-12-28' }]);
    // columns added since (where a loan or a closing came from): null on every record, the rest unchanged
    const added: Record<string, string[]> = { loan: ['collection_id', 'note'], coaching_item: ['closed_collection_id'] };
    const withoutAdded = (table: string, rows: unknown[] = []) =>
      rows.map((r) => {
        const row = { ...(r as Record<string, unknown>) };
        for (const col of added[table] ?? []) {
          expect(row[col], `${table}.${col}`).toBeNull();
          delete row[col];
        }
        // the organisations of an older file count as recorded before every period
        if (table === 'org') {
          expect(row.recorded_at, 'org.recorded_at').toBe('1900-01-01');
          delete row.recorded_at;
        }
        return row;
      });
    // the recorded stamps: on the migrated file, each is its event's date (null where there is no event); this
    // version's demo records each event on its own date, so its stamps are that date and a time
    const stampsOf = (table: string, rows: unknown[] = [], migrated: boolean) =>
      rows.map((r) => {
        const row = { ...(r as Record<string, unknown>) };
        for (const [event, stamp] of STAMPED[table] ?? []) {
          const value = row[stamp] as string | null;
          if (row[event] === null) expect(value, `${table}.${stamp}`).toBeNull();
          else if (migrated) expect(value, `${table}.${stamp}`).toBe(row[event]);
          else expect(value?.slice(0, 10), `${table}.${stamp}`).toBe(table === 'capacity_change' ? row[event] : String(row[event]).slice(0, 10));
          delete row[stamp];
        }
        return row;
      });
    const stamped = Object.keys(STAMPED).filter((t) => (after[t]?.length ?? 0) > 0);
    expect(stamped).toEqual(expect.arrayContaining(['case_file', 'declaration', 'verification', 'bank_assignment', 'loan', 'coaching_item', 'feedback', 'capacity_change']));
    for (const table of Object.keys(before)) expect(withoutAdded(table, stampsOf(table, after[table], true)), table).toEqual(before[table]);
    // the history is substantial, not a handful of rows
    for (const table of ['case_file', 'case_event', 'loan', 'coaching_item', 'feedback', 'audit_log', 'app_user']) {
      expect(after[table]?.length ?? 0, table).toBeGreaterThan(5);
    }
    const made = records(current);
    // the demo's programme starts with its history
    expect(made.programme).toEqual([{ id: 1, start_on: '2023-06-16' }]);
    const same = (rec: Record<string, unknown[]>, migrated: boolean) =>
      Object.fromEntries(Object.entries(rec).filter(([t]) => t !== 'programme').map(([t, rows]) => [t, stampsOf(t, rows, migrated)]));
    expect(same(after, true)).toEqual(same(made, false));
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
    expect(may.total.recommended_ytd).toBeGreaterThan(0);
    expect(may.total.active).toBeGreaterThan(0);
  });
});
