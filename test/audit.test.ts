import { afterEach, describe, expect, it } from 'vitest';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

async function withEntries(): Promise<Sandbox> {
  const s = await initialised();
  for (const n of ['甲', '乙', '丙', '丁']) {
    const r = await s.run(['org', 'add', '--name', `测试${n}银行`, '--kind', 'bank', '--district', '鄂州市']);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  return s;
}

describe('audit log', () => {
  it('lists every change with actor, command, entity and before/after', async () => {
    sb = await withEntries();
    await sb.run(['org', 'import', '--json', (await csv(sb)).path]);
    const log = (await sb.run(['audit', 'log', '--json', '--entity', 'org'])).json();
    expect(log.length).toBe(5);
    expect(log[0]).toMatchObject({ actor: 'tester', command: 'org add', entity: 'org', before: null });
    expect(log[0].after.name).toBe('测试甲银行');
    const upd = log.at(-1);
    expect(upd.command).toBe('org import');
    expect(upd.before.aliases).toEqual([]);
    expect(upd.after.aliases).toEqual(['甲行']);
    const since = (await sb.run(['audit', 'log', '--json', '--since', '2999-01-01'])).json();
    expect(since).toEqual([]);
  });

  it('the application cannot update or delete audit entries', async () => {
    sb = await withEntries();
    await expect(sb.sql("update audit_log set actor='x' where id=1")).rejects.toThrow(/append-only/);
    await expect(sb.sql('delete from audit_log where id=1')).rejects.toThrow(/append-only/);
  });
});

describe('audit verify', () => {
  it('says 完整 with the entry count on an untouched log', async () => {
    sb = await withEntries();
    const r = await sb.run(['audit', 'verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/完整：共 \d+ 条/);
  });

  it('finds an edited entry', async () => {
    sb = await withEntries();
    await sb.tamper(["update audit_log set actor='mallory' where id=4"]);
    const r = await sb.run(['audit', 'verify', '--json']);
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({ ok: false, first_bad_id: 4 });
    expect(r.stderr).toContain('第 4 条');
  });

  it('finds a deleted entry in the middle and at the end', async () => {
    sb = await withEntries();
    await sb.tamper(['delete from audit_log where id=3']);
    const mid = await sb.run(['audit', 'verify', '--json']);
    expect(mid.code).toBe(3);
    expect(mid.json().first_bad_id).toBe(4);
    sb.cleanup();
    sb = await withEntries();
    const [{ m: max }] = await sb.sql<{ m: number }>('select max(id) as m from audit_log');
    await sb.tamper([`delete from audit_log where id=${max}`]);
    const tail = await sb.run(['audit', 'verify', '--json']);
    expect(tail.code).toBe(3);
    expect(tail.json().first_bad_id).toBe(max);
  });

  it('finds an entry inserted out of order, even with a recomputed own hash', async () => {
    sb = await withEntries();
    const rows = await sb.sql<{ id: number; hash: string }>('select * from audit_log order by id');
    // shift entries 3.. up by one and insert a forged entry as 3 that links to 2
    await sb.tamper([
      `update audit_log set id = id + 1000 where id >= 3`,
      `insert into audit_log (id, at, actor, command, entity, entity_id, before, after, prev_hash, hash)
         values (3, '2024-01-01T00:00:00.000+08:00', 'mallory', 'org add', 'org', 'X', null, null, '${rows[1]!.hash}', '${'f'.repeat(64)}')`,
    ]);
    const r = await sb.run(['audit', 'verify', '--json']);
    expect(r.code).toBe(3);
    expect(r.json().first_bad_id).toBe(3);
  });
});

async function csv(s: Sandbox): Promise<{ path: string }> {
  const { writeFileSync } = await import('node:fs');
  const path = s.path('o.csv');
  writeFileSync(path, '机构名称,机构类型,所属区域,别名\n测试甲银行,金融机构,鄂州市,甲行\n');
  return { path };
}
