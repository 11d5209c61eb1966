/**
 * The 用户信息批量导入表 as a workbook: the blank template (`users template`) and the export (`users export`),
 * with the same columns so an export re-imports. Drop-downs come from the reference data.
 */
import type { Directory } from '../domain/directory.js';
import { ORG_KIND_LABEL } from '../domain/reference.js';
import { ROLE_LABEL, USER_COLUMNS } from '../domain/users.js';
import { writeFileAtomic } from './files.js';
import { safeText } from './formula.js';

const WIDTHS: Record<string, number> = {
  serial: 6, login: 16, name: 12, org: 30, orgKind: 12, region: 20, role: 10, phone: 15, idNumber: 21, email: 24, title: 12, note: 20,
};
const TEXT_COLUMNS = new Set(['login', 'phone', 'idNumber']);
const LAST_ROW = 5000;

export type UserSheetRow = Record<string, string | number | null>;

const INSTRUCTIONS = [
  '用户信息批量导入表 填写说明',
  '',
  '1. 标 * 的列必填；列的顺序可以调整，但请不要修改列名。',
  '2. 登录账号：4–32 位字母、数字、下划线、点或连字符，全平台唯一（不区分大小写）。',
  '3. 用户姓名：2–20 个汉字或字母，少数民族姓名可用“·”。',
  '4. 所属机构：填写机构全称或简称（可从下拉列表选择）；机构类型、所属区域须与该机构一致。',
  '5. 用户角色：管理员 / 操作员 / 查询员。',
  '6. 手机号码：11 位大陆手机号。身份证号码：18 位，末位可为 X。两列已设为“文本”格式，请勿改为数字，否则身份证号末尾会丢失。',
  '7. 以“示例”开头的行不会导入；空行会被跳过。',
  '8. 各单位填好后交所在区金融办审核汇总，再报人民银行鄂州市分行导入（xypz users import）。',
  '9. 使用平台前须签署保密协议；未签署的账号不能操作。',
];

export async function writeUserBook(path: string, dir: Directory, rows: UserSheetRow[], opts: { example: boolean }): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  await writeFileAtomic(path, async (tmp) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: true });
    const ws = wb.addWorksheet('用户信息', { views: [{ state: 'frozen', ySplit: 2 }] });
    const n = USER_COLUMNS.length;
    ws.columns = USER_COLUMNS.map((c) => ({
      key: c.key,
      width: WIDTHS[c.key] ?? 14,
      style: TEXT_COLUMNS.has(c.key) ? { numFmt: '@' } : {},
    }));
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
      (ws as unknown as { dataValidations: { add(ref: string, v: object): void } }).dataValidations.add(`${col}3:${col}${LAST_ROW}`, {
        type: 'list',
        allowBlank: true,
        formulae: [list],
        showErrorMessage: true,
        errorTitle: '请从列表中选择',
        error: `请选择有效的${c.title}`,
      });
    });
    ws.mergeCells(1, 1, 1, n);
    const title = ws.getRow(1);
    title.getCell(1).value = '用户信息批量导入表';
    title.getCell(1).font = { bold: true, size: 14 };
    title.getCell(1).alignment = { horizontal: 'center' };
    title.height = 24;
    title.commit();
    const header = ws.getRow(2);
    USER_COLUMNS.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = `${c.required ? '*' : ''}${c.title}`;
      cell.font = { bold: true, color: c.required ? { argb: 'FFC00000' } : undefined };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    header.commit();
    const body: UserSheetRow[] = opts.example
      ? [
          {
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
          },
        ]
      : rows;
    body.forEach((r, idx) => {
      const row = ws.getRow(idx + 3);
      USER_COLUMNS.forEach((c, i) => {
        const v = r[c.key];
        if (v === null || v === undefined || v === '') return;
        row.getCell(i + 1).value = typeof v === 'string' ? safeText(v) : v;
      });
      if (opts.example) row.font = { italic: true, color: { argb: 'FF808080' } };
      row.commit();
    });
    ws.commit();

    const help = wb.addWorksheet('填写说明');
    help.getColumn(1).width = 110;
    INSTRUCTIONS.forEach((line, i) => {
      const row = help.getRow(i + 1);
      row.getCell(1).value = line;
      if (i === 0) row.getCell(1).font = { bold: true, size: 13 };
      row.commit();
    });
    help.commit();

    const options = wb.addWorksheet('选项', { state: 'hidden' });
    const opt = options.getRow(1);
    opt.values = ['所属机构', '所属区域'];
    opt.commit();
    const height = Math.max(dir.orgs.length, dir.regions.length);
    for (let i = 0; i < height; i++) {
      const row = options.getRow(i + 2);
      row.values = [dir.orgs[i]?.name ?? null, dir.regions[i]?.name ?? null];
      row.commit();
    }
    options.commit();
    await wb.commit();
  });
}
