/** The access policy as a table: actor × action × target → allowed, or refused with the rule named. */
import { describe, expect, it } from 'vitest';
import { decide, readScope, type Action, type Profile, type Role, type Target } from '../src/domain/core/policy.js';
import type { OrgKind } from '../src/domain/core/reference.js';

const CITY = '420700';
const HR = '420703'; // 华容区
const EC = '420704'; // 鄂城区

function who(role: Role, kind: OrgKind, id: number, name: string, region: string): Profile {
  return { login: 'x', name: '某人', role, org: { id, name, kind, regionCode: region, deptKind: kind === 'department' ? '经信' : null }, cityCode: CITY };
}

const pbocAdmin = who('admin', 'pboc', 1, '中国人民银行鄂州市分行', CITY);
const pbocOp = who('operator', 'pboc', 1, '中国人民银行鄂州市分行', CITY);
const pbocView = who('viewer', 'pboc', 1, '中国人民银行鄂州市分行', CITY);
const hrOffice = who('operator', 'finance-office', 10, '华容区金融办', HR);
const hrOfficeView = who('viewer', 'finance-office', 10, '华容区金融办', HR);
const cityOffice = who('operator', 'finance-office', 9, '鄂州市金融办', CITY);
const hrJx = who('operator', 'department', 20, '华容区经济和信息化局', HR);
const icbc = who('operator', 'bank', 30, '中国工商银行鄂州分行', CITY);
const icbcView = who('viewer', 'bank', 30, '中国工商银行鄂州分行', CITY);

const hr: Target = { region: HR, regionName: '华容区' };
const ec: Target = { region: EC, regionName: '鄂城区' };

