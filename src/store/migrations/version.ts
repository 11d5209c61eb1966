/**
 * A migration's number and a database's schema version, read from migration names alone. Kept apart from
 * plan.ts so that what only compares versions (engine.ts, on every command) does not load kysely's schema
 * builder, which the plan's migrations need.
 */

const NAME = /^(\d{4})_[a-z0-9_]+$/;

/** The number a migration's name starts with (0001_foundation → 1); 0 for a name of another form. */
export function numberOf(name: string): number {
  const m = NAME.exec(name);
  return m ? Number(m[1]) : 0;
}

/** A database's schema version: the number of the last migration it has applied (0: none). */
export function versionOf(applied: readonly string[]): number {
  return applied.reduce((top, name) => Math.max(top, numberOf(name)), 0);
}

/** Whether a name has the form NNNN_lower_case_words. */
export function wellFormed(name: string): boolean {
  return NAME.test(name);
}
