/**
 * The machine's limits — disk full, read-only media, permissions, long names — are explained in one line
 * with the right exit code, never as 意外错误; a database on read-only media can still be queried.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recommend } from '../src/domain/intake/recommend.js';
import { Directory } from '../src/domain/core/directory.js';
import { loadProfile, type Actor } from '../src/domain/core/actor.js';
import { describeSystemError } from '../src/errors.js';
import { writeFileAtomic } from '../src/render/files.js';
import { openStore, type Store } from '../src/store/db.js';
import { sqliteOf } from '../src/store/sqlite.js';
import { withUsccCheck } from '../src/domain/core/ids.js';
import { initialised, type Sandbox } from './helpers.js';

const BIN = join(process.cwd(), 'bin', 'xypz.js');
let sb: Sandbox;
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
  sb?.cleanup();
});

async function actor(store: Store, login = 'tester'): Promise<Actor> {
  const dir = await Directory.load(store.db);
  return { login, command: 'recommend', now: new Date(), today: '2024-06-15', profile: await loadProfile(store.db, login, dir) };
}

const recommendOne = (store: Store, who: Actor) =>
  recommend(store, who, { code: withUsccCheck('91420703MA4W00001'), name: '鄂州测试有限公司', district: '华容区', dept: '经信', date: '2024-06-01', reason: undefined, overQuota: undefined });

describe('errors of files the user named: exit 3, one line, what to do', () => {
  it('a name too long (a real ENAMETOOLONG)', async () => {
    sb = await initialised();
    const r = await sb.run(['report', 'monthly', '--period', '2024-05', '--out', `${'报'.repeat(100)}.json`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('文件名过长');
    expect(r.stderr).not.toContain('意外错误');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a directory that cannot be written (sysfs refuses new files even to root)', async () => {
    sb = await initialised();
    const r = await sb.run(['report', 'monthly', '--period', '2024-05', '--out', '/sys/月报.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/(没有权限访问|只读的磁盘).*\/sys\/月报\.json/);
    expect(r.stderr).not.toContain('意外错误');
    expect(r.stderr).not.toContain('.tmp'); // the user's file is named, not the temporary one
  });

  it('a full disk while writing a report (a real ENOSPC: the bytes go to /dev/full)', async () => {
    sb = await initialised();
    const out = sb.path('月报.json');
    let err: unknown;
    try {
      await writeFileAtomic(out, async () => writeFileSync('/dev/full', 'x'.repeat(10_000)));
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe('ENOSPC');
    const x = describeSystemError(err)!;
    expect(x.exitCode).toBe(3);
    expect(x.message).toBe(`磁盘空间不足，无法写入 ${out}：请清理磁盘或换一个有空间的位置后重试（未完成的文件已删除）`);
    expect(readdirSync(sb.dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('errors of the database: exit 4', () => {
  it('the database file full (a real SQLITE_FULL: the file may not grow) — nothing written', async () => {
    sb = await initialised();
    const store = await openStore(sb.db);
    try {
      const pages = sqliteOf(store).pragma('page_count', { simple: true }) as number;
      sqliteOf(store).pragma(`max_page_count = ${pages}`);
      const who = await actor(store);
      let err: unknown;
      let done = 0;
      try {
        // rows enough that the file must grow
        for (let i = 100; i < 999; i++, done++) {
          await recommend(store, who, {
            code: withUsccCheck(`91420703MA4W00${i}`),
            name: `鄂州测试${i}有限公司`,
            district: '华容区',
            dept: '经信',
            date: '2024-06-01',
            reason: undefined,
            overQuota: '理由'.repeat(500),
          });
        }
      } catch (e) {
        err = e;
      }
      expect((err as { code?: string }).code).toBe('SQLITE_FULL');
      expect(sqliteOf(store).prepare('select count(*) n from case_file').get()).toEqual({ n: done }); // the failed one rolled back
      const x = describeSystemError(err, sb.db)!;
      expect(x.exitCode).toBe(4);
      expect(x.message).toContain('磁盘空间不足');
      expect(x.message).toContain('数据库保持原状');
    } finally {
      await store.close();
    }
  });

  it('a write to a database opened read-only (a real SQLITE_READONLY)', async () => {
    sb = await initialised();
    const store = await openStore(sb.db, { readonly: true });
    let err: unknown;
    try {
      await recommendOne(store, await actor(store));
    } catch (e) {
      err = e;
    } finally {
      await store.close();
    }
    const x = describeSystemError(err, sb.db)!;
    expect(x.exitCode).toBe(4);
    expect(x.message).toContain(`数据库 ${sb.db}只能读取`);
  });
});

/**
 * The built CLI and the one native module these commands load, copied where any user can read them: the
 * unprivileged user below may not be able to read the checkout (e.g. one under /root).
 */
