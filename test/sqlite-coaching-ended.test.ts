/**
 * The store itself keeps a closed case's coaching items as they are (migration 0024_coaching_ended): on a SQLite
 * file, whatever writes to it, an update of an item's own columns is refused once its case is closed; its recorded
 * stamps (kept by the stamping triggers) and the items of open cases are not concerned. test/pg-coaching-ended.test.ts
 * checks the same on a server, for a unit's login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAt, code, enteredOn } from './cases.js';
import { initialised, ok, type Sandbox } from './helpers.js';

const [A, B] = [801, 802].map(code) as [string, string];
let sb: Sandbox;
const ids: Record<string, number> = {};

beforeAll(async () => {
  sb = await initialised();
  await caseAt(sb, 'assigned', [A, B], { class: 'cultivation' });
  for (const [key, c] of [['A', A], ['B', B]] as const) {
    ids[key] = (await ok(sb, ['coach', 'add', c, '--item', `事项${key}`, '--org', '华容区财政局', '--date', '2024-05-02', '--json'], enteredOn('2024-05-02'))).json().id;
  }
  await ok(sb, ['close', A, '--outcome', 'withdrawn', '--note', '企业主动退出', '--date', '2024-06-10'], enteredOn('2024-06-10'));
}, 180_000);
afterAll(() => sb.cleanup());

describe('a closed case’s coaching items in the SQLite file', () => {
  it('an update of the item’s own columns is refused whoever writes; its stamps and an open case’s items are not', async () => {
    const refused = '辅导事项所属企业已办结';
    for (const set of [`status = 'done', closed_on = '2024-06-11'`, `note = '补记'`, `due = '2024-12-31'`, `case_id = ${ids.B}`]) {
      await expect(sb.sql(`update coaching_item set ${set} where id = ?`, [ids.A]), set).rejects.toThrow(refused);
    }
    // moving an open case's item into the closed case is the same change
    await expect(sb.sql('update coaching_item set case_id = (select case_id from coaching_item where id = ?) where id = ?', [ids.A, ids.B])).rejects.toThrow(refused);
    // the same value again changes nothing, and the stamps are the stamping triggers' to keep
    await sb.sql(`update coaching_item set status = status, recorded_at = recorded_at where id = ?`, [ids.A]);
    await sb.sql(`update coaching_item set note = '进展顺利' where id = ?`, [ids.B]);
    expect(await sb.sql('select id, status, closed_on, note from coaching_item order by id')).toEqual([
      { id: ids.A, status: 'open', closed_on: null, note: null },
      { id: ids.B, status: 'open', closed_on: null, note: '进展顺利' },
    ]);
    // the CLI reads the untouched row as 终止
    const list = (await ok(sb, ['coach', 'list', '--json'])).json() as { id: number; status: string; closed_on: string | null }[];
    expect(list.find((i) => i.id === ids.A)).toMatchObject({ status: 'ended', closed_on: '2024-06-10' });
  });
});
