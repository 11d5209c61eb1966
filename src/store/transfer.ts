/**
 * Where a copy goes (copy.ts does the records): into a new database of either engine, or in place of an
 * existing one, whose data is kept aside rather than destroyed — a SQLite file as `<file>.replaced-<stamp>`
 * (like a restore), a server schema renamed to `xypz_replaced_<stamp>` (out of the groups' reach).
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { sweepStaleTemps, tempPathFor } from '../util/tempfiles.js';
import { copyRecords, type AfterCopy, type CopySummary } from './copy.js';
import { createDatabase, isServerUrl, openStore, type OpenOptions, type Store, type Tx } from './db.js';
import { switchDatabase } from './file-switch.js';
import { tablesOf } from './tables.js';

export type { AfterCopy };

/** Whether a database holds no record at all (every table empty). */
export async function isEmpty(store: Store): Promise<boolean> {
  for (const t of await tablesOf(store)) {
    const r = await sql<{ one: number }>`select 1 as one from ${sql.id(t.name)} limit 1`.execute(store.db);
    if (r.rows.length > 0) return false;
  }
  return true;
}

/** Copies `from` into a database created for it at `target` (which must not exist), all or nothing. */
export async function copyToNew(from: Store, target: string, opts: OpenOptions, after?: AfterCopy): Promise<CopySummary> {
  let summary: CopySummary | undefined;
  await createDatabase(
    target,
    async (store) => {
      summary = await copyIntoEmpty(from, store, after);
    },
    opts,
  );
  return summary!;
}

/** Copies `from` into the empty database `to` (current version), in one of its transactions. */
export async function copyIntoEmpty(from: Store, to: Store, after?: AfterCopy): Promise<CopySummary> {
  return to.write(async (tx) => {
    const summary = await copyRecords(from, { engine: to.engine, tx });
    await after?.(tx, null);
    return summary;
  });
}

/**
 * Puts a copy of `from` in place of the database at `target` (closed by the caller); returns where the
 * replaced data was kept.
 */
export async function replaceByCopy(from: Store, target: string, stamp: string, opts: OpenOptions, after?: AfterCopy): Promise<{ kept: string; summary: CopySummary }> {
  if (isServerUrl(target)) {
    const { replacePgByCopy } = await import('./pg/replace.js');
    return replacePgByCopy(from, target, stamp, opts, after);
  }
  // The file is built aside and switched in; the kept name is known only then, so a restore records
  // itself afterwards (after is not used on this path).
  sweepStaleTemps(dirname(target));
  const tmp = tempPathFor(target);
  try {
    const summary = await copyToNew(from, tmp, opts);
    const kept = switchDatabase(tmp, target, stamp)!;
    if (after) await afterOnFile(target, opts, (tx) => after(tx, kept));
    return { kept, summary };
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

async function afterOnFile(target: string, opts: OpenOptions, fn: (tx: Tx) => Promise<void>): Promise<void> {
  const store = await openStore(target, opts);
  try {
    await store.write(fn);
  } finally {
    await store.close();
  }
}