type Row = [Profile, Action, Target, true | string];
const table: Row[] = [
  // 人民银行 管理员: everything
  [pbocAdmin, 'user.manage', {}, true],
  [pbocAdmin, 'user.reveal', {}, true],
  [pbocAdmin, 'db.admin', {}, true],
  [pbocAdmin, 'pool.confirm', ec, true],
  // 人民银行 操作员: workflow yes; users, reveal, database no
  [pbocOp, 'pool.confirm', ec, true],
  [pbocOp, 'case.loan', { ...hr, leadBankId: 30 }, true],
  [pbocOp, 'org.manage', {}, true],
  [pbocOp, 'user.manage', {}, '中国人民银行鄂州市分行的操作员不能管理用户账号（仅限人民银行管理员）'],
  [pbocOp, 'user.reveal', {}, '不能查看完整的手机号和身份证号'],
  [pbocOp, 'db.admin', {}, '不能备份、恢复或升级数据库'],
  [pbocView, 'report.read', {}, true],
  [pbocView, 'case.read', ec, true],
  [pbocView, 'case.verify', hr, '中国人民银行鄂州市分行的查询员不能核查华容区的企业（查询员只能查询）'],
  // 金融办: its own district
  [hrOffice, 'pool.confirm', hr, true],
  [hrOffice, 'pool.confirm', ec, '华容区金融办的操作员不能确认鄂城区的名单（只能办理本区的事项）'],
  [hrOffice, 'case.verify', hr, true],
  [hrOffice, 'feedback.add', hr, true],
  [hrOffice, 'feedback.add', ec, '华容区金融办的操作员不能报送鄂城区的月度反馈'],
  [hrOffice, 'feedback.add', { bankOrgId: 30 }, '银行的反馈由银行自己报送'],
  [hrOffice, 'user.import', hr, true],
  [hrOffice, 'user.import', ec, '只能导入本区的用户信息表'],
  // a finance office records loans by any bank for firms of its district, and the firms' ratings
  [hrOffice, 'case.loan', { ...hr, leadBankId: 30, lenderOrgId: 31 }, true],
  [hrOffice, 'case.loan', { ...ec, leadBankId: 30, lenderOrgId: 30 }, '华容区金融办的操作员不能登记鄂城区企业的授信或放款（只能办理本区的事项）'],
  [hrOffice, 'case.satisfaction', { ...hr, leadBankId: 30, ledInYear: [30] }, true],
  [hrOffice, 'case.satisfaction', { ...ec, leadBankId: 30, ledInYear: [30] }, '华容区金融办的操作员不能登记鄂城区企业的满意度（只能办理本区的事项）'],
  [cityOffice, 'case.satisfaction', { ...ec, leadBankId: 30, ledInYear: [30] }, true],
  [pbocOp, 'case.satisfaction', { ...ec, leadBankId: 30, ledInYear: [30] }, true],
  [hrJx, 'case.satisfaction', { ...hr, leadBankId: 30, ledInYear: [30] }, '华容区经济和信息化局的操作员不能登记华容区企业的满意度'],
  [hrOffice, 'user.reveal', {}, '仅限人民银行'],
  [hrOffice, 'audit.read', {}, '仅限人民银行'],
  [hrOfficeView, 'case.read', hr, true],
  [hrOfficeView, 'pool.confirm', hr, '查询员只能查询'],
  [cityOffice, 'pool.confirm', ec, true],
  // 政府部门: recommend as itself; close items forwarded to it
  [hrJx, 'case.recommend', { ...hr, deptOrgId: 20 }, true],
  [hrJx, 'case.recommend', { ...hr, deptOrgId: 21 }, '华容区经济和信息化局的操作员不能推荐华容区的企业（只能以本部门名义推荐）'],
  [hrJx, 'coach.close', { ...hr, itemOrgId: 20 }, true],
  [hrJx, 'coach.close', { ...hr, itemOrgId: 22 }, '只能办结交给本部门的事项'],
  [hrJx, 'case.verify', hr, '华容区经济和信息化局的操作员不能核查华容区的企业'],
  // 金融机构: the cases it leads
  [icbc, 'case.loan', { ...hr, leadBankId: 30 }, true],
  [icbc, 'case.loan', { ...hr, leadBankId: 31 }, '中国工商银行鄂州分行的操作员不能登记华容区企业的授信或放款（只能办理本行主办的企业）'],
  [icbc, 'case.loan', { ...hr, leadBankId: null }, '只能办理本行主办的企业'],
  [icbc, 'coach.add', { ...hr, leadBankId: 30 }, true],
  [icbc, 'coach.close', { ...hr, leadBankId: 31, itemOrgId: 30 }, true],
  // a bank lends only in its own name; it never rates a firm it leads or led that year, nor one outside its scope
  [icbc, 'case.loan', { ...hr, leadBankId: 30, lenderOrgId: 30 }, true],
  [icbc, 'case.loan', { ...hr, leadBankId: 30, lenderOrgId: 31 }, '只能登记本行发放的授信或放款'],
  [icbc, 'case.loan', { ...hr, leadBankId: 31, lenderOrgId: 30 }, '只能办理本行主办的企业'],
  [icbc, 'case.satisfaction', { ...hr, leadBankId: 30, ledInYear: [30] }, '满意度是企业对主办行服务的评价，不能由本年主办过该企业的银行登记'],
  [icbc, 'case.satisfaction', { ...hr, leadBankId: 31, ledInYear: [30, 31] }, '不能由本年主办过该企业的银行登记'],
  [icbc, 'case.satisfaction', { ...hr, leadBankId: 31, ledInYear: [31] }, '中国工商银行鄂州分行的操作员不能登记华容区企业的满意度（只能办理本行主办的企业）'],
  [icbc, 'feedback.add', { bankOrgId: 30 }, true],
  [icbc, 'feedback.add', { bankOrgId: 31 }, '只能报送本行的反馈'],
  [icbc, 'case.assign', hr, '不能确定华容区企业的主办行'],
  [icbcView, 'case.loan', { ...hr, leadBankId: 30 }, '查询员只能查询'],
  [icbcView, 'case.read', hr, true],
  [icbc, 'feedback.add', { bankOrgId: 31, regionName: '中国农业银行鄂州分行' }, '中国工商银行鄂州分行的操作员不能报送中国农业银行鄂州分行的月度反馈（只能报送本行的反馈）'],
  // imports: never a 查询员; each kind to the units whose rows it holds
  [pbocView, 'data.import', { importKind: 'collect' }, '中国人民银行鄂州市分行的查询员不能导入月度报送表（查询员只能查询）'],
  [hrOfficeView, 'data.import', { importKind: 'feedback' }, '查询员只能查询'],
  [icbcView, 'data.import', { importKind: 'collect' }, '查询员只能查询'],
  [pbocOp, 'data.import', { importKind: 'collect' }, true],
  [pbocOp, 'data.import', { importKind: 'orgs' }, true],
  [pbocOp, 'data.import', { importKind: 'users' }, '中国人民银行鄂州市分行的操作员不能导入用户信息表（仅限人民银行管理员）'],
  [pbocAdmin, 'data.import', { importKind: 'users' }, true],
  [hrOffice, 'data.import', { importKind: 'users' }, true],
  [hrOffice, 'data.import', { importKind: 'satisfaction' }, true],
  [hrOffice, 'data.import', { importKind: 'orgs' }, '华容区金融办的操作员不能导入机构表'],
  [hrJx, 'data.import', { importKind: 'recommend' }, true],
  [hrJx, 'data.import', { importKind: 'collect' }, true],
  [hrJx, 'data.import', { importKind: 'declarations' }, '不能导入申报表'],
  [icbc, 'data.import', { importKind: 'collect' }, true],
  [icbc, 'data.import', { importKind: 'feedback' }, true],
  [icbc, 'data.import', { importKind: 'recommend' }, '中国工商银行鄂州分行的操作员不能导入推荐名单'],
  [icbc, 'data.import', { importKind: 'assign' }, '不能导入主办行确定表'],
  [icbc, 'data.import', {}, '不能导入数据'],
  // a returned collection workbook: recorded by its own unit, the 人民银行 or the city's 金融办
  [icbc, 'collect.return', { unitOrgId: 30, unitName: '中国工商银行鄂州分行' }, true],
  [icbc, 'collect.return', { unitOrgId: 31, unitName: '中国农业银行鄂州分行' }, '中国工商银行鄂州分行的操作员不能登记中国农业银行鄂州分行交回的报送表（只能导入本单位的报送表）'],
  [hrOffice, 'collect.return', { unitOrgId: 10, unitName: '华容区金融办' }, true],
  [hrOffice, 'collect.return', { unitOrgId: 30, unitName: '中国工商银行鄂州分行' }, '只能导入本单位的报送表'],
  [cityOffice, 'collect.return', { unitOrgId: 30, unitName: '中国工商银行鄂州分行' }, true],
  [pbocOp, 'collect.return', { unitOrgId: 30, unitName: '中国工商银行鄂州分行' }, true],
  [pbocView, 'collect.return', { unitOrgId: 30, unitName: '中国工商银行鄂州分行' }, '查询员只能查询'],
];

describe('decide', () => {
  it.each(table.map((r) => [`${r[0].org.name}/${r[0].role} ${r[1]} ${JSON.stringify(r[2])}`, ...r] as const))('%s', (_label, p, action, target, expected) => {
    const d = decide(p, action, target);
    if (expected === true) expect(d).toEqual({ ok: true });
    else {
      expect(d.ok).toBe(false);
      expect((d as { reason: string }).reason).toContain(expected);
    }
  });
});

describe('readScope', () => {
  it('narrows listings to the unit', () => {
    expect(readScope(pbocView)).toEqual({ all: true });
    expect(readScope(cityOffice)).toEqual({ all: true });
    expect(readScope(hrOffice)).toEqual({ all: false, regions: [HR] });
    expect(readScope(hrJx)).toEqual({ all: false, regions: [], deptOrgId: 20 });
    expect(readScope(icbc)).toEqual({ all: false, regions: [], bankOrgId: 30 });
  });
});

describe('listings', () => {
  it('a read without a district is allowed and narrowed by readScope', () => {
    expect(decide(hrOffice, 'user.read', {})).toEqual({ ok: true });
    expect(decide(hrOffice, 'user.read', { region: EC, regionName: '鄂城区' }).ok).toBe(false);
  });
});
