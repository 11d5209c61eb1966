/**
 * The schema against its checked-in description (src/store/schema.json, docs/schema.md), on each engine of
 * the run: a fresh database has exactly the described tables, columns, keys, indexes and engine-only
 * objects. `npm run schema` writes the description from both engines and refuses tables they do not have
 * alike, so passing on both engines means the engines agree.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, openStore } from '../src/store/db.js';
import { SQLITE_PLAN } from '../src/store/migrations/index.js';
import { kitFor } from '../src/store/migrations/kit.js';
import { sharedNames, versionOf } from '../src/store/migrations/plan.js';
import { SERVER_PLAN } from '../src/store/pg/migrations/index.js';
import { descriptionJson, freshShape, schemaMarkdown } from '../src/store/schema-describe.js';
import { describeSchema, expectedShape, shapeDifferences, shapeOf, type SchemaDescription } from '../src/store/schema-shape.js';
import { ENGINE } from './engines.js';
import { sandbox, type Sandbox } from './helpers.js';
import { schemaUpTo } from './old-schema.js';
import { copyToNew } from '../src/store/transfer.js';

const STALE = 'src/store/schema.json 与迁移所建的结构不一致：请运行 npm run schema，并提交它改动的 src/store/schema.json 和 docs/schema.md';
const ROOT = new URL('..', import.meta.url);
const description = (): SchemaDescription => JSON.parse(readFileSync(new URL('src/store/schema.json', ROOT), 'utf8'));
const engine = ENGINE === 'pg' ? 'server' : 'sqlite';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('the schema description', () => {
  it('a fresh database of this engine has exactly the described schema', async () => {
    sb = sandbox();
    const problems = shapeDifferences(await freshShape(sb.db), expectedShape(description(), engine));
    expect(problems, STALE).toEqual([]);
  });

  it('is current: the plans’ versions, its own JSON layout, and docs/schema.md made from it', () => {
    const d = description();
    expect(d.versions, STALE).toEqual({ sqlite: SQLITE_PLAN.version, server: SERVER_PLAN.version });
    expect(readFileSync(new URL('src/store/schema.json', ROOT), 'utf8'), STALE).toBe(descriptionJson(d));
    expect(readFileSync(new URL('docs/schema.md', ROOT), 'utf8'), STALE).toBe(schemaMarkdown(d));
  });

  it('a change the description lacks is found: a column added, an index dropped, a view added', async () => {
    sb = sandbox();
    await createDatabase(sb.db, async () => undefined);
    for (const s of ['alter table loan add column extra text', 'drop index loan_date', 'create view loans_again as select * from loan']) await sb.sql(s);
    const store = await openStore(sb.db, { allowPending: true });
    try {
      const problems = shapeDifferences(await shapeOf(store), expectedShape(description(), engine));
      expect(problems).toEqual([
        'column loan.extra: in the database, not in the description',
        expect.stringMatching(/^table loan: indexes: database .*, description .*"loan_date"/),
        'view loans_again: in the database, not in the description',
      ]);
    } finally {
      await store.close();
    }
  });

  it('the kit makes one portable shape on either engine', async () => {
    sb = sandbox();
    await createDatabase(sb.db, async () => undefined);
    const store = await openStore(sb.db);
    try {
      const k = kitFor(store.engine);
      await store.write(async (tx) => {
        await tx.schema
          .createTable('probe')
          .addColumn('id', k.idType, k.identity)
          .addColumn('case_id', k.integer, (c) => c.notNull().references('case_file.id'))
          .addColumn('code', k.text, (c) => c.notNull().unique())
          .addColumn('note', k.text, (c) => c.defaultTo('[]'))
          .addColumn('at', k.timestamp, (c) => c.notNull())
          .addColumn('done', k.flag, (c) => c.notNull().defaultTo(0))
          .execute();
        await tx.schema.createIndex('probe_case').on('probe').columns(['case_id', 'at']).execute();
      });
      const probe = (await shapeOf(store)).tables.find((t) => t.name === 'probe');
      expect(probe).toEqual({
        name: 'probe',
        columns: [
          { name: 'id', type: 'integer', nullable: false, default: null, generated: true },
          { name: 'case_id', type: 'integer', nullable: false, default: null, generated: false },
          { name: 'code', type: 'text', nullable: false, default: null, generated: false },
          { name: 'note', type: 'text', nullable: true, default: "'[]'", generated: false },
          { name: 'at', type: 'text', nullable: false, default: null, generated: false },
          { name: 'done', type: 'integer', nullable: false, default: '0', generated: false },
        ],
        primaryKey: ['id'],
        unique: [['code']],
        foreignKeys: [{ columns: ['case_id'], table: 'case_file', references: ['id'], onDelete: 'NO ACTION' }],
        indexes: [{ name: 'probe_case', columns: ['case_id', 'at'], unique: false, partial: false }],
      });
    } finally {
      await store.close();
    }
  });

  it('refuses to describe engines whose shared tables differ, naming the difference', () => {
    const d = description();
    const lite = expectedShape(d, 'sqlite');
    const server = expectedShape(d, 'server');
    expect(describeSchema(lite, server, d.versions)).toEqual(d);
    const loan = server.tables.find((t) => t.name === 'loan')!;
    loan.columns = loan.columns.map((c) => (c.name === 'note' ? { ...c, nullable: false } : c));
    expect(() => describeSchema(lite, server, d.versions)).toThrow(/table loan: columns differ/);
  });

  it('records move only between databases of the same shared schema: a copy from an older file is refused, the target not made', async () => {
    sb = sandbox();
    const old = sb.path('old.db');
    await schemaUpTo(old, '0006_feedback_history');
    const from = await openStore(old, { readonly: true, allowPending: true });
    try {
      await expect(copyToNew(from, sb.db, {})).rejects.toThrow(
        `与目标数据库的结构版本不同（两种数据库共有的结构：来源 6，目标 ${versionOf(sharedNames(SQLITE_PLAN))}），无法复制；请先对版本较旧的一方运行 xypz db migrate`,
      );
    } finally {
      await from.close();
    }
    expect(await sb.exists()).toBe(false);
  });
});
