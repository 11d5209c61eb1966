/**
 * Who may do what on the server. Two group roles, which own nothing: xypz_writer (管理员, 操作员) and
 * xypz_reader (查询员). Each account logs in with a role of its own name, member of one group. The groups'
 * table privileges say which statements a login may run at all; which rows is decided by the row-level
 * security policies of the migrations (0008_server_scope), from the account behind the login.
 *
 * - Both groups may select every table (the policies narrow it to the login's scope).
 * - The writer group inserts into the business tables (never the audit log: the server writes it), and updates only the columns a
 *   command changes (UPDATABLE): never an id, a recorded time, a case's firm, district or recommender, or a
 *   loan (a corrected workbook withdraws a loan: the one delete).
 * - Neither group may create, alter or drop anything, move a sequence, or touch the migrations' tables, the
 *   audit log's counter, or rewrite the audit log: that is left to the schema owner (the maintenance
 *   connection), and even it meets the append-only triggers.
 * - No function of the schema is executable by PUBLIC: the scope functions the policies call go to both
 *   groups, restore_identities() to the writers only.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { RuleError } from '../../errors.js';
import type { Tx } from '../engine.js';
import { BUSY_TIMEOUT_MS } from '../engine.js';
import { READER_GROUP, WRITER_GROUP } from './constants.js';
import { ident } from './migrations/sql.js';
import { STAMPED } from '../recording.js';

const STAMPED_TABLES = Object.keys(STAMPED);

export const WRITER = WRITER_GROUP;
export const READER = READER_GROUP;

/**
 * Tables no group writes: the audit log and its bookkeeping (written by the server's triggers,
 * 0015_server_audit_triggers), the migrations'.
 */
const NOT_WRITTEN = [
  'audit_log', 'audit_log_counter', 'audit_row_state', 'kysely_migration', 'kysely_migration_lock',
  // the server's clock and its record of which transaction made which correction (0019_server_recorded);
  // the programme's start (init) and the stamp of the write in progress (a file's device)
  'server_clock', 'correction_xact', 'programme', 'recording',
];

/** The columns each command may change, per table; a table not listed is never updated by a login. */
export const UPDATABLE: Record<string, string[]> = {
  region: ['name', 'aliases', 'capacity', 'sort_order'],
  org: ['code', 'name', 'kind', 'dept_kind', 'region_code', 'aliases'],
  capacity_change: ['capacity', 'created_at'],
  app_user: ['login', 'login_key', 'name', 'org_id', 'role', 'phone', 'id_number', 'email', 'title', 'note', 'agreement_signed_on', 'enabled', 'batch_id', 'updated_at'],
  enterprise: ['name', 'check_ok', 'updated_at'],
  case_file: [
    'stage', 'class', 'declared_on', 'authorised', 'verified_on', 'confirmed_on', 'lead_bank_id', 'assigned_on', 'closed_on', 'outcome', 'close_note',
    'last_progress_on', 'updated_at',
  ],
  declaration: ['current'],
  bank_assignment: ['ended_on'],
  coaching_item: ['status', 'closed_on', 'note', 'closed_collection_id'],
  import_batch: ['added', 'updated', 'unchanged', 'rejected'],
  collection_return: ['rows'],
};

/**
 * The one table xypz deletes from: a loan withdrawn by a corrected collection workbook moves to loan_withdrawn
 * (and the triggers of 0014_server_withdrawals refuse any other delete).
 */
const DELETED = ['loan'];

/** The functions the writers call themselves (besides those the policies call, which both groups need). */
const WRITER_FUNCTIONS = ['restore_identities'];

/**
 * Functions no login may call: those only triggers run, and those only the schema owner's functions call
 * (which run as the owner). Every other function of the schema is a scope rule the policies call.
 */
const NOT_GRANTED = [
  'audit_log_append_only', 'audit_log_count', 'case_file_guard', 'case_quota', 'pool_capacity_kept', 'case_stage_order', 'rule_lock', 'pool_overfull_day',
  'audit_entry_by_server', 'loan_withdrawal_fault', 'loan_withdrawn_valid', 'loan_withdrawn_gone', 'loan_delete_withdrawn',
  'audit_context', 'audit_row_change', 'audit_counter_at_commit',
  // the stamping triggers' functions (0018_recorded: one per stamped table, named <table>_recorded)
  ...STAMPED_TABLES.map((t) => `${t}_recorded`),
  // the server's stamps and late-entry rule (0019_server_recorded)
  'recorded_by_server', 'correction_by_server', 'correction_noted', 'late_entry_checked',
];

