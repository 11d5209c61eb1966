/** How accounts are shown: personal numbers masked unless revealed. */
import { maskId, maskPhone, ORG_KIND_LABEL, type Directory } from '../../domain/core/index.js';
import { ROLE_LABEL } from '../../domain/accounts/index.js';
import type { Column } from '../../render/output.js';
import type { User } from '../../store/users.js';

export function userJson(u: User, dir: Directory, reveal: boolean) {
  const org = dir.orgByIdOrThrow(u.orgId);
  return {
    login: u.login,
    name: u.name,
    org: org.name,
    org_kind: org.kind,
    district: dir.regionName(org.regionCode),
    role: u.role,
    phone: u.phone === null ? null : reveal ? u.phone : maskPhone(u.phone),
    id_number: u.idNumber === null ? null : reveal ? u.idNumber : maskId(u.idNumber),
    email: u.email,
    title: u.title,
    note: u.note,
    agreement_signed_on: u.agreementSignedOn,
    enabled: u.enabled,
  };
}

export function userColumns(dir: Directory, reveal: boolean): Column<User>[] {
  return [
    { header: '登录账号', value: (u) => u.login },
    { header: '姓名', value: (u) => u.name },
    { header: '所属机构', value: (u) => dir.orgByIdOrThrow(u.orgId).name },
    { header: '区域', value: (u) => dir.regionName(dir.orgByIdOrThrow(u.orgId).regionCode) },
    { header: '角色', value: (u) => ROLE_LABEL[u.role] },
    { header: '手机号码', value: (u) => (u.phone === null ? '' : reveal ? u.phone : maskPhone(u.phone)) },
    { header: '保密协议', value: (u) => u.agreementSignedOn ?? '未签' },
    { header: '状态', value: (u) => (u.enabled ? '启用' : '停用') },
  ];
}

/** A row of the import sheet for an account (export). */
export function userSheetRow(u: User, dir: Directory, reveal: boolean, serial: number) {
  const org = dir.orgByIdOrThrow(u.orgId);
  return {
    serial,
    login: u.login,
    name: u.name,
    org: org.name,
    orgKind: ORG_KIND_LABEL[org.kind],
    region: dir.regionName(org.regionCode),
    role: ROLE_LABEL[u.role],
    phone: u.phone === null ? null : reveal ? u.phone : maskPhone(u.phone),
    idNumber: u.idNumber === null ? null : reveal ? u.idNumber : maskId(u.idNumber),
    email: u.email,
    title: u.title,
    note: u.note,
  };
}
