/** Queries of operator accounts. */
import type { Kysely } from 'kysely';
import { bulkInsertValues } from './bulk.js';
import type { DB, UserTable } from './schema.js';

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
