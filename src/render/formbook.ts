/**
 * A blank sheet for a batch import (推荐名单, 主办行确定表): a title row, the header (* marks required
 * columns), an example row that the import skips, drop-downs for closed choices (long lists on a hidden
 * 选项 sheet), text-formatted code columns, and a 填写说明 sheet.
 */
import { writeFileAtomic } from './files.js';
import { safeText } from './formula.js';
import { orientationFor } from './sheet-layout.js';
import { BODY, BOLD, printSetup, TITLE } from './xlsx-form.js';
import { addText } from './xlsx-text.js';

export interface FormColumn {
  title: string;
  width: number;
  required?: boolean;
  /** Closed choices: a drop-down. */
  choices?: readonly string[];
  /** Stored as text (credit codes: never a number). */
  text?: boolean;
  /** Dates: shown as yyyy-mm-dd. */
  date?: boolean;
}

export interface FormSpec {
  sheet: string;
  title: string;
  columns: FormColumn[];
  example: (string | number | null)[];
  instructions: string[];
}

const LAST_ROW = 2000;

export async function writeFormBook(path: string, f: FormSpec): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  await writeFileAtomic(path, async (tmp) => {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'xypz';
    const ws = wb.addWorksheet(f.sheet, { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.mergeCells(1, 1, 1, f.columns.length);
    ws.getCell(1, 1).value = f.title;
    ws.getCell(1, 1).font = TITLE;
    ws.getCell(1, 1).alignment = { horizontal: 'center' };
    ws.getRow(1).height = 24;
    const lists: FormColumn[] = [];
    f.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = c.width;
      if (c.text) col.numFmt = '@';
      if (c.date) col.numFmt = 'yyyy-mm-dd';
      const cell = ws.getCell(2, i + 1);
      cell.value = `${c.required ? '*' : ''}${c.title}`;
      cell.font = { ...BOLD, color: c.required ? { argb: 'FFC00000' } : undefined };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.border = { bottom: { style: 'thin' } };
      if (!c.choices) return;
      // A list longer than Excel's 255-character inline limit goes to the hidden 选项 sheet.
      const inline = c.choices.join(',');
      let formula = `"${inline}"`;
      if (inline.length > 200) {
        lists.push(c);
        const letter = String.fromCharCode(64 + lists.length);
        formula = `选项!$${letter}$2:$${letter}$${c.choices.length + 1}`;
      }
      const letter = String.fromCharCode(65 + i);
      (ws as unknown as { dataValidations: { add(ref: string, v: object): void } }).dataValidations.add(`${letter}3:${letter}${LAST_ROW}`, {
        type: 'list',
        allowBlank: true,
        formulae: [formula],
        showErrorMessage: true,
        errorTitle: '请从列表中选择',
        error: `请选择有效的${c.title}`,
      });
    });
    const example = ws.getRow(3);
    f.example.forEach((v, i) => {
      if (v !== null) example.getCell(i + 1).value = typeof v === 'string' ? safeText(v) : v;
    });
    example.font = { ...BODY, italic: true, color: { argb: 'FF808080' } };
    // A4, one page wide, the title and header on every page; 填写说明 a sheet of text like every other.
    printSetup(ws, orientationFor(f.columns.reduce((sum, c) => sum + c.width, 0)), [1, 2]);
    addText(wb, { name: '填写说明', paragraphs: [{ text: `${f.title} 填写说明`, style: 'title' }, ...f.instructions.map((text) => ({ text, style: 'plain' as const }))] });
    if (lists.length > 0) {
      const options = wb.addWorksheet('选项', { state: 'hidden' });
      lists.forEach((c, j) => {
        options.getCell(1, j + 1).value = c.title;
        c.choices!.forEach((v, r) => (options.getCell(r + 2, j + 1).value = safeText(v)));
      });
    }
    await wb.xlsx.writeFile(tmp);
  });
}
