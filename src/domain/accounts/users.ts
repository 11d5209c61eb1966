/**
 * Operator accounts (docs/formats.md, docs/roles.md): the 用户信息批量导入表 rules, agreements, enabling and disabling.
 */
import type { Kysely, Selectable } from 'kysely';
import { DataError, NotFoundError, RuleError, UsageError, XypzError } from '../../errors.js';
import type { ColumnSpec } from '../../import/header.js';
import type { ImportSpec, Loc, RowReader } from '../imports/index.js';
import { localTimestamp } from '../../store/audit.js';
import type { Store } from '../../store/db.js';
import type { Org } from '../../store/reference.js';
import type { DB, UserTable } from '../../store/schema.js';
import { allUsers, insertStagedUsers, insertUsers, setUserFlags, stagedUserFields, stagedUserRow, STAGED_USER_COLUMNS, updateUserFields, userByLogin, type Role, type User, type UserFields } from '../../store/users.js';
import { setLoginsEnabled } from '../../store/logins.js';
import { normaliseText, quote } from '../../util/text.js';
import {
  audit,
  authorize,
  checkIdNumber,
  codec,
  decide,
  defineRecord,
  field,
  maskId,
  maskPhone,
  normaliseMobile,
  ORG_KIND_LABEL,
  parseOrgKind,
  readScope,
  ROLE_LABEL,
  unitCovers,
  validEmail,
  type Actor,
  type Directory,
  type Profile,
  type RowOf,
  type SameShape,
  type ValuesOf,
} from '../core/index.js';

export { ROLE_LABEL };

export function parseRole(input: string): Role | undefined {
  const s = normaliseText(input).toLowerCase();
  for (const [role, label] of Object.entries(ROLE_LABEL) as [Role, string][]) if (s === role || s === label) return role;
  return undefined;
}

/**
 * The operator account, declared once (docs/records.md): its storage columns, its columns in the 用户信息批量导入表
 * (the organisation is written by name, with its kind and district after it), and its identity: the login (compared
 * without case, as the store keeps it in login_key). A re-imported row of a login on file updates the account in
 * place when any field it fills differs.
 */
export const ACCOUNT = defineRecord({
  login: field('login', codec.text, { identity: true, sheet: { key: 'login', title: '登录账号', aliases: ['账号', '用户账号', '登录名', '用户名'], required: true } }),
  name: field('name', codec.text, { identity: false, sheet: { key: 'name', title: '用户姓名', aliases: ['姓名'], required: true } }),
  orgId: field('org_id', codec.int, { identity: false, sheet: { key: 'org', title: '所属机构', aliases: ['机构名称', '单位', '所在单位', '工作单位'], required: true } }),
  role: field('role', codec.oneOf(['admin', 'operator', 'viewer'] as const), { identity: false, sheet: { key: 'role', title: '用户角色', aliases: ['角色'], required: true } }),
  phone: field('phone', codec.textOrNull, { identity: false, sheet: { key: 'phone', title: '手机号码', aliases: ['手机号', '手机', '联系电话', '移动电话'], required: true } }),
  idNumber: field('id_number', codec.textOrNull, { identity: false, sheet: { key: 'idNumber', title: '身份证号码', aliases: ['身份证号', '身份证'] } }),
  email: field('email', codec.textOrNull, { identity: false, sheet: { key: 'email', title: '电子邮箱', aliases: ['邮箱', 'email', 'e-mail'] } }),
  title: field('title', codec.textOrNull, { identity: false, sheet: { key: 'title', title: '职务', aliases: ['职位'] } }),
  note: field('note', codec.textOrNull, { identity: false, sheet: { key: 'note', title: '备注', multiline: true } }),
});

/** The definition's values are the store's account fields, and its columns the store's table but for the bookkeeping ones (a field on one side alone fails here). */
export const _accountFields: SameShape<ValuesOf<typeof ACCOUNT.fields>, UserFields> = true;
export const _accountStorage: SameShape<
  RowOf<typeof ACCOUNT.fields>,
  Omit<Selectable<UserTable>, 'id' | 'login_key' | 'agreement_signed_on' | 'enabled' | 'batch_id' | 'created_at' | 'updated_at'>
