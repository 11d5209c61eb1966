/**
 * The schema owner's server connections, kept open between the commands a test worker runs in-process: the
 * CLI's store takes its connection from here (Seams.serverConnections) instead of opening one and closing it
 * again for each command. A new connection is a new server process whose caches start cold: on the 2-core
 * machine that is ~30 ms of the server's CPU per connection, most of what a small command costs it.
 *
 * Only the cluster's superuser, the schema owner the tests act through: the units' logins
 * (test/real-logins.ts) connect anew on every command, as the program does, so what the server checks when a
 * login connects (its password, whether it may log in, its settings) is checked on every command; unless a file
 * says its logins' connections may be kept too (keepLoginConnections). Never a
 * template database (cloning one needs it unused). A kept connection is reset (DISCARD ALL: no setting, lock
 * or temporary table of an earlier command survives) before each store takes it, and given up if the server
 * ended it (its database dropped). No vitest import here: test/run-cli.ts passes it to every in-process run.
 */
import pg from 'pg';
import type { ServerConnections } from '../src/store/db.js';
import { parseTarget } from '../src/store/pg/connect.js';
import { storeConnectionConfig } from '../src/store/pg/store.js';

/** The test cluster's superuser (scripts/pg-cluster.mjs: initdb -U postgres). */
const SUPERUSER = 'postgres';

const kept = new Map<string, { database: string; pool: pg.Pool }>();

/** The databases whose units' logins keep their connections too (keepLoginConnections). */
const loginsKept = new Set<string>();

/**
 * Keeps the units' logins' connections to `database` between commands too, as the schema owner's are kept:
 * for a file whose point is what the policies and grants let each login do, not logging in
 * (test/pg-logins-work.test.ts; logging in, disabled accounts and changed passwords are test/pg-logins.test.ts's).
 * Each login still connects with its own password, once per password, and every command still runs as that
 * login; what the server checks when a login connects is checked when its connection opens, not again on every
 * command. A connection per login and password, reset before each command as the owner's are; ended with the
 * database (closeServerConnections).
 */
export function keepLoginConnections(database: string): void {
  loginsKept.add(database);
}

/** Connections kept per database and settings (an idle one is closed after 10 s). */
function poolFor(config: pg.PoolConfig, password: string | undefined): { database: string; pool: pg.Pool } | undefined {
  const database = String(config.database ?? '');
  if ((config.user !== SUPERUSER && !loginsKept.has(database)) || database.startsWith('xypz_template')) return undefined;
  const key = JSON.stringify([config.host, config.port, config.user, database, password ?? null, config.options ?? null, config.application_name ?? null, config.ssl ?? null]);
  let entry = kept.get(key);
  if (!entry) {
    const pool = new pg.Pool({ ...config, max: 16, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on('error', () => undefined); // a kept connection the server ended: the next lease finds out
    entry = { database, pool };
    kept.set(key, entry);
  }
  return entry;
}

/** Leases a kept connection, reset; one the server has ended is dropped and another taken. */
async function lease(pool: pg.Pool): Promise<pg.PoolClient> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('discard all');
      return client;
    } catch (e) {
      client.release(true);
      if (attempt > 0) throw e;
    }
  }
}

export const serverConnections: ServerConnections = (config, password) => {
  const entry = poolFor(config, password);
  if (!entry) return undefined;
  // Reset when a store first takes a connection; its later leases (one at a time) get it back as it left it.
  let first = true;
  return {
    connect: async () => {
      if (!first) return entry.pool.connect();
      const client = await lease(entry.pool);
      first = false;
      return client;
    },
  };
};

/**
 * A kept connection to a server database with `config` (Underneath's raw SQL), reset; undefined if none is kept
 * for it. The one the CLI's commands on that database take: opened as the store opens its connections (its
 * search_path and lock_timeout, the default ones), so that a sandbox's database has one server process, not one
 * for the commands and another for the raw SQL, each warming its caches.
 */
export async function keptClient(config: pg.PoolConfig): Promise<pg.PoolClient | undefined> {
  const password = typeof config.password === 'string' ? config.password : undefined;
  const enc = (v: unknown) => encodeURIComponent(String(v ?? ''));
  const login = password === undefined ? enc(config.user) : `${enc(config.user)}:${enc(password)}`;
  const t = parseTarget(`postgres://${login}@${config.host}:${config.port}/${enc(config.database)}`);
  const entry = poolFor(storeConnectionConfig(t), t.password);
  return entry && lease(entry.pool);
}

/** Closes the connections kept to a database (before it is dropped). */
export async function closeServerConnections(database: string): Promise<void> {
  loginsKept.delete(database);
  const ending: Promise<void>[] = [];
  for (const [key, e] of kept) {
    if (e.database !== database) continue;
    kept.delete(key);
    ending.push(e.pool.end().catch(() => undefined));
  }
  await Promise.all(ending);
}
