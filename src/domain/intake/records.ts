/**
 * The enterprise and its case, each declared once (docs/records.md): their storage columns, their columns in the
 * 推荐名单 (`recommend import` and `recommend template`), how a cell is read, and their identity. A recommendation
 * creates both: the enterprise (once per credit code) and a case of it.
 */
import type { Selectable } from 'kysely';
import { DataError } from '../../errors.js';
import type { CaseTable, EnterpriseTable } from '../../store/schema.js';
import { quote } from '../../util/text.js';
import {
  checkUscc,
  CLASS_LABEL,
  codec,
  defineRecord,
  field,
  required,
  STAGE_LABEL,
  type CaseClass,
  type Parsed,
  type RowOf,
  type SameShape,
  type Stage,
  type ValuesOf,
} from '../core/index.js';
import type { ColumnSpec } from '../../import/header.js';

/** A credit code as typed: normalised and validated; a wrong check character only with allowBadCheck. */
export function enterpriseCode(input: string, allowBadCheck = false): { code: string; checkOk: boolean } {
  const r = checkUscc(input);
  if (r.ok) return { code: r.code, checkOk: true };
  if (r.badCheck && allowBadCheck) return { code: r.code, checkOk: false };
  throw new DataError(`${quote(input)}：${r.reason}${r.badCheck ? '（早期试点代码确实如此时，可加 --allow-bad-check）' : ''}`);
}

/** An enterprise's name: 4–100 characters. `label` names where it was given (the option, or a sheet's column). */
export function enterpriseName(input: string | undefined, label = '--name 企业名称'): string {
  const name = required(input, label);
  if (Array.from(name).length < 4 || Array.from(name).length > 100) throw new DataError(`企业名称${quote(name)}应为 4–100 个字`);
  return name;
}

/** A rule that throws a DataError, as a parse. */
function parsed<T>(rule: () => T): Parsed<T> {
  try {
    return { ok: true, value: rule() };
  } catch (e) {
    if (e instanceof DataError) return { ok: false, reason: e.message };
    throw e;
  }
}

/**
 * The enterprise: identified by its credit code (a recommendation of a code on file is of that enterprise; a
 * different name renames it). The code is read with the import's --allow-bad-check, the district by the
 * directory; `checkOk` says whether the code's check character was right (the sheet has no column for it).
 */
export const ENTERPRISE = defineRecord({
  code: field('code', codec.text, { identity: true, sheet: { key: 'code', title: '统一社会信用代码', aliases: ['信用代码', '社会信用代码'], required: true, width: 22 } }),
  name: field('name', codec.text, {
    identity: false,
    sheet: { key: 'name', title: '企业名称', required: true, width: 32 },
    parse: (t) => parsed(() => enterpriseName(t, '企业名称')),
  }),
  region: field('region_code', codec.text, { identity: false, sheet: { key: 'district', title: '所在区', aliases: ['所属区域', '区域'], required: true, width: 22 } }),
  checkOk: field('check_ok', codec.flag, { identity: false, sheet: null }),
});

type EnterpriseFields = typeof ENTERPRISE.fields;
export type EnterpriseRecord = ValuesOf<EnterpriseFields>;
export type EnterpriseFieldName = keyof EnterpriseFields;
/** The definition's columns are the store's enterprise table but for its bookkeeping times (a column on one side alone fails here). */
export const _enterpriseStorage: SameShape<RowOf<EnterpriseFields>, Omit<Selectable<EnterpriseTable>, 'created_at' | 'updated_at'>> = true;

const STAGES = Object.keys(STAGE_LABEL) as Stage[];
const CLASSES = Object.keys(CLASS_LABEL) as CaseClass[];
const none = { identity: false, sheet: null } as const;

/**
 * The case: a recommendation of an enterprise and what becomes of it. Its identity is the firm, the
 * recommending department and the date: a 推荐名单 row equal in all three to the firm's open case is that
 * recommendation again (unchanged); any other is a new recommendation (refused while the firm has an open case).
 * The sheet's columns are the department (by name or kind, read by the directory), the date (today when empty),
 * the reason and the over-quota reason; the other fields come from the later steps.
 */
export const CASE = defineRecord({
  enterpriseCode: field('enterprise_code', codec.text, { identity: true, sheet: null }),
  region: field('region_code', codec.text, none),
  stage: field('stage', codec.oneOf(STAGES), none),
  class: field('class', codec.oneOfOrNull(CLASSES), none),
  recommendedBy: field('recommended_by', codec.int, { identity: true, sheet: { key: 'dept', title: '推荐部门', aliases: ['推荐单位'], required: true, width: 30 } }),
  recommendedOn: field('recommended_on', codec.text, { identity: true, sheet: { key: 'date', title: '推荐日期', aliases: ['日期'], width: 12 } }),
  recommendReason: field('recommend_reason', codec.textOrNull, { identity: false, sheet: { key: 'reason', title: '推荐理由', multiline: true, width: 30 } }),
  overQuotaReason: field('over_quota_reason', codec.textOrNull, { identity: false, sheet: { key: 'overQuota', title: '超额理由', aliases: ['超额推荐理由'], multiline: true, width: 30 } }),
  declaredOn: field('declared_on', codec.textOrNull, none),
  authorised: field('authorised', codec.flagOrNull, none),
  verifiedOn: field('verified_on', codec.textOrNull, none),
  confirmedOn: field('confirmed_on', codec.textOrNull, none),
  leadBankId: field('lead_bank_id', codec.intOrNull, none),
  assignedOn: field('assigned_on', codec.textOrNull, none),
  closedOn: field('closed_on', codec.textOrNull, none),
  outcome: field('outcome', codec.oneOfOrNull(['financed', 'withdrawn'] as const), none),
  closeNote: field('close_note', codec.textOrNull, none),
  lastProgressOn: field('last_progress_on', codec.text, none),
});

type CaseFields = typeof CASE.fields;
export type CaseRecord = ValuesOf<CaseFields>;
export type CaseFieldName = keyof CaseFields;
/**
 * The definition's columns are the store's case table but for its id, bookkeeping times and the times each
 * step was recorded (stamped by the database): a column on one side alone fails here.
 */
export const _caseStorage: SameShape<
  RowOf<CaseFields>,
  Omit<
    Selectable<CaseTable>,
    | 'id'
    | 'created_at'
    | 'updated_at'
    | 'recommended_recorded_at'
    | 'declared_recorded_at'
    | 'verified_recorded_at'
    | 'confirmed_recorded_at'
    | 'assigned_recorded_at'
    | 'closed_recorded_at'
  >
> = true;

const column = ({ width: _, ...c }: ColumnSpec & { width?: number }): ColumnSpec => c;

/** The 推荐名单's columns, in order: 序号, the enterprise's, then the case's (each with its width in the template). */
export const RECOMMEND_SHEET = [{ key: 'serial', title: '序号', width: 6 }, ...ENTERPRISE.sheet.map((s) => s.column), ...CASE.sheet.map((s) => s.column)];

/** The columns `recommend import` matches. */
export const RECOMMEND_COLUMNS: ColumnSpec[] = RECOMMEND_SHEET.map(column);
