/** Kysely table types. Dates are ISO text; money is integer cents of 万元; JSON is text. */
import type { Generated } from 'kysely';

export interface RegionTable {
  code: string;
  name: string;
  level: 'city' | 'district';
  aliases: string;
  /** Not read since migration 0005: the capacity history is capacity_change. */
  capacity: Generated<number>;
  sort_order: number;
}

/** A district's list capacity, in force from `effective_on` until the next change. */
export interface CapacityChangeTable {
  id: Generated<number>;
  region_code: string;
  capacity: number;
  effective_on: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
  /** null for a district's first capacity (seeded when the database was created or upgraded). */
  created_at: string | null;
}

export interface OrgTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: 'pboc' | 'finance-office' | 'department' | 'bank';
  dept_kind: string | null;
  region_code: string;
  aliases: string;
  created_at: string;
  /** When it was recorded (set by the database: migration 0022_org_recorded); '1900-01-01' for those set up with the database. */
  recorded_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  command: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

export interface ImportBatchTable {
  id: Generated<number>;
  kind: string;
  /** JSON [{name, sha256, rows}] */
  files: string;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  actor: string;
  reviewer_org_id: number | null;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  login: string;
  /** lower-case login: logins are unique case-insensitively */
  login_key: string;
  name: string;
  org_id: number;
  role: 'admin' | 'operator' | 'viewer';
  phone: string | null;
  id_number: string | null;
  email: string | null;
  title: string | null;
  note: string | null;
  agreement_signed_on: string | null;
  enabled: number;
  batch_id: number | null;
  created_at: string;
  updated_at: string;
}

export type Stage = 'recommended' | 'declared' | 'verified' | 'rejected' | 'confirmed' | 'assigned' | 'closed';
export type CaseClass = 'financing' | 'cultivation';

export interface EnterpriseTable {
  code: string;
  name: string;
  region_code: string;
  check_ok: number;
  created_at: string;
  updated_at: string;
}

export interface CaseTable {
  id: Generated<number>;
  enterprise_code: string;
  region_code: string;
  stage: Stage;
  class: CaseClass | null;
  recommended_on: string;
  recommended_by: number;
  recommend_reason: string | null;
  over_quota_reason: string | null;
  declared_on: string | null;
  authorised: number | null;
  verified_on: string | null;
  confirmed_on: string | null;
  lead_bank_id: number | null;
  assigned_on: string | null;
  closed_on: string | null;
  /** When each event was recorded (stamped by the database; null while the event is not there). */
  recommended_recorded_at: string | null;
  declared_recorded_at: string | null;
  verified_recorded_at: string | null;
  confirmed_recorded_at: string | null;
  assigned_recorded_at: string | null;
  closed_recorded_at: string | null;
  outcome: 'financed' | 'withdrawn' | null;
  close_note: string | null;
  last_progress_on: string;
  created_at: string;
  updated_at: string;
}

