/**
 * Store.read: a report's several queries see one state of the database, whatever another process commits
 * while they run. On both engines, with the other writer on its own connection underneath xypz.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store, type Tx } from '../src/store/db.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  sb?.cleanup();
  sb = undefined;
});

const capacity = async (db: Tx) => Number((await db.selectFrom('region').select((eb) => eb.fn.sum<number>('capacity').as('n')).executeTakeFirstOrThrow()).n);

describe('Store.read', () => {
  it('sees the database as it stood at its first read: a commit elsewhere in between is not seen', async () => {
    sb = await initialised();
    store = await openStore(sb.db);
    const before = await capacity(store.db);
    const seen = await store.read(async (db) => {
      const first = await capacity(db);
      await sb!.sql('update region set capacity = capacity + 5 where capacity is not null');
      return [first, await capacity(db)];
    });
    expect(seen).toEqual([before, before]);
    // outside it, the other process's commit is there
    expect(await capacity(store.db)).toBeGreaterThan(before);
  });

  it('ends its transaction when fn throws: the store reads and writes afterwards', async () => {
    sb = await initialised();
    store = await openStore(sb.db);
    await expect(store.read(async (db) => {
      await capacity(db);
      throw new Error('stop');
    })).rejects.toThrow('stop');
    await store.write((tx) => tx.updateTable('region').set({ capacity: 7 }).where('code', '=', '420703').execute());
    expect((await store.db.selectFrom('region').select('capacity').where('code', '=', '420703').executeTakeFirstOrThrow()).capacity).toBe(7);
  });
});
