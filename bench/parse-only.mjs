// Baseline: a bare streaming parse of a sheet with exceljs (every row and value touched, nothing else).
import ExcelJS from 'exceljs';

const reader = new ExcelJS.stream.xlsx.WorkbookReader(process.argv[2], { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
let rows = 0;
let chars = 0;
for await (const ws of reader) {
  for await (const row of ws) {
    rows += 1;
    for (const v of row.values) if (typeof v === 'string') chars += v.length;
  }
}
console.log(JSON.stringify({ rows, chars }));
