/**
 * Database logins for accounts (a database on a PostgreSQL server): the 人民银行 管理员 gives accounts a
 * login role of their own, with a generated password, so that each unit signs in as itself instead of
 * naming an account. 查询员 get read-only logins; 管理员 and 操作员 logins that can write.
 */
import { RuleError } from '../../errors.js';
import type { Store } from '../../store/db.js';
import { issueLogins, type IssuedLogin } from '../../store/logins.js';
import { audit, authorize, type Actor } from '../core/index.js';
import { usersByLogins } from './users.js';

/**
 * Creates or renews the logins of `logins`; `deliver` receives the passwords inside the transaction, so a
 * password file that cannot be written leaves every login as it was. The audit log records who got a
 * login, never a password.
 */
export async function grantLogins(store: Store, who: Actor, logins: string[], deliver: (issued: IssuedLogin[]) => Promise<void>): Promise<IssuedLogin[]> {
  authorize(who, 'user.manage');
  return store.write(async (tx) => {
    const users = await usersByLogins(tx, logins);
    const disabled = users.filter((u) => !u.enabled);
    if (disabled.length > 0) throw new RuleError(`账号 ${disabled.map((u) => u.login).join('、')} 已停用，不能获得登录账号；请先启用（xypz users enable）`);
    const issued = await issueLogins(store, tx, users.map((u) => ({ login: u.login, readOnly: u.role === 'viewer' })));
    await deliver(issued);
    await audit(
      tx,
      who,
      issued.map((l) => ({ entity: 'login', entityId: l.login, after: { role: l.login.toLowerCase(), group: l.group, created: l.created } })),
    );
    return issued;
  });
}
