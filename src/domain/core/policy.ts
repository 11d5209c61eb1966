/**
 * Who may do what: one decision function over (actor, action, target), tested as a table.
 *
 * - 人民银行 管理员: everything, including --reveal, restore and user management.
 * - 人民银行 操作员: every workflow command; no user management, no --reveal, no database administration.
 * - 金融办 (a district's, or the city's for all districts): workflow commands for enterprises of its district,
 *   including loans by any bank and satisfaction ratings; importing the user sheets of its own district.
 * - 政府部门: recommending for its own department and district; completing coaching items assigned to it.
 * - 金融机构: loans it makes itself and coaching items for enterprises whose current lead bank it is, and its
 *   own feedback. Never a satisfaction rating: that is the enterprise's view of the bank's service, so a bank
 *   may not record it for a firm it leads or led that year (and other firms are outside its scope).
 * - 查询员 of any unit: read-only, within the scope of its unit: no import of any kind, not even a dry run.
 * An import (data.import) is open to the units that may do what its rows do (IMPORTERS); each row is then
 * decided as its command would be, and a returned collection workbook (collect.return) is recorded only by
 * its own unit, the 人民银行 or the city's 金融办.
 * Refusals name the rule, e.g. "华容区金融办的操作员不能确认鄂城区的名单".
 */
import type { Role } from '../../store/users.js';
import { ORG_KIND_LABEL, type OrgKind } from './reference.js';

export type { Role };

export interface Profile {
  login: string;
  name: string;
  role: Role;
  org: { id: number; name: string; kind: OrgKind; regionCode: string; deptKind: string | null };
  /** The city's region code: a city-level 金融办 oversees every district. */
  cityCode: string;
}

export type Action =
  | 'org.manage'
  | 'user.read'
  | 'user.manage'
  | 'user.import'
  | 'user.reveal'
  | 'db.admin'
  | 'audit.read'
  | 'case.read'
  /** District-wide views: the list (pool show), the district ledger. */
  | 'district.read'
  | 'case.recommend'
  | 'case.declare'
  | 'case.verify'
  | 'pool.confirm'
  | 'pool.filing'
  | 'pool.capacity'
  | 'case.assign'
  | 'case.loan'
  | 'coach.add'
  | 'coach.close'
  | 'case.reclassify'
  | 'case.close'
  | 'case.satisfaction'
  | 'feedback.add'
  | 'report.read'
  /** Running an import of a kind (Target.importKind), before any row is read or anything written. */
  | 'data.import'
  /** Recording a unit's returned collection workbook and the day it was received (Target.unitOrgId). */
  | 'collect.return';

/** The kinds of import (each is an import_batch kind). */
export type ImportKind = 'users' | 'orgs' | 'declarations' | 'feedback' | 'recommend' | 'assign' | 'satisfaction' | 'collect';

export const IMPORT_LABEL: Record<ImportKind, string> = {
  users: '用户信息表',
  orgs: '机构表',
  declarations: '申报表',
  feedback: '月度反馈表',
  recommend: '推荐名单',
  assign: '主办行确定表',
  satisfaction: '满意度调查结果',
  collect: '月度报送表',
};

/**
 * The units that may run each import at all (an operator or administrator; never a 查询员). What a row
 * does is then decided row by row, as its command would decide it (e.g. a department's recommendation only
 * in its own name, a bank's loans only its own).
 */
export const IMPORTERS: Record<ImportKind, OrgKind[]> = {
  users: ['pboc', 'finance-office'],
  orgs: ['pboc'],
  declarations: ['pboc', 'finance-office'],
  feedback: ['pboc', 'finance-office', 'bank'],
  recommend: ['pboc', 'finance-office', 'department'],
  assign: ['pboc', 'finance-office'],
  satisfaction: ['pboc', 'finance-office'],
  collect: ['pboc', 'finance-office', 'department', 'bank'],
};

