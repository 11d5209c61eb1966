/**
 * The lead bank (主办行, docs/workflow.md): one current lead bank per case, decided by the 联合协商会议; a change
 * needs a reason and keeps the history. Shared by `assign` and `assign import`.
 */
import type { Kysely } from 'kysely';
import { RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { assignmentsOf, updateCase, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { Org } from '../../store/reference.js';
import type { DB } from '../../store/schema.js';
import { checkFreeText } from '../../util/text.js';
import { authorize, caseTarget, Directory, EntryDates, recordStep, requireStage, type Actor } from '../core/index.js';
import { withCase } from './with-case.js';

export interface AssignInput {
  code: string;
  bank: string;
  mode: 'self' | 'designated';
  date: string;
  reason?: string;
  /** A 人民银行 correction's reason, for a date in a month already final. */
  correction?: string;
}

/** Sets the one current lead bank; a change needs a reason and keeps the history. */
export async function assignLeadBank(store: Store, who: Actor, input: AssignInput): Promise<{ case: CaseRow; bank: string; changed: boolean; previous: string | null }> {
  return withCase(store, who, input.code, async (tx, c, dir) => {
    const bank = dir.bank(input.bank);
    const current = await currentAssignment(tx, c.id);
    const dates = await EntryDates.load(tx, who, input.correction);
    const { changed, reason } = checkAssignment(who, dir, c, current, bank, input, '（--reason）', dates);
    if (!changed) {
      await dates.record(tx);
      return { case: c, bank: bank.name, changed: false, previous: bank.name };
    }
    const previous = await writeAssignment(tx, who, dir, c, current, bank, { ...input, reason });
    await dates.record(tx);
    return { case: { ...c, stage: 'assigned', lead_bank_id: bank.id }, bank: bank.name, changed: true, previous };
  });
}

type Assignment = Awaited<ReturnType<typeof assignmentsOf>>[number];

/** The case's current lead-bank assignment, if any. */
export async function currentAssignment(tx: Kysely<DB>, caseId: number): Promise<Assignment | undefined> {
  return (await assignmentsOf(tx, caseId)).find((a) => a.ended_on === null);
}

/**
 * The rules of a lead-bank assignment (shared by `assign` and `assign import`): permission, stage, the
 * date (`dates`), a reason for a change. Assigning the current bank again changes nothing.
 */
export function checkAssignment(
  who: Actor,
  dir: Directory,
  c: CaseRow,
  current: Assignment | undefined,
  bank: Org,
  input: { date: string; reason?: string },
  reasonHint: string,
  dates: EntryDates,
): { changed: boolean; reason: string } {
  authorize(who, 'case.assign', caseTarget(dir, c));
  requireStage(c, ['confirmed', 'assigned'], '确定主办行');
  if (current && current.bank_id === bank.id) return { changed: false, reason: '' };
  dates.check(input.date, `${c.name}${current ? '更换' : '确定'}主办行为${bank.name}`, current ? { date: current.assigned_on, label: '现主办行的确定日期' } : { date: c.confirmed_on, label: '入库日期' });
  const reason = input.reason !== undefined ? checkFreeText(input.reason, '--reason 更换理由') : '';
  if (current && !reason) {
    throw new RuleError(`${c.name}的主办行现为${dir.orgByIdOrThrow(current.bank_id).name}，更换须说明理由${reasonHint}`, [], [], 'reason_required');
  }
  return { changed: true, reason };
}

/** Records a checked assignment: ends the current one, starts the new, writes the history; returns the previous bank. */
export async function writeAssignment(
  tx: Kysely<DB>,
  who: Actor,
  dir: Directory,
  c: CaseRow,
  current: Assignment | undefined,
  bank: Org,
  input: { mode: 'self' | 'designated'; date: string; reason: string },
): Promise<string | null> {
  const at = localTimestamp(who.now);
  if (current) await tx.updateTable('bank_assignment').set({ ended_on: input.date }).where('id', '=', current.id).execute();
  await tx
    .insertInto('bank_assignment')
    .values({ case_id: c.id, bank_id: bank.id, mode: input.mode, assigned_on: input.date, ended_on: null, reason: input.reason || null, created_at: at })
    .execute();
  await updateCase(tx, c.id, { stage: 'assigned', lead_bank_id: bank.id, assigned_on: c.assigned_on ?? input.date, updated_at: at });
  const previous = current ? dir.orgByIdOrThrow(current.bank_id).name : null;
  await recordStep(tx, who, c, {
    date: input.date,
    kind: current ? 'bank_changed' : 'assigned',
    details: { bank: bank.name, mode: input.mode, ...(current ? { from_bank: previous, reason: input.reason } : {}) },
    before: { stage: c.stage, lead_bank: previous },
  });
  return previous;
}
