/**
 * A server database replaced by a copy in one transaction: the current schema is renamed aside
 * (`xypz_replaced_<stamp>`, no longer readable by the groups, never opened as xypz's again), a new schema
 * is created and filled. A failure at any point leaves the current schema as it was.
 */
import { sql } from 'kysely';
import { copyRecords, type AfterCopy, type CopySummary } from '../copy.js';
import type { OpenOptions, Store } from '../engine.js';
import { READER, WRITER } from './access.js';
import { SCHEMA } from './constants.js';
import { ident } from './migrations/sql.js';
import { createSchema, openPgStore } from './store.js';

export async function replacePgByCopy(from: Store, target: string, stamp: string, opts: OpenOptions, after?: AfterCopy): Promise<{ kept: string; summary: CopySummary }> {
  const store = await openPgStore(target, { ...opts, allowPending: true });
  try {
    return await store.write(async (tx) => {
      const taken = new Set(
        (await sql<{ name: string }>`select nspname as name from pg_namespace where nspname like ${`${SCHEMA}_replaced_%`}`.execute(tx)).rows.map((r) => r.name),
      );
      let kept = `${SCHEMA}_replaced_${stamp.toLowerCase()}`;
      for (let i = 2; taken.has(kept); i++) kept = `${SCHEMA}_replaced_${stamp.toLowerCase()}_${i}`;
      await sql
        .raw(
          [
            `alter schema ${SCHEMA} rename to ${ident(kept)}`,
            `comment on schema ${ident(kept)} is 'xypz: replaced ${stamp}'`,
            `revoke all on schema ${ident(kept)} from ${WRITER}, ${READER}`,
          ].join('; '),
        )
        .execute(tx);
      await createSchema(store, tx);
      const summary = await copyRecords(from, { engine: 'postgres', tx });
      await after?.(tx, kept);
      return { kept, summary };
    });
  } finally {
    await store.close();
  }
}
