#!/usr/bin/env node
// The monthly collection at scale: nine lead banks with 500 firms each. In one run it
// (1) makes a database: `xypz init`, then 4,500 financing-ready firms led by the nine seeded banks inserted
//     directly (cases, assignments, no history: the import reads only what a bank leads);
// (2) makes the nine banks' May workbooks with `xypz collect make` (timed);
//     Each firm has one coaching item handed to its bank (open, due in June): 500 pre-filled 辅导事项 rows a bank;
// (3) fills each with 2,000 loan rows and closes every fifth item (办结 in May), as a bank would (exceljs);
// (4) times, interleaved and `repeats` times each (medians): the bare parse of the nine files with xypz's own
//     reader (bench/parse-xypz.mjs: every row and cell read and normalised, nothing checked), and
//     `xypz collect import` of all nine in one batch into a fresh copy of the database — and, as the baseline of
//     what the recorded stamps cost, into a copy whose stamping triggers (migration 0018_recorded) are dropped.
// Usage: npm run build && node bench/collect.mjs [firms-per-bank] [loans-per-bank] [repeats] [items: 1 or 0]
// XYPZ_BASELINE=<another checkout's bin/xypz.js> also times that build's import, interleaved (before/after a change).
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { withUsccCheck } from './concurrency-data.mjs';
import { median } from './report-check.mjs';

const FIRMS = Number(process.argv[2] ?? 500);
const LOANS = Number(process.argv[3] ?? 2000);
const repeats = Number(process.argv[4] ?? 3);
const ITEMS = (process.argv[5] ?? '1') !== '0';
const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'xypz.js');
const work = join(here, 'data', 'collect');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const base = join(work, 'base.db');
// Before May's cut-off (June 10): the May workbooks are on time.
const env = { ...process.env, XYPZ_TODAY: '2024-06-05', XYPZ_ACTOR: 'bench', NO_COLOR: '1' };

function run(args, extra = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', join(here, 'rss.mjs'), ...args], { encoding: 'utf8', env: { ...env, ...extra }, maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 3000)}`);
  return { ms, rss: Number(/PEAK_RSS_MB=(\d+)/.exec(r.stderr)?.[1]), cpu: Number(/CPU_MS=(\d+)/.exec(r.stderr)?.[1]), stdout: r.stdout };
}

// ---------------------------------------------------------------- (1) the database
run([bin, '--db', base, 'init', '--admin', 'bench', '--name', '测试员']);
const db = new Database(base);
const banks = db.prepare("select id, name from org where kind = 'bank' order by id").all();
const districts = db.prepare("select code from region where level = 'district' order by sort_order").all().map((r) => r.code);
const dept = db.prepare("select id, region_code from org where kind = 'department'").all();
const at = '2024-04-01T09:00:00.000+08:00';
const firms = [];
db.transaction(() => {
  const ent = db.prepare('insert into enterprise (code, name, region_code, check_ok, created_at, updated_at) values (?, ?, ?, 1, ?, ?)');
  const cs = db.prepare(
    `insert into case_file (enterprise_code, region_code, stage, class, recommended_on, recommended_by, declared_on, authorised, verified_on, confirmed_on, lead_bank_id, assigned_on, last_progress_on, created_at, updated_at)
     values (?, ?, 'assigned', 'financing', '2024-01-10', ?, '2024-01-20', 1, '2024-02-01', '2024-02-15', ?, '2024-03-01', '2024-03-01', ?, ?)`,
  );
  const asg = db.prepare("insert into bank_assignment (case_id, bank_id, mode, assigned_on, ended_on, reason, created_at) values (?, ?, 'self', '2024-03-01', null, null, ?)");
  const item = db.prepare("insert into coaching_item (case_id, item, org_id, due, status, added_on, created_at) values (?, '补充近三年财务报表', ?, '2024-06-30', 'open', '2024-04-15', ?)");
  banks.forEach((b, bi) => {
    for (let i = 0; i < FIRMS; i++) {
      const n = bi * FIRMS + i;
      const region = districts[n % districts.length];
      const code = withUsccCheck(`914207${String(n).padStart(6, '0')}MA4F0`);
      ent.run(code, `鄂州第${n + 1}号实业有限公司`, region, at, at);
      const d = dept.find((o) => o.region_code === region);
      const id = Number(cs.run(code, region, d.id, b.id, at, at).lastInsertRowid);
      asg.run(id, b.id, at);
      if (ITEMS) item.run(id, b.id, at);
      firms.push({ bank: b.name, code });
    }
  });
})();
db.close();

// ---------------------------------------------------------------- (2) make
const made = join(work, 'made');
const make = run([bin, '--db', base, 'collect', 'make', '--month', '2024-05', '--out', made, '--unit', ...banks.map((b) => b.name)]);