/** Creates a group role unless it exists (group roles belong to the whole server; another database may have made it). */
async function ensureGroup(tx: Tx, name: string): Promise<void> {
  await sql
    .raw(
      `do $$ begin
         if not exists (select from pg_roles where rolname = '${name}') then create role ${name} nologin; end if;
       exception when duplicate_object or unique_violation then null;
       end $$`,
    )
    .execute(tx);
}

/** The two group roles, made unless they exist (before the migrations: the policies name them). */
export async function ensureGroups(tx: Tx): Promise<void> {
  try {
    await ensureGroup(tx, WRITER);
    await ensureGroup(tx, READER);
  } catch (e) {
    if (lacksPrivilege(e)) {
      throw new RuleError(
        `创建 xypz 需要组角色 ${WRITER} 和 ${READER}：请数据库管理员先创建（CREATE ROLE ${WRITER} NOLOGIN; CREATE ROLE ${READER} NOLOGIN;），或由有 CREATEROLE 权限的账号运行 init`,
        [],
        [],
        'privilege',
      );
    }
    throw e;
  }
}

interface Catalog {
  tables: string[];
  has: (t: string, col: string) => boolean;
  /** The functions every login needs (those the policies call), and those only the writers call. */
  policyFunctions: string[];
  writerFunctions: string[];
}

async function catalog(tx: Tx, schema: string): Promise<Catalog> {
  const columns = (
    await sql<{ tab: string; col: string }>`
      select c.relname as tab, a.attname as col from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where c.relnamespace = ${schema}::regnamespace and c.relkind = 'r' order by c.relname, a.attnum`.execute(tx)
  ).rows;
  const tables = [...new Set(columns.map((c) => c.tab))];
  const has = (t: string, col: string) => columns.some((c) => c.tab === t && c.col === col);
  const functions = (
    await sql<{ name: string; sig: string }>`
      select p.proname as name, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as sig
        from pg_proc p where p.pronamespace = ${schema}::regnamespace order by 2`.execute(tx)
  ).rows;
  const policyFunctions = functions.filter((f) => !WRITER_FUNCTIONS.includes(f.name) && !NOT_GRANTED.includes(f.name)).map((f) => f.sig);
  const writerFunctions = functions.filter((f) => WRITER_FUNCTIONS.includes(f.name)).map((f) => f.sig);
  return { tables, has, policyFunctions, writerFunctions };
}

/** Every privilege the contract gives on the schema's objects, as `grantee NUL object NUL privilege` (db check compares). */
export async function contractGrants(tx: Tx, schema: string): Promise<Set<string>> {
  const { tables, has, policyFunctions, writerFunctions } = await catalog(tx, schema);
  const out = new Set<string>();
  const add = (who: string[], what: string, privilege: string) => who.forEach((g) => out.add(`${g}\u0000${what}\u0000${privilege}`));
  add([WRITER, READER], `schema ${schema}`, 'USAGE');
  for (const t of tables) {
    add([WRITER, READER], `表 ${t}`, 'SELECT');
    if (!NOT_WRITTEN.includes(t)) add([WRITER], `表 ${t}`, 'INSERT');
    if (DELETED.includes(t)) add([WRITER], `表 ${t}`, 'DELETE');
    for (const c of UPDATABLE[t] ?? []) if (has(t, c)) add([WRITER], `列 ${t}.${c}`, 'UPDATE');
  }
  for (const f of policyFunctions) add([WRITER, READER], `函数 ${f}`, 'EXECUTE');
  for (const f of writerFunctions) add([WRITER], `函数 ${f}`, 'EXECUTE');
  return out;
}

/** The groups' privileges on every table, sequence and function of the schema (after each migration, for what it added). */
export async function grantAccess(tx: Tx, schema: string): Promise<void> {
  await ensureGroups(tx);
  const s = ident(schema);
  const { tables, has, policyFunctions, writerFunctions } = await catalog(tx, schema);
  const written = tables.filter((t) => !NOT_WRITTEN.includes(t));
  const q = (t: string) => `${s}.${ident(t)}`;
  const statements = [
    `revoke all on schema ${s} from public`,
    `grant usage on schema ${s} to ${WRITER}, ${READER}`,
    `revoke all on all tables in schema ${s} from public, ${WRITER}, ${READER}`,
    `grant select on all tables in schema ${s} to ${WRITER}, ${READER}`,
    ...(written.length > 0 ? [`grant insert on ${written.map(q).join(', ')} to ${WRITER}`] : []),
    ...Object.entries(UPDATABLE)
      .filter(([t]) => tables.includes(t))
      .map(([t, cols]) => `grant update (${cols.filter((c) => has(t, c)).map(ident).join(', ')}) on ${q(t)} to ${WRITER}`),
    ...DELETED.filter((t) => tables.includes(t)).map((t) => `grant delete on ${q(t)} to ${WRITER}`),
    // identity columns take their ids without any privilege on the sequence: logins get none
    `revoke all on all sequences in schema ${s} from public, ${WRITER}, ${READER}`,
    `revoke all on all functions in schema ${s} from public, ${WRITER}, ${READER}`,
    ...(policyFunctions.length > 0 ? [`grant execute on function ${policyFunctions.map((f) => `${s}.${f}`).join(', ')} to ${WRITER}, ${READER}`] : []),
    ...writerFunctions.map((f) => `grant execute on function ${s}.${f} to ${WRITER}`),
  ];
  await sql.raw(statements.join('; ')).execute(tx);
}

