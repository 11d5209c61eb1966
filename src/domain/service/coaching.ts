/**
 * The coaching list (辅导清单, docs/workflow.md) of 培植类 cases: adding an item for a department, closing it as
 * done or failed. Shared by `coach` and the collection import.
 */
import type { Kysely, Selectable } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { caseById, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { CoachingItemTable, DB } from '../../store/schema.js';
import { checkFreeText, checkOneLine } from '../../util/text.js';
import { authorize, caseTarget, checkStepDate, Directory, mayRead, noVisibleItem, recordStep, required, requireStage, type Actor } from '../core/index.js';
import { withCase } from './with-case.js';

export interface CoachInput {
  code: string;
  item: string;
  org: string;
  category?: string;
  due?: string;
  date: string;
}

export async function addCoachingItem(store: Store, who: Actor, input: CoachInput): Promise<{ id: number; case: CaseRow; org: string }> {
  const item = required(input.item, '--item 事项');
  if (Array.from(item).length > 500) throw new DataError('--item 不超过 500 字');
  return withCase(store, who, input.code, async (tx, c, dir) => {
    authorize(who, 'coach.add', caseTarget(dir, c));
    requireStage(c, ['assigned'], '添加辅导事项');
    const org = dir.orgFor(input.org, dir.regionByCodeOrThrow(c.region_code));
    if (org.kind !== 'department' && !(org.kind === 'bank' && org.id === c.lead_bank_id)) {
      throw new DataError(`辅导事项交给政府部门或本企业的主办行办理；${org.name}不是`);
    }
    checkStepDate(input.date, who, { date: c.assigned_on, label: '确定主办行的日期' });
    if (input.due && input.due < input.date) throw new DataError(`期限 ${input.due} 早于添加日期 ${input.date}`);
    const at = localTimestamp(who.now);
    const row = await tx
      .insertInto('coaching_item')
      .values({ case_id: c.id, item, org_id: org.id, category: input.category ? checkOneLine(input.category, '--category 类别') || null : null, due: input.due ?? null, status: 'open', added_on: input.date, closed_on: null, note: null, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordStep(tx, who, c, { date: input.date, kind: 'coach_added', details: { id: row.id, item, org: org.name, due: input.due ?? null } });
    return { id: row.id, case: c, org: org.name };
  });
}

export async function closeCoachingItem(store: Store, who: Actor, input: { id: number; status: 'done' | 'failed'; note?: string; date: string }) {
  const note = input.note ? checkFreeText(input.note, '--note 说明') || null : null;
  if (input.status === 'failed' && !note) throw new DataError('未办成须说明原因（--note）');
  return store.write(async (tx) => {
    const item = await tx.selectFrom('coaching_item').selectAll().where('id', '=', input.id).executeTakeFirst();
    const c = item ? (await caseById(tx, item.case_id))! : undefined;
    if (!item || !c || !(await mayRead(tx, who, c))) throw noVisibleItem(input.id);
    const dir = await Directory.load(tx);
    checkItemClosing(who, dir, c, item, input.date);
    await writeItemClosing(tx, who, c, item, { status: input.status, date: input.date, note, collectionId: null });
    return { ...item, status: input.status, closed_on: input.date, note, code: c.enterprise_code };
  });
}

type CoachingItem = Selectable<CoachingItemTable>;

/** The rules of closing a coaching item (shared by `coach done/fail` and the collection import). */
export function checkItemClosing(who: Actor, dir: Directory, c: CaseRow, item: CoachingItem, date: string): void {
  authorize(who, 'coach.close', { ...caseTarget(dir, c), itemOrgId: item.org_id });
  if (item.status !== 'open') throw new RuleError(`辅导事项 #${item.id} 已${item.status === 'done' ? '办结' : '标记为未办成'}（${item.closed_on}）`, [], [], 'wrong_stage');
  checkStepDate(date, who, { date: item.added_on, label: '事项添加日期' });
}

/** Records a checked closing: the item's status, date and note, and the case history. */
export async function writeItemClosing(
  tx: Kysely<DB>,
  who: Actor,
  c: CaseRow,
  item: CoachingItem,
  to: { status: 'done' | 'failed'; date: string; note: string | null; collectionId: number | null },
): Promise<void> {
  await tx.updateTable('coaching_item').set({ status: to.status, closed_on: to.date, note: to.note, closed_collection_id: to.collectionId }).where('id', '=', item.id).execute();
  await recordStep(tx, who, c, {
    date: to.date,
    kind: to.status === 'done' ? 'coach_done' : 'coach_failed',
    details: { id: item.id, item: item.item, note: to.note },
    before: { status: item.status },
  });
}
