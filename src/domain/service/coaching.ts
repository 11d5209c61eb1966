/**
 * The coaching list (辅导清单, docs/workflow.md) of 培植类 cases: adding an item for a department, closing it as
 * done or failed. Shared by `coach` and the collection import.
 */
import type { Kysely, Selectable } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { runEach } from '../../store/bulk.js';
import { caseById, type CaseRow } from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { CoachingItemTable, DB } from '../../store/schema.js';
import { checkFreeText, checkOneLine } from '../../util/text.js';
import {
  authorize,
  caseTarget,
  checkEntryDate,
  codec,
  defineRecord,
  Directory,
  endedItemMessage,
  EntryDates,
  field,
  itemState,
  mayRead,
  noVisibleItem,
  recordStep,
  recordSteps,
  required,
  requireStage,
  type Actor,
  type FilledOf,
  type IdentityOf,
  type RowOf,
  type SameShape,
  type ValuesOf,
} from '../core/index.js';
import { withCase } from './with-case.js';

/**
 * The coaching item, declared once (docs/records.md): each field's storage column, its column in the 辅导事项 sheet
 * of the collection workbook (pre-filled and locked, filled in by the unit, or none), and its identity: the item's
 * number. A re-imported row of the same number changes the fields the unit fills in, in place. The sheet's firm
 * columns (code and name, after the number) name the case; they are not the item's own fields.
 */
export const COACHING_ITEM = defineRecord({
  id: field('id', codec.int, { identity: true, sheet: { key: 'id', title: '编号', required: true, width: 8 } }),
  caseId: field('case_id', codec.int, { identity: false, sheet: null }),
  item: field('item', codec.text, { identity: false, sheet: { key: 'item', title: '事项', required: true, prefilled: true, width: 24 } }),
  /** Shown in the sheet as the organisation's name. */
  orgId: field('org_id', codec.int, { identity: false, sheet: { key: 'org', title: '承办单位', prefilled: true, width: 20 } }),
  category: field('category', codec.textOrNull, { identity: false, sheet: null }),
  due: field('due', codec.textOrNull, { identity: false, sheet: { key: 'due', title: '到期日', prefilled: true, width: 12 } }),
  status: field('status', codec.oneOf(['open', 'done', 'failed'] as const), {
    identity: false,
    empty: 'open',
    sheet: { key: 'state', title: '办理情况', required: true, width: 10, choices: { 进行中: 'open', 办结: 'done', 未办成: 'failed' } },
    format: (v) => ({ open: '进行中', done: '办结', failed: '未办成' })[v],
  }),
  addedOn: field('added_on', codec.text, { identity: false, sheet: null }),
  closedOn: field('closed_on', codec.textOrNull, { identity: false, sheet: { key: 'closedOn', title: '办结日期', width: 12 } }),
  note: field('note', codec.textOrNull, {
    identity: false,
    sheet: { key: 'note', title: '说明', width: 22, multiline: true },
    parse: (t) => (Array.from(t).length > 500 ? { ok: false, reason: '不超过 500 字' } : { ok: true, value: t }),
  }),
  closedCollectionId: field('closed_collection_id', codec.intOrNull, { identity: false, sheet: null }),
});

type ItemFields = typeof COACHING_ITEM.fields;
export type CoachingItemRecord = ValuesOf<ItemFields>;
/** What a unit's row reports of an item: its number and the fields the unit fills in. */
export type ItemReport = Pick<CoachingItemRecord, IdentityOf<ItemFields> | FilledOf<ItemFields>>;

/** The definition's columns are exactly the store's coaching_item table, but for its creation time (a column on one side alone fails here). */
export const _itemStorage: SameShape<RowOf<ItemFields>, Omit<Selectable<CoachingItemTable>, 'created_at' | 'recorded_at' | 'closed_recorded_at'>> = true;