// ---------------------------------------------------------------- (3) fill
const filled = join(work, 'filled');
mkdirSync(filled);
const GUARANTEE = ['信用', '保证', '抵押', '质押'];
for (const f of readdirSync(made)) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(made, f));
  const ws = wb.getWorksheet('授信放款');
  const bank = banks.find((b) => f.includes(b.name)).name;
  const mine = firms.filter((x) => x.bank === bank);
  for (let i = 0; i < LOANS; i++) {
    const row = ws.getRow(4 + i);
    const credit = i % 2 === 0;
    row.values = [mine[i % mine.length].code, null, credit ? '授信' : '放款', 50 + (i % 400), new Date(Date.UTC(2024, 4, 1 + (i % 31))), 3.45 + (i % 4) / 10, 12, GUARANTEE[i % 4], !credit && i % 7 === 0 ? '是' : '否', null];
  }
  const items = wb.getWorksheet('辅导事项');
  if (items) {
    for (let r = 4; r <= items.rowCount; r++) {
      if (typeof items.getCell(r, 1).value !== 'number' || r % 5 !== 0) continue;
      items.getCell(r, 7).value = '办结';
      items.getCell(r, 8).value = new Date(Date.UTC(2024, 4, 1 + (r % 28)));
    }
  }
  wb.getWorksheet('月度反馈').getCell('A4').value = `${bank}本月新增授信、放款 ${LOANS} 笔。`;
  await wb.xlsx.writeFile(join(filled, f));
}
const files = readdirSync(filled).map((f) => join(filled, f));

// ---------------------------------------------------------------- (4) parse and import, interleaved
const parse = [];
const imp = [];
const unstamped = [];
/** The database's stamping triggers dropped (each stamped table's `<table>_recorded…`): the import without stamps. */
function withoutStamping(path) {
  const raw = new Database(path);
  for (const { name } of raw.prepare("select name from sqlite_master where type = 'trigger' and name like '%recorded'").all()) raw.exec(`drop trigger "${name}"`);
  raw.close();
}
const baselineBin = process.env.XYPZ_BASELINE;
const baseline = [];
const importInto = (target, using = bin) => {
  const r = run([using, '--db', target, '--json', 'collect', 'import', ...files]);
  const doc = JSON.parse(r.stdout);
  const expected = banks.length * (LOANS + 1);
  const closed = ITEMS ? banks.length * Math.floor(FIRMS / 5) : 0;
  if (doc.added !== expected || doc.updated < closed * 0.9 || doc.errors.length > 0) throw new Error(`expected ${expected} added and ~${closed} items closed, got ${doc.added} added, ${doc.updated} updated (${doc.errors.length} errors): ${JSON.stringify(doc.errors.slice(0, 2))}`);
  return r;
};
for (let k = 0; k < repeats; k++) {
  parse.push(run([join(here, 'parse-xypz.mjs'), ...files]));
  const target = join(work, `import-${k}.db`);
  copyFileSync(base, target);
  imp.push(importInto(target));
  const bare = join(work, `import-unstamped-${k}.db`);
  copyFileSync(base, bare);
  withoutStamping(bare);
  unstamped.push(importInto(bare));
  if (baselineBin) {
    const other = join(work, `import-baseline-${k}.db`);
    copyFileSync(base, other);
    baseline.push(importInto(other, baselineBin));
  }
  const stampless = new Database(bare, { readonly: true }).prepare('select count(*) as n from loan where recorded_at is null').get().n;
  const stamped = new Database(target, { readonly: true }).prepare('select count(*) as n from loan where recorded_at is null').get().n;
  if (stampless === 0 || stamped !== 0) throw new Error(`stamping triggers: ${stamped} unstamped loans with them, ${stampless} without`);
}
const p = median(parse.map((x) => x.ms));
const i = median(imp.map((x) => x.ms));
const pc = median(parse.map((x) => x.cpu));
const ic = median(imp.map((x) => x.cpu));
const rows = banks.length * (FIRMS + LOANS + (ITEMS ? FIRMS : 0));
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`${banks.length} bank workbooks × (${FIRMS} firms + ${LOANS} loan rows${ITEMS ? ` + ${FIRMS} coaching items` : ''}) = ${rows.toLocaleString('en-US')} rows; repeats: ${repeats} (medians, interleaved); node ${process.version}`);
console.log(`collect make (9 workbooks):             wall ${s(make.ms)}  cpu ${s(make.cpu)}  peak RSS ${make.rss} MB`);
console.log(`bare parse of the 9 files (own reader): wall ${s(p)}  cpu ${s(pc)}  peak RSS ${Math.max(...parse.map((x) => x.rss))} MB`);
console.log(`collect import of the 9 in one batch:   wall ${s(i)}  cpu ${s(ic)}  peak RSS ${Math.max(...imp.map((x) => x.rss))} MB`);
console.log(`import / bare parse: wall ${(i / p).toFixed(2)}×, cpu ${(ic / pc).toFixed(2)}×  (target 2×);  import under 5 s: ${i < 5000 ? 'yes' : 'NO'}`);
const u = median(unstamped.map((x) => x.ms));
const uc = median(unstamped.map((x) => x.cpu));
console.log(`collect import, stamping triggers dropped: wall ${s(u)}  cpu ${s(uc)}  (the recorded stamps cost ${s(i - u)} wall, ${s(ic - uc)} cpu: ${(((i - u) / u) * 100).toFixed(1)}%)`);
if (baselineBin) {
  const b = median(baseline.map((x) => x.ms));
  const bc = median(baseline.map((x) => x.cpu));
  console.log(`collect import with ${baselineBin}: wall ${s(b)}  cpu ${s(bc)}  (${(b / p).toFixed(2)}× the parse wall, ${(bc / pc).toFixed(2)}× cpu)`);
}
