// xypz's own streaming reader on its own: every row and cell of each file read and normalised, nothing else.
import { openSheetFile, readRows } from '../dist/sheets.js';

let rows = 0;
let chars = 0;
for (const file of process.argv.slice(2)) {
  const { format } = openSheetFile(file);
  for await (const r of readRows(file, format)) {
    rows += 1;
    for (const c of r.cells) chars += c.text.length;
  }
}
console.log(JSON.stringify({ rows, chars }));
