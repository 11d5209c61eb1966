/** Kysely table types. Dates are ISO text; money is integer cents of 万元; JSON is text. */
import type { Generated } from 'kysely';

export interface RegionTable {
  code: string;
  name: string;
  level: 'city' | 'district';
  aliases: string;
  capacity: number;
  sort_order: number;
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

export interface DB {
  app_user: UserTable;
  import_batch: ImportBatchTable;
  region: RegionTable;
  org: OrgTable;
  audit_log: AuditLogTable;
}
