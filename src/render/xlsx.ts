/**
 * Tables as an official-looking workbook: a frozen header row in Chinese, column widths fitted to the text,
 * number formats (万元 with 2 decimals, counts as integers), an optional bold 合计 row, and a 说明 sheet.
 * Text cells are made formula-safe; numbers stay numbers. Written atomically.
 */
import type { Buffer as XlsxBuffer, Workbook } from 'exceljs';
import { displayWidth } from '../util/text.js';
import { writeFileAtomic } from './files.js';
import { safeText } from './formula.js';

export type ColumnKind = 'text' | 'int' | 'money' | 'date' | 'bool' | 'rate';

export interface SheetColumn<T> {
  header: string;
  kind: ColumnKind;
  value: (row: T) => string | number | boolean | null | undefined;
}

export interface SheetSpec<T> {
  name: string;
  /** A title line above the header (merged across the columns). */
  title?: string;
  columns: SheetColumn<T>[];
  rows: T[];
  /** The 合计 row, shown bold. */
  total?: T;
}

/** A sheet of pictures (the 图表 sheet): each image at its size in pixels, one under another; or a note saying why there are none. */
export interface ImageSheet {
  name: string;
  title: string;
  images: { png: Buffer; width: number; height: number }[];
  note?: string;
}

export interface NotesSpec {
  name?: string;
  lines: [string, string][];
}

const NUM_FMT: Partial<Record<ColumnKind, string>> = { int: '0', money: '#,##0.00', rate: '0.00%' };

function cellValue(kind: ColumnKind, v: string | number | boolean | null | undefined): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (kind === 'bool') return v === true ? '已报送' : v === false ? '未报送' : safeText(String(v));
  if ((kind === 'int' || kind === 'money' || kind === 'rate') && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (typeof v === 'number') return v;
  return safeText(String(v));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function writeTableBook(path: string, sheets: (SheetSpec<any> | ImageSheet)[], notes?: NotesSpec): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  await writeFileAtomic(
    path,
    async (tmp) => {
      const wb = new ExcelJS.Workbook();
      wb.creator = 'xypz';
      for (const s of sheets) {
        if ('images' in s) {
          addImageSheet(wb, s);
          continue;
        }
        const headerRow = s.title ? 2 : 1;
        const ws = wb.addWorksheet(s.name, {
          views: [{ state: 'frozen', ySplit: headerRow }],
          // Printed as an official table: landscape A4, all columns on one page width, header repeated.
          pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `1:${headerRow}` },
        });
        if (s.title) {
          ws.mergeCells(1, 1, 1, Math.max(1, s.columns.length));
          const t = ws.getCell(1, 1);
          t.value = s.title;
          t.font = { bold: true, size: 14 };
          t.alignment = { horizontal: 'center', vertical: 'middle' };
          ws.getRow(1).height = 24;
        }
        // Header text wraps onto up to three lines, so a column is as wide as its data or a third of its header.
        const widths = s.columns.map((c) => Math.ceil(displayWidth(c.header) / 3) + 1);
        const header = ws.getRow(headerRow);
        s.columns.forEach((c, i) => {
          const cell = header.getCell(i + 1);
          cell.value = c.header;
          cell.font = { bold: true };
          cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
          cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
          cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
        });
        const rows = s.total ? [...s.rows, s.total] : s.rows;
        rows.forEach((r, ri) => {
          const row = ws.getRow(headerRow + 1 + ri);
          const isTotal = s.total !== undefined && ri === rows.length - 1;
          s.columns.forEach((c, i) => {
            const v = cellValue(c.kind, c.value(r));
            const cell = row.getCell(i + 1);
            cell.value = v;
            const fmt = NUM_FMT[c.kind];
            if (fmt) cell.numFmt = fmt;
            cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
            if (isTotal) cell.font = { bold: true };
            const shown = v === null ? '' : typeof v === 'number' ? (c.kind === 'money' ? v.toFixed(2) : String(v)) : v;
            widths[i] = Math.max(widths[i]!, displayWidth(shown));
          });
        });
        s.columns.forEach((c, i) => {
          const w = Math.min(60, Math.max(8, widths[i]! + 2));
          ws.getColumn(i + 1).width = w;
          // lines this header needs at that width
          header.height = Math.max(header.height ?? 15, 15 * Math.min(4, Math.ceil(displayWidth(c.header) / (w - 1))));
        });
      }
      if (notes) {
        const ws = wb.addWorksheet(notes.name ?? '说明');
        ws.columns = [
          { header: '项目', key: 'k', width: 24 },
          { header: '说明', key: 'v', width: 100 },
        ];
        ws.getRow(1).font = { bold: true };
        for (const [k, v] of notes.lines) ws.addRow({ k: safeText(k), v: safeText(v) }).alignment = { wrapText: true, vertical: 'top' };
      }
      await wb.xlsx.writeFile(tmp);
    },
  );
}

function addImageSheet(wb: Workbook, s: ImageSheet): void {
  const ws = wb.addWorksheet(s.name, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.getCell(1, 1).value = s.title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  if (s.note) ws.getCell(2, 1).value = s.note;
  let row = 2; // 0-based: the third row
  for (const image of s.images) {
    ws.addImage(wb.addImage({ buffer: image.png as unknown as XlsxBuffer, extension: 'png' }), { tl: { col: 0, row }, ext: { width: image.width, height: image.height } });
    row += Math.ceil(image.height / 20) + 2; // rows of the default 15 pt (20 px)
  }
}
