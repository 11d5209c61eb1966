#!/usr/bin/env node
// Import throughput: generates a 100,000-row 用户信息批量导入表 and, in the same run, times
// (a) a bare streaming parse of it with exceljs, (b) a bare parse with xypz's own streaming reader, and
// (c) `xypz users import` into a fresh database, and (d) the floor of an import: (b) plus one prepared INSERT
// a row into a fresh SQLite file (bench/parse-insert.mjs).
// It also times (e) the refusal of a file over the 200,000-row limit (250,000 rows; exit 3, nothing written).
// XYPZ_BASELINE=<another build's bin/xypz.js> also times that build's import and refusal, interleaved.
// Usage: npm run build && node bench/import.mjs [rows] [repeats]
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './report-check.mjs';

const rows = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 3);
const here = import.meta.dirname;
const dataDir = join(here, 'data');
mkdirSync(dataDir, { recursive: true });
const sheet = join(dataDir, `users-${rows}.xlsx`);
const OVER = 250_000;
const overSheet = join(dataDir, `users-${OVER}.xlsx`);
const bin = join(here, '..', 'bin', 'xypz.js');

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽';
const ORGS = [
  ['华容区经济和信息化局', '政府部门', '华容区'],
  ['鄂城区财政局', '政府部门', '鄂城区'],
  ['梁子湖区农业农村局', '政府部门', '梁子湖区'],
  ['葛店经济技术开发区科学技术局', '政府部门', '葛店经济技术开发区'],
  ['临空经济区商务局', '政府部门', '临空经济区'],
  ['中国工商银行鄂州分行', '金融机构', '鄂州市'],
  ['鄂州农村商业银行', '金融机构', '鄂州市'],
  ['华容区金融办', '金融办', '华容区'],
];

async function generate(sheet, rows) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: sheet, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('用户信息');
  ws.addRow(['序号', '*登录账号', '*用户姓名', '*所属机构', '*机构类型', '*所属区域', '*用户角色', '*手机号码', '身份证号码', '电子邮箱', '职务', '备注']).commit();
  for (let i = 0; i < rows; i++) {
    const [org, kind, region] = ORGS[i % ORGS.length];
    const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 ? GIVEN[(i * 11) % GIVEN.length] : '');
    ws.addRow([i + 1, `user${i}`, name, org, kind, region, ['操作员', '查询员', '管理员'][i % 3], `13${String(i).padStart(9, '0')}`, null, `u${i}@example.com`, '科员', `第${i + 1}号账号，负责信用培植工程的数据报送`]).commit();
  }
  ws.commit();
  await wb.commit();
}

function run(args, env = {}, status = 0) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', join(here, 'rss.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== status) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const rss = Number(/PEAK_RSS_MB=(\d+)/.exec(r.stderr)?.[1]);
  const cpu = Number(/CPU_MS=(\d+)/.exec(r.stderr)?.[1]);
  return { ms, rss, cpu, stdout: r.stdout, stderr: r.stderr };
}

for (const [file, n] of [[sheet, rows], [overSheet, OVER]]) {
  if (existsSync(file)) continue;
  process.stdout.write(`generating ${file} … `);
  await generate(file, n);
  console.log(`${(statSync(file).size / 1048576).toFixed(1)} MB`);
}
const baselineBin = process.env.XYPZ_BASELINE;
/** `xypz users import` of `file` into a fresh database with `using`; the over-limit file must be refused. */
function importWith(using, file, over) {
  const db = join(dataDir, 'import-bench.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  run([using, '--db', db, 'init', '--admin', 'bench', '--name', '测试员'], { XYPZ_ACTOR: 'bench' });
  if (over) {
    const r = run([using, '--db', db, 'users', 'import', file], { XYPZ_ACTOR: 'bench' }, 3);
    if (!r.stderr.includes('数据行超过上限 200,000 行')) throw new Error(`expected the row-limit refusal: ${r.stderr.slice(0, 500)}`);
    return r;
  }
  const r = run([using, '--db', db, '--json', 'users', 'import', file], { XYPZ_ACTOR: 'bench' });
  const res = JSON.parse(r.stdout);
  if (res.added !== rows) throw new Error(`expected ${rows} added, got ${res.added}`);
  return r;
}
const parse = [];
const own = [];
const imp = [];
const floor = [];
const refuse = [];
const baseImp = [];
const baseRefuse = [];
for (let k = 0; k < repeats; k++) {
  const plain = join(dataDir, 'parse-insert.db');
  for (const f of [plain, `${plain}-wal`, `${plain}-shm`]) rmSync(f, { force: true });
  floor.push(run([join(here, 'parse-insert.mjs'), plain, sheet]));
  parse.push(run([join(here, 'parse-only.mjs'), sheet]));
  own.push(run([join(here, 'parse-xypz.mjs'), sheet]));
  imp.push(importWith(bin, sheet, false));
  refuse.push(importWith(bin, overSheet, true));
  if (baselineBin) {
    baseImp.push(importWith(baselineBin, sheet, false));
    baseRefuse.push(importWith(baselineBin, overSheet, true));
  }
}
const p = median(parse.map((x) => x.ms));
const o = median(own.map((x) => x.ms));
const i = median(imp.map((x) => x.ms));
const line = (label, ms, xs) =>
  console.log(
    `${label} ${(ms / 1000).toFixed(2)} s  ${Math.round(rows / (ms / 1000)).toLocaleString('en-US').padStart(7)} rows/s  cpu ${(median(xs.map((x) => x.cpu)) / 1000).toFixed(2)} s  peak RSS ${Math.max(...xs.map((x) => x.rss))} MB (max of runs)`,
  );
console.log(`rows: ${rows}; repeats: ${repeats} (medians, interleaved); node ${process.version}`);
line('(a) bare exceljs streaming parse:', p, parse);
line('(b) bare xypz streaming parse:   ', o, own);
line('(c) xypz users import:           ', i, imp);
const f = median(floor.map((x) => x.ms));
line('(d) xypz parse + prepared inserts:', f, floor);
console.log(`ratio import / exceljs parse: ${(i / p).toFixed(2)}×   import / xypz parse: ${(i / o).toFixed(2)}×   import / (parse + inserts): ${(i / f).toFixed(2)}× (target 1.8×)`);
const refusal = (label, xs) =>
  console.log(`${label} ${(median(xs.map((x) => x.ms)) / 1000).toFixed(2)} s  cpu ${(median(xs.map((x) => x.cpu)) / 1000).toFixed(2)} s  peak RSS ${Math.max(...xs.map((x) => x.rss))} MB (max of runs)`);
refusal(`(e) refusal of ${OVER.toLocaleString('en-US')} rows (exit 3):`, refuse);
if (baselineBin) {
  const b = median(baseImp.map((x) => x.ms));
  line(`(c') users import with ${baselineBin}:`, b, baseImp);
  console.log(`    its import / (parse + inserts): ${(b / f).toFixed(2)}×`);
  refusal(`(e') its refusal of ${OVER.toLocaleString('en-US')} rows:`, baseRefuse);
}
