/**
 * Recommendation (推荐, docs/workflow.md): a department recommends a firm in the district it is registered in,
 * within the yearly quota; one open case per firm. Shared by `recommend` and `recommend import`.
 */
import type { Kysely } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import {
  currentCase,
  findEnterprise,
  insertCase,
  insertEnterprise,
  recommendationsInYear,
  renameEnterprise,
  type CaseRow,
} from '../../store/cases.js';
import type { Store } from '../../store/db.js';
import type { Org, Region } from '../../store/reference.js';
import type { DB } from '../../store/schema.js';
import { checkFreeText } from '../../util/text.js';
import { authorize, Directory, EntryDates, isOpen, mayRead, QUOTA_PER_YEAR, recordStep, required, STAGE_LABEL, type Actor, type OptionKeyOf } from '../core/index.js';
import { CASE, ENTERPRISE, enterpriseCode, enterpriseName, type CaseFieldName, type CaseRecord, type EnterpriseFieldName, type EnterpriseRecord } from './records.js';

/**
 * How `recommend` gives each field of the enterprise and of its case (a 推荐名单 row gives the same, by the
 * sheet's columns): its option, and whether the command passes the value (`value`), text that must be given
 * (`text`: checked when the recommendation is recorded; a district or department by its name) or text that may be
 * left out (`optional`); null: not given (from the code's check, or a later step's). `region` is the enterprise's
 * and its case's district alike. A field added to either definition must be placed here; given an option, it
 * becomes a key of RecommendInput, and the command, the import and the demo must give it.
 */
export const RECOMMEND_OPTION = {
  code: { flag: '--code', given: 'text' },
  name: { flag: '--name', given: 'text' },
  region: { flag: '--district', given: 'text' },
  checkOk: null,
  enterpriseCode: null,
  stage: null,
  class: null,
  recommendedBy: { flag: '--dept', given: 'text' },
  recommendedOn: { flag: '--date', given: 'value' },
  recommendReason: { flag: '--reason', given: 'optional' },
  overQuotaReason: { flag: '--over-quota', given: 'optional' },
  declaredOn: null,
  authorised: null,
  verifiedOn: null,
  confirmedOn: null,
  leadBankId: null,
  assignedOn: null,
  closedOn: null,
  outcome: null,
  closeNote: null,
  lastProgressOn: null,
} as const satisfies Record<EnterpriseFieldName | CaseFieldName, { flag: `--${string}`; given: 'value' | 'text' | 'optional' } | null>;

type RecommendOptions = typeof RECOMMEND_OPTION;
type OptionField = { [K in keyof RecommendOptions]: RecommendOptions[K] extends null ? never : K }[keyof RecommendOptions];
type Given<K extends OptionField> = RecommendOptions[K] extends { given: 'value' } ? (EnterpriseRecord & CaseRecord)[K] : RecommendOptions[K] extends { given: 'text' } ? string : string | undefined;

/**
 * What `recommend` is given, derived from the definitions and RECOMMEND_OPTION: each field with an option under the
 * option's name; whether a wrong check character is accepted; a 人民银行 correction's reason, for a recommendation
 * dated in a month already final.
 */
export type RecommendInput = { allowBadCheck?: boolean; correction?: string | undefined } & {
  [K in OptionField as OptionKeyOf<RecommendOptions[K] extends { flag: infer F } ? F : never>]: Given<K>;
};

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
  return store.write(async (tx) => {
    const dates = await EntryDates.load(tx, who, input.correction);
    const r = await recordRecommendation(tx, who, await Directory.load(tx), { ...input, ...checked }, '请加 --over-quota "<理由>"', dates);
    await dates.record(tx);
    return r;
  });
}

/** The code and name of a recommendation, checked before anything is read. */
export function checkRecommendInput(input: { code: string; name: string; allowBadCheck?: boolean }): { code: string; checkOk: boolean; name: string } {
  const { code, checkOk } = enterpriseCode(input.code, input.allowBadCheck);
  return { code, checkOk, name: enterpriseName(input.name) };
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

/**
 * Checks a recommendation against the database and records it (shared by `recommend` and `recommend import`).
 * `dates` checks its date (an import checks each row's date as it reads it).
 */
export async function recordRecommendation(
  tx: Kysely<DB>,
  who: Actor,
  dir: Directory,
  input: RecommendInput & { checkOk: boolean },
  quotaHint: string,
  dates?: EntryDates,
): Promise<RecommendResult> {
  const { code, name, checkOk } = input;
  const reason = input.reason ? checkFreeText(input.reason, '--reason 推荐理由') || null : null;
  const region = dir.district(input.district);
  const dept = dir.department(input.dept, region);
  authorize(who, 'case.recommend', { region: region.code, regionName: region.name, deptOrgId: dept.id });
  dates?.check(input.date, `${dept.name}推荐${name}`);
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
  if (!existing) await insertEnterprise(tx, ENTERPRISE.toRow({ code, name, region: region.code, checkOk }), at);
  else if (existing.name !== name) await renameEnterprise(tx, code, name, at);
  const recorded: CaseRecord = {
    enterpriseCode: code,
    region: region.code,
    stage: 'recommended',
    class: null,
    recommendedBy: dept.id,
    recommendedOn: input.date,
    recommendReason: reason,
    overQuotaReason: overQuota ? overReason! : null,
    declaredOn: null,
    authorised: null,
    verifiedOn: null,
    confirmedOn: null,
    leadBankId: null,
    assignedOn: null,
    closedOn: null,
    outcome: null,
    closeNote: null,
    lastProgressOn: input.date,
  };
  const caseId = await insertCase(tx, { ...CASE.toRow(recorded), created_at: at, updated_at: at });
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
