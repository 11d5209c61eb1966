/**
 * Names for shell completion: one read-only connection and plain SQL (no kysely, no account, nothing
 * written). A database that is missing, locked, unreachable or not ours yields no names rather than an
 * error; a server gets two seconds to answer.
 */
import { existsSync } from 'node:fs';
import { isServerUrl } from './engine.js';
import { sqliteOptions } from './sqlite-binding.js';

export type NameKind = 'region' | 'bank' | 'department' | 'finance-office' | 'org' | 'sender' | 'enterprise';

const SQL: Record<NameKind, string> = {
  region: 'SELECT name FROM region ORDER BY sort_order',
  bank: "SELECT name FROM org WHERE kind = 'bank' ORDER BY id",
  department: "SELECT name FROM org WHERE kind = 'department' ORDER BY id",
  'finance-office': "SELECT name FROM org WHERE kind = 'finance-office' ORDER BY id",
  org: 'SELECT name FROM org ORDER BY id',
  sender: "SELECT name FROM (SELECT name, 0 AS g, sort_order AS o FROM region WHERE level = 'district' UNION ALL SELECT name, 1, id FROM org WHERE kind = 'bank') AS t ORDER BY g, o",
  enterprise: 'SELECT code AS name FROM enterprise ORDER BY code',
};

export async function namesOf(dbPath: string, kind: NameKind, env: Record<string, string | undefined> = {}): Promise<string[]> {
  if (isServerUrl(dbPath)) return serverNames(dbPath, kind, env);
  if (!existsSync(dbPath)) return [];
  const { default: Database } = await import('better-sqlite3');
  let db: InstanceType<typeof Database> | undefined;
  try {
    db = new Database(dbPath, sqliteOptions({ readonly: true, fileMustExist: true }));
    return (db.prepare(SQL[kind]).all() as { name: string }[]).map((r) => r.name);
  } catch {
    return [];
  } finally {
    db?.close();
  }
}

async function serverNames(url: string, kind: NameKind, env: Record<string, string | undefined>): Promise<string[]> {
  const [{ ClosingClient, clientConfig, parseTarget }, { SCHEMA }] = await Promise.all([import('./pg/connect.js'), import('./pg/constants.js')]);
  let client: InstanceType<typeof ClosingClient> | undefined;
  try {
    const config = clientConfig(parseTarget(url, { env }), { options: `-c search_path=${SCHEMA} -c default_transaction_read_only=on -c statement_timeout=2000`, connectionTimeoutMillis: 2000 });
    client = new ClosingClient(config);
    await client.connect();
    return (await client.query<{ name: string }>(SQL[kind])).rows.map((r) => r.name);
  } catch {
    return [];
  } finally {
    await client?.end().catch(() => undefined);
  }
}
