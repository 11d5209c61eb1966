/**
 * A database another process holds past the wait: exit 4 with the documented message (docs/cli.md), nothing
 * written, never 意外错误. On a file the lock is SQLite's write lock (busy_timeout); on a server the store's
 * write lock (an advisory lock) or a row a session holds, both bounded by lock_timeout. The wait is 10 s on
 * a file and 60 s on a server; XYPZ_BUSY_TIMEOUT_MS shortens it here.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE } from './engines.js';
import { initialised, type Sandbox } from './helpers.js';

let sb: Sandbox;
let release: (() => Promise<void>) | undefined;
afterEach(async () => {
  await release?.();
  release = undefined;
  sb?.cleanup();
});

const WRITE_LOCK = 1482248282; // src/store/pg/constants.ts
const WAIT = { XYPZ_BUSY_TIMEOUT_MS: '300' };

/**
 * Another process's hold on the database: SQLite's write lock, or on a server the store's write lock or a row
 * lock; let go after `ms`, or when release() is called. (On a file the holder is a child process: SQLite's
 * wait for the lock blocks this one.)
 */
async function hold(kind: 'write' | 'row', ms?: number): Promise<void> {
  if (ENGINE === 'pg') {
    const c = new pg.Client({ connectionString: sb.db, options: '-c search_path=xypz' });
    await c.connect();
    await c.query('begin');
    if (kind === 'write') await c.query(`select pg_advisory_xact_lock(${WRITE_LOCK})`);
    else await c.query("select * from region where code = '420703' for update");
    let done: Promise<void> | undefined;
    release = () => (done ??= c.query('rollback').then(() => c.end()));
    if (ms !== undefined) setTimeout(() => void release?.(), ms);
    return;
  }
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const D=require('better-sqlite3');const db=new D(process.argv[1]);db.exec('begin immediate');process.stdout.write('held\\n');
       const end=()=>{db.exec('rollback');db.close();process.exit(0)};process.stdin.on('data',end);const ms=Number(process.argv[2]);if(ms>0)setTimeout(end,ms);`,
      sb.db,
      String(ms ?? 0),
    ],
    { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((res) => holder.stdout.once('data', () => res()));
  let gone = false;
  const exited = new Promise((res) => holder.on('exit', res)).then(() => (gone = true));
  holder.stdin.on('error', () => undefined); // it may have let go by itself already
  release = async () => {
    if (!gone) holder.stdin.write('\n');
    await exited;
  };
}

const capacity = (env: Record<string, string> = WAIT) => sb.run(['pool', 'capacity', '5', '--district', '华容区', '--json'], { env });

describe('a database held by another process', () => {
  // On a server the write lock and a row lock held by another session; on a file SQLite's one write lock.
  const holds = ENGINE === 'pg' ? (['write', 'row'] as const) : (['write'] as const);

  it('gives exit 4 with the documented message once the wait is over, and writes nothing', async () => {
    sb = await initialised();
    const before = await sb.fingerprint();
    for (const kind of holds) {
      await hold(kind);
      const t = Date.now();
      const r = await capacity();
      const took = Date.now() - t;
      expect(r.code, `${kind}: ${r.stderr}`).toBe(4);
      expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'busy', message: '数据库正被其他进程长时间占用，请稍后重试' });
      expect(r.stderr).not.toContain('意外错误');
      expect(took).toBeGreaterThanOrEqual(250);
      expect(took).toBeLessThan(8_000);
      // Reading is not held up by a writer.
      expect((await sb.run(['pool', 'show', '--district', '华容区', '--json'], { env: WAIT })).code).toBe(0);
      await release!();
      release = undefined;
    }
    expect(await sb.fingerprint()).toBe(before);
    const after = await capacity();
    expect(after.code, after.stderr).toBe(0);
  });

  it('waits as long as it is told: a lock let go within the wait holds nothing up', async () => {
    sb = await initialised();
    await hold('write', 400);
    const t = Date.now();
    const r = await capacity({ XYPZ_BUSY_TIMEOUT_MS: '20000' });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t).toBeGreaterThanOrEqual(300);
  });

  it('an invalid XYPZ_BUSY_TIMEOUT_MS is a usage error', async () => {
    sb = await initialised();
    const r = await capacity({ XYPZ_BUSY_TIMEOUT_MS: '10s' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('XYPZ_BUSY_TIMEOUT_MS');
  });
});
