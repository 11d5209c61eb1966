/**
 * The case as every step sees it (docs/workflow.md): loading it within the actor's scope, checking a step's
 * date, writing its history and audit. The steps themselves are the features' (intake/, pool/, service/).
 */
import type { Kysely } from 'kysely';
import { DataError, NotFoundError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { addEvents, currentCase, type CaseRow } from '../../store/cases.js';
import type { DB } from '../../store/schema.js';
import { checkFreeText, checkOneLine } from '../../util/text.js';
import { audit, type Actor } from './actor.js';
import { Directory } from './directory.js';
import { checkUscc } from './ids.js';
import { readScope, type Target } from './policy.js';

/**
 * What a code the actor may not see answers, the same as a code nobody recorded: a refusal naming the firm (or
 * its district) would let a unit probe public credit codes for names and districts.
 */
export function noVisibleCase(code: string): NotFoundError {
  return new NotFoundError(`没有可查看的企业记录：${code}`);
}

/** The same for a coaching item's number (a firm's item outside the actor's scope is as unknown as a number never given). */
export function noVisibleItem(id: number): NotFoundError {
  return new NotFoundError(`没有可查看的辅导事项：#${id}（xypz coach list 列出本单位可查看的事项）`);
}

/** The enterprise's case that a command acts on (its open one, else its latest), whoever may see it. */
export async function loadCase(db: Kysely<DB>, input: string): Promise<CaseRow> {
  const code = checkUscc(input).code;
  const c = await currentCase(db, code);
  if (!c) throw noVisibleCase(code);
  return c;
}

/**
 * The case a command of `who` acts on: within what the actor's unit may see (policy.ts readScope), else the
 * same "not found" as an unknown code (exit 5). What the actor may then do with it is the action's own rule.
 */
export async function visibleCase(db: Kysely<DB>, who: Actor, input: string): Promise<CaseRow> {
  const c = await loadCase(db, input);
  if (!(await mayRead(db, who, c))) throw noVisibleCase(c.enterprise_code);
  return c;
}

/** Whether a case lies within what the actor's unit may see: its districts, or (a department, a bank) the cases it recommended, leads or holds an item of. */
export async function mayRead(db: Kysely<DB>, who: Actor, c: Pick<CaseRow, 'id' | 'region_code' | 'recommended_by' | 'lead_bank_id'>): Promise<boolean> {
  return (await caseVisibility(db, who, [c.id]))(c);
}

/**
 * The visibility test of an actor, loaded once for many cases (an import's rows); `ids` narrows the coaching
 * items looked at to those cases.
 */
export async function caseVisibility(db: Kysely<DB>, who: Actor, ids?: number[]): Promise<(c: Pick<CaseRow, 'id' | 'region_code' | 'recommended_by' | 'lead_bank_id'>) => boolean> {
  if (!who.profile) return () => true;
  const scope = readScope(who.profile);
  if (scope.all) return () => true;
  if (scope.regions.length > 0) {
    const regions: string[] = scope.regions;
    return (c) => regions.includes(c.region_code);
  }
  const org = scope.deptOrgId ?? scope.bankOrgId!;
  let q = db.selectFrom('coaching_item').select('case_id').where('org_id', '=', org);
  if (ids) q = q.where('case_id', 'in', ids.length > 0 ? ids : [-1]);
  const holding = new Set((await q.execute()).map((r) => r.case_id));
  return (c) => c.recommended_by === org || c.lead_bank_id === org || holding.has(c.id);
}

export function caseTarget(dir: Directory, c: CaseRow): Target {
  return { region: c.region_code, regionName: dir.regionName(c.region_code), leadBankId: c.lead_bank_id };
}

/** A step's date: not after today, not before the step it follows. */
export function checkStepDate(date: string, who: Actor, after?: { date: string | null; label: string }): void {
  if (date > who.today) throw new DataError(`日期 ${date} 晚于今天（${who.today}）`);
  if (after?.date && date < after.date) throw new DataError(`日期 ${date} 早于${after.label}（${after.date}）`);
}

/** A step of a case's history: its date, kind and details, and the case's fields before and after for the audit. */
export interface Step {
  date: string;
  kind: string;
  details?: Record<string, unknown>;
  before?: unknown;
  after?: unknown;
}

/** Records a step: the case history, and the audit entry with the case's fields before and after. */
export async function recordStep(tx: Kysely<DB>, who: Actor, c: CaseRow, step: Step): Promise<void> {
  await recordSteps(tx, who, [{ c, step }]);
}

/** Records many steps as recordStep records each (the same rows, in order), with one insert of each kind. */
export async function recordSteps(tx: Kysely<DB>, who: Actor, steps: { c: CaseRow; step: Step }[]): Promise<void> {
  await addHistory(tx, who, steps);
  await audit(
    tx,
    who,
    steps.map(({ c, step }) => ({ entity: 'case', entityId: c.enterprise_code, before: step.before ?? null, after: { step: step.kind, date: step.date, ...(step.after ?? step.details ?? {}) } })),
  );
}

/**
 * The case history of many steps at once (an import's rows), in bulk. The caller writes their audit
 * entry: a batch records what it added in one entry, as the account import does.
 */
export async function addHistory(tx: Kysely<DB>, who: Actor, steps: { c: Pick<CaseRow, 'id' | 'region_code'>; step: Step }[]): Promise<void> {
  if (steps.length === 0) return;
  await addEvents(
    tx,
    steps.map(({ c, step }) => ({ caseId: c.id, region: c.region_code, date: step.date, kind: step.kind, actor: who.login, details: step.details })),
    localTimestamp(who.now),
  );
}

/** A required text value: normalised, one line unless `multiline` (free text), no control characters. */
export function required(value: string | undefined, flag: string, multiline = false): string {
  const v = multiline ? checkFreeText(value, flag) : checkOneLine(value, flag);
  if (!v) throw new DataError(`${flag} 不能为空`);
  if (Array.from(v).length > 5000) throw new DataError(`${flag} 过长（不超过 5000 字）`);
  return v;
}