export interface Target {
  /** The district concerned (the enterprise's, the list's, the feedback's, the account's). */
  region?: string;
  regionName?: string;
  /** The recommending department (recommend). */
  deptOrgId?: number;
  /** The case's current lead bank. */
  leadBankId?: number | null;
  /** The organisation a coaching item is forwarded to. */
  itemOrgId?: number;
  /** A bank's own feedback. */
  bankOrgId?: number;
  /** The bank making a loan (case.loan). */
  lenderOrgId?: number;
  /** The banks that led the case in the year of a rating (case.satisfaction). */
  ledInYear?: number[];
  /** The import being run (data.import). */
  importKind?: ImportKind;
  /** The unit whose collection workbook is returned (collect.return), and its name. */
  unitOrgId?: number;
  unitName?: string;
}

export type Decision = { ok: true } | { ok: false; reason: string };

export const ROLE_LABEL: Record<Role, string> = { admin: '管理员', operator: '操作员', viewer: '查询员' };

const READS = new Set<Action>(['user.read', 'audit.read', 'case.read', 'district.read', 'report.read']);

/** What the action is, in a refusal: "确认鄂城区的名单". */
function describe(action: Action, t: Target): string {
  const where = t.regionName ?? '';
  const labels: Record<Action, string> = {
    'org.manage': '维护机构基础数据',
    'user.read': `查看${where || '这些'}账号`,
    'user.manage': '管理用户账号',
    'user.import': `导入${where}的用户信息表`,
    'user.reveal': '查看完整的手机号和身份证号（--reveal）',
    'db.admin': '备份、恢复或升级数据库',
    'audit.read': '查看审计日志',
    'case.read': `查看${where}的企业`,
    'district.read': `查看${where || '各区'}的名单和台账`,
    'case.recommend': `推荐${where}的企业`,
    'case.declare': `录入${where}企业的申报`,
    'case.verify': `核查${where}的企业`,
    'pool.confirm': `确认${where}的名单`,
    'pool.filing': `报备${where}的名单`,
    'pool.capacity': `设置${where}的名单容量`,
    'case.assign': `确定${where}企业的主办行`,
    'case.loan': `登记${where}企业的授信或放款`,
    'coach.add': `为${where}的企业添加辅导事项`,
    'coach.close': '办结这项辅导事项',
    'case.reclassify': `调整${where}企业的分类`,
    'case.close': `办结${where}的企业`,
    'case.satisfaction': `登记${where}企业的满意度`,
    'feedback.add': `报送${where}的月度反馈`,
    'report.read': `查看${where || '全市'}的报表`,
    'data.import': `导入${t.importKind ? IMPORT_LABEL[t.importKind] : '数据'}`,
    'collect.return': `登记${t.unitName ?? '其他单位'}交回的报送表`,
  };
  return labels[action];
}

function refuse(p: Profile, action: Action, t: Target, why?: string): Decision {
  return { ok: false, reason: `${p.org.name}的${ROLE_LABEL[p.role]}不能${describe(action, t)}${why ? `（${why}）` : ''}` };
}

/** Whether a unit covers a district: 人民银行 and the city's 金融办 cover all, others their own. */
export function unitCovers(org: { kind: OrgKind; regionCode: string }, region: string | undefined, cityCode: string): boolean {
  if (org.kind === 'pboc') return true;
  if (org.kind === 'finance-office' && org.regionCode === cityCode) return true;
  return region !== undefined && region === org.regionCode;
}

function coversRegion(p: Profile, region: string | undefined): boolean {
  return unitCovers(p.org, region, p.cityCode);
}

/** A bank acting on a firm it does not lead. */
const NOT_LEAD_BANK = '只能办理本行主办的企业';