> = true;

/** The organisation's own columns in the sheet, after 所属机构: its kind and district, to tell alike names apart. */
const ORG_COLUMNS: ColumnSpec[] = [
  { key: 'orgKind', title: '机构类型', required: true },
  { key: 'region', title: '所属区域', aliases: ['区域', '所在区域'], required: true },
];

/** 序号, then the account's columns as its definition gives them, the organisation's kind and district after it. */
export const USER_COLUMNS: ColumnSpec[] = [
  { key: 'serial', title: '序号', aliases: ['编号'] },
  ...ACCOUNT.sheet.flatMap(({ name, column: { width: _, ...c } }) => (name === 'orgId' ? [c, ...ORG_COLUMNS] : [c])),
];

const LOGIN = /^[A-Za-z0-9_.-]{4,32}$/;
const PERSON_NAME = /^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z·. ]*$/u;

export function validLogin(s: string): boolean {
  return LOGIN.test(s);
}

export function validPersonName(s: string): boolean {
  const n = Array.from(s).length;
  return n >= 2 && n <= 20 && PERSON_NAME.test(s);
}
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;
const MASKED_ID = /^\d{4}\*{10}\d{3}[\dX]$/;

/** A parsed row (JSON-serialisable): the fields and, for an update, the existing login. */
export interface ImportedUser {
  fields: UserFields;
  existing?: string;
}

/** Everything the import needs from the database, loaded once. */
export interface UserImportContext {
  dir: Directory;
  byLogin: Map<string, User>;
  /** Existing accounts by phone: a phone belongs to one login only. */
  byPhone: Map<string, User>;
  reviewer?: Org;
  /** The importing account: what it may create or change. */
  actor?: Profile;
}

async function loadUserImportContext(db: Kysely<DB>, dir: Directory, reviewer?: Org, actor?: Profile): Promise<UserImportContext> {
  const users = await allUsers(db);
  const byPhone = new Map<string, User>();
  for (const u of users) if (u.phone) byPhone.set(u.phone, u);
  return { dir, byLogin: new Map(users.map((u) => [u.login.toLowerCase(), u])), byPhone, reviewer, actor };
}

/**
 * An import of account sheets by `who`, reviewed by `reviewedBy` (a 金融办 or the PBOC). A 金融办 imports
 * the sheets it reviewed itself, its own district's; the permission is checked before any file is read.
 */
export async function prepareUserImport(db: Kysely<DB>, dir: Directory, who: Actor, reviewedBy?: string): Promise<{ spec: ImportSpec<ImportedUser>; reviewerOrgId: number | null }> {
  const own = who.profile!.org;
  let reviewer = reviewedBy ? dir.org(reviewedBy) : undefined;
  if (reviewer && reviewer.kind !== 'finance-office' && reviewer.kind !== 'pboc') {
    throw new UsageError(`--reviewed-by 应为金融办或人民银行，${reviewer.name}不是`);
  }
  if (own.kind === 'finance-office') {
    if (reviewer && reviewer.id !== own.id) throw new RuleError(`${own.name}只能以本单位名义审核导入（--reviewed-by ${own.name}）`);
    reviewer = dir.orgByIdOrThrow(own.id);
  }
  const region = reviewer?.regionCode ?? own.regionCode;
  authorize(who, 'user.import', { region, regionName: dir.regionName(region) });
  return { spec: userImportSpec(await loadUserImportContext(db, dir, reviewer, who.profile)), reviewerOrgId: reviewer?.id ?? null };
}

function orgProblem(dir: Directory, name: string): string {
  try {
    dir.org(name);
    return '';
  } catch (e) {
    return (e as XypzError).message;
  }
}

