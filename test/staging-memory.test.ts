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
    s.add({ file: 0, sheet: 0, row: i + 2 }, { login }, [{ column: 'login', key: login }, { column: 'phone', key: '' }]);
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
      answers.push({ dups, good: s.goodCount(), pages: [...s.chunks(4)].map((p) => p.map((x) => `${x.idx}:${x.record.login}`)) });
      s.drop();
      expect(temp()).toBe(0);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.dups.map((d) => d.key)).toEqual(['user1', 'user3']);
    expect(answers[0]!.good).toBe(8);
    expect(answers[0]!.pages).toEqual([['0:user0', '2:user2', '4:user4', '5:user5'], ['6:user6', '8:user8', '9:user9', '11:user11']]);
  });
});