/** The server refused for want of a privilege (as the store reports it, or as pg does). */
function lacksPrivilege(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === '42501' || code === 'privilege';
}

export type LoginGroup = typeof WRITER | typeof READER;

export interface LoginRole {
  role: string;
  group: LoginGroup;
}

interface RoleFacts {
  exists: boolean;
  ours: boolean;
  superuser: boolean;
}

async function roleFacts(tx: Tx, role: string): Promise<RoleFacts> {
  const r = await sql<{ superuser: boolean; ours: boolean }>`
    select r.rolsuper as superuser,
           exists (select from pg_auth_members m join pg_roles g on g.oid = m.roleid
                    where m.member = r.oid and g.rolname in (${WRITER}, ${READER})) as ours
      from pg_roles r where r.rolname = ${role}`.execute(tx);
  const row = r.rows[0];
  return row ? { exists: true, ours: row.ours, superuser: row.superuser } : { exists: false, ours: false, superuser: false };
}

function privilegeNeeded(e: unknown): unknown {
  if (lacksPrivilege(e)) {
    return new RuleError('管理登录账号需要数据库的 CREATEROLE 权限：请用维护连接（schema 所有者）运行，或请数据库管理员授予（ALTER ROLE <账号> CREATEROLE）', [], [], 'privilege');
  }
  return e;
}

/**
 * Creates or updates each login role with a new password, in its group only (an account that changed
 * role moves group). A role of that name that xypz did not make (not in either group) is never touched.
 */
export async function setLoginRoles(tx: Tx, logins: LoginRole[]): Promise<{ role: string; password: string; created: boolean }[]> {
  const out: { role: string; password: string; created: boolean }[] = [];
  for (const l of logins) {
    const facts = await roleFacts(tx, l.role);
    if (facts.exists && (!facts.ours || facts.superuser)) {
      throw new RuleError(`数据库服务器上已有名为 ${l.role} 的角色，不是 xypz 为账号建立的，未做任何改动`, [], [], 'role_exists');
    }
    const password = randomBytes(18).toString('base64url');
    const r = ident(l.role);
    const other = l.group === WRITER ? READER : WRITER;
    const statements = [
      ...(facts.exists
        ? [`alter role ${r} login password '${password}'`, `revoke ${other} from ${r}`, `grant ${l.group} to ${r}`]
        : [`create role ${r} login password '${password}' in role ${l.group}`]),
      ...loginSettings(r),
    ];
    try {
      await sql.raw(statements.join('; ')).execute(tx);
    } catch (e) {
      throw privilegeNeeded(e);
    }
    out.push({ role: l.role, password, created: !facts.exists });
  }
  return out;
}

/**
 * Each login's own settings (a setting on the group would not reach its members), for psql as for xypz
 * (which sets lock_timeout itself when it connects): a statement waits for a lock at most as long as xypz
 * waits for the write lock, so whoever holds locks too long makes others fail with "busy" (exit 4) rather
 * than wait for ever; a transaction left idle is ended, releasing its locks.
 */
function loginSettings(role: string): string[] {
  return [
    `alter role ${role} set lock_timeout = '${BUSY_TIMEOUT_MS.postgres}ms'`,
    `alter role ${role} set idle_in_transaction_session_timeout = '${5 * BUSY_TIMEOUT_MS.postgres}ms'`,
  ];
}

/** An account disabled or enabled: its login role (if xypz made one) may log in or not. */
export async function setRolesLogin(tx: Tx, roles: string[], login: boolean): Promise<void> {
  for (const role of roles) {
    const facts = await roleFacts(tx, role);
    if (!facts.exists || !facts.ours || facts.superuser) continue;
    try {
      await sql.raw(`alter role ${ident(role)} ${login ? 'login' : 'nologin'}`).execute(tx);
    } catch (e) {
      throw privilegeNeeded(e);
    }
  }
}