/** Validates one sheet row into account fields, reporting every problem of the row. */
export function parseUserRow(row: RowReader, c: UserImportContext): ImportedUser | undefined {
  const required = (key: string) => {
    const v = row.text(key);
    if (!v) row.fail(key, '必填，不能为空');
    return v;
  };
  const login = required('login');
  if (login && !LOGIN.test(login)) row.fail('login', '登录账号应为 4–32 位字母、数字、下划线、点或连字符');
  const existing = login ? c.byLogin.get(login.toLowerCase()) : undefined;

  const name = required('name').replace(/[•・‧∙]/g, '·');
  if (name && !validPersonName(name)) {
    row.fail('name', '用户姓名应为 2–20 个汉字或字母（可含“·”）');
  }

  const orgName = required('org');
  const org = orgName ? c.dir.findOrg(orgName) : undefined;
  if (orgName && !org) row.fail('org', orgProblem(c.dir, orgName));

  const kindText = required('orgKind');
  const kind = kindText ? parseOrgKind(kindText) : undefined;
  if (kindText && !kind) row.fail('orgKind', `机构类型应为 ${Object.values(ORG_KIND_LABEL).join('/')}`);
  else if (kind && org && kind !== org.kind) row.fail('orgKind', `与所属机构不符：${org.name}是${ORG_KIND_LABEL[org.kind]}`);

  const regionText = required('region');
  const region = regionText ? c.dir.findRegion(regionText) : undefined;
  if (regionText && !region) row.fail('region', c.dir.unknownRegion());
  else if (region && org && region.code !== org.regionCode) {
    row.fail('region', `与所属机构不符：${org.name}属于${c.dir.regionName(org.regionCode)}`);
  }
  const city = c.dir.city?.code ?? '';
  if (region && c.reviewer && !unitCovers(c.reviewer, region.code, city)) {
    row.fail('region', `不属于审核单位${c.reviewer.name}的辖区`);
  }
  // An existing account may be changed only by a unit that covers where it is now; 人民银行 accounts and
  // administrators only by a 人民银行 管理员.
  const pbocAdmin = !c.actor || (c.actor.org.kind === 'pboc' && c.actor.role === 'admin');
  if (existing && c.actor) {
    const now = c.dir.orgByIdOrThrow(existing.orgId);
    if (!unitCovers(c.actor.org, now.regionCode, city)) row.fail('login', `账号 ${existing.login} 属于${now.name}，不在${c.actor.org.name}的管理范围`);
    else if (!pbocAdmin && (now.kind === 'pboc' || existing.role === 'admin')) row.fail('login', `账号 ${existing.login} 是人民银行账号或管理员，只有人民银行管理员可以修改`);
  }
  // A 金融办 turning a department's or bank's account into one of its own operators would hand that
  // unit's account, with its registered agreement, to someone else: refused outright (exit 4).
  if (existing && org && c.actor?.org.kind === 'finance-office' && org.kind === 'finance-office') {
    const now = c.dir.orgByIdOrThrow(existing.orgId);
    if (now.kind === 'department' || now.kind === 'bank') {
      throw new RuleError(
        `${where(row.loc)}：账号 ${existing.login} 属于${now.name}（${ORG_KIND_LABEL[now.kind]}），金融办不能把它改为${org.name}的账号；新人员请用新的登录账号，原账号由${now.name}申请停用。本批次未导入`,
        [{ ...row.loc, column: 'login', value: existing.login, message: `账号 ${existing.login} 属于${now.name}，金融办不能把它改为${org.name}的账号` }],
        [],
        'forbidden',
      );
    }
  }
  if (!pbocAdmin && ((org && org.kind === 'pboc') || parseRole(row.text('role')) === 'admin')) {
    row.fail(org?.kind === 'pboc' ? 'org' : 'role', '人民银行账号和管理员只能由人民银行管理员导入');
  }

  const roleText = required('role');
  const role = roleText ? parseRole(roleText) : undefined;
  if (roleText && !role) row.fail('role', '用户角色应为 管理员/操作员/查询员');

  // Required, except that an existing account created without one (the first administrator) may stay so.
  const phoneText = existing && existing.phone === null ? row.text('phone') : required('phone');
  let phone: string | null | undefined = phoneText ? undefined : null;
  if (phoneText && MASKED_PHONE.test(phoneText) && existing?.phone && maskPhone(existing.phone) === phoneText) phone = existing.phone;
  else if (phoneText && MASKED_PHONE.test(phoneText)) row.fail('phone', '手机号码是掩码（含 ****），只能用于已有账号的原号码；请填写完整号码');
  else if (phoneText) {
    phone = normaliseMobile(phoneText);
    if (!phone) row.fail('phone', '手机号码应为 11 位、以 1 开头的大陆手机号');
  }
  const owner = phone ? c.byPhone.get(phone) : undefined;
  if (owner && owner.login.toLowerCase() !== login.toLowerCase()) {
    row.fail('phone', `该手机号码已被账号 ${owner.login}（${owner.name}）使用（如要换号，请先修改该账号）`);
  }

  const idCell = row.cell('idNumber');
  let idNumber: string | null = null;
  if (idCell.text) {
    if ((idCell.kind === 'number' && (idCell.num ?? 0) >= 1e15) || /^\d(\.\d+)?e\+?\d+$/i.test(idCell.text)) {
      row.fail('idNumber', '身份证号码以数字格式保存，Excel 只保留 15 位有效数字，末尾几位已丢失，无法恢复：请把该列设为“文本”后重新填写');
    } else if (MASKED_ID.test(idCell.text) && existing?.idNumber && maskId(existing.idNumber) === idCell.text) {
      idNumber = existing.idNumber;
    } else {
      const r = checkIdNumber(idCell.text);
      if (r.ok) idNumber = r.id;
      else row.fail('idNumber', r.reason);
    }
  }

  const email = row.text('email') || null;
  if (email && !validEmail(email)) row.fail('email', '电子邮箱格式不对');
  const title = row.text('title') || null;
  if (title && Array.from(title).length > 50) row.fail('title', '职务不超过 50 字');
  const note = row.text('note') || null;
  if (note && Array.from(note).length > 200) row.fail('note', '备注不超过 200 字');

  if (row.problems.length > 0 || !org || !role || phone === undefined) return undefined;
  return { fields: { login, name, orgId: org.id, role, phone, idNumber, email, title, note }, existing: existing?.login.toLowerCase() };
}