function portableCli(dir: string): string {
  const rt = join(dir, 'rt');
  for (const p of ['bin', 'dist', 'package.json']) cpSync(p, join(rt, p), { recursive: true });
  for (const m of ['bindings', 'file-uri-to-path']) cpSync(join('node_modules', m), join(rt, 'node_modules', m), { recursive: true });
  for (const p of ['package.json', 'lib', 'build/Release/better_sqlite3.node']) {
    cpSync(join('node_modules', 'better-sqlite3', p), join(rt, 'node_modules', 'better-sqlite3', p), { recursive: true });
  }
  return join(rt, 'bin', 'xypz.js');
}

/**
 * A database copied from a live one (its header says WAL) into a directory nobody may write. chmod does not
 * stop root, so when the tests run as root the CLI runs as the unprivileged user 65534 ("nobody").
 */
function readOnlyCopy(s: Sandbox): { db: string; bin: string; as: { uid?: number; gid?: number } } {
  const dir = join(s.dir, 'ro');
  mkdirSync(dir);
  const db = join(dir, 'xypz.db');
  copyFileSync(s.db, db);
  const root = process.getuid?.() === 0;
  if (root) {
    chmodSync(s.dir, 0o755);
    chownSync(db, 65534, 65534);
  }
  chmodSync(db, 0o400);
  chmodSync(dir, 0o555);
  restore = () => chmodSync(dir, 0o755);
  return { db, bin: root ? portableCli(s.dir) : BIN, as: root ? { uid: 65534, gid: 65534 } : {} };
}

describe('a database on read-only media', () => {
  it('answers the reading commands; a writing one is refused with exit 4; nothing is created beside it', async () => {
    sb = await initialised();
    const { db, bin, as } = readOnlyCopy(sb);
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [bin, '--db', db, ...args], {
        cwd: '/',
        encoding: 'utf8',
        env: { PATH: process.env.PATH, XYPZ_TODAY: '2024-06-15', XYPZ_ACTOR: 'tester' },
        ...as,
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    for (const args of [['org', 'list'], ['users', 'list'], ['pool', 'show'], ['report', 'monthly', '--period', '2024-05'], ['audit', 'verify'], ['db', 'check'], ['enterprise', 'list']]) {
      const r = run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(run(['audit', 'verify']).stdout).toContain('审计日志完整');
    const w = run(['org', 'add', '--name', '只读测试银行', '--kind', 'bank', '--district', '鄂州市']);
    expect(w.code).toBe(4);
    expect(w.stderr).toContain('只能读取');
    expect(w.stderr).not.toContain('意外错误');
    expect(readdirSync(join(sb.dir, 'ro'))).toEqual(['xypz.db']);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('a read-only open of a database in a writable place sees the latest writes', async () => {
    sb = await initialised();
    await sb.run(['org', 'add', '--name', '刚加的银行', '--kind', 'bank', '--district', '鄂州市']);
    const store = await openStore(sb.db, { readonly: true });
    try {
      expect(sqliteOf(store).prepare("select count(*) n from org where name = '刚加的银行'").get()).toEqual({ n: 1 });
    } finally {
      await store.close();
    }
  });
});
