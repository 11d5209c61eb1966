/** Queries of enterprises, their cases and everything recorded on a case. */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { bulkInsertValues, runEach } from './bulk.js';
import type { CaseTable, DB, EnterpriseTable } from './schema.js';

export type CaseRow = Selectable<CaseTable> & { name: string };

function caseQuery(db: Kysely<DB>) {
  return db.selectFrom('case_file').innerJoin('enterprise', 'enterprise.code', 'case_file.enterprise_code').selectAll('case_file').select('enterprise.name');
}

export async function findEnterprise(db: Kysely<DB>, code: string) {
  return db.selectFrom('enterprise').selectAll().where('code', '=', code).executeTakeFirst();
}

/** A new enterprise: its columns (the domain's definition gives them) and when it was written. */
export async function insertEnterprise(db: Kysely<DB>, row: Omit<Insertable<EnterpriseTable>, 'created_at' | 'updated_at'>, at: string): Promise<void> {
  await db
    .insertInto('enterprise')
    .values({ ...row, created_at: at, updated_at: at })
    .execute();
}

export async function renameEnterprise(db: Kysely<DB>, code: string, name: string, at: string): Promise<void> {
  await db.updateTable('enterprise').set({ name, updated_at: at }).where('code', '=', code).execute();
}

/** Of an enterprise's cases, the current one: its open case, else its most recent one (highest id). */
function isCurrentOver(c: CaseRow, prev: CaseRow | undefined): boolean {
  if (!prev) return true;
  const open = (x: CaseRow) => x.stage !== 'closed' && x.stage !== 'rejected';
  return (open(c) && !open(prev)) || (open(c) === open(prev) && c.id > prev.id);
}

/** Each enterprise's current case among `rows` (as currentCase picks it), by enterprise code. */
export function currentCases(rows: CaseRow[]): Map<string, CaseRow> {
  const out = new Map<string, CaseRow>();
  for (const c of rows) if (isCurrentOver(c, out.get(c.enterprise_code))) out.set(c.enterprise_code, c);
  return out;
}

/** The enterprise's open case, else its most recent one. */
export async function currentCase(db: Kysely<DB>, code: string): Promise<CaseRow | undefined> {
  return currentCases(await caseQuery(db).where('case_file.enterprise_code', '=', code).execute()).get(code);
}

export async function casesOf(db: Kysely<DB>, code: string): Promise<CaseRow[]> {
  return caseQuery(db).where('case_file.enterprise_code', '=', code).orderBy('case_file.id').execute();
}

export async function caseById(db: Kysely<DB>, id: number): Promise<CaseRow | undefined> {
  return caseQuery(db).where('case_file.id', '=', id).executeTakeFirst();
}

export interface CaseFilter {
  regions?: string[];
  stages?: string[];
  class?: string;
  recommendedBy?: number;
  leadBank?: number;
  /** cases with a coaching item forwarded to this organisation */
  itemOrg?: number;
}

export async function listCases(db: Kysely<DB>, f: CaseFilter = {}): Promise<CaseRow[]> {
  let q = caseQuery(db);
  if (f.regions) q = q.where('case_file.region_code', 'in', f.regions.length ? f.regions : ['']);
  if (f.stages) q = q.where('case_file.stage', 'in', (f.stages.length ? f.stages : ['']) as CaseTable['stage'][]);
  if (f.class) q = q.where('case_file.class', '=', f.class as CaseTable['class']);
  if (f.recommendedBy !== undefined || f.itemOrg !== undefined || f.leadBank !== undefined) {
    q = q.where((eb) =>
      eb.or([
        ...(f.recommendedBy !== undefined ? [eb('case_file.recommended_by', '=', f.recommendedBy)] : []),
        ...(f.leadBank !== undefined ? [eb('case_file.lead_bank_id', '=', f.leadBank)] : []),
        ...(f.itemOrg !== undefined
          ? [eb.exists(eb.selectFrom('coaching_item').select('coaching_item.id').whereRef('coaching_item.case_id', '=', 'case_file.id').where('coaching_item.org_id', '=', f.itemOrg))]
          : []),
      ]),
    );
  }
  return q.orderBy('case_file.region_code').orderBy('case_file.recommended_on').orderBy('case_file.id').execute();
}

