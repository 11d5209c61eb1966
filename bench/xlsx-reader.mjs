#!/usr/bin/env node
// Is the xlsx reader linear in its input? Generates, in bench/data/reader/, workbooks whose parts grow:
//   (a) a proper shared-strings part of 5, 10, 20 and 50 MB (Chinese strings, a small sheet using them);
//   (b) crafted parts of growing size, each under the reader's cap on one element (4 Mi characters): one <si>
//       never closed, followed by </sst> (the issue's file); one <row> never closed, followed by
//       </sheetData></worksheet>; one closed row whose <c> elements are never closed;
//   (c) crafted files under 1 MB whose unclosed element is far larger (15 and 100 MB), past the cap;
// then times the reader alone (dist/sheets.js, as bench/parse-xypz.mjs does, each read in its own process)
// and prints the time per MB, which stays flat when the reader is linear. Finally `xypz users import` of the
// crafted files under 1 MB: exit 3 and the whole process time.
// Usage: npm run build && node bench/xlsx-reader.mjs [repeats] [--timeout <seconds per read>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { median } from './report-check.mjs';

const here = import.meta.dirname;

// ---------------------------------------------------------------- child: one read, timed in-process
if (process.argv[2] === '--read') {
  const { openSheetFile, readRows } = await import('../dist/sheets.js');
  const file = process.argv[3];
  const t = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let rows = 0;
  let error = null;
  try {
    const { format } = openSheetFile(file);
    for await (const r of readRows(file, format)) rows += r.cells.length > 0 ? 1 : 0;
  } catch (e) {
    error = e.message;
  }
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6, cpu: (c.user + c.system) / 1000, rows, error }));
  process.exit(0);
}

const args = process.argv.slice(2);
const timeoutAt = args.indexOf('--timeout');
const timeout = timeoutAt >= 0 ? Number(args.splice(timeoutAt, 2)[1]) : 120;
const repeats = Number(args[0] ?? 3);
const dir = join(here, 'data', 'reader');
mkdirSync(dir, { recursive: true });
const bin = join(here, '..', 'bin', 'xypz.js');
const MB = 1024 * 1024;

// ---------------------------------------------------------------- workbooks
/** A zip of deflated entries (the reader does not check CRCs). */
function writeZip(path, entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const body = deflateRawSync(data, { level: 6 });
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n, body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, cd, end]));
}

const WORKBOOK = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="用户信息" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';
const HEADER = ['序号', '*登录账号', '*用户姓名', '*所属机构', '*机构类型', '*所属区域', '*用户角色', '*手机号码'];
const sheetXml = (rows) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
const inline = (ref, text) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const headerRow = `<row r="1">${HEADER.map((h, i) => inline(`${String.fromCharCode(65 + i)}1`, h)).join('')}</row>`;

function workbook(path, sheet, sst) {
  writeZip(path, { '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>', 'xl/workbook.xml': WORKBOOK, 'xl/_rels/workbook.xml.rels': RELS, 'xl/worksheets/sheet1.xml': sheet, ...(sst === undefined ? {} : { 'xl/sharedStrings.xml': sst }) });
}

const POOL = Array.from('赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳鄂州华容梁子湖葛店临空经济信息化财政农业农村科学技术商务市场监督管理局银行分行支行信用培植工程企业融资对接辅导清单负责联系');
let seed = 42;
/** xorshift32: the same inputs on every run. */
const rand = (n) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
/** Chinese text of about `bytes` UTF-8 bytes, varied (compresses as real text does, about 3:1). */
function chinese(bytes) {
  const out = [];
  for (let i = 0; i < bytes / 3; i++) out.push(POOL[rand(POOL.length)]);
  return out.join('');
}
/**
 * Text of about `bytes` that deflates about 150:1 (runs of one character, a random one every ~300): what a
 * crafted file carries. Below the zip check's 200:1, so the reader, not the bomb check, has to refuse it.
 */
function sparse(bytes) {
  const out = [];
  for (let n = 0; n < bytes; n += 3 * (out.at(-1)?.length ?? 0)) out.push('甲'.repeat(300 - rand(20)) + POOL[rand(POOL.length)]);
  return out.join('');
}