function where(loc: Loc): string {
  return `${loc.file}${loc.sheet ? `「${loc.sheet}」` : ''}第 ${loc.row} 行`;
}

/**
 * What makes an update another person's or another unit's account: a different name, a different ID number
 * (filling in a missing one is not), a different organisation. Its agreement then no longer covers it. The
 * importing account's own name or ID corrected by its holder is the same person.
 */
function personOrUnitChange(before: User, after: UserFields, self: boolean): string[] {
  const what: string[] = [];
  if (!self && before.name !== after.name) what.push('姓名');
  if (!self && before.idNumber !== null && before.idNumber !== after.idNumber) what.push('身份证号码');
  if (before.orgId !== after.orgId) what.push('所属机构');
  return what;
}

/** Nothing to update: the login as written (its case too) and every field the sheet fills (the definition's). */
function sameFields(a: UserFields, b: UserFields): boolean {
  return a.login === b.login && ACCOUNT.sameFilled(a, b);
}

/** What the audit log keeps of an account: personal numbers masked. */
export function auditView(u: UserFields, dir?: Directory): Record<string, unknown> {
  return {
    login: u.login,
    name: u.name,
    org: dir ? dir.orgByIdOrThrow(u.orgId).name : u.orgId,
    role: u.role,
    phone: u.phone === null ? null : maskPhone(u.phone),
    id_number: u.idNumber ? maskId(u.idNumber) : null,
    email: u.email,
    title: u.title,
    note: u.note,
  };
}