export async function insertCase(db: Kysely<DB>, row: Insertable<CaseTable>): Promise<number> {
  const r = await db.insertInto('case_file').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateCase(db: Kysely<DB>, id: number, set: Updateable<CaseTable>): Promise<void> {
  await db.updateTable('case_file').set(set).where('id', '=', id).execute();
}

/** Recommendations by a department in a district and calendar year (for the quota). */
export async function recommendationsInYear(db: Kysely<DB>, deptId: number, region: string, year: string): Promise<CaseRow[]> {
  return caseQuery(db)
    .where('case_file.recommended_by', '=', deptId)
    .where('case_file.region_code', '=', region)
    .where('case_file.recommended_on', '>=', `${year}-01-01`)
    .where('case_file.recommended_on', '<=', `${year}-12-31`)
    .orderBy('case_file.recommended_on')
    .execute();
}

export interface EventInput {
  caseId: number;
  region: string;
  date: string;
  kind: string;
  actor: string;
  details?: Record<string, unknown>;
}

/** Steps that are recorded but are not progress on the case (the 督办 list looks at progress). */
const NOT_PROGRESS = new Set(['filed', 'satisfaction', 'loans_withdrawn', 'coach_reopened']);

/** Appends to the case history and moves each case's last-progress date forward. */
export async function addEvents(db: Kysely<DB>, events: EventInput[], at: string): Promise<void> {
  await bulkInsertValues(
    db,
    'case_event',
    ['case_id', 'region_code', 'on_date', 'kind', 'actor', 'details', 'created_at'],
    events.map((e) => [e.caseId, e.region, e.date, e.kind, e.actor, JSON.stringify(e.details ?? {}), at]),
  );
  // Each case once, to its latest date, by one statement run for each.
  const latest = new Map<number, string>();
  for (const e of events) {
    if (NOT_PROGRESS.has(e.kind)) continue;
    const d = latest.get(e.caseId);
    if (d === undefined || e.date > d) latest.set(e.caseId, e.date);
  }
  if (latest.size === 0) return;
  // Plain SQL both engines run alike (no scalar max(), which PostgreSQL spells greatest()).
  const update = db.updateTable('case_file').set({ last_progress_on: '' }).where('id', '=', 0).where('last_progress_on', '<', '').compile();
  if (update.parameters.length !== 3) throw new Error('addEvents: unexpected parameters');
  await runEach(db, update, [...latest].map(([id, date]) => [date, id, date]));
}

export async function eventsOf(db: Kysely<DB>, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db.selectFrom('case_event').selectAll().where('case_id', 'in', caseIds).orderBy('on_date').orderBy('id').execute();
}

export async function currentDeclaration(db: Kysely<DB>, caseId: number) {
  return db.selectFrom('declaration').selectAll().where('case_id', '=', caseId).where('current', '=', 1).executeTakeFirst();
}

export async function verificationOf(db: Kysely<DB>, caseId: number) {
  return db.selectFrom('verification').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export async function assignmentsOf(db: Kysely<DB>, caseId: number) {
  return db.selectFrom('bank_assignment').selectAll().where('case_id', '=', caseId).orderBy('assigned_on').orderBy('id').execute();
}

/** The reclassifications of cases (their class history), in the order they took effect. */
export async function reclassificationsOf(db: Kysely<DB>, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('reclassification')
    .select(['id', 'case_id', 'from_class', 'to_class', 'changed_on'])
    .where('case_id', 'in', caseIds)
    .orderBy('changed_on')
    .orderBy('id')
    .execute();
}

export async function loansOf(db: Kysely<DB>, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db.selectFrom('loan').selectAll().where('case_id', 'in', caseIds).orderBy('loan_on').orderBy('id').execute();
}

export async function coachingOf(db: Kysely<DB>, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db.selectFrom('coaching_item').selectAll().where('case_id', 'in', caseIds).orderBy('added_on').orderBy('id').execute();
}

export async function satisfactionOf(db: Kysely<DB>, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db.selectFrom('satisfaction').selectAll().where('case_id', 'in', caseIds).orderBy('rated_on').execute();
}

export async function casesByIds(db: Kysely<DB>, ids: number[]): Promise<CaseRow[]> {
  const out: CaseRow[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await caseQuery(db).where('case_file.id', 'in', ids.slice(i, i + 500)).execute()));
  return out;
}
