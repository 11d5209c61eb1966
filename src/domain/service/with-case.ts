/** The steps of service/ act on one case, loaded within what the actor may see. */
import type { Kysely } from 'kysely';
import type { CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { DB } from '../../store/schema.js';
import { Directory, visibleCase, type Actor } from '../core/index.js';

/** A write on the case of `code`, if the actor may see it (else the same "not found" as an unknown code). */
export async function withCase<T>(store: Store, who: Actor, code: string, fn: (tx: Kysely<DB>, c: CaseRow, dir: Directory) => Promise<T>): Promise<T> {
  return store.write(async (tx) => {
    const c = await visibleCase(tx, who, code);
    const dir = await Directory.load(tx);
    return fn(tx, c, dir);
  });
}