export function userImportSpec(c: UserImportContext): ImportSpec<ImportedUser> {
  return {
    kind: 'users',
    columns: USER_COLUMNS,
    parseRow: (row) => parseUserRow(row, c),
    uniqueKeys: (r) => [
      { column: 'login', key: r.fields.login.toLowerCase() },
      { column: 'phone', key: r.fields.phone ?? '' },
    ],
    // Staged as columns; a page's new accounts go from the staging table into app_user in one statement.
    stage: {
      names: STAGED_USER_COLUMNS,
      toRow: (r) => stagedUserRow(r.fields, r.existing ?? null),
      fromRow: (v) => {
        const { fields, existing } = stagedUserFields(v);
        return existing === null ? { fields } : { fields, existing };
      },
    },
    async applyPage(tx, page, locOf, who, batchId) {
      const at = localTimestamp(who.now);
      const entries: Parameters<typeof audit>[2] = [];
      const warnings: string[] = [];
      let updated = 0;
      let unchanged = 0;
      const isNew = { column: 'existing', isNull: true };
      // Rows of accounts on file: each compared with it, and updated or left as it is.
      for (const { record, loc: staged } of page.items({ ...isNew, isNull: false })) {
        const { fields } = record;
        // (parseUserRow names an existing account only from the context's accounts)
        const existing = c.byLogin.get(record.existing!)!;
        const loc = locOf(staged);
        if (sameFields(existing, fields)) {
          unchanged += 1;
        } else {
          // Another person or unit behind the account: its agreement is void until the PBOC records a new one.
          const changed = personOrUnitChange(existing, fields, existing.login.toLowerCase() === who.login.toLowerCase());
          const clear = changed.length > 0 && existing.agreementSignedOn !== null;
          await updateUserFields(tx, existing.id, fields, at, batchId, clear);
          const before = { ...auditView(existing, c.dir), ...(clear ? { agreement_signed_on: existing.agreementSignedOn } : {}) };
          const after = { ...auditView(fields, c.dir), ...(clear ? { agreement_signed_on: null } : {}) };
          entries.push({ entity: 'user', entityId: fields.login, before, after });
          if (clear) {
            warnings.push(
              `${where(loc)}：账号 ${fields.login} 的${changed.join('、')}已改变，原保密协议登记已清除；该账号在人民银行登记新的保密协议（xypz users agreement ${fields.login} --signed-on <日期>）之前不能操作`,
            );
          }
          updated += 1;
        }
      }
      const fresh = page.values('login', isNew) as string[];
      if (fresh.length > 0 && !insertStagedUsers(tx, page.table, { at, batchId })) {
        await insertUsers(tx, page.items(isNew).map((it) => it.record.fields), { at, batchId });
      }
      // Only a PBOC administrator's file may change a PBOC account or an administrator (parseUserRow refuses
      // the rest), so only such a file can leave none. A unit's own login on the server cannot even read the
      // PBOC's accounts, and would count none.
      if (!c.actor || (c.actor.org.kind === 'pboc' && c.actor.role === 'admin')) await requireAnAdministrator(tx);
      // Additions are recorded as one entry naming every added login (the rows themselves carry batch_id);
      // each update keeps its own before/after.
      if (fresh.length > 0) {
        entries.unshift({ entity: 'user', entityId: `batch:${batchId ?? 'dry-run'}`, after: { added: fresh } });
      }
      await audit(tx, who, entries);
      return { added: fresh.length, updated, unchanged, warnings };
    },
  };
}

export interface UserFilter {
  district?: string;
  org?: string;
  role?: Role;
  unsigned?: boolean;
  disabled?: boolean;
  /** Full phone and ID numbers: needs the reveal permission, and is audited by the caller's recordReveal. */
  reveal?: boolean;
}

/** Accounts the actor may see (its unit's scope), filtered. */
export async function listUsers(db: Kysely<DB>, dir: Directory, who: Actor, f: UserFilter): Promise<User[]> {
  authorize(who, 'user.read');
  if (f.reveal) authorize(who, 'user.reveal');
  const region = f.district ? dir.region(f.district) : undefined;
  const org = f.org ? dir.org(f.org) : undefined;
  const scope = readScope(who.profile!);
  return (await allUsers(db)).filter(
    (u) =>
      (scope.all || (scope.regions as string[]).includes(dir.orgByIdOrThrow(u.orgId).regionCode)) &&
      (!region || dir.orgByIdOrThrow(u.orgId).regionCode === region.code) &&
      (!org || u.orgId === org.id) &&
      (!f.role || u.role === f.role) &&
      (!f.unsigned || u.agreementSignedOn === null) &&
      (f.disabled === undefined || u.enabled === !f.disabled),
  );
}

/**
 * One account, for a unit that may see it. An account outside the actor's districts is as unknown as a login
 * never given: a refusal would confirm the login and name its district.
 */
