/**
 * The coaching list handed to one unit (辅导清单), as a document to send: title, 承办单位 and date line, a
 * numbered table, a signature line; A4 landscape, one page wide, the header repeated on every page.
 */
import type { CoachView } from '../domain/enterprises/index.js';

import { writeFileAtomic } from './files.js';
import { safeText } from './formula.js';
import { dateInWords } from '../util/dates.js';

const COLUMNS: { header: string; width: number; value: (i: CoachView, n: number) => string | number }[] = [
  { header: '序号', width: 6, value: (_i, n) => n },
  { header: '企业名称', width: 28, value: (i) => i.name },
  { header: '统一社会信用代码', width: 21, value: (i) => i.code },
  { header: '所在区', width: 12, value: (i) => i.district },
  { header: '辅导事项', width: 32, value: (i) => i.item },
  { header: '类别', width: 8, value: (i) => i.category ?? '' },
  { header: '交办日期', width: 12, value: (i) => i.added_on },
  { header: '办理期限', width: 12, value: (i) => i.due ?? '' },
  { header: '办理情况', width: 10, value: (i) => ({ open: i.overdue ? '逾期未办结' : '未办结', done: '已办结', failed: '未办成' })[i.status] },
  { header: '办结日期', width: 12, value: (i) => i.closed_on ?? '' },
  { header: '说明', width: 24, value: (i) => i.note ?? '' },
];

const FONT = { name: 'SimSun', size: 10 };
const THIN = { style: 'thin' as const };

export async function writeCoachBook(path: string, items: CoachView[], unit: string, today: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'xypz';
  const ws = wb.addWorksheet('辅导清单', {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:3',
      margins: { left: 0.5, right: 0.5, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 },
    },
  });
  const n = COLUMNS.length;
  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = '信用培植工程辅导清单';
  title.font = { name: 'SimSun', size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 30;
  ws.mergeCells(2, 1, 2, 6);
  ws.mergeCells(2, 7, 2, n);
  ws.getCell(2, 1).value = safeText(`承办单位：${unit}`);
  ws.getCell(2, 7).value = `日期：${dateInWords(today)}`;
  ws.getCell(2, 7).alignment = { horizontal: 'right' };
  for (const c of [ws.getCell(2, 1), ws.getCell(2, 7)]) c.font = FONT;
  COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
    const cell = ws.getCell(3, i + 1);
    cell.value = c.header;
    cell.font = { ...FONT, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  });
  items.forEach((it, r) => {
    COLUMNS.forEach((c, i) => {
      const cell = ws.getCell(4 + r, i + 1);
      const v = c.value(it, r + 1);
      if (v !== '') cell.value = typeof v === 'string' ? safeText(v) : v;
      cell.font = FONT;
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: i === 0 ? 'center' : undefined };
      cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    });
  });
  const foot = 4 + items.length + 1;
  ws.mergeCells(foot, 1, foot, n);
  ws.getCell(foot, 1).value = `单位负责人：　　　　　　统计负责人：　　　　　　填表人：　　　　　　报出日期：${dateInWords(today)}`;
  ws.getCell(foot, 1).font = FONT;
  await writeFileAtomic(path, async (tmp) => wb.xlsx.writeFile(tmp));
}
