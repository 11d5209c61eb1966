/**
 * Reading and verifying the audit log (人民银行 only).
 *
 * The hash chain proves that the entries in the file are consistent with each other: one entry edited,
 * deleted or inserted breaks it. It cannot prove that the whole log was not rewritten and re-hashed by
 * someone able to edit the file. An anchor kept elsewhere can: the head (entry count and last hash) written
 * into the monthly report hand-in or another system, and compared later with `audit verify --expect`.
 */
import type { Kysely } from 'kysely';
import { DataError, UsageError } from '../../errors.js';
import { entryHashAt, GENESIS_HASH, listAudit, unrecordedChanges, verifyChain, type AuditFilter, type AuditRow, type ChainResult, type Unrecorded } from '../../store/audit.js';
import type { DB } from '../../store/schema.js';
import { authorize, type Actor } from '../core/index.js';

export async function auditLog(db: Kysely<DB>, who: Actor, filter: AuditFilter): Promise<AuditRow[]> {
  authorize(who, 'audit.read');
  return listAudit(db, filter);
}

/** A head recorded earlier: entry `count` had hash `hash`. */
export interface Anchor {
  count: number;
  hash: string;
}

/** `<条数>:<哈希>`, as `audit head` prints it. */
export function parseAnchor(raw: string): Anchor {
  const m = /^\s*(\d{1,15}):([0-9a-fA-F]{64})\s*$/.exec(raw);
  if (!m) throw new UsageError(`--expect 的值「${raw}」应为 <条数>:<哈希>，即 xypz audit head 输出的那一行（如 1234:3f5a…，哈希 64 位十六进制）`);
  return { count: Number(m[1]), hash: m[2]!.toLowerCase() };
}

export type AnchorResult = { ok: true } | { ok: false; reason: string };

export type VerifyResult = ChainResult & { anchor?: AnchorResult; unrecorded?: Unrecorded[] };

/**
 * Verifies the chain; on a server, that every row of an audited table is as its last entry recorded it
 * (none changed past the triggers); given an anchor, that the log still holds that entry with that hash.
 */
export async function verifyAudit(db: Kysely<DB>, who: Actor, expect?: Anchor): Promise<VerifyResult> {
  authorize(who, 'audit.read');
  const chain = await verifyChain(db);
  if (!chain.ok) return chain;
  const unrecorded = await unrecordedChanges(db);
  if (unrecorded.length > 0) return { ...chain, unrecorded };
  if (!expect) return chain;
  if (expect.count > chain.count) {
    return { ...chain, anchor: { ok: false, reason: `锚点记录的是第 ${expect.count} 条，日志现在只有 ${chain.count} 条：记录被删除，或整个日志被重建过` } };
  }
  const actual = expect.count === 0 ? GENESIS_HASH : await entryHashAt(db, expect.count);
  if (actual !== expect.hash) {
    return {
      ...chain,
      anchor: { ok: false, reason: `第 ${expect.count} 条的哈希与锚点不符（锚点 ${expect.hash.slice(0, 12)}…，现在 ${String(actual).slice(0, 12)}…）：这一条或它之前的记录被改写过，并重新计算了哈希` },
    };
  }
  return { ...chain, anchor: { ok: true } };
}

/** The head to keep elsewhere: entry count and the last entry's hash, taken only from a chain that verifies. */
export async function auditHead(db: Kysely<DB>, who: Actor): Promise<{ entries: number; head_hash: string }> {
  authorize(who, 'audit.read');
  const chain = await verifyChain(db);
  if (!chain.ok) {
    throw new DataError(`审计日志不完整：第 ${chain.id} 条${chain.reason}（之前 ${chain.count} 条正常）；不能给出记录头，请先查明原因（xypz audit verify）`, [{ id: chain.id, message: chain.reason }]);
  }
  return { entries: chain.count, head_hash: chain.lastHash };
}
