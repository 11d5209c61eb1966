/**
 * Database logins of accounts. Only a server has them (a SQLite file has no logins: whoever can open the
 * file acts as the account they name); on PostgreSQL each account may have a login role of its own name,
 * see pg/access.ts.
 */
import { RuleError } from '../errors.js';
import type { Store, Tx } from './engine.js';

export interface IssuedLogin {
  login: string;
  /** The group role the login is a member of. */
  group: string;
  password: string;
  created: boolean;
}

/** Creates or updates the login of each account (lower-case name), with a new password. */
export async function issueLogins(store: Store, tx: Tx, accounts: { login: string; readOnly: boolean }[]): Promise<IssuedLogin[]> {
  if (store.engine !== 'postgres') {
    throw new RuleError('数据库文件没有登录账号（能打开文件的人以 --actor 指定的账号操作）：users login 只用于 PostgreSQL 服务器上的数据库（--db postgres://…）', [], [], 'no_logins');
  }
  const { READER, WRITER, setLoginRoles } = await import('./pg/access.js');
  const roles = accounts.map((a) => ({ role: a.login.toLowerCase(), group: a.readOnly ? READER : WRITER }) as const);
  const done = await setLoginRoles(tx, roles);
  return done.map((d, i) => ({ login: accounts[i]!.login, group: roles[i]!.group, password: d.password, created: d.created }));
}

/** An account disabled or enabled: on a server its login may no longer, or again, log in. */
export async function setLoginsEnabled(store: Store, tx: Tx, logins: string[], enabled: boolean): Promise<void> {
  if (store.engine !== 'postgres' || logins.length === 0) return;
  const { setRolesLogin } = await import('./pg/access.js');
  await setRolesLogin(tx, logins.map((l) => l.toLowerCase()), enabled);
}
