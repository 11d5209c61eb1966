/**
 * Is a database's schema exactly what the migrations make? Anything else — a trigger, view, table or index
 * added or changed by someone editing the file — could run code on the next write (a trigger that inserts
 * an administrator when an audit entry is written) and is refused. The expected schema is built by running
 * the same migrations on an empty in-memory database, so it follows every new migration without a list
 * to maintain.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';
import { sqliteOptions } from './sqlite-binding.js';

interface SchemaObject {
  type: string;
  name: string;
  table: string;
  sql: string | null;
}

/** The triggers that keep the audit log append-only. */
export const APPEND_ONLY_TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete'];

/** Tables SQLite's own ANALYZE creates: statistics for the query planner, no code. */
const SQLITE_STATS = /^sqlite_stat\d$/;

const TYPE_LABEL: Record<string, string> = { table: '表', index: '索引', trigger: '触发器', view: '视图' };

function normaliseSql(sql: string | null): string | null {
  return sql === null ? null : sql.replace(/\s+/g, ' ').trim();
}

function objectsOf(raw: Database.Database): Map<string, SchemaObject> {
  const rows = raw.prepare('select type, name, tbl_name as "table", sql from sqlite_master').all() as SchemaObject[];
  return new Map(rows.map((r) => [`${r.type}\u0000${r.name}`, { ...r, sql: normaliseSql(r.sql) }]));
}

const expectedCache = new Map<string, Map<string, SchemaObject>>();

/** The objects the named migrations create, in an empty database. */
async function expectedObjects(applied: string[]): Promise<Map<string, SchemaObject>> {
  const key = applied.join('\u0000');
  const cached = expectedCache.get(key);
  if (cached) return cached;
  const raw = new Database(':memory:', sqliteOptions());
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const picked: Record<string, Migration> = {};
    for (const name of applied) if (MIGRATIONS[name]) picked[name] = MIGRATIONS[name];
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => picked } }).migrateToLatest();
    if (error) throw error;
    const objects = objectsOf(raw);
    expectedCache.set(key, objects);
    return objects;
  } finally {
    await db.destroy();
  }
}

/**
 * Every difference between the database's schema and the one its applied migrations define, one Chinese
 * line each; empty when they match.
 */
export async function schemaProblems(raw: Database.Database, applied: string[]): Promise<string[]> {
  const expected = await expectedObjects(applied);
  const actual = objectsOf(raw);
  const label = (o: SchemaObject) => `${TYPE_LABEL[o.type] ?? o.type} ${o.name}`;
  const problems: string[] = [];
  for (const [key, o] of actual) {
    if (o.type === 'table' && SQLITE_STATS.test(o.name)) continue;
    const want = expected.get(key);
    if (!want) problems.push(`多出了${label(o)}（本程序的结构中没有）`);
    else if (want.sql !== o.sql || want.table !== o.table) problems.push(`${label(o)} 的定义被改动`);
  }
  for (const [key, o] of expected) {
    if (actual.has(key)) continue;
    const why = APPEND_ONLY_TRIGGERS.includes(o.name) ? '（审计日志的只追加保护）' : '';
    problems.push(`缺少${label(o)}${why}`);
  }
  return problems;
}
