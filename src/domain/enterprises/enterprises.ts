/** Looking at enterprises: the list (within the actor's scope) and everything known about one. */
import type { Kysely } from 'kysely';
import {
  assignmentsOf,
  casesOf,
  coachingOf,
  currentDeclaration,
  eventsOf,
  listCases,
  loansOf,
  satisfactionOf,
  verificationOf,
  type CaseFilter,
  type CaseRow,
} from '../../store/cases.js';
import type { CaseClass, DB, Stage } from '../../store/schema.js';
import { formatMoney, sumCents } from '../../util/money.js';
import { CASE, type CaseFieldName, type CaseRecord, type EnterpriseFieldName } from '../intake/index.js';
import { LOAN, type LoanFieldName, type LoanRecord } from '../service/index.js';
import { authorize, CLASS_LABEL, itemState, mayRead, NEXT_STEP, readScope, STAGE_LABEL, visibleCase, type Actor, type Directory, type ReadScope } from '../core/index.js';

export const EVENT_LABEL: Record<string, string> = {
  recommended: '推荐',
  declared: '网上申报',
  redeclared: '重新申报',
  verified: '联合核查',
  rejected: '未入选',
  confirmed: '确认入库',
  filed: '名单报备',
  assigned: '确定主办行',
  bank_changed: '更换主办行',
  credit: '授信',
  disbursement: '放款',
  coach_added: '新增辅导事项',
  coach_done: '辅导事项办结',
  coach_failed: '辅导事项未办成',
  coach_reopened: '辅导事项办结撤回（报送表更正）',
  loans_reported: '月度报送：授信放款',
  loans_withdrawn: '月度报送更正：撤回授信放款',
  reclassified: '调整分类',
  closed: '办结',
  satisfaction: '满意度评价',
};

export const OUTCOME_LABEL = { financed: '获得融资', withdrawn: '退出' } as const;

/** The case filter a unit's scope implies. */
export function scopeFilter(scope: ReadScope): CaseFilter {
  if (scope.all) return {};
  if (scope.deptOrgId !== undefined) return { recommendedBy: scope.deptOrgId, itemOrg: scope.deptOrgId };
  if (scope.bankOrgId !== undefined) return { leadBank: scope.bankOrgId, itemOrg: scope.bankOrgId };
  return { regions: scope.regions };
}

export async function readableCase(db: Kysely<DB>, _dir: Directory, who: Actor, code: string): Promise<CaseRow> {
  authorize(who, 'case.read');
  return visibleCase(db, who, code);
}

export interface ListFilter {
  district?: string;
  stage?: Stage;
  class?: CaseClass;
}

/** Each enterprise's current case, within the actor's scope. */
export async function listEnterprises(db: Kysely<DB>, dir: Directory, who: Actor, f: ListFilter): Promise<CaseRow[]> {
  authorize(who, 'case.read');
  const base = scopeFilter(readScope(who.profile!));
  const region = f.district ? dir.district(f.district) : undefined;
  const rows = await listCases(db, {
    ...base,
    regions: region ? (base.regions ? base.regions.filter((r) => r === region.code) : [region.code]) : base.regions,
  });
  // One line per enterprise: its latest case, then the stage and class filters.
  const latest = new Map<string, CaseRow>();
  for (const r of rows) {
    const prev = latest.get(r.enterprise_code);
    if (!prev || r.id > prev.id) latest.set(r.enterprise_code, r);
  }
  return [...latest.values()].filter((c) => (!f.stage || c.stage === f.stage) && (!f.class || c.class === f.class));
}

/** A case as lists show it (`enterprise list`: the table's columns, src/render/enterprises.ts, and its JSON). */
export type EnterpriseSummary = ReturnType<typeof caseSummary>;

export function caseSummary(c: CaseRow, dir: Directory) {
  return {
    code: c.enterprise_code,
    name: c.name,
    district: dir.regionName(c.region_code),
    stage: c.stage,
    stage_label: STAGE_LABEL[c.stage],
    class: c.class,
    class_label: c.class ? CLASS_LABEL[c.class] : null,
    lead_bank: c.lead_bank_id ? dir.orgByIdOrThrow(c.lead_bank_id).name : null,
    recommended_by: dir.orgByIdOrThrow(c.recommended_by).name,
    recommended_on: c.recommended_on,
  };
}

/**
 * Where `enterprise show` (and `enterprise list`, the summary) gives each field of the enterprise and of its case:
 * 'summary': in caseSummary, under its own key; 'column': in the detail, under its storage column's name, its
 * value as the definition loads it (in this order); null: not shown. A field added to either definition must be
 * placed here.
 */
export const ENTERPRISE_VIEW = { code: 'summary', name: 'summary', region: 'summary', checkOk: null } as const satisfies Record<EnterpriseFieldName, 'summary' | null>;
const CASE_VIEW = {
  enterpriseCode: 'summary',
  region: 'summary',
  stage: 'summary',
  class: 'summary',
  leadBankId: 'summary',
  recommendedBy: 'summary',
  recommendedOn: 'summary',
  recommendReason: 'column',
  overQuotaReason: 'column',
  declaredOn: 'column',
  authorised: 'column',
  verifiedOn: 'column',
  confirmedOn: 'column',
  assignedOn: 'column',
  closedOn: 'column',
  outcome: 'column',
  closeNote: 'column',
  lastProgressOn: null,
} as const satisfies Record<CaseFieldName, 'summary' | 'column' | null>;

