// Renders every kind of file the tool writes, from the demo database, to PDF and PNG pages through
// LibreOffice (Calc for .xlsx, Writer for .docx), to see them as they print:
//
//   npm run preview                 # builds, then writes .tmp/preview/
//   node scripts/preview.mjs --out <dir> [--dpi 80]
//
// Needs LibreOffice and poppler: apt-get install libreoffice-calc-nogui libreoffice-writer-nogui
// poppler-utils fonts-noto-cjk. The fonts the documents name (宋体, 仿宋, 黑体, 楷体, 方正小标宋简体) are
// rarely installed on Linux; a private fontconfig file stands Noto Serif/Sans CJK SC in for them, so the
// pages show the intended serif/sans contrast. LibreOffice runs with a private profile, so it neither
// touches nor waits for another user's instance.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const out = resolve(arg('--out', join(root, '.tmp', 'preview')));
const dpi = arg('--dpi', '80');
const TODAY = '2025-01-15'; // the demo's year then ends with complete 2024 reports

for (const tool of ['soffice', 'pdftoppm']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    console.error(`找不到 ${tool}：请先安装 libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-noto-cjk`);
    process.exit(1);
  }
}
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('找不到 dist/：请先运行 npm run build（或 npm run preview）');
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
const files = join(out, 'files');
const pages = join(out, 'pages');
mkdirSync(files, { recursive: true });
mkdirSync(pages, { recursive: true });

const env = { ...process.env, XYPZ_DB: join(out, 'demo.db'), XYPZ_ACTOR: 'demo_admin', XYPZ_TODAY: TODAY, NO_COLOR: '1' };
const xypz = (...args) => execFileSync(process.execPath, [join(root, 'bin', 'xypz.js'), ...args], { env, encoding: 'utf8', cwd: out });
const f = (name) => join(files, name);

console.log('生成演示数据库…');
xypz('demo', '--db', env.XYPZ_DB);

console.log('生成各类文件…');
xypz('report', 'monthly', '--out', f('月报.xlsx'));
xypz('report', 'quarterly', '--out', f('季报.xlsx'));
xypz('report', 'quarterly', '--out', f('季度工作开展情况报告.docx'));
xypz('report', 'annual', '--out', f('年报.xlsx'));
xypz('report', 'annual', '--out', f('年度工作总结.docx'));
xypz('report', 'monthly', '--district', '华容区', '--out', f('华容区月报.xlsx'));
xypz('report', 'overdue', '--out', f('督办清单.xlsx'));
xypz('ledger', '--district', '华容区', '--out', f('工作台账.xlsx'));
xypz('pool', 'filing', '--district', '华容区', '--out', f('名单报备表.xlsx'));
xypz('users', 'export', f('用户信息.xlsx'));
xypz('users', 'template', f('用户信息批量导入表.xlsx'));
xypz('declare', 'template', f('申报问卷模板.xlsx'));
const cases = JSON.parse(xypz('enterprise', 'list', '--json'));
const verified = cases.find((c) => ['confirmed', 'assigned'].includes(c.stage));
xypz('verify', 'report', verified.code, '--out', f('核查报告.docx'));
xypz('verify', 'report', verified.code, '--out', f('核查报告表.xlsx'));
xypz('coach', 'list', '--out', f('辅导清单.xlsx'));
xypz('ledger', '--out', f('全市工作台账.xlsx'));
xypz('report', 'quarterly', '--district', '华容区', '--out', f('华容区季度工作开展情况报告.docx'));

// A bank's monthly collection workbook, and the --errors copy of one sent back with a date outside the month.
const made = JSON.parse(xypz('collect', 'make', '--month', '2024-12', '--out', join(out, 'collect'), '--json')).workbooks;
const bank = made.find((w) => /银行/.test(w.unit) && !/人民银行/.test(w.unit)) ?? made[0];
execFileSync('cp', [bank.file, f('月度报送表.xlsx')]);

// An import with mistakes, for the --errors copy: the user export with a bad phone number and ID number.
const { default: ExcelJS } = await import('exceljs');
const wb = new ExcelJS.Workbook();
await wb.xlsx.readFile(f('用户信息.xlsx'));
const ws = wb.worksheets[0];
let header = 0;
ws.eachRow((row, n) => {
  if (!header && row.values.includes('*手机号码')) header = n;
});
const col = (title) => ws.getRow(header).values.indexOf(title);
ws.getCell(header + 1, col('*手机号码')).value = '1380000';
ws.getCell(header + 2, col('身份证号码')).value = '420700198001011235';
await wb.xlsx.writeFile(join(out, '有错误的导入表.xlsx'));
const returned = new ExcelJS.Workbook();
await returned.xlsx.readFile(bank.file);
const firms = returned.getWorksheet('主办企业');
const loansSheet = returned.getWorksheet('授信放款');
if (firms && loansSheet) {
  loansSheet.getCell('A4').value = firms.getCell('B4').value;
  loansSheet.getCell('C4').value = '授信';
  loansSheet.getCell('D4').value = 100;
  loansSheet.getCell('E4').value = '2025-01-05';
  mkdirSync(join(out, 'returned'), { recursive: true });
  await returned.xlsx.writeFile(join(out, 'returned', basename(bank.file)));
  try {
    execFileSync(process.execPath, [join(root, 'bin', 'xypz.js'), 'collect', 'import', join(out, 'returned', basename(bank.file)), '--errors', f('报送表错误.xlsx')], { env, stdio: 'ignore' });
  } catch {
    // refused, as it should be
  }
}
try {
  execFileSync(process.execPath, [join(root, 'bin', 'xypz.js'), 'users', 'import', join(out, '有错误的导入表.xlsx'), '--errors', f('导入错误.xlsx')], { env, stdio: 'ignore' });
} catch {
  // the import is refused, as it should be; the error copy is what we look at
}

console.log('用 LibreOffice 转成 PDF…');
const fontsConf = join(out, 'fonts.conf');
const alias = (from, to, bold = false) =>
  `<match target="pattern"><test name="family"><string>${from}</string></test>` +
  `<edit name="family" mode="assign" binding="strong"><string>${to}</string></edit>` +
  (bold ? '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>' : '') +
  '</match>';
writeFileSync(
  fontsConf,
  `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>` +
    [['宋体', 'Noto Serif CJK SC'], ['SimSun', 'Noto Serif CJK SC'], ['仿宋', 'Noto Serif CJK SC'], ['楷体', 'Noto Serif CJK SC'], ['黑体', 'Noto Sans CJK SC']]
      .map(([a, b]) => alias(a, b))
      .join('') +
    alias('方正小标宋简体', 'Noto Serif CJK SC', true) +
    '</fontconfig>',
);
const documents = readdirSync(files).sort();
execFileSync('soffice', [`-env:UserInstallation=file://${join(out, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', join(out, 'pdf'), ...documents.map(f)], {
  env: { ...process.env, FONTCONFIG_FILE: fontsConf },
  stdio: 'ignore',
});

console.log('转成 PNG…');
for (const name of documents) {
  const base = name.replace(/\.[^.]+$/, '');
  const pdf = join(out, 'pdf', `${base}.pdf`);
  if (!existsSync(pdf)) {
    console.error(`LibreOffice 没有转换 ${name}`);
    process.exitCode = 1;
    continue;
  }
  execFileSync('pdftoppm', ['-r', dpi, '-png', pdf, join(pages, `${base}-${name.endsWith('.docx') ? 'docx' : 'xlsx'}`)]);
}
for (const p of readdirSync(pages).sort()) console.log(join(pages, p));
