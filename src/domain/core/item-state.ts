/**
 * What a coaching item is as people see it: its own closing (办结, 未办成), or 终止 when its firm's case was
 * closed while the item was still open. Closing a case (获得融资 or 退出) ends every item still open on the
 * closing day; the stored item is not changed: its state is derived from the case's closing date, so a case
 * closed before this rule existed ends its items too, and an item can never be closed or changed afterwards.
 */

/** open: in progress; done: 办结; failed: 未办成; ended: 终止 (its case was closed while it was open). */
export type ItemState = 'open' | 'done' | 'failed' | 'ended';

export const ITEM_STATE_LABEL: Record<ItemState, string> = { open: '未办结', done: '已办结', failed: '未办成', ended: '终止' };

/**
 * An item's state and the date it took it (null while open), given its case's closing date (null: not closed).
 * An item closed on or before the case's closing day keeps its closing; one still open then (or, in records made
 * before the rule, closed only later) ended that day.
 */
export function itemState(item: { status: 'open' | 'done' | 'failed'; closed_on: string | null }, caseClosedOn: string | null): { state: ItemState; on: string | null } {
  if (caseClosedOn !== null && (item.status === 'open' || (item.closed_on !== null && item.closed_on > caseClosedOn))) return { state: 'ended', on: caseClosedOn };
  return { state: item.status, on: item.status === 'open' ? null : item.closed_on };
}

/** The refusal (for a closed case's item) of any change to the item, in words. */
export function endedItemMessage(item: { id: number; item: string }, c: { name: string; closed_on: string | null }): string {
  return `辅导事项 #${item.id}「${item.item}」已终止：${c.name}已于 ${c.closed_on} 办结，办结时未办结的辅导事项随之终止，不能再办结、标记未办成或更改`;
}
