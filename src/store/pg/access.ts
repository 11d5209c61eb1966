/**
 * Who may do what on the server. Two group roles, which own nothing: xypz_writer (管理员, 操作员) may read
 * every table and insert and update the business tables, and only append to the audit log; xypz_reader
 * (查询员) may only read; a writer deletes only loans (withdrawn by a corrected workbook). Neither may
 * create, alter or drop anything, nor update, delete or truncate the audit log: that is left to the schema
 * owner (the maintenance connection), and even it meets the append-only triggers. Each account logs in
 * with a role of its own name, member of one group.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { RuleError } from '../../errors.js';
import type { Tx } from '../engine.js';
import { ident } from './migrations/sql.js';

export const WRITER = 'xypz_writer';
export const READER = 'xypz_reader';

/** Tables no group writes: the audit log (appended only), its counter (moved by a trigger), the migrations'. */
const NOT_WRITTEN = ['audit_log', 'audit_log_counter', 'kysely_migration', 'kysely_migration_lock'];

/** The one table xypz deletes from: a loan withdrawn by a corrected collection workbook moves to loan_withdrawn. */
const DELETED = ['loan'];

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

/** The groups' privileges on every table of the schema (after each migration, for tables it added). */
export async function grantAccess(tx: Tx, schema: string): Promise<void> {
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
  const s = ident(schema);
  const tables = (
    await sql<{ name: string }>`select c.relname as name from pg_class c where c.relnamespace = ${schema}::regnamespace and c.relkind = 'r' order by 1`.execute(tx)
  ).rows.map((r) => r.name);
  const written = tables.filter((t) => !NOT_WRITTEN.includes(t));
  const statements = [
    `revoke all on schema ${s} from public`,
    `grant usage on schema ${s} to ${WRITER}, ${READER}`,
    `revoke all on all tables in schema ${s} from public, ${WRITER}, ${READER}`,
    `grant select on all tables in schema ${s} to ${WRITER}, ${READER}`,
    `grant insert on ${s}.audit_log to ${WRITER}`,
    ...(written.length > 0 ? [`grant insert, update on ${written.map((t) => `${s}.${ident(t)}`).join(', ')} to ${WRITER}`] : []),
    ...DELETED.filter((t) => tables.includes(t)).map((t) => `grant delete on ${s}.${ident(t)} to ${WRITER}`),
    `grant usage on all sequences in schema ${s} to ${WRITER}`,
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
    const statements = facts.exists
      ? [`alter role ${r} login password '${password}'`, `revoke ${other} from ${r}`, `grant ${l.group} to ${r}`]
      : [`create role ${r} login password '${password}' in role ${l.group}`];
    try {
      await sql.raw(statements.join('; ')).execute(tx);
    } catch (e) {
      throw privilegeNeeded(e);
    }
    out.push({ role: l.role, password, created: !facts.exists });
  }
  return out;
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
