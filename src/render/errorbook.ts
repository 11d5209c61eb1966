/**
 * `--errors <out.xlsx>`: a copy of the input with every invalid cell highlighted, a 错误说明 column on each
 * row that has problems, and a 错误汇总 sheet listing them all.
 */
import { basename, resolve } from 'node:path';
import type { HeaderRows, Problem } from '../domain/import-rows.js';
import type { ErrorCopy } from '../domain/importing.js';
import { UsageError } from '../errors.js';
import { openSheetFile, readRows } from '../import/sheets.js';
import { checkOutputPath, writeFileAtomic } from './files.js';
import { safeText } from './formula.js';

const BAD_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFFC7CE' } };
const BAD_FONT = { color: { argb: 'FF9C0006' } };

function sheetTitle(used: Set<string>, name: string): string {
  const clean = name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet';
  let t = clean;
  for (let i = 2; used.has(t); i++) t = `${clean.slice(0, 28)}(${i})`;
  used.add(t);
  return t;
}

/** The --errors copy of an import of `inputs`: checked before anything is read, written only if there are problems. */
export function errorCopy(out: string, inputs: string[]): ErrorCopy {
  const full = checkOutputPath(out, ['.xlsx']);
  if (inputs.some((f) => resolve(f) === full)) throw new UsageError(`--errors 的文件 ${out} 就是要导入的文件：请另给一个文件名，以免覆盖原表`);
  return { path: out, write: (files, problems, headers) => writeErrorWorkbook(files, problems, headers, out) };
}

export async function writeErrorWorkbook(files: string[], problems: Problem[], headers: HeaderRows, out: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  await writeFileAtomic(out, async (tmp) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    const used = new Set<string>();
    const summary = wb.addWorksheet(sheetTitle(used, '错误汇总'));
    summary.columns = [
      { header: '文件', key: 'file', width: 24 },
      { header: '工作表', key: 'sheet', width: 14 },
      { header: '行', key: 'row', width: 6 },
      { header: '列', key: 'column', width: 14 },
      { header: '值', key: 'value', width: 24 },
      { header: '错误说明', key: 'reason', width: 60 },
    ];
    summary.getRow(1).font = { bold: true };
    for (const p of problems) {
      summary.addRow({ file: p.file, sheet: p.sheet, row: p.row, column: p.column, value: safeText(p.value ?? ''), reason: p.reason }).commit();
    }
    summary.commit();

    for (const [fi, path] of files.entries()) {
      const file = basename(path);
      const byRow = new Map<string, Problem[]>();
      for (const p of problems) {
        if (p.file !== file || p.row === null) continue;
        const k = `${p.sheet}\u0000${p.row}`;
        byRow.set(k, [...(byRow.get(k) ?? []), p]);
      }
      const { format } = openSheetFile(path);
      let ws: ReturnType<typeof wb.addWorksheet> | undefined;
      let sheet: string | undefined;
      let headerRow = 0;
      let noteCol = 0;
      for await (const r of readRows(path, format)) {
        if (!ws || sheet !== r.sheet) {
          ws?.commit();
          sheet = r.sheet;
          const prefix = files.length > 1 ? `${fi + 1}-` : '';
          ws = wb.addWorksheet(sheetTitle(used, prefix + (sheet || file.replace(/\.[^.]+$/, ''))));
          headerRow = headers.get(`${file}\u0000${sheet}`) ?? 0;
          noteCol = 0;
          ws.getColumn(1).width = 12;
        }
        const row = ws.getRow(r.row);
        r.cells.forEach((c, i) => {
          if (c.kind === 'number') row.getCell(i + 1).value = c.num!;
          else if (c.text !== '') row.getCell(i + 1).value = safeText(c.text);
        });
        if (r.row === headerRow) {
          noteCol = r.cells.length + 1;
          row.getCell(noteCol).value = '错误说明';
          row.getCell(noteCol).font = { bold: true, color: { argb: 'FF9C0006' } };
          ws.getColumn(noteCol).width = 50;
        }
        const list = byRow.get(`${sheet}\u0000${r.row}`);
        if (list) {
          const col = noteCol || r.cells.length + 1;
          row.getCell(col).value = list.map((p) => `${p.column ? `${p.column}：` : ''}${p.reason}`).join('；');
          row.getCell(col).font = BAD_FONT;
          for (const p of list) {
            if (p.col) {
              row.getCell(p.col).fill = BAD_FILL;
              row.getCell(p.col).font = BAD_FONT;
            }
          }
        }
        row.commit();
      }
      ws?.commit();
    }
    await wb.commit();
  });
}
