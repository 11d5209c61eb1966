/** Reading and verifying the audit log (人民银行 only). */
import type { Kysely } from 'kysely';
import { listAudit, verifyChain, type AuditFilter, type AuditRow, type ChainResult } from '../store/audit.js';
import type { DB } from '../store/schema.js';
import { authorize, type Actor } from './actor.js';

export async function auditLog(db: Kysely<DB>, who: Actor, filter: AuditFilter): Promise<AuditRow[]> {
  authorize(who, 'audit.read');
  return listAudit(db, filter);
}

export async function verifyAudit(db: Kysely<DB>, who: Actor): Promise<ChainResult> {
  authorize(who, 'audit.read');
  return verifyChain(db);
}
