/** Queries of the monthly collection: the units of a month, what their workbooks hold, makes and returns. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { bulkInsert } from './bulk.js';
import type { CaseRow } from './cases.js';
import type { CoachingItemTable, CollectionReturnTable, CollectionWorkbookTable, DB, LoanTable } from './schema.js';

import type { Span } from './figures.js';

export type { Span };

/** Banks that led a case at some time in the span (the case not closed before it began). */
export async function leadingBanks(db: Kysely<DB>, p: Span): Promise<number[]> {
  const rows = await db
    .selectFrom('bank_assignment')
    .innerJoin('case_file', 'case_file.id', 'bank_assignment.case_id')
    .select('bank_assignment.bank_id')
    .distinct()
    .where('bank_assignment.assigned_on', '<=', p.end)
    .where((eb) => eb.or([eb('bank_assignment.ended_on', 'is', null), eb('bank_assignment.ended_on', '>', p.start)]))
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', p.start)]))
    .execute();
  return rows.map((r) => r.bank_id);
}

/**
 * Units holding a coaching item open at some time in the span (open at its start, or added in it); an item of a
 * case closed before the span had ended (终止) by then.
 */
export async function itemHolders(db: Kysely<DB>, p: Span): Promise<number[]> {
  const rows = await db
    .selectFrom('coaching_item')
    .innerJoin('case_file', 'case_file.id', 'coaching_item.case_id')
    .select('coaching_item.org_id')
    .distinct()
    .where('coaching_item.added_on', '<=', p.end)
    .where((eb) => eb.or([eb('coaching_item.closed_on', 'is', null), eb('coaching_item.closed_on', '>=', p.start)]))
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', p.start)]))
    .execute();
  return rows.map((r) => r.org_id);
}

/** A case a bank led in the span, with that assignment's dates (a case led twice in the span: two rows). */
export type HoldingRow = CaseRow & { lead_from: string; lead_until: string | null };

/** A bank's assignments that overlap the span, with their cases. */
export async function bankHoldings(db: Kysely<DB>, bankId: number, p: Span): Promise<HoldingRow[]> {
  return db
    .selectFrom('bank_assignment')
    .innerJoin('case_file', 'case_file.id', 'bank_assignment.case_id')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .selectAll('case_file')
    .select(['enterprise.name as name', 'bank_assignment.assigned_on as lead_from', 'bank_assignment.ended_on as lead_until'])
    .where('bank_assignment.bank_id', '=', bankId)
    .where('bank_assignment.assigned_on', '<=', p.end)
    .where((eb) => eb.or([eb('bank_assignment.ended_on', 'is', null), eb('bank_assignment.ended_on', '>', p.start)]))
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', p.start)]))
    .orderBy('case_file.region_code')
    .orderBy('case_file.enterprise_code')
    .orderBy('bank_assignment.assigned_on')
    .execute();
}

/** Credit and disbursement totals of a bank's loans up to a day, by case. */
export async function bankLoanTotals(db: Kysely<DB>, bankId: number, caseIds: number[], end: string): Promise<Map<number, { credit: number; disbursement: number }>> {
  const out = new Map<number, { credit: number; disbursement: number }>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const rows = await db
      .selectFrom('loan')
      .select((eb) => ['case_id', 'kind', eb.fn.sum<number>('amount_cents').as('amount')])
      .where('bank_id', '=', bankId)
      .where('case_id', 'in', caseIds.slice(i, i + 500))
      .where('loan_on', '<=', end)
      .groupBy(['case_id', 'kind'])
      .execute();
    for (const r of rows) {
      const t = out.get(r.case_id) ?? { credit: 0, disbursement: 0 };
      t[r.kind] += Number(r.amount);
      out.set(r.case_id, t);
    }
  }
  return out;
}

export type ItemRow = Selectable<CoachingItemTable> & { code: string; name: string; region_code: string; lead_bank_id: number | null };

/** Coaching items open at some time in the span, of one unit or of all (not those ended before it with their case's closing). */
export async function itemsInSpan(db: Kysely<DB>, p: Span, orgId?: number): Promise<ItemRow[]> {
  let q = db
    .selectFrom('coaching_item')
    .innerJoin('case_file', 'case_file.id', 'coaching_item.case_id')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .selectAll('coaching_item')
    .select(['case_file.enterprise_code as code', 'enterprise.name as name', 'case_file.region_code as region_code', 'case_file.lead_bank_id as lead_bank_id'])
    .where('coaching_item.added_on', '<=', p.end)
    .where((eb) => eb.or([eb('coaching_item.closed_on', 'is', null), eb('coaching_item.closed_on', '>=', p.start)]))
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', p.start)]));
  if (orgId !== undefined) q = q.where('coaching_item.org_id', '=', orgId);
  return q.orderBy('coaching_item.id').execute();
}

