/**
 * How a workbook is put together, apart from what it says: the parts exceljs stores are deflated by packZip
 * (each one, its content unchanged, the same bytes for the same parts), a report table's body is written
 * without a cell object per value and without changing a byte of the sheet or its styles, and a picture sheet still being
 * drawn is waited for in its turn.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worksheet } from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { listZip } from '../src/import/zipguard.js';
import { packZip } from '../src/render/stable-zip.js';
import { addTable, table, workbookClass, writeBook, writeTableBook, type ImageSheetSpec } from '../src/render/xlsx.js';
import { zipNames, zipText } from './zip.js';

const dir = mkdtempSync(join(tmpdir(), 'xypz-xlsx-book-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  district: string;
  firms: number;
  amount: number;
}
const ROWS: Row[] = Array.from({ length: 40 }, (_, i) => ({ district: ['鄂城区', '华容区', '梁子湖区'][i % 3]!, firms: i, amount: i * 12.5 }));
const spec = (rows = ROWS) =>
  table<Row>({
    name: '分区域',
    title: '鄂州市信用培植工程月报',
    period: '2024年12月',
    serial: true,
    total: 'sum',
    rows,
    columns: [
      { header: '区域', kind: 'text', value: (r) => r.district },
      { header: '推荐企业数', kind: 'int', unit: '户', value: (r) => r.firms },
      { header: '放款金额', kind: 'money', value: (r) => r.amount },
    ],
  });

/** The cells exceljs holds for a sheet. */
function cellObjects(ws: Worksheet): number {
  let n = 0;
  ws.eachRow((row) => (n += row.cellCount));
  return n;
}

describe('a report table', () => {
  it('sealed, its body holds no cell objects (as many for 4,000 rows as for 40); the file is the same as unsealed', async () => {
    const form = { unit: '中国人民银行鄂州市分行', date: '2025-01-11' };
    const sealed = join(dir, 'sealed.xlsx');
    const open = join(dir, 'open.xlsx');
    const cells: number[] = [];
    const many = Array.from({ length: 4000 }, (_, i) => ({ district: `区域${i % 97}`, firms: i, amount: i * 0.25 }));
    for (const [file, rows] of [[sealed, ROWS], [join(dir, 'many.xlsx'), many]] as const) {
      await writeBook(file, (wb) => {
        const [t] = addTable(wb, spec(rows), form, true);
        cells.push(cellObjects(t!.ws));
      }, form.date);
    }
    // the title, the header and the signature line: the rows and the 合计 are written without exceljs cells
    expect(cells[1]).toBe(cells[0]);
    expect(cells[0]).toBeLessThan(ROWS.length);
    await writeBook(open, (wb) => {
      const [t] = addTable(wb, spec(), form);
      const { ws, firstRow, lastRow } = t!;
      expect(cellObjects(ws)).toBeGreaterThan(4 * (lastRow - firstRow));
    }, form.date);
    expect(zipNames(sealed)).toEqual(zipNames(open));
    for (const part of zipNames(sealed)) expect(zipText(sealed, part), part).toBe(zipText(open, part));
    expect(readFileSync(sealed).equals(readFileSync(open))).toBe(true);
  });
});

describe('packZip', () => {
  it('deflates every stored part with its content unchanged, and the same parts give the same bytes', async () => {
    const Workbook = await workbookClass();
    const wb = new Workbook();
    wb.addWorksheet('表').getCell('A1').value = '鄂州'.repeat(200);
    const stored = Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } }));
    const storedFile = join(dir, 'stored.xlsx');
    const packedFile = join(dir, 'packed.xlsx');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(storedFile, stored);
    const packed = await packZip(stored);
    writeFileSync(packedFile, packed);
    const before = listZip(storedFile);
    const after = listZip(packedFile);
    expect(before.every((e) => e.method === 0)).toBe(true);
    expect(after.map((e) => e.name)).toEqual(before.map((e) => e.name));
    for (const e of after) {
      // a directory entry (no content) stays stored; every part is deflated
      expect(e.method, e.name).toBe(e.uncompressed === 0 ? 0 : 8);
      if (e.uncompressed > 0) expect(zipText(packedFile, e.name)).toBe(zipText(storedFile, e.name));
    }
    expect(packed.length).toBeLessThan(stored.length / 2);
    expect((await packZip(stored)).equals(packed)).toBe(true);
    // With a date every entry carries it, as stableZip dates a finished file.
    const dated = await packZip(stored, '2025-01-11');
    expect(dated.equals(await packZip(stored, '2025-01-11'))).toBe(true);
    expect(dated.equals(await packZip(stored, '2025-01-12'))).toBe(false);
    // Already deflated parts are left as they are.
    expect((await packZip(packed)).equals(packed)).toBe(true);
  });
});

describe('writeTableBook', () => {
  it('waits for a picture sheet still being drawn, and puts it after the tables', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    let drawn = false;
    const pictures = new Promise<ImageSheetSpec>((resolve) =>
      setTimeout(() => {
        drawn = true;
        resolve({ name: '图表', title: '月报图表', images: [{ png, width: 10, height: 10 }] });
      }, 50),
    );
    const out = join(dir, 'pictures.xlsx');
    await writeTableBook(out, [spec(), pictures], { title: '说明', lines: [['报表', '月报']] });
    expect(drawn).toBe(true);
    expect(zipNames(out)).toContain('xl/media/image1.png');
    const book = zipText(out, 'xl/workbook.xml');
    expect([...book.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual(['分区域', '图表', '说明']);
  });
});
