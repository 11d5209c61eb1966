/** Builds spreadsheets for tests the way people and office suites make them. */
import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

export type CellInput = ExcelJS.CellValue;

/** Writes a workbook: each sheet is a list of rows; rows are arrays of cell values (null for blank). */
export async function writeXlsx(path: string, sheets: Record<string, CellInput[][]>, opts: { merges?: Record<string, string[]> } = {}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r, i) => {
      const row = ws.getRow(i + 1);
      r.forEach((v, j) => {
        if (v !== null && v !== undefined) row.getCell(j + 1).value = v;
      });
    });
    for (const m of opts.merges?.[name] ?? []) ws.mergeCells(m);
  }
  await wb.xlsx.writeFile(path);
}

export const USER_HEADER = ['序号', '*登录账号', '*用户姓名', '*所属机构', '*机构类型', '*所属区域', '*用户角色', '*手机号码', '身份证号码', '电子邮箱', '职务', '备注'];

export function userRow(i: number, over: Partial<Record<string, CellInput>> = {}): CellInput[] {
  const base: Record<string, CellInput> = {
    serial: i,
    login: `user${String(i).padStart(4, '0')}`,
    name: '张三',
    org: '华容区经济和信息化局',
    kind: '政府部门',
    region: '华容区',
    role: '操作员',
    phone: `138${String(10000000 + i).slice(-8)}`,
    id: null,
    email: null,
    title: null,
    note: null,
    ...over,
  };
  return [base.serial, base.login, base.name, base.org, base.kind, base.region, base.role, base.phone, base.id, base.email, base.title, base.note] as CellInput[];
}

/** A minimal zip (stored entries) whose central directory may declare a forged uncompressed size. */
export function writeZip(path: string, entries: { name: string; data: Buffer; declaredSize?: number; deflate?: boolean }[]): void {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(e.deflate ? 8 : 0, 10);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(e.declaredSize ?? e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, cd, end]));
}