/** A proper shared-strings part of about `mb` MB; the sheet uses its first 200 strings. */
function properSst(path, mb) {
  const items = [];
  let size = 0;
  for (let i = 0; size < mb * MB; i++) {
    const s = `<si><t>${chinese(30 + (i % 60))}第${i}号</t></si>`;
    items.push(s);
    size += Buffer.byteLength(s);
  }
  const rows = [headerRow];
  for (let r = 2; r < 102; r++) rows.push(`<row r="${r}">${HEADER.map((_, i) => `<c r="${String.fromCharCode(65 + i)}${r}" t="s"><v>${(r * 8 + i) % items.length}</v></c>`).join('')}</row>`);
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${items.length}" uniqueCount="${items.length}">${items.join('')}</sst>`;
  workbook(path, sheetXml(rows.join('')), sst);
  return Buffer.byteLength(sst);
}

const fileName = (kind, mb) => `${kind.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}-${mb}MB.xlsx`;
const CRAFTED = {
  'unclosed <si>': (bytes, text) => [sheetXml(headerRow), `<sst><si><t>${text(bytes)}</t></sst>`],
  'unclosed <row>': (bytes, text) => {
    const cells = [];
    for (let n = 0; n < bytes; n += Buffer.byteLength(cells.at(-1))) cells.push(inline('A2', text(3000)));
    return [sheetXml(`${headerRow}<row r="2">${cells.join('')}`), undefined];
  },
  'proper rows, then an unclosed <row>': (bytes, text) => {
    const rows = [headerRow];
    for (let r = 2, n = 0; n < bytes; r++) {
      rows.push(`<row r="${r}">${inline(`A${r}`, text(1000))}</row>`);
      n += Buffer.byteLength(rows.at(-1));
    }
    return [sheetXml(`${rows.join('')}<row r="${rows.length + 1}">`), undefined];
  },
  'unclosed <c> ×N in a closed <row>': (bytes) => {
    const cell = '<c r="A2" t="s"><v>0</v>';
    return [sheetXml(`${headerRow}<row r="2">${cell.repeat(Math.ceil(bytes / cell.length))}</row>`), '<sst><si><t>甲</t></si></sst>'];
  },
};

function crafted(path, kind, bytes, text) {
  const [sheet, sst] = CRAFTED[kind](bytes, text);
  workbook(path, sheet, sst);
  return Buffer.byteLength(sst !== undefined && kind === 'unclosed <si>' ? sst : sheet);
}

