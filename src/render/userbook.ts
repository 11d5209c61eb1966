/**
 * The 用户信息批量导入表 as a workbook: the blank template (`users template`) and the export (`users export`),
 * with the same columns so an export re-imports. It is an official form like every table the tool writes
 * (title, 填报单位, signature line; xlsx.ts), kept in one piece so it stays importable; drop-downs come from
 * the reference data.
 */
import { ORG_KIND_LABEL, type Directory } from '../domain/core/index.js';
import { ROLE_LABEL, USER_COLUMNS } from '../domain/accounts/index.js';
import { addTable, table, writeBook } from './xlsx.js';
import { addText } from './xlsx-text.js';
import type { FormSpec } from './xlsx-form.js';

/** Room to type in each column, in display columns. */
const ROOM: Record<string, number> = {
  serial: 4, login: 12, name: 8, org: 16, orgKind: 8, region: 10, role: 8, phone: 12, idNumber: 20, email: 14, title: 8, note: 12,
};
const TEXT_COLUMNS = new Set(['login', 'phone', 'idNumber']);
const LAST_ROW = 5000;
/** Empty ruled rows under the 示例 row of the blank form. */
const BLANK_ROWS = 20;

export type UserSheetRow = Record<string, string | number | null>;

const INSTRUCTIONS = [
  '1. 标 * 的列必填；列的顺序可以调整，但请不要修改列名。',
  '2. 登录账号：4–32 位字母、数字、下划线、点或连字符，全平台唯一（不区分大小写）。',
  '3. 用户姓名：2–20 个汉字或字母，少数民族姓名可用“·”。',
  '4. 所属机构：填写机构全称或简称（可从下拉列表选择）；机构类型、所属区域须与该机构一致。',
  '5. 用户角色：管理员 / 操作员 / 查询员。',
  '6. 手机号码：11 位大陆手机号。身份证号码：18 位，末位可为 X。两列已设为“文本”格式，请勿改为数字，否则身份证号末尾会丢失。',
  '7. 以“示例”开头的行不会导入；空行会被跳过；表下的签字行不会导入。',
  '8. 各单位填好后交所在区金融办审核汇总，再报人民银行鄂州市分行导入（xypz users import）。',
  '9. 使用平台前须签署保密协议；未签署的账号不能操作。',
];

const EXAMPLE: UserSheetRow = {
  serial: '示例',
  login: 'hr_jxj_zhang',
  name: '张三',
  org: '华容区经济和信息化局',
  orgKind: '政府部门',
  region: '华容区',
  role: '操作员',
  phone: '13812345678',
  idNumber: '',
  email: 'zhangsan@example.com',
  title: '科员',
  note: '此行为示例，不会导入',
};

/** `form`: who hands the export up; the blank template leaves 填报单位 and 报出日期 to be filled in. */
export async function writeUserBook(path: string, dir: Directory, rows: UserSheetRow[], opts: { example: boolean; form?: FormSpec }): Promise<void> {
  const body = opts.example ? [EXAMPLE, ...Array.from({ length: BLANK_ROWS }, () => ({}))] : rows;
  await writeBook(path, (wb) => {
    const [t] = addTable(
      wb,
      table<UserSheetRow>({
        name: '用户信息',
        title: '用户信息批量导入表',
        split: false,
        rows: body,
        columns: USER_COLUMNS.map((c) => ({
          header: `${c.required ? '*' : ''}${c.title}`,
          kind: 'text',
          value: (r) => r[c.key],
          minWidth: ROOM[c.key],
          wrap: c.key === 'note' || c.key === 'org' || c.key === 'email',
        })),
      }),
      opts.form ?? { unit: '' },
    );
    const { ws, headerRow, firstRow } = t!;
    USER_COLUMNS.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      if (TEXT_COLUMNS.has(c.key)) col.numFmt = '@';
      if (c.required) ws.getCell(headerRow, i + 1).font = { ...ws.getCell(headerRow, i + 1).font, color: { argb: 'FFC00000' } };
    });
    if (opts.example) ws.getRow(firstRow).font = { ...ws.getCell(firstRow, 1).font, italic: true, color: { argb: 'FF808080' } };
    const lists = {
      org: `选项!$A$2:$A$${dir.orgs.length + 1}`,
      orgKind: `"${Object.values(ORG_KIND_LABEL).join(',')}"`,
      region: `选项!$B$2:$B$${dir.regions.length + 1}`,
      role: `"${Object.values(ROLE_LABEL).join(',')}"`,
    };
    USER_COLUMNS.forEach((c, i) => {
      const list = lists[c.key as keyof typeof lists];
      if (!list) return;
      const col = String.fromCharCode(65 + i);
      (ws as unknown as { dataValidations: { add(ref: string, v: object): void } }).dataValidations.add(`${col}${firstRow}:${col}${LAST_ROW}`, {
        type: 'list',
        allowBlank: true,
        formulae: [list],
        showErrorMessage: true,
        errorTitle: '请从列表中选择',
        error: `请选择有效的${c.title}`,
      });
    });

    addText(wb, { name: '填写说明', paragraphs: [{ text: '用户信息批量导入表 填写说明', style: 'title' }, ...INSTRUCTIONS.map((text) => ({ text, style: 'plain' as const }))] });

    const options = wb.addWorksheet('选项', { state: 'hidden' });
    options.getRow(1).values = ['所属机构', '所属区域'];
    const height = Math.max(dir.orgs.length, dir.regions.length);
    for (let i = 0; i < height; i++) options.getRow(i + 2).values = [dir.orgs[i]?.name ?? null, dir.regions[i]?.name ?? null];
  });
}
