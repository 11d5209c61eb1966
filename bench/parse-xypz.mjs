// xypz's own streaming reader on its own: every row and cell read and normalised, nothing else.
import { openSheetFile, readRows } from '../dist/sheets.js';

const { format } = openSheetFile(process.argv[2]);
let rows = 0;
let chars = 0;
for await (const r of readRows(process.argv[2], format)) {
  rows += 1;
  for (const c of r.cells) chars += c.text.length;
}
console.log(JSON.stringify({ rows, chars }));
