/**
 * The two engines side by side (the schema itself: test/schema.test.ts): for the same history the
 * same output, byte for byte — whether the history was made on each engine or copied between them.
 */
import { describe, expect, it, afterEach } from 'vitest';
import { populateDemo } from '../src/domain/demo/demo.js';
import { openStore } from '../src/store/db.js';
import { STAMPED } from '../src/store/recording.js';
import { fileQuery, serverQuery } from './engines.js';
import { runIn, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const NOW = new Date('2024-06-15T10:00:00+08:00');
const ADMIN = { now: NOW, env: { XYPZ_ACTOR: 'demo_admin' } };

/** The demo's year of history, made through the domain on `db` (a file or a server database). */
async function demoOn(db: string): Promise<void> {
  const init = await runIn(sb.dir, ['--db', db, 'init', '--admin', 'demo_admin', '--name', '演示管理员'], { now: NOW, env: { XYPZ_ACTOR: 'demo_admin' } });
  expect(init.code, init.stderr).toBe(0);
  const store = await openStore(db);
  try {
    await populateDemo(store, { now: NOW, today: '2024-06-15' });
  } finally {
    await store.close();
  }
}

/** What people read of a database: reports, lists, the ledger, the log and its head. */
const VIEWS = [
  ['report', 'monthly', '--period', '2024-05'],
  ['report', 'quarterly', '--period', '2024Q1'],
  ['report', 'annual', '--period', '2023'],
  ['report', 'overdue'],
  ['pool', 'show'],
  ['enterprise', 'list'],
  ['coach', 'list'],
  ['users', 'list'],
  ['ledger', '--district', '华容区'],
  ['feedback', 'missing'],
  ['audit', 'log'],
  ['audit', 'head'],
];

/** Every recorded stamp of a database, with its event and the row's id, table by table. */
async function stamps(db: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, pairs] of Object.entries(STAMPED)) {
    const q = `select ${table === 'verification' ? 'case_id' : 'id'} as id, ${pairs.flatMap(([e, s]) => [e, s]).join(', ')} from ${table} order by 1`;
    out[table] = db.startsWith('postgres') ? await serverQuery(db, q) : fileQuery(db, q);
  }
  out.correction = db.startsWith('postgres') ? await serverQuery(db, 'select * from correction order by id') : fileQuery(db, 'select * from correction order by id');
  out.programme = db.startsWith('postgres') ? await serverQuery(db, 'select * from programme') : fileQuery(db, 'select * from programme');
  return out;
}

async function views(db: string): Promise<string[]> {
  const out: string[] = [];
  for (const v of VIEWS) {
    const r = await runIn(sb.dir, ['--db', db, '--json', ...v], ADMIN);
    expect(r.code, `${v.join(' ')}: ${r.stderr}`).toBe(0);
    out.push(r.stdout);
  }
  return out;
}

describe('the same history', () => {
  it('made on each engine through the domain reads the same, byte for byte, down to the audit chain', { timeout: 180_000 }, async () => {
    sb = sandbox();
    const file = sb.path('demo.db');
    await demoOn(file);
    await demoOn(sb.db);
    const [lite, server] = [await views(file), await views(sb.db)];
    for (const [i, v] of VIEWS.entries()) expect(server[i], v.join(' ')).toBe(lite[i]);
    expect(JSON.parse(lite[0]!).total.recommended).toBeGreaterThan(0); // the month has activity to compare
  });

  it('copied file → server → file keeps every record, id and the chain', { timeout: 180_000 }, async () => {
    sb = sandbox();
    const file = sb.path('demo.db');
    await demoOn(file);
    const there = await runIn(sb.dir, ['db', 'copy', '--from', file, '--to', sb.db, '--json'], ADMIN);
    expect(there.code, there.stderr).toBe(0);
    expect(there.json()).toMatchObject({ created: true, kept: null, audit: { ok: true } });
    const back = sb.path('back.db');
    const again = await runIn(sb.dir, ['db', 'copy', '--from', sb.db, '--to', back, '--json'], ADMIN);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().tables).toEqual(there.json().tables);
    const [a, b, c] = [await views(file), await views(sb.db), await views(back)];
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // the recorded stamps come through exactly, neither restamped by the copy nor lost
    const [sa, sbb, sc] = [await stamps(file), await stamps(sb.db), await stamps(back)];
    expect((sa.loan ?? []).length).toBeGreaterThan(10);
    expect(JSON.stringify(sa)).toMatch(/"recorded_at":"2024-0\d-\d\d \d\d:\d\d:\d\d\.\d{3}"/);
    expect(sbb).toEqual(sa);
    expect(sc).toEqual(sa);
    for (const db of [sb.db, back]) {
      const check = await runIn(sb.dir, ['--db', db, 'db', 'check', '--json'], ADMIN);
      expect(check.code, check.stderr).toBe(0);
    }
    // New records get the next ids on every copy alike.
    const add = ['org', 'add', '--name', '新设测试银行', '--kind', 'bank', '--district', '鄂州市', '--json'];
    const ids = [];
    for (const db of [file, sb.db, back]) ids.push((await runIn(sb.dir, ['--db', db, ...add], ADMIN)).stdout);
    expect(new Set(ids).size).toBe(1);
  });
});
