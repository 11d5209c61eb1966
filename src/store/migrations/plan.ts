/**
 * One engine's migrations as one plan, in name order (docs/migrations.md says how to add one):
 * - its history: 0001–0007, written once per engine before there was a shared list, and frozen — their names
 *   are recorded in every database made since and must keep matching;
 * - the shared migrations, written once with kysely's schema builder and the kit (kit.ts), from 0008 on;
 * - its engine-only migrations (SQLITE_ONLY, SERVER_ONLY): what exists on that engine alone.
 * Shared and engine-only migrations take their numbers from one sequence: a number is used once, by one
 * list, and the plan refuses a duplicate, so a name means the same change wherever it is recorded.
 */
import type { Migration } from 'kysely';
import { onEngine, type SchemaEngine, type SharedMigration } from './kit.js';
import { numberOf, versionOf, wellFormed } from './version.js';

export { numberOf, versionOf };

/** history: written per engine before 0008; shared: written once; engine: exists on this engine alone. */
export type Scope = 'history' | 'shared' | 'engine';

export interface PlanEntry {
  name: string;
  number: number;
  scope: Scope;
}

export interface Plan {
  engine: SchemaEngine;
  /** name → migration, in name order: what kysely's Migrator is given. */
  migrations: Record<string, Migration>;
  entries: PlanEntry[];
  /** The number of the plan's last migration: the schema version of a database of this engine, migrated. */
  version: number;
}

export interface PlanParts {
  history: Record<string, Migration>;
  shared: Record<string, SharedMigration>;
  engineOnly: Record<string, Migration>;
}

/** Merges the three lists into one plan; throws on a malformed name, a number used twice, or a number inside the history. */
export function buildPlan(engine: SchemaEngine, parts: PlanParts): Plan {
  const entries: (PlanEntry & { migration: Migration })[] = [];
  const add = (scope: Scope, name: string, migration: Migration) => {
    if (!wellFormed(name)) throw new Error(`migration name ${name}: expected NNNN_lower_case_words`);
    const n = numberOf(name);
    const clash = entries.find((e) => e.number === n);
    if (clash) throw new Error(`migration number ${String(n).padStart(4, '0')} is used twice: ${clash.name} (${clash.scope}) and ${name} (${scope})`);
    entries.push({ name, number: n, scope, migration });
  };
  for (const [name, m] of Object.entries(parts.history)) add('history', name, m);
  const lastHistory = versionOf(Object.keys(parts.history));
  for (const [name, m] of Object.entries(parts.shared)) add('shared', name, onEngine(m, engine));
  for (const [name, m] of Object.entries(parts.engineOnly)) add('engine', name, m);
  for (const e of entries) {
    if (e.scope !== 'history' && e.number <= lastHistory) throw new Error(`migration ${e.name}: numbers up to ${lastHistory} belong to the frozen history; take the next free number`);
  }
  entries.sort((a, b) => a.number - b.number);
  return {
    engine,
    migrations: Object.fromEntries(entries.map((e) => [e.name, e.migration])),
    entries: entries.map(({ name, number, scope }) => ({ name, number, scope })),
    version: versionOf(entries.map((e) => e.name)),
  };
}

/** The plan's migrations that both engines have (history and shared), in order: what a copy between engines needs alike. */
export function sharedNames(plan: Plan): string[] {
  return plan.entries.filter((e) => e.scope !== 'engine').map((e) => e.name);
}