type CaseFields = typeof CASE.fields;
type ShownByColumn = { [K in CaseFieldName]: (typeof CASE_VIEW)[K] extends 'column' ? K : never }[CaseFieldName];
const SHOWN_BY_COLUMN = (Object.keys(CASE_VIEW) as CaseFieldName[]).filter((n) => CASE_VIEW[n] === 'column') as ShownByColumn[];

/** The case's fields `enterprise show` gives under their column's name. */
function caseColumns(c: CaseRow): { [K in ShownByColumn as CaseFields[K]['column']]: CaseRecord[K] } {
  const values = CASE.fromRow(c);
  return Object.fromEntries(SHOWN_BY_COLUMN.map((n) => [CASE.fields[n].column, values[n]])) as { [K in ShownByColumn as CaseFields[K]['column']]: CaseRecord[K] };
}

/** Each field of a loan as `enterprise show` gives it: its key there and its value (null: not shown). */
const LOAN_VIEW = {
  caseId: null,
  kind: ['kind', (l) => l.kind],
  amountCents: ['amount', (l) => formatMoney(l.amountCents)],
  date: ['date', (l) => l.date],
  bankId: ['bank', (l, dir) => dir.orgByIdOrThrow(l.bankId).name],
  rateBp: ['rate', (l) => (l.rateBp === null ? null : LOAN.fields.rateBp.format(l.rateBp))],
  term: ['term_months', (l) => l.term],
  guarantee: ['guarantee', (l) => l.guarantee],
  firstLoan: ['first_loan', (l) => l.firstLoan],
  note: null,
  collectionId: null,
} satisfies Record<LoanFieldName, [string, (l: LoanRecord, dir: Directory) => unknown] | null>;

function loanView(l: LoanRecord, dir: Directory): Record<string, unknown> {
  return Object.fromEntries(Object.values(LOAN_VIEW).flatMap((v) => (v ? [[v[0], v[1](l, dir)]] : [])));
}

/** One case in full: its summary, dates, answers, verification, lead banks, loans, coaching, ratings and history. */
async function caseDetail(db: Kysely<DB>, dir: Directory, c: CaseRow) {
  const [events, declaration, verification, assignments, loans, items, ratings] = await Promise.all([
    eventsOf(db, [c.id]),
    currentDeclaration(db, c.id),
    verificationOf(db, c.id),
    assignmentsOf(db, c.id),
    loansOf(db, [c.id]),
    coachingOf(db, [c.id]),
    satisfactionOf(db, [c.id]),
  ]);
  const sum = (kind: string) => sumCents(loans.filter((l) => l.kind === kind).map((l) => l.amount_cents));
  return {
    ...caseSummary(c, dir),
    next_step: NEXT_STEP[c.stage],
    ...caseColumns(c),
    declaration: declaration ? { submitted_on: declaration.submitted_on, ...JSON.parse(declaration.data) } : null,
    verification: verification
      ? { verified_on: verification.verified_on, result: verification.result, basic: verification.basic, causes: verification.causes, advice: verification.advice, experts: verification.experts, reason: verification.reason }
      : null,
    lead_banks: assignments.map((a) => ({ bank: dir.orgByIdOrThrow(a.bank_id).name, mode: a.mode, from: a.assigned_on, to: a.ended_on, reason: a.reason })),
    loans: loans.map((l) => loanView(LOAN.fromRow(l), dir)),
    credit_total: formatMoney(sum('credit')),
    disbursement_total: formatMoney(sum('disbursement')),
    // each item as people see it: ended (终止) on the case's closing day when still open then
    coaching: items.map((i) => {
      const s = itemState(i, c.closed_on);
      return { id: i.id, item: i.item, org: dir.orgByIdOrThrow(i.org_id).name, category: i.category, due: i.due, status: s.state, added_on: i.added_on, closed_on: s.on, note: i.note };
    }),
    ratings: ratings.map((r) => ({ rating: r.rating, date: r.rated_on })),
    history: events.map((e) => ({ date: e.on_date, kind: e.kind, label: EVENT_LABEL[e.kind] ?? e.kind, actor: e.actor, details: JSON.parse(e.details) })),
  };
}

export type CaseDetail = Awaited<ReturnType<typeof caseDetail>> & { current: boolean };

/**
 * Everything known about an enterprise (docs/cli.md): the top-level keys are its current case (`c`, with that
 * case's history); `cases` holds every case of the firm the actor may see, newest first, each in full with
 * its own history (a firm rejected and recommended again shows both); `earlier_cases` lists the others briefly.
 */
export async function enterpriseDetail(db: Kysely<DB>, dir: Directory, who: Actor, c: CaseRow) {
  const all = await casesOf(db, c.enterprise_code);
  const cases: CaseDetail[] = [];
  // Newest first; an earlier case only within the actor's scope (it may have had another lead bank or department).
  for (const x of [...all].sort((a, b) => b.recommended_on.localeCompare(a.recommended_on) || b.id - a.id)) {
    if (x.id === c.id || (await mayRead(db, who, x))) cases.push({ ...(await caseDetail(db, dir, x)), current: x.id === c.id });
  }
  const { current: _, ...detail } = cases.find((x) => x.current)!;
  return {
    ...detail,
    earlier_cases: all
      .filter((x) => x.id !== c.id)
      .map((x) => ({ recommended_on: x.recommended_on, stage: x.stage, closed_on: x.closed_on ?? x.verified_on, outcome: x.outcome })),
    cases,
  };
}
