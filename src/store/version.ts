import { sqliteOptions } from './sqlite-binding.js';

/** The SQLite library's version, for `xypz --version`; better-sqlite3 is loaded only when asked. */
export async function sqliteVersion(): Promise<string> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:', sqliteOptions());
  try {
    return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}
