/**
 * The migration plan: one numbered sequence for the shared and the engine-only lists, each engine's plan
 * in name order, the frozen history first, and a number used twice refused.
 */
import type { Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SQLITE_PLAN } from '../src/store/migrations/index.js';
import { buildPlan, sharedNames, versionOf } from '../src/store/migrations/plan.js';
import type { SharedMigration } from '../src/store/migrations/kit.js';
import { SERVER_PLAN } from '../src/store/pg/migrations/index.js';

const noop: Migration = { up: async () => undefined };
const shared: SharedMigration = { up: async () => undefined };
const HISTORY = { '0001_foundation': noop, '0002_users': noop };

describe('the migration plan', () => {
  it('both engines have the same history and shared migrations, by name and in order', () => {
    expect(sharedNames(SERVER_PLAN)).toEqual(sharedNames(SQLITE_PLAN));
    expect(sharedNames(SQLITE_PLAN).slice(0, 7)).toEqual([
      '0001_foundation', '0002_users', '0003_cases', '0004_report_indexes', '0005_capacity_history', '0006_feedback_history', '0007_collection',
    ]);
    for (const plan of [SQLITE_PLAN, SERVER_PLAN]) {
      const names = Object.keys(plan.migrations);
      expect(names).toEqual([...names].sort());
      expect(plan.entries.map((e) => e.name)).toEqual(names);
      expect(plan.version).toBe(versionOf(names));
    }
  });

  it('no number is used by both engines’ own lists', () => {
    const own = (plan: typeof SQLITE_PLAN) => plan.entries.filter((e) => e.scope === 'engine').map((e) => e.number);
    const server = new Set(own(SERVER_PLAN));
    expect(own(SQLITE_PLAN).filter((n) => server.has(n))).toEqual([]);
  });

  it('merges the lists in number order, and the version is the last number', () => {
    const plan = buildPlan('sqlite', { history: HISTORY, shared: { '0005_later': shared, '0003_tables': shared }, engineOnly: { '0004_triggers': noop } });
    expect(plan.entries).toEqual([
      { name: '0001_foundation', number: 1, scope: 'history' },
      { name: '0002_users', number: 2, scope: 'history' },
      { name: '0003_tables', number: 3, scope: 'shared' },
      { name: '0004_triggers', number: 4, scope: 'engine' },
      { name: '0005_later', number: 5, scope: 'shared' },
    ]);
    expect(Object.keys(plan.migrations)).toEqual(plan.entries.map((e) => e.name));
    expect(plan.version).toBe(5);
    expect(sharedNames(plan)).toEqual(['0001_foundation', '0002_users', '0003_tables', '0005_later']);
  });

  it('refuses a number used twice, a number inside the history and a malformed name', () => {
    expect(() => buildPlan('postgres', { history: HISTORY, shared: { '0003_a': shared }, engineOnly: { '0003_b': noop } })).toThrow(/0003 is used twice: 0003_a \(shared\) and 0003_b \(engine\)/);
    expect(() => buildPlan('postgres', { history: HISTORY, shared: {}, engineOnly: { '0002_policies': noop } })).toThrow(/used twice/);
    expect(() => buildPlan('postgres', { history: { ...HISTORY, '0004_x': noop }, shared: {}, engineOnly: { '0003_policies': noop } })).toThrow(/belong to the frozen history/);
    expect(() => buildPlan('sqlite', { history: HISTORY, shared: { '3_tables': shared }, engineOnly: {} })).toThrow(/NNNN_lower_case_words/);
  });

  it('gives a shared migration the kit of the engine it runs on', async () => {
    const seen: string[] = [];
    const probe: SharedMigration = { up: async (_db, k) => void seen.push(`${k.engine}:${JSON.stringify(k.integer)}`) };
    for (const engine of ['sqlite', 'postgres'] as const) {
      const plan = buildPlan(engine, { history: HISTORY, shared: { '0003_probe': probe }, engineOnly: {} });
      await plan.migrations['0003_probe']!.up(undefined as never);
    }
    expect(seen).toEqual(['sqlite:"integer"', 'postgres:"bigint"']);
  });

  it('a database’s version is the number of the last migration it applied', () => {
    expect(versionOf([])).toBe(0);
    expect(versionOf(['0001_foundation', '0002_users', '0003_cases'])).toBe(3);
    expect(versionOf(['0001_foundation', '0009_policies', '0008_times'])).toBe(9);
  });
});
