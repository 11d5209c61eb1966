/**
 * Case intake (docs/workflow.md): recommendation with the department quota, joint verification and rejection, and
 * the helpers every later step uses (loading a case, checking dates, writing history and audit).
 */
import type { Kysely } from 'kysely';
import { DataError, NotFoundError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import {
  addEvents,
  currentCase,
  findEnterprise,
  insertCase,
  insertEnterprise,
  recommendationsInYear,
  renameEnterprise,
  updateCase,
  verificationOf,
  type CaseRow,
} from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { CaseClass, DB } from '../../store/schema.js';
import { checkFreeText, checkOneLine, quote } from '../../util/text.js';
import { audit, authorize, type Actor } from './actor.js';
import { Directory } from './directory.js';
import { checkUscc } from './ids.js';
import { readScope, type Target } from './policy.js';
import type { Org, Region } from '../../store/reference.js';
import { QUOTA_PER_YEAR } from './rules.js';
import { CLASS_LABEL, isOpen, requireStage, STAGE_LABEL } from './stages.js';

/** A credit code as typed: normalised and validated; a wrong check character only with allowBadCheck. */
export function enterpriseCode(input: string, allowBadCheck = false): { code: string; checkOk: boolean } {
  const r = checkUscc(input);
  if (r.ok) return { code: r.code, checkOk: true };
  if (r.badCheck && allowBadCheck) return { code: r.code, checkOk: false };
  throw new DataError(`${quote(input)}：${r.reason}${r.badCheck ? '（早期试点代码确实如此时，可加 --allow-bad-check）' : ''}`);
}

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
  await addHistory(tx, who, [{ c, step }]);
  await audit(tx, who, [{ entity: 'case', entityId: c.enterprise_code, before: step.before ?? null, after: { step: step.kind, date: step.date, ...(step.after ?? step.details ?? {}) } }]);
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

export interface RecommendInput {
  code: string;
  name: string;
  district: string;
  dept: string;
  date: string;
  reason?: string;
  overQuota?: string;
  allowBadCheck?: boolean;
}

export interface RecommendResult {
  caseId: number;
  code: string;
  name: string;
  district: string;
  dept: string;
  overQuota: boolean;
  newEnterprise: boolean;
  /** The department's n-th recommendation in the district that year, this one included. */
  ordinal: number;
  /**
   * An over-quota reason was given though the recommendation is within the quota: not recorded (it would
   * count as 超额推荐 in the reports), and said (unusedReasonNote).
   */
  reasonUnused: boolean;
}

/** What the caller says when an over-quota reason was given but not needed; `what` names where it was given. */
export function unusedReasonNote(r: Pick<RecommendResult, 'ordinal'>, year: string, what: string): string {
  return `未超额（${year}年第 ${r.ordinal} 家，每年 ${QUOTA_PER_YEAR} 家以内无需理由），${what}未记录`;
}

export async function recommend(store: Store, who: Actor, input: RecommendInput): Promise<RecommendResult> {
  const checked = checkRecommendInput(input);
  return store.write(async (tx) => recordRecommendation(tx, who, await Directory.load(tx), { ...input, ...checked }, '请加 --over-quota "<理由>"'));
}

/** The code and name of a recommendation, checked before anything is read. */
export function checkRecommendInput(input: { code: string; name: string; allowBadCheck?: boolean }): { code: string; checkOk: boolean; name: string } {
  const { code, checkOk } = enterpriseCode(input.code, input.allowBadCheck);
  return { code, checkOk, name: enterpriseName(input.name) };
}

/** An enterprise's name: 4–100 characters. `label` names where it was given (the option, or a sheet's column). */
export function enterpriseName(input: string | undefined, label = '--name 企业名称'): string {
  const name = required(input, label);
  if (Array.from(name).length < 4 || Array.from(name).length > 100) throw new DataError(`企业名称${quote(name)}应为 4–100 个字`);
  return name;
}

/**
 * An enterprise is recommended in the district it is registered in. `visible`: whether the actor may see the
 * firm's record; if not, the refusal names neither the firm nor its district.
 */
export function checkEnterpriseRegion(dir: Directory, existing: { name: string; region_code: string } | undefined, code: string, region: Region, visible = true): void {
  if (existing && existing.region_code !== region.code) {
    if (!visible) throw new DataError(`统一社会信用代码为 ${code} 的企业已登记在其他区，不能由${region.name}推荐（详情请向人民银行核实）`);
    throw new DataError(`${existing.name}（${code}）登记在${dir.regionName(existing.region_code)}，不能由${region.name}推荐`);
  }
}

/**
 * A code typed at the prompt, refused at once (and asked again) when the enterprise already has an open case;
 * recommend() checks the same again when it writes.
 */
export async function recommendableCode(db: Kysely<DB>, dir: Directory, who: Actor, input: string, allowBadCheck = false): Promise<string> {
  const { code } = enterpriseCode(input, allowBadCheck);
  const cur = (await findEnterprise(db, code)) ? await currentCase(db, code) : undefined;
  checkNoOpenCase(dir, cur, code, cur ? await mayRead(db, who, cur) : true);
  return code;
}

/**
 * One open case per enterprise. The refusal says that much even to a unit that may not see the case (the
 * rule needs it); only to one that may see it, whose case it is.
 */
export function checkNoOpenCase(dir: Directory, open: CaseRow | undefined, code: string, visible = true): void {
  if (open && isOpen(open.stage) && !visible) {
    throw new RuleError(`统一社会信用代码为 ${code} 的企业已有办理中的记录，不能重复推荐（详情请向人民银行核实）`, [], [], 'already_open');
  }
  if (open && isOpen(open.stage)) {
    throw new RuleError(
      `${open.name}（${code}）已有办理中的记录（${STAGE_LABEL[open.stage]}，${open.recommended_on} 由${dir.orgByIdOrThrow(open.recommended_by).name}推荐），不能重复推荐`,
      [],
      [],
      'already_open',
    );
  }
}

/**
 * The quota: a department's recommendations in a district and year (`made`, before this one) beyond
 * QUOTA_PER_YEAR need a reason; `hint` says where to give it. Returns whether this one is over the quota.
 */
export function checkQuota(made: { name: string; enterprise_code: string; recommended_on: string }[], dept: Org, year: string, overReason: string | undefined, hint: string): boolean {
  const overQuota = made.length >= QUOTA_PER_YEAR;
  if (overQuota && !overReason) {
    throw new RuleError(
      `${dept.name}在${year}年已推荐 ${made.length} 家（原则上每年不超过 ${QUOTA_PER_YEAR} 家）：${made.map((m) => `${m.name}（${m.recommended_on}）`).join('、')}。确需超额推荐，${hint}`,
      made.map((m) => ({ code: m.enterprise_code, name: m.name, recommended_on: m.recommended_on })),
      [],
      'quota',
    );
  }
  return overQuota;
}

/** Checks a recommendation against the database and records it (shared by `recommend` and `recommend import`). */
export async function recordRecommendation(
  tx: Kysely<DB>,
  who: Actor,
  dir: Directory,
  input: RecommendInput & { checkOk: boolean },
  quotaHint: string,
): Promise<RecommendResult> {
  const { code, name, checkOk } = input;
  const reason = input.reason ? checkFreeText(input.reason, '--reason 推荐理由') || null : null;
  const region = dir.district(input.district);
  const dept = dir.department(input.dept, region);
  authorize(who, 'case.recommend', { region: region.code, regionName: region.name, deptOrgId: dept.id });
  checkStepDate(input.date, who);
  const at = localTimestamp(who.now);
  const existing = await findEnterprise(tx, code);
  const cur = existing ? await currentCase(tx, code) : undefined;
  const visible = cur ? await mayRead(tx, who, cur) : true;
  checkEnterpriseRegion(dir, existing, code, region, visible);
  checkNoOpenCase(dir, cur, code, visible);
  const year = input.date.slice(0, 4);
  const overReason = input.overQuota !== undefined ? required(input.overQuota, '--over-quota 理由', true) : undefined;
  const made = await recommendationsInYear(tx, dept.id, region.code, year);
  const overQuota = checkQuota(made, dept, year, overReason, quotaHint);
  if (!existing) await insertEnterprise(tx, { code, name, region: region.code, checkOk }, at);
  else if (existing.name !== name) await renameEnterprise(tx, code, name, at);
  const caseId = await insertCase(tx, {
    enterprise_code: code,
    region_code: region.code,
    stage: 'recommended',
    class: null,
    recommended_on: input.date,
    recommended_by: dept.id,
    recommend_reason: reason,
    over_quota_reason: overQuota ? overReason! : null,
    last_progress_on: input.date,
    created_at: at,
    updated_at: at,
  });
  const c = { id: caseId, enterprise_code: code, region_code: region.code, name } as CaseRow;
  await recordStep(tx, who, c, {
    date: input.date,
    kind: 'recommended',
    details: {
      dept: dept.name,
      reason,
      ...(overQuota ? { over_quota: overReason } : {}),
      ...(existing && existing.name !== name ? { renamed_from: existing.name } : {}),
      ...(checkOk ? {} : { check_character: 'invalid, allowed' }),
    },
  });
  return { caseId, code, name, district: region.name, dept: dept.name, overQuota, newEnterprise: !existing, ordinal: made.length + 1, reasonUnused: !overQuota && overReason !== undefined };
}

export interface VerifyInput {
  code: string;
  class: CaseClass;
  basic: string;
  causes: string;
  advice: string;
  experts: string;
  date: string;
}

export async function verify(store: Store, who: Actor, input: VerifyInput): Promise<CaseRow> {
  const basic = required(input.basic, '--basic 基本情况', true);
  const causes = required(input.causes, '--causes 原因分析', true);
  const advice = required(input.advice, '--advice 对策建议', true);
  const experts = required(input.experts, '--experts 核查人员');
  return store.write(async (tx) => {
    const c = await visibleCase(tx, who, input.code);
    const dir = await Directory.load(tx);
    authorize(who, 'case.verify', caseTarget(dir, c));
    requireStage(c, ['declared'], '核查');
    if (c.authorised !== 1) {
      throw new RuleError(`${c.name}（${c.enterprise_code}）未同意授权查询企业及法定代表人信用信息，不能核查；请企业重新申报并勾选授权`, [], [], 'not_authorised');
    }
    checkStepDate(input.date, who, { date: c.declared_on, label: '申报日期' });
    const at = localTimestamp(who.now);
    await tx
      .insertInto('verification')
      .values({ case_id: c.id, verified_on: input.date, result: input.class, basic, causes, advice, experts, reason: null, created_at: at })
      .execute();
    await updateCase(tx, c.id, { stage: 'verified', class: input.class, verified_on: input.date, updated_at: at });
    await recordStep(tx, who, c, {
      date: input.date,
      kind: 'verified',
      details: { class: input.class, experts },
      before: { stage: c.stage, class: c.class },
      after: { stage: 'verified', class: input.class, class_label: CLASS_LABEL[input.class], experts },
    });
    return { ...c, stage: 'verified', class: input.class, verified_on: input.date };
  });
}

export async function reject(store: Store, who: Actor, input: { code: string; reason: string; date: string }): Promise<CaseRow> {
  const reason = required(input.reason, '--reason 未入选理由', true);
  return store.write(async (tx) => {
    const c = await visibleCase(tx, who, input.code);
    const dir = await Directory.load(tx);
    authorize(who, 'case.verify', caseTarget(dir, c));
    requireStage(c, ['declared'], '作出未入选结论');
    checkStepDate(input.date, who, { date: c.declared_on, label: '申报日期' });
    const at = localTimestamp(who.now);
    if (await verificationOf(tx, c.id)) throw new RuleError('该企业已有核查结论');
    await tx.insertInto('verification').values({ case_id: c.id, verified_on: input.date, result: 'rejected', basic: null, causes: null, advice: null, experts: null, reason, created_at: at }).execute();
    await updateCase(tx, c.id, { stage: 'rejected', verified_on: input.date, updated_at: at });
    await recordStep(tx, who, c, { date: input.date, kind: 'rejected', details: { reason }, before: { stage: c.stage } });
    return { ...c, stage: 'rejected', verified_on: input.date };
  });
}
