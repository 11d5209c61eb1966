/**
 * The append-only audit log. Each entry stores the previous entry's hash and a hash of its own content, so
 * an edited, deleted or out-of-order entry breaks the chain (`xypz audit verify`).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { bulkInsert } from './bulk.js';
import { engineOf, serverOwnerOf } from './engine.js';
import type { AuditLogTable, DB } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  actor: string;
  /** The command as typed, e.g. "org add". */
  command: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** An audit entry as stored. */
export type AuditRow = Selectable<AuditLogTable>;

export function entryHash(prevHash: string, r: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const content = JSON.stringify([r.id, r.at, r.actor, r.command, r.entity, r.entity_id, r.before, r.after]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** Local time with its UTC offset, so `--since 2024-03-01` compares as a local date. */
export function localTimestamp(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const p = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` +
    `.${p(d.getMilliseconds(), 3)}${sign}${p(Math.trunc(off / 60))}:${p(off % 60)}`
  );
}

function toJson(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/**
 * The highest id the log has ever had, kept by the engine beside it and rolled back with the transaction
 * that wrote it: SQLite's AUTOINCREMENT sequence, or the PostgreSQL schema's audit_log_counter (moved by a
 * trigger). An entry deleted from the end leaves it ahead of the last entry.
 */
export async function highestEverId(db: Kysely<DB>): Promise<number> {
  const r =
    engineOf(db) === 'postgres'
      ? await sql<{ seq: number }>`select last_id as seq from audit_log_counter`.execute(db)
      : await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'audit_log'`.execute(db);
  return r.rows[0]?.seq ?? 0;
}

/**
 * The context a login's transaction gives the server's audit triggers: the command, and the import batch
 * or reason an entry names. It says what is being done, never who or when (the server takes those).
 */
function auditContext(entries: AuditInput[]): { command: string; batch?: number; reason?: string } {
  const out: { command: string; batch?: number; reason?: string } = { command: entries[0]!.command };
  for (const e of entries) {
    if (e.entity === 'import_batch' && typeof e.entityId === 'number') out.batch = e.entityId;
    const m = e.entity === 'user' && typeof e.entityId === 'string' ? /^batch:(\d+)$/.exec(e.entityId) : null;
    if (m) out.batch = Number(m[1]);
    const reason = (e.after as { reason?: unknown } | null | undefined)?.reason;
    if (typeof reason === 'string' && out.reason === undefined) out.reason = reason;
  }
  return out;
}

/** What a login records itself on a server (no row changes): a read of personal numbers, the logins it issued. */
const NOTED = ['reveal', 'login'];

/** On a server: whether the session is a login rather than the schema owner (the maintenance connection). */
async function serverLogin(tx: Kysely<DB>): Promise<boolean> {
  const owner = serverOwnerOf(tx);
  if (owner !== undefined) return !owner;
  const r = await sql<{ owner: boolean }>`select session_is_owner() as owner`.execute(tx);
  return r.rows[0]?.owner !== true;
}

/**
 * Appends entries inside the caller's write transaction. Ids follow the highest id ever given (+1), so a
 * deleted tail entry leaves a gap that verification sees.
 *
 * On a server, a login (not the schema owner) writes no entry itself: the server's triggers record every
 * row it changes, at commit, with the context set here (so no change is recorded twice); the one entry a
 * login makes are those that change no row (a read of personal numbers, logins issued), through audit_note(). The schema owner, trusted, and the file
 * write the entries as given.
 */
export async function appendAudit(tx: Kysely<DB>, at: Date, entries: AuditInput[]): Promise<void> {
  if (entries.length === 0) return;
  if (engineOf(tx) === 'postgres' && (await serverLogin(tx))) {
    await sql`select set_config('xypz_audit.context', ${JSON.stringify(auditContext(entries))}, true)`.execute(tx);
    for (const e of entries.filter((x) => NOTED.includes(x.entity))) {
      await sql`select audit_note(${e.entity}, ${e.entityId === undefined || e.entityId === null ? null : String(e.entityId)}, ${toJson(e.after)})`.execute(tx);
    }
    return;
  }
  const last = await tx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  let id = Math.max(last?.id ?? 0, await highestEverId(tx));
  let prev = last?.hash ?? GENESIS_HASH;
  const stamp = localTimestamp(at);
  const rows: AuditRow[] = [];
  for (const e of entries) {
    id += 1;
    const base = {
      id,
      at: stamp,
      actor: e.actor,
      command: e.command,
      entity: e.entity,
      entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      before: toJson(e.before),
      after: toJson(e.after),
    };
    const hash = entryHash(prev, base);
    rows.push({ ...base, prev_hash: prev, hash });
    prev = hash;
  }
  await bulkInsert(tx, 'audit_log', rows);
}

export interface AuditFilter {
  since?: string;
  actor?: string;
  entity?: string;
  entityId?: string;
  limit?: number;
}

export async function listAudit(db: Kysely<DB>, f: AuditFilter): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.since) q = q.where('at', '>=', f.since);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  q = q.orderBy('id', 'asc');
  if (f.limit) q = q.limit(f.limit);
  return (await q.execute()) as AuditRow[];
}

export type ChainResult =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; id: number; reason: string };

/** Re-computes the chain, streaming rows in id order. */
export async function verifyChain(db: Kysely<DB>): Promise<ChainResult> {
  let prev = GENESIS_HASH;
  let prevId = 0;
  let count = 0;
  const page = 5000;
  for (;;) {
    const rows = (await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', prevId)
      .orderBy('id')
      .limit(page)
      .execute()) as AuditRow[];
    for (const r of rows) {
      if (r.id !== prevId + 1) {
        return { ok: false, count, id: r.id, reason: `第 ${prevId + 1}–${r.id - 1} 条记录缺失（被删除）` };
      }
      if (r.prev_hash !== prev) {
        return { ok: false, count, id: r.id, reason: '与前一条记录的链接不符（前一条被改动、删除或本条被插入）' };
      }
      if (entryHash(prev, r) !== r.hash) return { ok: false, count, id: r.id, reason: '内容与其哈希不符（被改动）' };
      prev = r.hash;
      prevId = r.id;
      count += 1;
    }
    if (rows.length < page) break;
  }
  const maxSeq = await highestEverId(db);
  if (maxSeq > prevId) {
    return { ok: false, count, id: prevId + 1, reason: `第 ${prevId + 1}–${maxSeq} 条记录缺失（末尾被删除）` };
  }
  return { ok: true, count, lastHash: prev };
}

/** The hash of entry `id`, if the log has it. */
export async function entryHashAt(db: Kysely<DB>, id: number): Promise<string | undefined> {
  const r = await db.selectFrom('audit_log').select('hash').where('id', '=', id).executeTakeFirst();
  return r?.hash;
}

/** A row of an audited table that the server's triggers did not record as it is: added, changed or deleted without them. */
export interface Unrecorded {
  table: string;
  key: string;
  problem: 'added' | 'changed' | 'deleted';
}

/**
 * On a server, the rows whose last change has no record (the triggers keep a digest of each row as they last
 * recorded it); none on a file, where the audit log is the client's and the anchor is the defence.
 */
export async function unrecordedChanges(db: Kysely<DB>): Promise<Unrecorded[]> {
  if (engineOf(db) !== 'postgres') return [];
  const r = await sql<{ tbl: string; pk: string; problem: Unrecorded['problem'] }>`select tbl, pk, problem from audit_unrecorded()`.execute(db);
  return r.rows.map((x) => ({ table: x.tbl, key: x.pk, problem: x.problem }));
}