export interface DeclarationTable {
  id: Generated<number>;
  case_id: number;
  submitted_on: string;
  submitted_at: string | null;
  authorised: number;
  data: string;
  meta: string;
  current: number;
  batch_id: number | null;
  created_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

export interface VerificationTable {
  case_id: number;
  verified_on: string;
  result: CaseClass | 'rejected';
  basic: string | null;
  causes: string | null;
  advice: string | null;
  experts: string | null;
  reason: string | null;
  created_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

export interface BankAssignmentTable {
  id: Generated<number>;
  case_id: number;
  bank_id: number;
  mode: 'self' | 'designated';
  assigned_on: string;
  ended_on: string | null;
  reason: string | null;
  created_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
  /** When the ending was recorded (null while the assignment lasts). */
  ended_recorded_at: string | null;
}

export interface LoanTable {
  id: Generated<number>;
  case_id: number;
  bank_id: number;
  kind: 'credit' | 'disbursement';
  amount_cents: number;
  loan_on: string;
  rate_bp: number | null;
  term_months: number | null;
  guarantee: string | null;
  first_loan: number;
  created_at: string;
  /** The collection workbook (collection_return) it came from; null when entered by command. */
  collection_id: number | null;
  note: string | null;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

/** A loan withdrawn by a unit's corrected collection workbook: kept as history, never counted. */
export interface LoanWithdrawnTable extends Omit<LoanTable, 'id'> {
  /** The id it had in loan. */
  id: number;
  withdrawn_on: string;
  withdrawn_by: number;
  withdrawn_at: string;
  /** When the withdrawal was recorded (recorded_at stays the loan's own). */
  withdrawn_recorded_at: string | null;
}

/** A monthly collection workbook made for a unit (xypz collect make). */
export interface CollectionWorkbookTable {
  id: Generated<number>;
  org_id: number;
  month: string;
  digest: string;
  made_at: string;
  file: string;
  actor: string;
}

/** A unit's workbook that came back and was imported (xypz collect import); a corrected one is a further row. */
export interface CollectionReturnTable {
  id: Generated<number>;
  org_id: number;
  month: string;
  workbook_id: number;
  batch_id: number | null;
  file: string;
  sha256: string;
  received_on: string;
  rows: number;
  actor: string;
  created_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

export interface CoachingItemTable {
  id: Generated<number>;
  case_id: number;
  item: string;
  org_id: number;
  category: string | null;
  due: string | null;
  status: 'open' | 'done' | 'failed';
  added_on: string;
  closed_on: string | null;
  note: string | null;
  created_at: string;
  /** The collection workbook that reported it closed; null when closed by command (or open). */
  closed_collection_id: number | null;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
  /** When the closing was recorded (null while open). */
  closed_recorded_at: string | null;
}

export interface ReclassificationTable {
  id: Generated<number>;
  case_id: number;
  from_class: CaseClass;
  to_class: CaseClass;
  changed_on: string;
  reason: string;
  created_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

export interface SatisfactionTable {
  id: Generated<number>;
  case_id: number;
  rating: 'satisfied' | 'basically' | 'unsatisfied';
  rated_on: string;
  created_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

export interface PoolFilingTable {
  id: Generated<number>;
  region_code: string;
  filed_on: string;
  file: string | null;
  cases: string;
  created_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

/** One submission of a month's feedback; a sender's later submissions for the same month are further rows. */
export interface FeedbackTable {
  id: Generated<number>;
  from_kind: 'district' | 'bank';
  from_key: string;
  month: string;
  text: string;
  submitted_on: string;
  batch_id: number | null;
  created_at: string;
  /** Equal to created_at, except on rows carried over from before migration 0006 (the last replacement then). */
  updated_at: string;
  /** When it was recorded (the database stamps it: migration 0018_recorded; docs/figures.md). */
  recorded_at: string | null;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  region_code: string;
  on_date: string;
  kind: string;
  actor: string;
  details: string;
  created_at: string;
}

/** A correction the 人民银行 recorded in a final period: one row per command, or per import batch. */
export interface CorrectionTable {
  id: Generated<number>;
  reason: string;
  /** What was corrected, in words (e.g. "补录 2024-07-15 放款 …"). */
  what: string;
  actor: string;
  org_id: number | null;
  command: string;
  batch_id: number | null;
  /** The stamp of the write that made the correction (store/recording.ts). */
  recorded_at: string;
}

/** The programme's start (one row): no event may be dated before it. */
export interface ProgrammeTable {
  id: number;
  start_on: string;
}

/** The stamp of the write in progress on a SQLite file (one row during a write, none between writes). */
export interface RecordingTable {
  id: number;
  stamp: string | null;
}

export interface DB {
  enterprise: EnterpriseTable;
  case_file: CaseTable;
  declaration: DeclarationTable;
  verification: VerificationTable;
  bank_assignment: BankAssignmentTable;
  loan: LoanTable;
  loan_withdrawn: LoanWithdrawnTable;
  collection_workbook: CollectionWorkbookTable;
  collection_return: CollectionReturnTable;
  coaching_item: CoachingItemTable;
  reclassification: ReclassificationTable;
  satisfaction: SatisfactionTable;
  pool_filing: PoolFilingTable;
  feedback: FeedbackTable;
  case_event: CaseEventTable;
  app_user: UserTable;
  import_batch: ImportBatchTable;
  region: RegionTable;
  capacity_change: CapacityChangeTable;
  org: OrgTable;
  audit_log: AuditLogTable;
  correction: CorrectionTable;
  programme: ProgrammeTable;
  recording: RecordingTable;
}
