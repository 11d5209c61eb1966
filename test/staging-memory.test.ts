/** The staging area of a batch small enough to stay in memory, and its move to the temp table when it grows. */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/db.js';
import { sqliteOf } from '../src/store/sqlite.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  sb?.cleanup();
});

function fill(s: ReturnType<Store['staging']>) {
  for (let i = 0; i < 12; i++) {
    const login = i === 7 ? 'user3' : i === 10 ? 'user1' : `user${i}`;
    s.add({ file: i % 2, sheet: i % 3, row: i + 2 }, { login }, [{ column: 'login', key: login }, { column: 'phone', key: '' }]);
  }
}

describe('memory-first staging', () => {
  it('gives the temp table’s answers: duplicates in order, bad rows skipped, pages in order; in memory below its limit, in the temp table above', async () => {
    sb = await initialised();
    store = await openStore(sb.db);
    const temp = () => (sqliteOf(store!).prepare("select count(*) n from temp.sqlite_master where name like 'stage%'").get() as { n: number }).n;
    const answers = [];
    for (const memoryRows of [100, 5]) {
      const s = store.staging<{ login: string }>({ memoryRows });
      fill(s);
      expect(temp()).toBe(memoryRows === 100 ? 0 : 2);
      const dups = s.duplicates();
      s.markBad(dups.flatMap((g) => g.items.map((i) => i.idx)));
      answers.push({ dups, good: s.goodCount(), pages: [...s.chunks(4)].map((p) => p.map((x) => `${x.idx}:${x.record.login}`)), places: [...s.chunks(4)].flat().map((x) => x.loc) });
      s.drop();
      expect(temp()).toBe(0);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.dups.map((d) => d.key)).toEqual(['user1', 'user3']);
    expect(answers[0]!.good).toBe(8);
    // each row's place as it was added: file, sheet and row
    expect(answers[0]!.places.slice(0, 3)).toEqual([
      { file: 0, sheet: 0, row: 2 },
      { file: 0, sheet: 2, row: 4 },
      { file: 0, sheet: 1, row: 6 },
    ]);
    expect(answers[0]!.dups[0]!.items.map((i) => i.loc)).toEqual([
      { file: 1, sheet: 1, row: 3 },
      { file: 0, sheet: 1, row: 12 },
    ]);
    expect(answers[0]!.pages).toEqual([['0:user0', '2:user2', '4:user4', '5:user5'], ['6:user6', '8:user8', '9:user9', '11:user11']]);
  });
});

describe('staging as columns', () => {
  it('reads pages back as the records they were, filtered by a staged column; in the temp table a page is also a range of it for INSERT … SELECT', async () => {
    sb = await initialised();
    store = await openStore(sb.db);
    type Rec = { login: string; existing?: string };
    const columns = {
      names: ['login', 'existing'],
      toRow: (r: Rec) => [r.login, r.existing ?? null],
      fromRow: (v: unknown[]) => (v[1] === null ? { login: v[0] as string } : { login: v[0] as string, existing: v[1] as string }),
    };
    const answers = [];
    for (const memoryRows of [100, 5]) {
      const s = store.staging<Rec>({ memoryRows, columns });
      for (let i = 0; i < 12; i++) s.add({ file: 0, sheet: 0, row: i + 2 }, i % 3 === 0 ? { login: `u${i}`, existing: `u${i}` } : { login: `u${i}` }, [{ column: 'login', key: `u${i}` }]);
      s.markBad([4]);
      const pages = [...s.pages(4)];
      answers.push(
        pages.map((p) => ({
          all: p.items().map((x) => `${x.idx}:${x.record.login}:${x.record.existing ?? '-'}`),
          fresh: p.values('login', { column: 'existing', isNull: true }),
          old: p.items({ column: 'existing', isNull: false }).map((x) => x.record),
        })),
      );
      const ranges = pages.map((p) => p.table);
      if (memoryRows === 100) expect(ranges.every((r) => r === undefined)).toBe(true);
      else {
        // every page a range of the staging table, together all its good rows once
        const raw = sqliteOf(store);
        const logins = ranges.flatMap((r) => raw.prepare(`select login from ${r!.name} where bad = 0 and idx between ? and ? order by idx`).pluck().all(r!.from, r!.to));
        expect(logins).toEqual(['u0', 'u1', 'u2', 'u3', 'u5', 'u6', 'u7', 'u8', 'u9', 'u10', 'u11']);
      }
      s.drop();
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]![0]).toEqual({ all: ['0:u0:u0', '1:u1:-', '2:u2:-', '3:u3:u3'], fresh: ['u1', 'u2'], old: [{ login: 'u0', existing: 'u0' }, { login: 'u3', existing: 'u3' }] });
    expect(answers[0]!.map((p) => p.all.length)).toEqual([4, 4, 3]);
  });
});

describe('page caches while a batch is staged', () => {
  it('the data file’s cache is small while a staging area exists and back to what it was once it is dropped; the temp database’s too', async () => {
    sb = await initialised();
    store = await openStore(sb.db);
    const raw = sqliteOf(store);
    const cache = () => ({ main: raw.pragma('main.cache_size', { simple: true }), temp: raw.pragma('temp.cache_size', { simple: true }) });
    const before = cache();
    const s = store.staging<{ login: string }>({ memoryRows: 5 });
    expect(cache().main).toBe(-4096);
    fill(s); // passes memoryRows: staged in the temp table
    expect(cache()).toEqual({ main: -4096, temp: -2048 });
    s.drop();
    expect(cache()).toEqual(before);
    expect(before.main).not.toBe(-4096);
  });
});
