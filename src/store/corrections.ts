/**
 * Corrections: what the 人民银行 enters, with a reason, into a period whose figures are final. One row per
 * correcting write (a command, or an import batch), made inside that write, stamped with the write's one
 * stamp: the records it made or changed carry the same stamp, which is how a revised report finds what
 * each correction moved.
 */
import type { Selectable } from 'kysely';
import type { Tx } from './engine.js';
import { recordedStamp } from './recording.js';
import type { CorrectionTable } from './schema.js';

export interface CorrectionInput {
  /** Why, as the 人民银行 gave it (--correction <理由>). */
  reason: string;
  /** What was corrected, in words. */
  what: string;
  /** The login that made it. */
  actor: string;
  orgId: number | null;
  /** The command as typed, e.g. "loan". */
  command: string;
  /** The import batch it came with, if any. */
  batchId: number | null;
}

export type CorrectionRow = Selectable<CorrectionTable>;

/** Records a correction in the caller's write, stamped with the write's stamp; returns its id. */
export async function recordCorrection(tx: Tx, c: CorrectionInput): Promise<number> {
  const row = await tx
    .insertInto('correction')
    .values({ reason: c.reason, what: c.what, actor: c.actor, org_id: c.orgId, command: c.command, batch_id: c.batchId, recorded_at: await recordedStamp(tx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The corrections recorded on or after a stamp (a bare date: from that day on, that day included), in the
 * order recorded: a revised report steps through them.
 */
export async function correctionsFrom(tx: Tx, stamp: string): Promise<CorrectionRow[]> {
  return tx.selectFrom('correction').selectAll().where('recorded_at', '>=', stamp).orderBy('recorded_at').orderBy('id').execute();
}