export async function showUser(db: Kysely<DB>, dir: Directory, who: Actor, login: string, reveal: boolean): Promise<User> {
  authorize(who, 'user.read');
  const u = await userByLogin(db, normaliseText(login));
  const region = u ? dir.orgByIdOrThrow(u.orgId).regionCode : undefined;
  if (!u || !decide(who.profile!, 'user.read', { region, regionName: dir.regionName(region!) }).ok) throw new NotFoundError(`没有可查看的账号：${quote(login)}`);
  if (reveal) authorize(who, 'user.reveal');
  return u;
}

/** Accounts the actor is about to change (shown in a confirmation first). */
export async function usersToManage(db: Kysely<DB>, who: Actor, logins: string[]): Promise<User[]> {
  authorize(who, 'user.manage');
  return usersByLogins(db, logins);
}

/** Resolves logins; every unknown one is listed (exit 5). */
export async function usersByLogins(db: Kysely<DB>, logins: string[]): Promise<User[]> {
  const found: User[] = [];
  const missing: string[] = [];
  for (const l of logins) {
    const u = await userByLogin(db, normaliseText(l));
    if (u) found.push(u);
    else missing.push(l);
  }
  if (missing.length > 0) throw new NotFoundError(`没有这些账号：${missing.map((m) => quote(m)).join('、')}`);
  return found;
}

export async function setAgreement(store: Store, who: Actor, logins: string[], signedOn: string): Promise<User[]> {
  authorize(who, 'user.manage');
  if (signedOn > who.today) throw new DataError(`签署日期 ${signedOn} 晚于今天（${who.today}）`);
  return store.write(async (tx) => {
    const users = await usersByLogins(tx, logins);
    await setUserFlags(tx, users.map((u) => u.id), { agreement_signed_on: signedOn }, localTimestamp(who.now));
    await audit(
      tx,
      who,
      users.map((u) => ({ entity: 'user', entityId: u.login, before: { agreement_signed_on: u.agreementSignedOn }, after: { agreement_signed_on: signedOn } })),
    );
    return users;
  });
}

/**
 * Refuses (rolling the change back) anything that leaves no 人民银行 管理员 able to act: enabled, with a
 * registered agreement (only such an administrator can register anyone else's).
 */
export async function requireAnAdministrator(tx: Kysely<DB>): Promise<void> {
  const any = await tx
    .selectFrom('app_user')
    .innerJoin('org', 'org.id', 'app_user.org_id')
    .select('app_user.id')
    .where('org.kind', '=', 'pboc')
    .where('app_user.role', '=', 'admin')
    .where('app_user.enabled', '=', 1)
    .where('app_user.agreement_signed_on', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  if (!any) throw new RuleError('这样改动后将没有启用的人民银行管理员（已登记保密协议、能够操作），未做改动');
}

export async function setEnabled(store: Store, who: Actor, logins: string[], enabled: boolean): Promise<{ changed: User[]; already: User[] }> {
  authorize(who, 'user.manage');
  return store.write(async (tx) => {
    const users = await usersByLogins(tx, logins);
    if (!enabled && users.some((u) => u.login.toLowerCase() === who.login.toLowerCase())) {
      throw new RuleError('不能停用自己的账号');
    }
    const changed = users.filter((u) => u.enabled !== enabled);
    await setUserFlags(tx, changed.map((u) => u.id), { enabled: enabled ? 1 : 0 }, localTimestamp(who.now));
    if (!enabled) await requireAnAdministrator(tx);
    await setLoginsEnabled(store, tx, changed.map((u) => u.login), enabled);
    await audit(tx, who, changed.map((u) => ({ entity: 'user', entityId: u.login, before: { enabled: u.enabled }, after: { enabled } })));
    return { changed, already: users.filter((u) => u.enabled === enabled) };
  });
}

/** A reveal of personal numbers is itself recorded. */
export async function recordReveal(store: Store, who: Actor, what: string, logins: string[]): Promise<void> {
  authorize(who, 'user.reveal');
  await store.write((tx) => audit(tx, who, [{ entity: 'reveal', entityId: what, after: { logins: logins.length > 50 ? [...logins.slice(0, 50), `…共 ${logins.length} 个`] : logins } }]));
}

export async function listBatches(db: Kysely<DB>, who: Actor, kind: string) {
  authorize(who, 'user.manage');
  return db.selectFrom('import_batch').selectAll().where('kind', '=', kind).orderBy('id').execute();
}