/** Coaching items by id, in one query (the item rows of a chunk of a collection import). */
export async function itemsByIds(db: Kysely<DB>, ids: number[]): Promise<Map<number, Selectable<CoachingItemTable>>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('coaching_item').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** A district's list on a day: confirmed before it and not closed before it. */
export async function poolAt(db: Kysely<DB>, region: string, day: string) {
  return db
    .selectFrom('case_file')
    .innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code')
    .select(['case_file.enterprise_code as code', 'enterprise.name as name', 'case_file.class as class', 'case_file.stage as stage', 'case_file.lead_bank_id as lead_bank_id', 'case_file.confirmed_on as confirmed_on'])
    .where('case_file.region_code', '=', region)
    .where('case_file.confirmed_on', '<', day)
    .where((eb) => eb.or([eb('case_file.closed_on', 'is', null), eb('case_file.closed_on', '>=', day)]))
    .orderBy('case_file.confirmed_on')
    .orderBy('case_file.enterprise_code')
    .execute();
}

/** The latest feedback text of a sender for a month. */
export async function latestFeedback(db: Kysely<DB>, kind: 'district' | 'bank', key: string, month: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('feedback')
    .select('text')
    .where('from_kind', '=', kind)
    .where('from_key', '=', key)
    .where('month', '=', month)
    .orderBy('submitted_on', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.text;
}

export type WorkbookRow = Selectable<CollectionWorkbookTable>;
export type ReturnRow = Selectable<CollectionReturnTable>;

export async function insertWorkbooks(db: Kysely<DB>, rows: Omit<WorkbookRow, 'id'>[]): Promise<void> {
  await bulkInsert(db, 'collection_workbook', rows);
}

export async function workbooksOf(db: Kysely<DB>, month: string): Promise<WorkbookRow[]> {
  return db.selectFrom('collection_workbook').selectAll().where('month', '=', month).orderBy('id').execute();
}

export async function findWorkbook(db: Kysely<DB>, orgId: number, month: string, digest: string): Promise<WorkbookRow | undefined> {
  return db.selectFrom('collection_workbook').selectAll().where('month', '=', month).where('org_id', '=', orgId).where('digest', '=', digest).orderBy('id', 'desc').executeTakeFirst();
}

/** Every return of a month (of one unit, or of all), oldest first. */
export async function returnsOf(db: Kysely<DB>, month: string, orgId?: number): Promise<ReturnRow[]> {
  let q = db.selectFrom('collection_return').selectAll().where('month', '=', month);
  if (orgId !== undefined) q = q.where('org_id', '=', orgId);
  return q.orderBy('id').execute();
}

export async function insertReturn(db: Kysely<DB>, row: Omit<ReturnRow, 'id' | 'recorded_at'>): Promise<number> {
  return (await db.insertInto('collection_return').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setReturnRows(db: Kysely<DB>, id: number, rows: number): Promise<void> {
  await db.updateTable('collection_return').set({ rows }).where('id', '=', id).execute();
}

export type LoanRow = Selectable<LoanTable>;

/** Loans that came from the given returns. */
export async function loansFromReturns(db: Kysely<DB>, returnIds: number[]): Promise<LoanRow[]> {
  if (returnIds.length === 0) return [];
  return db.selectFrom('loan').selectAll().where('collection_id', 'in', returnIds).orderBy('id').execute();
}

/** Moves loans to loan_withdrawn (kept as history, no longer counted). */
export async function withdrawLoans(db: Kysely<DB>, loans: LoanRow[], by: { returnId: number; on: string; at: string }): Promise<void> {
  if (loans.length === 0) return;
  await bulkInsert(
    db,
    'loan_withdrawn',
    loans.map((l) => ({ ...l, withdrawn_on: by.on, withdrawn_by: by.returnId, withdrawn_at: by.at })),
  );
  for (let i = 0; i < loans.length; i += 500) {
    await db
      .deleteFrom('loan')
      .where('id', 'in', loans.slice(i, i + 500).map((l) => l.id))
      .execute();
  }
}

/** Coaching items closed by the given returns. */
export async function closuresFromReturns(db: Kysely<DB>, returnIds: number[]): Promise<Selectable<CoachingItemTable>[]> {
  if (returnIds.length === 0) return [];
  return db.selectFrom('coaching_item').selectAll().where('closed_collection_id', 'in', returnIds).orderBy('id').execute();
}

export async function insertLoans(db: Kysely<DB>, rows: Insertable<LoanTable>[]): Promise<void> {
  await bulkInsert(db, 'loan', rows);
}

/** A coaching item's closing as a collection workbook reported it (or reopened: status open, nulls). */
export async function setItemClosing(
  db: Kysely<DB>,
  id: number,
  to: { status: 'open' | 'done' | 'failed'; closed_on: string | null; note: string | null; closed_collection_id: number | null },
): Promise<void> {
  await db.updateTable('coaching_item').set(to).where('id', '=', id).execute();
}
