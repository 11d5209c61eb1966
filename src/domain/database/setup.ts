/** Creating a database and its first administrator: schema, reference data, audit, all or nothing. */
import type { Kysely } from 'kysely';
import { DataError, RuleError } from '../../errors.js';
import { localTimestamp } from '../../store/audit.js';
import { createDatabase, type OpenOptions, type Store } from '../../store/db.js';
import { DEFAULT_PROGRAMME_START, programmeStart, setProgrammeStart } from '../../store/recording.js';
import type { DB } from '../../store/schema.js';
import { insertUsers, userByLogin } from '../../store/users.js';
import { normaliseText } from '../../util/text.js';
import { audit, normaliseMobile, type Actor } from '../core/index.js';
import { seedEzhou, validLogin, validPersonName } from '../accounts/index.js';

export interface AdminInput {
  login: string;
  name: string;
  phone?: string;
}

function checkAdmin(input: AdminInput): AdminInput {
  const problems: string[] = [];
  const login = normaliseText(input.login);
  const name = normaliseText(input.name);
  if (!validLogin(login)) problems.push('--admin：登录账号应为 4–32 位字母、数字、下划线、点或连字符');
  if (!validPersonName(name)) problems.push('--name：姓名应为 2–20 个汉字或字母（可含“·”）');
  let phone: string | undefined;
  if (input.phone !== undefined) {
    phone = normaliseMobile(input.phone);
    if (!phone) problems.push('--phone：手机号码应为 11 位大陆手机号');
  }
  if (problems.length > 0) throw new DataError(problems.join('；'));
  return { login, name, phone };
}

/** Adds the first 人民银行 管理员 (agreement signed today), unless an administrator already exists. */
export async function addFirstAdmin(tx: Kysely<DB>, who: Actor, input: AdminInput): Promise<void> {
  const admin = checkAdmin(input);
  const pboc = await tx.selectFrom('org').select(['id', 'name']).where('kind', '=', 'pboc').orderBy('id').executeTakeFirst();
  if (!pboc) throw new RuleError('数据库中没有人民银行机构（用 --seed none 创建？），无法创建管理员；请先 xypz org add 添加人民银行');
  const existing = await tx
    .selectFrom('app_user')
    .innerJoin('org', 'org.id', 'app_user.org_id')
    .select(['app_user.login'])
    .where('org.kind', '=', 'pboc')
    .where('app_user.role', '=', 'admin')
    .executeTakeFirst();
  if (existing) {
    throw new RuleError(`已有人民银行管理员 ${existing.login}，未做改动；其他账号请由管理员用 xypz users import 导入`, [], [], 'admin_exists');
  }
  if (await userByLogin(tx, admin.login)) throw new RuleError(`账号 ${admin.login} 已存在（不是启用的人民银行管理员），请换一个登录账号`);
  await insertUsers(
    tx,
    [{ login: admin.login, name: admin.name, orgId: pboc.id, role: 'admin', phone: admin.phone ?? null, idNumber: null, email: null, title: null, note: '首个管理员（xypz init --admin）' }],
    { at: localTimestamp(who.now), batchId: null, agreementSignedOn: who.today },
  );
  await audit(tx, who, [{ entity: 'user', entityId: admin.login, after: { login: admin.login, name: admin.name, org: pboc.name, role: 'admin', agreement_signed_on: who.today } }]);
}

/**
 * The programme's start: no event may be dated before it (DEFAULT_PROGRAMME_START, the day after the
 * notice, unless init is told otherwise). It may not be after the day the database is made.
 */
function checkStart(start: string, today: string): void {
  if (start > today) throw new DataError(`--start：项目开始日期 ${start} 晚于今天（${today}）`);
}

export async function initDatabase(
  path: string,
  who: Actor,
  seed: 'ezhou' | 'none',
  admin?: AdminInput,
  opts: OpenOptions = {},
  start: string = DEFAULT_PROGRAMME_START,
): Promise<{ regions: number; orgs: number }> {
  if (admin) checkAdmin(admin); // fail before creating anything
  checkStart(start, who.today);
  let counts = { regions: 0, orgs: 0 };
  await createDatabase(
    path,
    async (store) => {
      counts = await fillNewDatabase(store, who, seed, admin, start);
    },
    opts,
  );
  return counts;
}

/**
 * The first records of an empty database, in one transaction: the audit log's first entry, the programme's
 * start, the reference data, the administrator.
 */
export async function fillNewDatabase(store: Store, who: Actor, seed: 'ezhou' | 'none', admin?: AdminInput, start: string = DEFAULT_PROGRAMME_START): Promise<{ regions: number; orgs: number }> {
  return store.write(async (tx) => {
    await audit(tx, who, [{ entity: 'database', entityId: null, after: { seed, start } }]);
    await setProgrammeStart(tx, start);
    const counts = seed === 'ezhou' ? await seedEzhou(tx, who) : { regions: 0, orgs: 0 };
    if (admin) await addFirstAdmin(tx, who, admin);
    return counts;
  }, { today: who.today });
}

export async function addAdminToExisting(store: Store, who: Actor, admin: AdminInput): Promise<void> {
  await store.write((tx) => addFirstAdmin(tx, who, admin));
}

/** The programme's start as the database records it (init --start; 2023-12-28 for one upgraded from before). */
export function programmeStartOf(store: Store): Promise<string> {
  return store.read((tx) => programmeStart(tx));
}
