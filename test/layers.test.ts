/**
 * The layer rules (docs/layers.md) are lint rules: ESLint, run through its Node API with the repository's own
 * eslint.config.js, must refuse a probe file that breaks each rule and accept one that keeps them. The probes
 * are linted as text under a path of the layer they stand for; nothing is written to src/.
 */
import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The rule ids ESLint reports for `code` linted as the file `path` (relative to the repository). */
async function ruleIds(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

/** A probe that breaks one rule: [what it shows, file, code, the rule that must refuse it]. */
const BREAKS: [string, string, string, string][] = [
  ['domain imports render', 'src/domain/probe.ts', "import { renderTable } from '../render/output.js';\nexport const x = renderTable;\n", 'layers/domain'],
  ['domain (in a feature folder) imports render', 'src/domain/pool/probe.ts', "import { renderTable } from '../../render/output.js';\nexport const x = renderTable;\n", 'layers/domain'],
  ['domain imports a type of render', 'src/domain/probe.ts', "import type { Column } from '../render/output.js';\nexport type X = Column;\n", 'layers/domain'],
  ['domain loads render on demand', 'src/domain/probe.ts', "export const x = () => import('../render/output.js');\n", 'layers/domain'],
  ['domain imports a command', 'src/domain/probe.ts', "import * as c from '../commands/loan.js';\nexport const x = c;\n", 'layers/domain'],
  ['domain imports the CLI context', 'src/domain/probe.ts', "import type { Context } from '../context.js';\nexport type X = Context;\n", 'layers/domain'],
  ['store imports domain', 'src/store/probe.ts', "import type { OrgKind } from '../domain/reference.js';\nexport type X = OrgKind;\n", 'layers/store'],
  ['store (engine folder) imports domain', 'src/store/pg/probe.ts', "import { STAGE_LABEL } from '../../domain/stages.js';\nexport const x = STAGE_LABEL;\n", 'layers/store'],
  ['store imports render', 'src/store/probe.ts', "import { renderTable } from '../render/output.js';\nexport const x = renderTable;\n", 'layers/store'],
  ['store names a domain type inline', 'src/store/probe.ts', "export type X = import('../domain/reference.js').OrgKind;\n", 'layers/store'],
  ['render imports store', 'src/render/probe.ts', "import type { Stage } from '../store/schema.js';\nexport type X = Stage;\n", 'layers/render'],
  ['render loads store on demand', 'src/render/probe.ts', "export const x = () => import('../store/db.js');\n", 'layers/render'],
  ['render imports a command', 'src/render/probe.ts', "import * as c from '../commands/loan.js';\nexport const x = c;\n", 'layers/render'],
  ['a reader imports domain', 'src/import/probe.ts', "import { STAGE_LABEL } from '../domain/stages.js';\nexport const x = STAGE_LABEL;\n", 'layers/readers'],
  ['a reader imports store', 'src/import/probe.ts', "import type { Store } from '../store/db.js';\nexport type X = Store;\n", 'layers/readers'],
  ['a reader imports render', 'src/import/probe.ts', "import { renderTable } from '../render/output.js';\nexport const x = renderTable;\n", 'layers/readers'],
  ['a reader imports the CLI context', 'src/import/probe.ts', "import type { Io } from '../context.js';\nexport type X = Io;\n", 'layers/readers'],
  ['a reader imports the SQLite driver', 'src/import/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n", 'layers/readers'],
  ['util imports domain', 'src/util/probe.ts', "import { STAGE_LABEL } from '../domain/stages.js';\nexport const x = STAGE_LABEL;\n", 'layers/kernel'],
  ['domain imports the SQLite driver', 'src/domain/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n", 'layers/engine'],
  ['domain takes the SQLite handle from the store', 'src/domain/database/probe.ts', "import { sqliteOf } from '../../store/db.js';\nexport const x = sqliteOf;\n", 'layers/engine'],
  ['render asks which engine runs a query', 'src/render/probe.ts', "import { engineOf } from '../store/engine.js';\nexport const x = engineOf;\n", 'layers/engine'],
  ['a command imports the PostgreSQL store', 'src/commands/probe.ts', "import { openPgStore } from '../store/pg/store.js';\nexport const x = openPgStore;\n", 'layers/engine'],
];

describe('lint refuses a probe that breaks a layer rule', () => {
  it.each(BREAKS)('%s', async (_what, path, code, rule) => {
    expect(await ruleIds(path, code)).toContain(rule);
  });
});

/** Probes that keep every rule: each layer importing what lies below it. */
const KEEPS: [string, string, string][] = [
  [
    'domain imports store, readers and the kernel',
    'src/domain/pool/probe.ts',
    "import type { Store } from '../../store/db.js';\nimport { decodeCsv } from '../../import/csv.js';\nimport { DataError } from '../../errors.js';\nimport { addDays } from '../../util/dates.js';\nexport type X = Store;\nexport const y = [decodeCsv, DataError, addDays];\n",
  ],
  ['render imports domain and the CLI context', 'src/render/probe.ts', "import { STAGE_LABEL } from '../domain/core/index.js';\nimport type { Context } from '../context.js';\nexport type X = Context;\nexport const y = STAGE_LABEL;\n"],
  ['a command imports every layer', 'src/commands/probe.ts', "import { openStore } from '../store/db.js';\nimport { STAGE_LABEL } from '../domain/core/index.js';\nimport { renderTable } from '../render/output.js';\nexport const x = [openStore, STAGE_LABEL, renderTable];\n"],
  ['the store loads its engines on demand', 'src/store/probe.ts', "import Database from 'better-sqlite3';\nexport const x = [Database, () => import('./pg/store.js')];\n"],
  ['a reader imports the kernel', 'src/import/probe.ts', "import { DataError } from '../errors.js';\nimport { normaliseText } from '../util/text.js';\nexport const x = [DataError, normaliseText];\n"],
];

describe('lint accepts a probe that keeps the rules', () => {
  it.each(KEEPS)('%s', async (_what, path, code) => {
    expect(await ruleIds(path, code)).toEqual([]);
  });
});

describe('test seams', () => {
  it('are passed in by the tests (test/seamed-xypz.mjs): no production file reads a test-only variable', () => {
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(100);
    const reading = files.filter((f) => /XYPZ_TEST_/.test(readFileSync(join(ROOT, 'src', f), 'utf8')));
    expect(reading).toEqual([]);
  });
});
