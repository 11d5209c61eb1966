/** The 核查报告 as a workbook: one labelled row per field. */
import { safeText } from './formula.js';
import { writeFileAtomic } from './files.js';

export async function writeVerificationBook(path: string, fields: [string, string][]): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  await writeFileAtomic(path, async (tmp) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('核查报告');
    ws.columns = [
      { header: '项目', key: 'k', width: 20 },
      { header: '内容', key: 'v', width: 90 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const [k, v] of fields) ws.addRow({ k, v: safeText(v) }).alignment = { wrapText: true, vertical: 'top' };
    await wb.xlsx.writeFile(tmp);
  });
}
