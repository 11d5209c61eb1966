// The floor of an import: xypz's own streaming reader (as bench/parse-xypz.mjs) plus one prepared INSERT a row
// into a table of the sheet's columns in a fresh SQLite file, in one transaction (no checks, no audit).
// Usage: node bench/parse-insert.mjs <db> <file>…
import Database from 'better-sqlite3';
import { openSheetFile, readRows } from '../dist/sheets.js';

const [dbPath, ...files] = process.argv.slice(2);
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.exec('create table if not exists r (a, b, c, d, e, f, g, h, i, j, k, l)');
const insert = db.prepare('insert into r values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
let rows = 0;
db.exec('begin');
for (const file of files) {
  const { format } = openSheetFile(file);
  for await (const r of readRows(file, format)) {
    const v = Array.from({ length: 12 }, (_, i) => r.cells[i]?.text ?? null);
    insert.run(...v);
    rows += 1;
  }
}
db.exec('commit');
db.close();
console.log(JSON.stringify({ rows }));
