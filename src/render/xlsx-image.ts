/** A sheet of pictures in a workbook (the report's 图表 sheet): each image at its size, one under another, on portrait A4. */
import type { Buffer as XlsxBuffer, Workbook } from 'exceljs';
import { printSetup, TITLE } from './xlsx-form.js';

/** The pictures, each with its size in pixels; or, when there are none, a note saying why. */
export interface ImageSheetSpec {
  name: string;
  title: string;
  images: { png: Buffer; width: number; height: number }[];
  note?: string;
}

export function addImages(wb: Workbook, spec: ImageSheetSpec): void {
  const ws = wb.addWorksheet(spec.name);
  Object.assign(ws.getCell(1, 1), { value: spec.title, font: TITLE });
  if (spec.note) ws.getCell(2, 1).value = spec.note;
  let row = 2; // 0-based: the third row
  for (const image of spec.images) {
    ws.addImage(wb.addImage({ buffer: image.png as unknown as XlsxBuffer, extension: 'png' }), { tl: { col: 0, row }, ext: { width: image.width, height: image.height } });
    row += Math.ceil(image.height / 20) + 2; // rows of the default 15 pt (20 px)
  }
  printSetup(ws, 'portrait');
}
