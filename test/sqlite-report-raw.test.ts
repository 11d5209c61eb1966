/**
 * bench/report-raw.mjs keeps, as plain text, the SQL `xypz report monthly` runs (to time it without the CLI).
 * Here the figures of a month are computed through the store with every statement kysely executes recorded,
 * and the bench's statements must be exactly those: same text, same parameters, same order. A figure query
 * added or changed in src/store/figures.ts without the bench fails here.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthSpan, statements } from '../bench/report-raw.mjs';
import { Directory } from '../src/domain/core/index.js';
import { computeFigures, effectiveStart } from '../src/domain/reporting/figures.js';
import { registerEngine } from '../src/store/engine.js';
import type { DB } from '../src/store/schema.js';
import { monthPeriod } from '../src/util/dates.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
let raw: Database.Database;
let db: Kysely<DB>;
const executed: { sql: string; params: unknown[] }[] = [];

beforeAll(async () => {
  sb = await initialised();
  raw = new Database(sb.db, { readonly: true, fileMustExist: true });
  db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: raw }),
    log: (e) => {
      if (e.level === 'query') executed.push({ sql: e.query.sql, params: [...e.query.parameters] });
    },
  });
  registerEngine(db, 'sqlite');
});

afterAll(async () => {
  await db?.destroy();
  sb?.cleanup();
});

describe('bench/report-raw.mjs', () => {
  it('runs exactly the statements of a monthly report, in the order the store runs them', async () => {
    const dir = await Directory.load(db);
    const start = await effectiveStart(db);
    executed.length = 0;
    await computeFigures(db, dir, monthPeriod(2024, 3), { start });
    const bench = statements(monthSpan('2024-03')).map(({ sql, params }) => ({ sql, params }));
    expect(executed.length).toBeGreaterThan(5);
    expect(bench, 'bench/report-raw.mjs differs from the queries of src/store/figures.ts: copy the SQL the store runs').toEqual(executed);
  });
});