export interface CoachInput {
  code: string;
  item: string;
  org: string;
  category?: string;
  due?: string;
  date: string;
  /** A 人民银行 correction's reason, for a date in a month already final. */
  correction?: string;
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
    await checkEntryDate(tx, who, { date: input.date, what: `${c.name}的辅导事项「${item}」`, correction: input.correction, after: { date: c.assigned_on, label: '确定主办行的日期' } });
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

export async function closeCoachingItem(store: Store, who: Actor, input: { id: number; status: 'done' | 'failed'; note?: string; date: string; correction?: string }) {
  const note = input.note ? checkFreeText(input.note, '--note 说明') || null : null;
  if (input.status === 'failed' && !note) throw new DataError('未办成须说明原因（--note）');
  return store.write(async (tx) => {
    const item = await tx.selectFrom('coaching_item').selectAll().where('id', '=', input.id).executeTakeFirst();
    const c = item ? (await caseById(tx, item.case_id))! : undefined;
    if (!item || !c || !(await mayRead(tx, who, c))) throw noVisibleItem(input.id);
    const dir = await Directory.load(tx);
    const dates = await EntryDates.load(tx, who, input.correction);
    checkItemClosing(who, dir, c, item, input.date, dates);
    await writeItemClosing(tx, who, c, item, { status: input.status, date: input.date, note, collectionId: null });
    await dates.record(tx);
    return { ...item, status: input.status, closed_on: input.date, note, code: c.enterprise_code };
  });
}

type CoachingItem = Selectable<CoachingItemTable>;

/** The rules of closing a coaching item (shared by `coach done/fail` and the collection import); `dates` checks the date. */
export function checkItemClosing(who: Actor, dir: Directory, c: CaseRow, item: CoachingItem, date: string, dates: EntryDates): void {
  authorize(who, 'coach.close', { ...caseTarget(dir, c), itemOrgId: item.org_id });
  if (item.status !== 'open') throw new RuleError(`辅导事项 #${item.id} 已${item.status === 'done' ? '办结' : '标记为未办成'}（${item.closed_on}）`, [], [], 'wrong_stage');
  refuseEndedItem(c, item);
  dates.check(date, `${c.name}的辅导事项 #${item.id}「${item.item}」办理结果`, { date: item.added_on, label: '事项添加日期' });
}

/**
 * An item of a closed case is never closed, failed, reopened or changed (exit 4): the case's closing ended the
 * items still open that day (终止), and kept those closed by then as they were.
 */
export function refuseEndedItem(c: Pick<CaseRow, 'stage' | 'name' | 'closed_on'>, item: Pick<CoachingItem, 'id' | 'item' | 'status' | 'closed_on'>): void {
  if (c.stage !== 'closed') return;
  const state = itemState(item, c.closed_on).state;
  const message = state === 'ended' ? endedItemMessage(item, c) : `辅导事项 #${item.id}「${item.item}」所属的${c.name}已于 ${c.closed_on} 办结：办结以后不能再更改它的辅导事项`;
  throw new RuleError(message, [], [], 'case_closed');
}

/** Records a checked closing: the item's status, date and note, and the case history. */
export async function writeItemClosing(tx: Kysely<DB>, who: Actor, c: CaseRow, item: CoachingItem, to: ItemClosing): Promise<void> {
  await writeItemClosings(tx, who, [{ c, item, to }]);
}

export interface ItemClosing {
  status: 'done' | 'failed';
  date: string;
  note: string | null;
  collectionId: number | null;
}

/** Records many checked closings as writeItemClosing records each, with one statement prepared for all. */
export async function writeItemClosings(tx: Kysely<DB>, who: Actor, closings: { c: CaseRow; item: CoachingItem; to: ItemClosing }[]): Promise<void> {
  if (closings.length === 0) return;
  const update = tx.updateTable('coaching_item').set({ status: 'done', closed_on: '', note: '', closed_collection_id: 0 }).where('id', '=', 0).compile();
  if (update.parameters.length !== 5) throw new Error('writeItemClosings: unexpected parameters');
  await runEach(tx, update, closings.map(({ item, to }) => [to.status, to.date, to.note, to.collectionId, item.id]));
  await recordSteps(
    tx,
    who,
    closings.map(({ c, item, to }) => ({
      c,
      step: { date: to.date, kind: to.status === 'done' ? 'coach_done' : 'coach_failed', details: { id: item.id, item: item.item, note: to.note }, before: { status: item.status } },
    })),
  );
}