export function decide(p: Profile, action: Action, t: Target = {}): Decision {
  const read = READS.has(action);
  if (!read && p.role === 'viewer') return refuse(p, action, t, '查询员只能查询');
  const kind = p.org.kind;
  if (action === 'data.import') {
    if (t.importKind === undefined || !IMPORTERS[t.importKind].includes(kind)) {
      const mine = (Object.keys(IMPORTERS) as ImportKind[]).filter((k) => IMPORTERS[k].includes(kind)).map((k) => IMPORT_LABEL[k]);
      return refuse(p, action, t, `${ORG_KIND_LABEL[kind]}可导入的是${mine.join('、')}`);
    }
    if (t.importKind === 'users' && kind === 'pboc' && p.role !== 'admin') return refuse(p, action, t, '仅限人民银行管理员');
    return { ok: true };
  }
  if (action === 'collect.return') {
    const all = kind === 'pboc' || (kind === 'finance-office' && p.org.regionCode === p.cityCode);
    return all || t.unitOrgId === p.org.id ? { ok: true } : refuse(p, action, t, '只能导入本单位的报送表');
  }

  if (kind === 'pboc') {
    if (p.role === 'admin') return { ok: true };
    if (action === 'user.manage' || action === 'user.import' || action === 'user.reveal' || action === 'db.admin') {
      return refuse(p, action, t, '仅限人民银行管理员');
    }
    return { ok: true };
  }
  if (action === 'user.reveal' || action === 'db.admin' || action === 'org.manage' || action === 'user.manage' || action === 'audit.read') {
    return refuse(p, action, t, '仅限人民银行');
  }

  if (kind === 'finance-office') {
    // A listing without a district is narrowed to the unit's scope by readScope.
    const mine = (read && t.region === undefined) || coversRegion(p, t.region);
    const allowed: Action[] = [
      'user.read', 'case.read', 'district.read', 'report.read', 'case.recommend', 'case.declare', 'case.verify', 'pool.confirm', 'pool.filing',
      'case.assign', 'case.loan', 'coach.add', 'case.reclassify', 'case.close', 'case.satisfaction', 'feedback.add',
    ];
    if (action === 'user.import') return mine ? { ok: true } : refuse(p, action, t, '只能导入本区的用户信息表');
    if (action === 'feedback.add' && t.bankOrgId !== undefined) return refuse(p, action, t, '银行的反馈由银行自己报送');
    if (!allowed.includes(action)) return refuse(p, action, t);
    return mine ? { ok: true } : refuse(p, action, t, `只能办理${p.org.regionCode === p.cityCode ? '' : '本区的'}事项`);
  }

  if (kind === 'department') {
    if (action === 'case.recommend') {
      return t.deptOrgId === p.org.id ? { ok: true } : refuse(p, action, t, '只能以本部门名义推荐');
    }
    if (action === 'coach.close') return t.itemOrgId === p.org.id ? { ok: true } : refuse(p, action, t, '只能办结交给本部门的事项');
    if (action === 'case.read') return { ok: true }; // narrowed to its own cases by readScope
    return refuse(p, action, t);
  }

  // bank
  const lead = t.leadBankId !== undefined && t.leadBankId === p.org.id;
  switch (action) {
    case 'case.loan':
      if (!lead) return refuse(p, action, t, NOT_LEAD_BANK);
      return t.lenderOrgId === undefined || t.lenderOrgId === p.org.id ? { ok: true } : refuse(p, action, t, '只能登记本行发放的授信或放款，其他银行发放的由人民银行或区金融办登记');
    case 'coach.add':
      return lead ? { ok: true } : refuse(p, action, t, NOT_LEAD_BANK);
    case 'case.satisfaction':
      if (lead || t.ledInYear?.includes(p.org.id)) return refuse(p, action, t, '满意度是企业对主办行服务的评价，不能由本年主办过该企业的银行登记；请交人民银行或区金融办登记');
      return refuse(p, action, t, NOT_LEAD_BANK);
    case 'coach.close':
      return lead || t.itemOrgId === p.org.id ? { ok: true } : refuse(p, action, t, '只能办结本行主办企业或交给本行的事项');
    case 'feedback.add':
      return t.bankOrgId === p.org.id ? { ok: true } : refuse(p, action, t, '只能报送本行的反馈');
    case 'case.read':
      return { ok: true }; // narrowed to cases it leads by readScope
    default:
      return refuse(p, action, t);
  }
}

/** What a unit may see in listings. */
export type ReadScope =
  | { all: true }
  | { all: false; regions: string[]; deptOrgId?: undefined; bankOrgId?: undefined }
  | { all: false; regions: []; deptOrgId: number; bankOrgId?: undefined }
  | { all: false; regions: []; bankOrgId: number; deptOrgId?: undefined };

export function readScope(p: Profile): ReadScope {
  if (p.org.kind === 'pboc') return { all: true };
  if (p.org.kind === 'finance-office') return p.org.regionCode === p.cityCode ? { all: true } : { all: false, regions: [p.org.regionCode] };
  if (p.org.kind === 'department') return { all: false, regions: [], deptOrgId: p.org.id };
  return { all: false, regions: [], bankOrgId: p.org.id };
}
