/**
 * Ezhou reference data seeded by `xypz init` (docs/roles.md). Chinese names live here, together, for review.
 */
import type { OrgTable } from '../../store/schema.js';

export type OrgKind = OrgTable['kind'];

export const ORG_KIND_LABEL: Record<OrgKind, string> = {
  pboc: '人民银行',
  'finance-office': '金融办',
  department: '政府部门',
  bank: '金融机构',
};

export const CITY_CODE = '420700';

export interface RegionSeed {
  code: string;
  name: string;
  level: 'city' | 'district';
  aliases: string[];
}

export const EZHOU_REGIONS: RegionSeed[] = [
  { code: '420700', name: '鄂州市', level: 'city', aliases: ['鄂州', '市级'] },
  { code: '420704', name: '鄂城区', level: 'district', aliases: ['鄂城'] },
  { code: '420703', name: '华容区', level: 'district', aliases: [] },
  { code: '420702', name: '梁子湖区', level: 'district', aliases: ['梁子湖'] },
  { code: 'GDKFQ', name: '葛店经济技术开发区', level: 'district', aliases: ['葛店开发区', '葛店'] },
  { code: 'LKJJQ', name: '临空经济区', level: 'district', aliases: ['临空区'] },
];

/** Member department kinds: [kind, code suffix, full-name suffix]. 金融监管 exists at city level only. */
export const DEPARTMENT_KINDS: { kind: string; code: string; fullName: string; cityOnly?: boolean }[] = [
  { kind: '发改', code: 'FG', fullName: '发展和改革局' },
  { kind: '科技', code: 'KJ', fullName: '科学技术局' },
  { kind: '经信', code: 'JX', fullName: '经济和信息化局' },
  { kind: '财政', code: 'CZ', fullName: '财政局' },
  { kind: '自然资源', code: 'ZR', fullName: '自然资源和规划局' },
  { kind: '生态环境', code: 'HB', fullName: '生态环境局' },
  { kind: '农业农村', code: 'NY', fullName: '农业农村局' },
  { kind: '商务', code: 'SW', fullName: '商务局' },
  { kind: '文旅', code: 'WL', fullName: '文化和旅游局' },
  { kind: '市场监管', code: 'SJ', fullName: '市场监督管理局' },
  { kind: '税务', code: 'SS', fullName: '税务局' },
  { kind: '金融监管', code: 'JG', fullName: '', cityOnly: true },
];

export const DEPARTMENT_KIND_ALIASES: Record<string, string> = { 银保监: '金融监管' };

export interface OrgSeed {
  code: string;
  name: string;
  kind: OrgKind;
  deptKind?: string;
  region: string;
  aliases: string[];
}

export const EZHOU_BANKS: { code: string; name: string; aliases: string[] }[] = [
  { code: 'ICBC-EZ', name: '中国工商银行鄂州分行', aliases: ['工商银行鄂州分行', '工行'] },
  { code: 'ABC-EZ', name: '中国农业银行鄂州分行', aliases: ['农业银行鄂州分行', '农行'] },
  { code: 'BOC-EZ', name: '中国银行鄂州分行', aliases: ['中行'] },
  { code: 'CCB-EZ', name: '中国建设银行鄂州分行', aliases: ['建设银行鄂州分行', '建行'] },
  { code: 'BOCOM-EZ', name: '交通银行鄂州分行', aliases: ['交行'] },
  { code: 'PSBC-EZ', name: '中国邮政储蓄银行鄂州市分行', aliases: ['邮储银行鄂州市分行', '邮储'] },
  { code: 'HBB-EZ', name: '湖北银行鄂州分行', aliases: ['湖北银行'] },
  { code: 'HKB-EZ', name: '汉口银行鄂州分行', aliases: ['汉口银行'] },
  { code: 'EZRCB', name: '鄂州农村商业银行', aliases: ['鄂州农商行', '农商行'] },
];

/** Every seeded organisation of Ezhou. */
export function ezhouOrgs(): OrgSeed[] {
  const orgs: OrgSeed[] = [
    { code: 'PBOC-420700', name: '中国人民银行鄂州市分行', kind: 'pboc', region: CITY_CODE, aliases: ['人民银行鄂州市分行', '鄂州人行'] },
  ];
  for (const r of EZHOU_REGIONS) {
    orgs.push({ code: `JRB-${r.code}`, name: `${r.name}金融办`, kind: 'finance-office', region: r.code, aliases: [] });
  }
  for (const r of EZHOU_REGIONS) {
    for (const d of DEPARTMENT_KINDS) {
      if (d.cityOnly) continue;
      orgs.push({
        code: `${r.code}-${d.code}`,
        name: `${r.name}${d.fullName}`,
        kind: 'department',
        deptKind: d.kind,
        region: r.code,
        aliases: [`${r.name}${d.kind}`],
      });
    }
  }
  orgs.push({
    code: `${CITY_CODE}-JG`,
    name: '国家金融监督管理总局鄂州监管分局',
    kind: 'department',
    deptKind: '金融监管',
    region: CITY_CODE,
    aliases: ['鄂州金融监管分局', '鄂州市金融监管', '鄂州银保监分局'],
  });
  for (const b of EZHOU_BANKS) orgs.push({ ...b, kind: 'bank', region: CITY_CODE });
  return orgs;
}
