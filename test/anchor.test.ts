/** The audit anchor: a head kept elsewhere finds a rewritten, re-hashed or truncated history. */
import { afterEach, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, type AuditRow } from '../src/store/audit.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

async function withEntries(): Promise<Sandbox> {
  const s = await initialised();
  for (const name of ['甲银行', '乙银行', '丙银行']) {
    expect((await s.run(['org', 'add', '--name', `测试${name}`, '--kind', 'bank', '--district', '鄂州市'])).code).toBe(0);
  }
  return s;
}

/**
 * What someone able to edit the database can do: turn off the append-only protection, change the log with
 * `sql`, recompute every hash so the chain is consistent again, reset the highest id, and put the
 * protection back.
 */
async function rewrite(s: Sandbox, sql: string): Promise<void> {
  await s.tamper([sql], { restore: true });
  const rows = await s.sql<AuditRow>('select * from audit_log order by id');
  const updates: string[] = [];
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const hash = entryHash(prev, r);
    updates.push(`update audit_log set prev_hash = '${prev}', hash = '${hash}' where id = ${r.id}`);
    prev = hash;
  }
  await s.tamper(updates, { restore: true });
  await s.setAuditCounter(rows.at(-1)?.id ?? 0);
}

describe('audit head', () => {
  it('prints count:hash (one JSON line with --json) matching audit verify', async () => {
    sb = await withEntries();
    const h = await sb.run(['audit', 'head']);
    expect(h.code).toBe(0);
    const [count, hash] = h.stdout.trim().split(':');
    const v = (await sb.run(['audit', 'verify', '--json'])).json();
    expect(Number(count)).toBe(v.entries);
    expect(hash).toBe(v.last_hash);
    expect(h.stderr).toContain('以外');
    const j = await sb.run(['--json', 'audit', 'head']);
    expect(j.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ entries: v.entries, head_hash: v.last_hash, anchor: h.stdout.trim() });
  });

  it('gives no head for a broken chain (exit 3)', async () => {
    sb = await withEntries();
    await sb.tamper(["update audit_log set actor = 'x' where id = 2"]);
    const r = await sb.run(['audit', 'head']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });
});

describe('audit verify --expect', () => {
  it('passes while the anchored entry is unchanged, also after later entries', async () => {
    sb = await withEntries();
    const anchor = (await sb.run(['audit', 'head'])).stdout.trim();
    await sb.run(['org', 'add', '--name', '测试丁银行', '--kind', 'bank', '--district', '鄂州市']);
    const r = await sb.run(['audit', 'verify', '--expect', anchor]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('与记录头一致');
  });

  it('a rewritten and re-hashed history passes plain verify but not --expect (exit 3)', async () => {
    sb = await withEntries();
    const anchor = (await sb.run(['audit', 'head'])).stdout.trim();
    await rewrite(sb, "update audit_log set after = replace(after, '测试乙银行', '别的银行') where after like '%测试乙银行%'");
    const plain = await sb.run(['audit', 'verify', '--json']);
    expect(plain.code).toBe(0); // the in-file chain alone cannot tell
    expect(plain.json()).toMatchObject({ ok: true, anchored: false });
    expect(plain.json().note).toContain('重新计算全部哈希');
    const r = await sb.run(['audit', 'verify', '--expect', anchor, '--json']);
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({ ok: false, anchor_ok: false });
    expect(r.stderr).toContain('哈希与锚点不符');
  });

  it('a truncated history (tail deleted, sequence reset, chain consistent) fails --expect', async () => {
    sb = await withEntries();
    const anchor = (await sb.run(['audit', 'head'])).stdout.trim();
    const count = Number(anchor.split(':')[0]);
    await rewrite(sb, `delete from audit_log where id > ${count - 2}`);
    expect((await sb.run(['audit', 'verify'])).code).toBe(0);
    const r = await sb.run(['audit', 'verify', '--expect', anchor]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`锚点记录的是第 ${count} 条，日志现在只有 ${count - 2} 条`);
  });

  it('says plainly what a verify without an anchor proves and what it cannot', async () => {
    sb = await withEntries();
    const r = await sb.run(['audit', 'verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/完整：共 \d+ 条/);
    expect(r.stdout).toContain('能改写整个数据库的人（文件的主人，或服务器上 schema 的所有者）');
    expect(r.stdout).toContain('--expect');
  });

  it('refuses a malformed anchor (exit 2)', async () => {
    sb = await withEntries();
    const r = await sb.run(['audit', 'verify', '--expect', '12:abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('<条数>:<哈希>');
  });
});