// ---------------------------------------------------------------- timing
function read(file) {
  const r = spawnSync(process.execPath, ['--import', join(here, 'rss.mjs'), join(here, 'xlsx-reader.mjs'), '--read', file], { encoding: 'utf8', timeout: timeout * 1000 });
  if (r.error?.code === 'ETIMEDOUT' || r.signal) return { ms: Infinity, cpu: Infinity, rss: NaN, error: `${timeout} s 后仍未结束，已中止` };
  if (r.status !== 0) throw new Error(`read ${file} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...out, rss: Number(/PEAK_RSS_MB=(\d+)/.exec(r.stderr)?.[1]) };
}

function timed(file) {
  const runs = [];
  for (let k = 0; k < repeats; k++) {
    const r = read(file);
    runs.push(r);
    if (!Number.isFinite(r.ms)) break;
  }
  return { ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)), rss: Math.max(...runs.map((r) => r.rss).filter(Number.isFinite)), error: runs[0].error, rows: runs[0].rows };
}

const kb = (path) => `${Math.round(statSync(path).size / 1024)} KB`;
const line = (cells) => console.log(`| ${cells.join(' | ')} |`);
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : `> ${timeout} s`);
const perMb = (x, bytes) => (Number.isFinite(x) ? `${(x / (bytes / MB)).toFixed(1)} ms` : '—');
const outcome = (r) => (!Number.isFinite(r.ms) ? r.error : r.error ? `拒绝：${r.error.replace(/^.*?已损坏(或被改动过)?：/, '').slice(0, 60)}…` : `读完 ${r.rows} 行`);

console.log(`node ${process.version}; repeats: ${repeats} (median); timeout per read ${timeout} s`);
console.log('\n(a) proper shared-strings parts');
const HEAD = ['部件大小', '文件', '墙钟', 'CPU', 'CPU 每 MB', '峰值 RSS', '结果'];
line(HEAD);
line(HEAD.map(() => '---'));
for (const mb of [5, 10, 20, 50]) {
  const file = join(dir, `sst-${mb}MB.xlsx`);
  if (!existsSync(file)) properSst(file, mb);
  const bytes = mb * MB;
  const r = timed(file);
  line([`${mb} MB`, kb(file), ms(r.ms), ms(r.cpu), perMb(r.cpu, bytes), `${r.rss} MB`, outcome(r)]);
}

// Chinese text is 3 bytes a character, the cells of the third kind 1 byte: all stay under 4 Mi characters.
const SIZES = { 'unclosed <si>': [1, 2, 4, 8], 'unclosed <row>': [1, 2, 4, 8], 'unclosed <c> ×N in a closed <row>': [0.5, 1, 2, 3.5] };
for (const kind of Object.keys(SIZES)) {
  console.log(`\n(b) crafted: ${kind}`);
  line(HEAD);
  line(HEAD.map(() => '---'));
  for (const mb of SIZES[kind]) {
    const file = join(dir, fileName(kind, mb));
    const bytes = crafted(file, kind, mb * MB, sparse);
    const r = timed(file);
    line([`${(bytes / MB).toFixed(1)} MB`, kb(file), ms(r.ms), ms(r.cpu), perMb(r.cpu, bytes), Number.isFinite(r.rss) ? `${r.rss} MB` : '—', outcome(r)]);
  }
}

// ---------------------------------------------------------------- the CLI on crafted files under 1 MB
console.log('\n(c) `xypz users import` of crafted files under 1 MB (whole process, fresh database)');
line(['文件', '解压后部件', '退出码', '墙钟', 'CPU', '峰值 RSS', '提示']);
line(['---', '---', '---', '---', '---', '---', '---']);
const db = join(dir, 'cli.db');
for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
const init = spawnSync(process.execPath, [bin, '--db', db, 'init', '--admin', 'bench', '--name', '测试员'], { encoding: 'utf8', env: { ...process.env, XYPZ_ACTOR: 'bench' } });
if (init.status !== 0) throw new Error(init.stderr);
// The last: the cap does not help when the element left open comes after 90 MB of proper rows; the reader
// reads them all (linearly) before it finds it. 200:1 is as far as the zip check lets a part expand.
for (const [kind, mb] of [['unclosed <si>', 15], ['unclosed <si>', 100], ['unclosed <row>', 100], ['unclosed <c> ×N in a closed <row>', 15], ['proper rows, then an unclosed <row>', 90]]) {
  const file = join(dir, `cli-${fileName(kind, mb)}`);
  const bytes = crafted(file, kind, mb * MB, sparse);
  if (statSync(file).size >= MB) throw new Error(`${file} is ${kb(file)}, not under 1 MB`);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', join(here, 'rss.mjs'), bin, '--db', db, 'users', 'import', file], { encoding: 'utf8', env: { ...process.env, XYPZ_ACTOR: 'bench' }, timeout: timeout * 1000 });
  const took = r.signal ? Infinity : Number(process.hrtime.bigint() - t) / 1e6;
  const message = r.stderr.split('\n').find((l) => l.trim() && !l.startsWith('PEAK_RSS') && !l.startsWith('CPU_MS')) ?? '';
  const rss = /PEAK_RSS_MB=(\d+)/.exec(r.stderr)?.[1];
  const cpu = /CPU_MS=(\d+)/.exec(r.stderr)?.[1];
  line([`${kind}（${kb(file)}）`, `${(bytes / MB).toFixed(0)} MB`, r.signal ? '—' : String(r.status), ms(took), cpu ? `${cpu} ms` : '—', rss ? `${rss} MB` : '—', r.signal ? `${timeout} s 后仍未结束，已中止` : message.slice(0, 90)]);
}
