/**
 * Who is acting, and when: passed to every domain function that changes data. An actor is an existing,
 * enabled account with a signed confidentiality agreement (保密协议); what it may do is decided by policy.ts.
 */
import type { Kysely } from 'kysely';
import { NotFoundError, RuleError } from '../../errors.js';
import { appendAudit, type AuditInput } from '../../store/audit.js';
import type { DB } from '../../store/schema.js';
import { userByLogin } from '../../store/users.js';
import { Directory } from './directory.js';
import { decide, readScope, type Action, type Profile, type Target } from './policy.js';
import { CITY_CODE } from './reference.js';

export interface Actor {
  login: string;
  /** The command as typed, e.g. "org add". */
  command: string;
  now: Date;
  /** ISO date of today (XYPZ_TODAY wins): the default of every date. */
  today: string;
  /** The account acting; absent only while creating the database and its first administrator. */
  profile?: Profile;
}

/** Writes audit entries for the actor, in the caller's transaction. */
export function audit(tx: Kysely<DB>, who: Actor, entries: Omit<AuditInput, 'actor' | 'command'>[]): Promise<void> {
  return appendAudit(
    tx,
    who.now,
    entries.map((e) => ({ ...e, actor: who.login, command: who.command })),
  );
}

export async function loadProfile(db: Kysely<DB>, login: string, dir?: Directory): Promise<Profile> {
  const user = await userByLogin(db, login);
  if (!user) {
    const any = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
    if (!any) {
      throw new RuleError('数据库中还没有任何账号：请先创建管理员，xypz init --admin <登录账号> --name <姓名>', [], [], 'no_admin');
    }
    throw new NotFoundError(`操作人「${login}」不是本系统的账号：请用环境变量 XYPZ_ACTOR 或写在命令之前的 --actor（如 xypz --actor admin01 audit log）指定您的登录账号`);
  }
  if (!user.enabled) throw new RuleError(`账号 ${user.login} 已停用，不能操作`, [], [], 'disabled');
  if (!user.agreementSignedOn) {
    throw new RuleError(
      `账号 ${user.login} 尚未登记保密协议，不能操作或查看数据；请管理员登记：xypz users agreement ${user.login} --signed-on <日期>`,
      [],
      [],
      'agreement_unsigned',
    );
  }
  const d = dir ?? (await Directory.loadNames(db));
  const org = d.orgByIdOrThrow(user.orgId);
  return {
    login: user.login,
    name: user.name,
    role: user.role,
    org: { id: org.id, name: org.name, kind: org.kind, regionCode: org.regionCode, deptKind: org.deptKind },
    cityCode: d.city?.code ?? CITY_CODE,
  };
}

/** Throws (exit 4) when the actor may not do this. */
export function authorize(who: Actor, action: Action, target: Target = {}): void {
  if (!who.profile) throw new RuleError('需要操作人账号');
  const d = decide(who.profile, action, target);
  if (!d.ok) throw new RuleError(d.reason, [], [], 'forbidden');
}

/** The districts a listing is narrowed to: undefined for units that see every district. */
export function scopeRegions(who: Actor): string[] | undefined {
  if (!who.profile) return undefined;
  const scope = readScope(who.profile);
  return scope.all ? undefined : scope.regions;
}
