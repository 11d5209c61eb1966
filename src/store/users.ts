/** Queries of operator accounts. */
import type { Kysely } from 'kysely';
import { bulkInsertValues } from './bulk.js';
import { rawOf } from './engine.js';
import type { DB, UserTable } from './schema.js';
import type { StagedPage } from './staging.js';

export type Role = UserTable['role'];

export interface UserFields {
  login: string;
  name: string;
  orgId: number;
  role: Role;
  /** Required by the import sheet; the first administrator may have none. */
  phone: string | null;
  idNumber: string | null;
  email: string | null;
  title: string | null;
  note: string | null;
}

export interface User extends UserFields {
  id: number;
  agreementSignedOn: string | null;
  enabled: boolean;
  batchId: number | null;
  createdAt: string;
  updatedAt: string;
}

type Row = Omit<UserTable, 'id'> & { id: number };

function toUser(r: Row): User {
  return {
    id: r.id,
    login: r.login,
    name: r.name,
    orgId: r.org_id,
    role: r.role,
    phone: r.phone,
    idNumber: r.id_number,
    email: r.email,
    title: r.title,
    note: r.note,
    agreementSignedOn: r.agreement_signed_on,
    enabled: r.enabled === 1,
    batchId: r.batch_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function allUsers(db: Kysely<DB>): Promise<User[]> {
  return (await db.selectFrom('app_user').selectAll().orderBy('id').execute()).map(toUser);
}

export async function userByLogin(db: Kysely<DB>, login: string): Promise<User | undefined> {
  const r = await db.selectFrom('app_user').selectAll().where('login_key', '=', login.toLowerCase()).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

function columns(u: UserFields) {
  return {
    login: u.login,
    login_key: u.login.toLowerCase(),
    name: u.name,
    org_id: u.orgId,
    role: u.role,
    phone: u.phone,
    id_number: u.idNumber,
    email: u.email,
    title: u.title,
    note: u.note,
  };
}

const INSERT_COLUMNS = [
  'login', 'login_key', 'name', 'org_id', 'role', 'phone', 'id_number', 'email', 'title', 'note',
  'agreement_signed_on', 'enabled', 'batch_id', 'created_at', 'updated_at',
] as const;

export async function insertUsers(db: Kysely<DB>, users: UserFields[], extra: { at: string; batchId: number | null; agreementSignedOn?: string | null }): Promise<void> {
  const signed = extra.agreementSignedOn ?? null;
  await bulkInsertValues(
    db,
    'app_user',
    [...INSERT_COLUMNS],
    users.map((u) => [u.login, u.login.toLowerCase(), u.name, u.orgId, u.role, u.phone, u.idNumber, u.email, u.title, u.note, signed, 1, extra.batchId, extra.at, extra.at]),
  );
}

/**
 * An imported account as it waits in the staging table (StageColumns): the account's fields as app_user
 * stores them, then `existing`, the login_key of the account on file it updates (null: a new account).
 */
export const STAGED_USER_COLUMNS = ['login', 'login_key', 'name', 'org_id', 'role', 'phone', 'id_number', 'email', 'title', 'note', 'existing'] as const;

export function stagedUserRow(u: UserFields, existing: string | null): unknown[] {
  return [u.login, u.login.toLowerCase(), u.name, u.orgId, u.role, u.phone, u.idNumber, u.email, u.title, u.note, existing];
}

export function stagedUserFields(v: unknown[]): { fields: UserFields; existing: string | null } {
  const [login, , name, orgId, role, phone, idNumber, email, title, note, existing] = v as [string, string, string, number, Role, string | null, string | null, string | null, string | null, string | null, string | null];
  return { fields: { login, name, orgId, role, phone, idNumber, email, title, note }, existing };
}

/**
 * The new accounts of a page of staged rows (those with no `existing`), in order, with one INSERT … SELECT
 * from the staging table: the rows never come back into JavaScript. Only on SQLite with the staging table
 * on the same connection (`table` given); false elsewhere, where the caller inserts them (insertUsers).
 */
export function insertStagedUsers(db: Kysely<DB>, table: StagedPage<unknown>['table'], extra: { at: string; batchId: number | null }): boolean {
  const raw = rawOf(db);
  if (!raw || !table) return false;
  raw
    .prepare(
      `insert into app_user (${INSERT_COLUMNS.join(', ')})
       select login, login_key, name, org_id, role, phone, id_number, email, title, note, null, 1, ?, ?, ?
         from ${table.name} where bad = 0 and idx between ? and ? and existing is null order by idx`,
    )
    .run(extra.batchId, extra.at, extra.at, table.from, table.to);
  return true;
}

/** `clearAgreement`: the account now stands for another person or unit, whose agreement is not registered. */
export async function updateUserFields(db: Kysely<DB>, id: number, u: UserFields, at: string, batchId: number | null, clearAgreement = false): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ ...columns(u), updated_at: at, batch_id: batchId, ...(clearAgreement ? { agreement_signed_on: null } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function setUserFlags(db: Kysely<DB>, ids: number[], set: { enabled?: number; agreement_signed_on?: string }, at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('app_user').set({ ...set, updated_at: at }).where('id', 'in', ids).execute();
}
