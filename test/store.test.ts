/** The store's own interface: the engine's busy errors become the store's, and the staging area of an import. */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { XypzError } from '../src/errors.js';
import { openStore, type Store } from '../src/store/db.js';
import { sqliteOf } from '../src/store/sqlite.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
let store: Store | undefined;
let other: Database.Database | undefined;
afterEach(async () => {
  other?.close();
  other = undefined;
  await store?.close();
  store = undefined;
  sb?.cleanup();
});

/** The store, waiting at most 50 ms for a lock (instead of 10 s), and another connection to the same file. */
async function twoConnections(): Promise<{ store: Store; other: Database.Database }> {
  sb = await initialised();
  store = await openStore(sb.db);
  sqliteOf(store).pragma('busy_timeout = 50');
  other = new Database(sb.db);
  return { store, other };
}

const BUSY = '数据库正被其他进程长时间占用，请稍后重试';

describe('a lock held elsewhere', () => {
  it('ends a write in the store\'s own error, not SQLITE_BUSY, and writes nothing', async () => {
    const { store, other } = await twoConnections();
    other.exec('begin immediate');
    const before = await store.db.selectFrom('org').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const failed = store.write((tx) => tx.updateTable('region').set({ capacity: 3 }).execute());
    await expect(failed).rejects.toThrow(BUSY);
    await expect(failed).rejects.toBeInstanceOf(XypzError);
    await expect(failed).rejects.toMatchObject({ exitCode: 4, code: 'busy' });
    await expect(failed).rejects.not.toHaveProperty('code', 'SQLITE_BUSY');
    other.exec('rollback');
    const after = await store.db.selectFrom('org').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await store.db.selectFrom('region').select('capacity').where('capacity', '=', 3).execute()).length).toBe(0);
    // the lock released, the same write goes through
    await store.write((tx) => tx.updateTable('region').set({ capacity: 3 }).where('code', '=', '420703').execute());
    expect((await store.db.selectFrom('region').select('code').where('capacity', '=', 3).execute()).map((r) => r.code)).toEqual(['420703']);
  });
});

describe('staging', () => {
  it('keeps records outside the data file, finds duplicates, skips bad rows, pages in order, and drops', async () => {
    sb = await initialised();
    store = await openStore(sb.db);
    const s = store.staging<{ login: string }>();
    for (let i = 0; i < 12; i++) {
      const login = i === 7 ? 'user3' : `user${i}`;
      s.add({ file: 0, sheet: 0, row: i + 2 }, { login }, [{ column: 'login', key: login }, { column: 'phone', key: '' }]);
    }
    expect(s.duplicates()).toEqual([
      { column: 'login', key: 'user3', items: [{ idx: 3, loc: { file: 0, sheet: 0, row: 5 } }, { idx: 7, loc: { file: 0, sheet: 0, row: 9 } }] },
    ]);
    s.markBad([3, 7]);
    expect(s.goodCount()).toBe(10);
    const pages = [...s.chunks(4)];
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(pages.flat().map((x) => x.record.login)).toEqual(['user0', 'user1', 'user2', 'user4', 'user5', 'user6', 'user8', 'user9', 'user10', 'user11']);
    const reader = new Database(sb.db, { readonly: true });
    try {
      expect(reader.prepare("select count(*) n from sqlite_master where name like 'stage%'").get()).toEqual({ n: 0 });
    } finally {
      reader.close();
    }
    const temp = () => sqliteOf(store!).prepare("select count(*) n from temp.sqlite_master where name like 'stage%'").get();
    expect(temp()).toEqual({ n: 2 });
    s.drop();
    expect(temp()).toEqual({ n: 0 });
  });
});

describe('statements kept between queries', () => {
  it('give rows the columns a schema change left, not the ones they were prepared with', async () => {
    sb = await initialised();
    store = await openStore(sb.db);
    const read = () => store!.db.selectFrom('region').selectAll().where('code', '=', '420703').executeTakeFirstOrThrow() as Promise<Record<string, unknown>>;
    const before = await read();
    expect(before).not.toHaveProperty('zz');
    sqliteOf(store).exec('alter table region add column zz integer not null default 7');
    const after = await read();
    expect(after).toMatchObject({ ...before, zz: 7 });
    // a table made again with other columns: each value under its own name
    sqliteOf(store).exec('create table probe (a integer, b text); insert into probe values (1, \'x\')');
    const probe = () => store!.db.selectFrom('probe' as never).selectAll().executeTakeFirstOrThrow() as Promise<Record<string, unknown>>;
    expect(await probe()).toEqual({ a: 1, b: 'x' });
    sqliteOf(store).exec('drop table probe; create table probe (z text); insert into probe values (\'only\')');
    expect(await probe()).toEqual({ z: 'only' });
  });
});
