/**
 * Input made to hurt: forged cell references, character references to nothing, damaged encodings, control
 * characters aimed at a terminal, implausible amounts.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { withUsccCheck } from '../src/domain/core/ids.js';
import { formatMoney, sumCents } from '../src/util/money.js';
import { terminalText, visible } from '../src/util/text.js';
import { initialised, type Sandbox } from './helpers.js';
import { encodeGb18030 } from './encoding.js';
import { USER_HEADER, userRow, writeXlsx, writeZip } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

/** A minimal workbook: one sheet with the given cells XML (and shared strings); `damage` rewrites a part's XML. */
function workbook(path: string, sheetData: string, sharedStrings?: string[], damage: { sheet?: (xml: string) => string; sst?: (xml: string) => string } = {}): void {
  const same = (xml: string) => xml;
  const entries = [
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from('<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        '<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from((damage.sheet ?? same)(`<?xml version="1.0"?><worksheet><sheetData>${sheetData}</sheetData></worksheet>`)), deflate: true },
  ];
  if (sharedStrings) {
    entries.push({ name: 'xl/sharedStrings.xml', data: Buffer.from((damage.sst ?? same)(`<?xml version="1.0"?><sst>${sharedStrings.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`)) });
  }
  writeZip(path, entries);
}

const header = `<row r="1">${USER_HEADER.map((h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('forged cell references and character references', () => {
  it('a column beyond XFD is refused with exit 3 naming the cell, before anything is allocated', async () => {
    sb = await initialised();
    workbook(sb.path('wide.xlsx'), `${header}<row r="2">${inline('A2', '1')}${inline('ZZZZZZZ2', 'x')}</row>`);
    const r = await sb.run(['users', 'import', sb.path('wide.xlsx')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('单元格 ZZZZZZZ2 超出 Excel 的范围');
    workbook(sb.path('xfe.xlsx'), `${header}<row r="2">${inline('XFE2', 'x')}</row>`);
    expect((await sb.run(['users', 'import', sb.path('xfe.xlsx')])).stderr).toContain('单元格 XFE2');
  });

  it('a row beyond 1,048,576 (on the row or on a cell, or a merge) is refused with exit 3', async () => {
    sb = await initialised();
    workbook(sb.path('row.xlsx'), `${header}<row r="99999999">${inline('A99999999', 'x')}</row>`);
    const r = await sb.run(['users', 'import', sb.path('row.xlsx')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('第 99999999 行 超出 Excel 的范围');
    workbook(sb.path('cell.xlsx'), `${header}<row r="2">${inline('B2000000', 'x')}</row>`);
    expect((await sb.run(['users', 'import', sb.path('cell.xlsx')])).stderr).toContain('单元格 B2000000');
  });

  it('a numeric character reference outside Unicode is exit 3 naming the cell (inline or shared string)', async () => {
    sb = await initialised();
    workbook(sb.path('ref.xlsx'), `${header}<row r="2">${inline('A2', '1')}${inline('C2', '张&#99999999;三')}</row>`);
    const r = await sb.run(['users', 'import', sb.path('ref.xlsx')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('单元格 C2 含有无效的字符引用 &#99999999;');
    workbook(sb.path('sst.xlsx'), `${header}<row r="2"><c r="D2" t="s"><v>1</v></c></row>`, ['正常', '坏&#x110000;']);
    const s = await sb.run(['users', 'import', sb.path('sst.xlsx')]);
    expect(s.code).toBe(3);
    expect(s.stderr).toContain('单元格 D2 含有无效的字符引用 &#x110000;');
  });

  it('a CSV wider than 16,384 columns is refused with exit 3', async () => {
    sb = await initialised();
    writeFileSync(sb.path('wide.csv'), `${USER_HEADER.join(',')}\n${','.repeat(20_000)}\n`);
    const r = await sb.run(['users', 'import', sb.path('wide.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('第 2 行列数超出 Excel 的范围');
  });
});

describe('a damaged workbook whose zip is intact', () => {
  const rows = [1, 2].map((i) => `<row r="${i + 1}">${userRow(i).map((v, c) => (v === null || v === undefined ? '' : inline(`${String.fromCharCode(65 + c)}${i + 1}`, String(v)))).join('')}</row>`).join('');

  it('a sheet cut off in the middle of a row is refused (exit 3, nothing written), never read in part', async () => {
    sb = await initialised();
    workbook(sb.path('whole.xlsx'), `${header}${rows}`);
    workbook(sb.path('cut.xlsx'), `${header}${rows}`, undefined, { sheet: (xml) => xml.slice(0, xml.indexOf('<row r="3">') + 40) });
    const before = await sb.fingerprint();
    const r = await sb.run(['users', 'import', sb.path('cut.xlsx')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('cut.xlsx 已损坏：工作表「S」的内容不完整');
    expect(await sb.fingerprint()).toBe(before);
    // the same rows, complete, import
    const whole = await sb.run(['users', 'import', sb.path('whole.xlsx'), '--dry-run']);
    expect(whole.code, whole.stderr).toBe(0);
  });

  it('a cell pointing past the shared strings, or a shared string table cut short, is refused', async () => {
    sb = await initialised();
    workbook(sb.path('index.xlsx'), `${header}<row r="2"><c r="C2" t="s"><v>5</v></c></row>`, ['张三']);
    const r = await sb.run(['users', 'import', sb.path('index.xlsx')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('单元格 C2 引用的第 6 个共享字符串不存在');
    // the table's last string and its end missing: 李四 would otherwise be read as an empty cell
    workbook(sb.path('sst.xlsx'), `${header}<row r="2"><c r="C2" t="s"><v>0</v></c></row>`, ['张三', '李四'], { sst: (xml) => xml.slice(0, xml.indexOf('李四')) });
    const before = await sb.fingerprint();
    const s = await sb.run(['users', 'import', sb.path('sst.xlsx')]);
    expect(s.code).toBe(3);
    expect(s.stderr).toContain('sst.xlsx 已损坏：共享字符串表的内容不完整');
    expect(await sb.fingerprint()).toBe(before);
  });

  // Rows 2 and 3 by shared strings: the strings of row i are 登录账号, 姓名 and 手机号码.
  const shared = (i: number) => [`user000${i}`, i === 1 ? '张三' : '李四', `1381000000${i}`];
  const sstRows = [1, 2]
    .map((i) => {
      const v = userRow(i);
      const cell = (c: number) => (c === 1 || c === 2 || c === 7 ? `<c r="${String.fromCharCode(65 + c)}${i + 1}" t="s"><v>${(i - 1) * 3 + [1, 2, 7].indexOf(c)}</v></c>` : v[c] === null ? '' : inline(`${String.fromCharCode(65 + c)}${i + 1}`, String(v[c])));
      return `<row r="${i + 1}">${v.map((_, c) => cell(c)).join('')}</row>`;
    })
    .join('');
  const strings = [...shared(1), ...shared(2)];

  it('an element left open or opened twice (<si>, <row>, <c>) is refused: exit 3, one clear line, nothing written, even with --partial', async () => {
    sb = await initialised();
    workbook(sb.path('whole.xlsx'), `${header}${sstRows}`, strings);
    expect((await sb.run(['users', 'import', sb.path('whole.xlsx'), '--dry-run', '--json'])).json()).toMatchObject({ added: 2, errors: [] });
    const damaged: [string, string, { sheet?: (xml: string) => string; sst?: (xml: string) => string }, string][] = [
      // the issue's files: an unclosed <si>, then the table's proper end
      ['si.xlsx', `${header}${sstRows}`, { sst: (xml) => xml.replace('<si><t>13810000002</t></si>', '<si><t>13810000002</t>') }, 'si.xlsx 已损坏：共享字符串表的内容不完整（第 6 个字符串的 <si> 没有结束就到了末尾'],
      ['nested.xlsx', `${header}${sstRows}`, { sst: (xml) => xml.replace('<si><t>张三</t></si>', '<si><t>张三</t>') }, 'nested.xlsx 已损坏或被改动过：共享字符串表中第 2 个字符串的 <si> 没有结束，又开始了一个 <si>'],
      ['row.xlsx', `${header}${sstRows}`, { sheet: (xml) => xml.replace(/<\/row><\/sheetData>/, '</sheetData>') }, 'row.xlsx 已损坏：工作表「S」的内容不完整（第 3 行的 <row> 没有结束就到了末尾'],
      ['cell.xlsx', `${header}${sstRows}`, { sheet: (xml) => xml.replace('<v>4</v></c>', '<v>4</v>') }, 'cell.xlsx 已损坏或被改动过：工作表「S」中单元格 C3 的 <c> 没有结束，又开始了一个 <c>'],
    ];
    const head = (await sb.run(['audit', 'head'])).stdout;
    const before = await sb.fingerprint();
    for (const [name, sheet, damage, message] of damaged) {
      workbook(sb.path(name), sheet, strings, damage);
      for (const extra of [[], ['--partial']]) {
        const r = await sb.run(['users', 'import', sb.path(name), ...extra]);
        expect(r.code, `${name} ${extra}: ${r.stderr}`).toBe(3);
        expect(r.stderr).toContain(message);
        expect(r.stderr).toContain('请用 Excel/WPS 重新保存为 .xlsx 后再导入');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
    }
    expect(await sb.fingerprint()).toBe(before);
    expect((await sb.run(['audit', 'head'])).stdout).toBe(head);
    expect((await sb.run(['users', 'list', '--json'])).json()).toHaveLength(1);
  });

  it('every import reads through the same reader: declare, recommend, satisfaction and collect imports refuse the same files', async () => {
    sb = await initialised();
    workbook(sb.path('si.xlsx'), `${header}${sstRows}`, strings, { sst: (xml) => xml.replace('<si><t>13810000002</t></si>', '<si><t>13810000002</t>') });
    workbook(sb.path('cell.xlsx'), `${header}${sstRows}`, strings, { sheet: (xml) => xml.replace('<v>4</v></c>', '<v>4</v>') });
    const before = await sb.fingerprint();
    for (const command of [['declare', 'import'], ['recommend', 'import'], ['satisfaction', 'import'], ['collect', 'import']]) {
      const si = await sb.run([...command, sb.path('si.xlsx')]);
      expect(si.code, `${command.join(' ')}: ${si.stderr}`).toBe(3);
      expect(si.stderr).toContain('si.xlsx 已损坏：共享字符串表的内容不完整（第 6 个字符串的 <si> 没有结束就到了末尾');
      // (collect import first looks for the hidden sheet that `collect make` writes, and refuses the file for its lack)
      if (command[0] === 'collect') continue;
      const cell = await sb.run([...command, sb.path('cell.xlsx')]);
      expect(cell.code, `${command.join(' ')}: ${cell.stderr}`).toBe(3);
      expect(cell.stderr).toContain('单元格 C3 的 <c> 没有结束，又开始了一个 <c>');
    }
    expect(await sb.fingerprint()).toBe(before);
  });
});

describe('a UTF-8 CSV with one invalid byte', () => {
  const rows = [USER_HEADER.join(','), '1,csv_user1,张三,华容区经济和信息化局,政府部门,华容区,操作员,13800000001,,,,', '2,csv_user2,李四,华容区经济和信息化局,政府部门,华容区,操作员,13800000002,,,,'];

  it('is reported with its file, line and byte offset, not read as GB18030', async () => {
    sb = await initialised();
    const good = Buffer.from(`${rows.join('\n')}\n`);
    const bad = Buffer.concat([good.subarray(0, good.indexOf('李四')), Buffer.from([0xff]), good.subarray(good.indexOf('李四'))]);
    writeFileSync(sb.path('bad.csv'), bad);
    const r = await sb.run(['users', 'import', sb.path('bad.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`bad.csv 是 UTF-8 编码，但第 3 行有无效的字节 0xFF（文件的第 ${good.indexOf('李四') + 1} 个字节）`);
    writeFileSync(sb.path('bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bad]));
    expect((await sb.run(['users', 'import', sb.path('bom.csv')])).stderr).toContain('bom.csv 是 UTF-8 编码，但第 3 行有无效的字节 0xFF');
    expect((await sb.run(['users', 'list', '--json'])).json()).toHaveLength(1);
  });

  it('a GB18030 file is still read as GB18030', async () => {
    sb = await initialised();
    writeFileSync(sb.path('gbk.csv'), encodeGb18030(`${rows.join('\r\n')}\r\n`));
    const r = await sb.run(['users', 'import', sb.path('gbk.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().added).toBe(2);
  });
});

describe('control characters', () => {
  it('are refused (exit 3) in names and one-line fields given on the command line', async () => {
    sb = await initialised();
    const code = withUsccCheck('91420703MA4W00001');
    const rlo = await sb.run(['recommend', '--code', code, '--name', '鄂州\u202Eexe.txt有限公司', '--district', '华容区', '--dept', '经信']);
    expect(rlo.code).toBe(3);
    expect(rlo.stderr).toContain('--name 企业名称含有不可见的文字方向控制符（U+202E）');
    const esc = await sb.run(['org', 'add', '--name', '银行\x1b[2J', '--kind', 'bank', '--district', '鄂州市']);
    expect(esc.code).toBe(3);
    expect(esc.stderr).toContain('ESC（U+001B）');
    expect(esc.stderr).not.toContain('\x1b');
    const cr = await sb.run(['recommend', '--code', code, '--name', '鄂州测试\r有限公司', '--district', '华容区', '--dept', '经信']);
    expect(cr.code).toBe(3);
    expect(cr.stderr).toContain('回车（U+000D），此项只能是一行文字');
  });

  it('free text may span lines but holds no ESC or BEL', async () => {
    sb = await initialised();
    const ok = await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-05', '--text', '第一行\n第二行\t附注']);
    expect(ok.code, ok.stderr).toBe(0);
    const bel = await sb.run(['feedback', 'add', '--from', '华容区', '--month', '2024-05', '--text', '响铃\u0007']);
    expect(bel.code).toBe(3);
    expect(bel.stderr).toContain('响铃 BEL（U+0007）');
  });

  it('are refused in import cells, naming the cell (xlsx _xHHHH_ escapes and raw CSV bytes)', async () => {
    sb = await initialised();
    // Excel writes a control character in a cell as _x001B_; exceljs would drop it, so the XML is written here.
    const row = (n: number, title: string, note: string) =>
      `<row r="${n}">${userRow(n - 1)
        .slice(0, 8)
        .map((v, i) => inline(`${String.fromCharCode(65 + i)}${n}`, String(v)))
        .join('')}${inline(`K${n}`, title)}${inline(`L${n}`, note)}</row>`;
    workbook(sb.path('ctl.xlsx'), `${header}${row(2, '科长_x001B_]0;owned_x0007_', '')}${row(3, '科员', '第一行&#10;第二行')}`);
    const r = await sb.run(['users', 'import', sb.path('ctl.xlsx'), '--json']);
    expect(r.code).toBe(3);
    expect(r.json().errors).toEqual([expect.objectContaining({ row: 2, column: '职务', reason: expect.stringContaining('ESC（U+001B）') })]);
    writeFileSync(sb.path('ctl.csv'), `${USER_HEADER.join(',')}\n1,csv_user,张\u202E三,华容区经济和信息化局,政府部门,华容区,操作员,13800000001,,,,\n`);
    const c = await sb.run(['users', 'import', sb.path('ctl.csv')]);
    expect(c.code).toBe(3);
    expect(c.stderr).toContain('ctl.csv 第 2 行「用户姓名」列');
    expect(c.stderr).toContain('文字方向控制符（U+202E）');
  });

  it('stored text never reaches a terminal raw: no cursor movement, no colour, in tables or plain lines', async () => {
    sb = await initialised();
    const code = withUsccCheck('91420703MA4W00002');
    expect((await sb.run(['recommend', '--code', code, '--name', '鄂州测试有限公司', '--district', '华容区', '--dept', '经信'])).code).toBe(0);
    // Written by another tool, or before these checks existed.
    await sb.sql('update enterprise set name = ?', ['鄂州\x1b[2J\x1b[31m红色\u202E有限公司\x07']);
    for (const args of [['enterprise', 'show', code], ['enterprise', 'list'], ['ledger', code]]) {
      const r = await sb.run(args, { tty: true }); // a colour terminal: the program's own colours stay
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('鄂州');
      expect(r.stdout).not.toMatch(/\x1b\[(2J|31m)/);
      expect(r.stdout).not.toMatch(/[\u0007\u202E]/);
    }
    const json = await sb.run(['enterprise', 'show', code, '--json']);
    expect(json.json().name).toBe('鄂州\x1b[2J\x1b[31m红色\u202E有限公司\x07'); // JSON still carries the exact text
  });

  it('terminalText keeps line breaks, tabs and (when asked) colour codes, escapes everything else', () => {
    expect(terminalText('a\nb\tc\x1b[1md\x1b[22m', true)).toBe('a\nb\tc\x1b[1md\x1b[22m');
    expect(terminalText('\x1b[1mx', false)).toBe('\\u001b[1mx');
    expect(terminalText('\x1b]0;title\x07\r\u202E\u0085')).toBe('\\u001b]0;title\\u0007\\u000d\\u202e\\u0085');
    expect(JSON.parse(terminalText(JSON.stringify({ s: 'a\u202Eb\u2028c\u0085' })))).toEqual({ s: 'a\u202Eb\u2028c\u0085' });
    expect(visible('x\u2066y')).toBe('x\\u2066y');
  });
});

describe('money', () => {
  /** An enterprise through to 主办行确定 (financing), ready for loans. */
  async function assigned(): Promise<string> {
    sb = await initialised();
    const code = withUsccCheck('91420703MA4W00003');
    expect((await sb.run(['recommend', '--code', code, '--name', '鄂州金额有限公司', '--district', '华容区', '--dept', '经信', '--date', '2024-03-01'], { today: '2024-03-01' })).code).toBe(0);
    await writeXlsx(sb.path('d.xlsx'), { S: [['提交答卷时间', '1、企业名称', '2、统一社会信用代码', '23、是否同意授权查询企业及法定代表人信用信息？'], ['2024/3/5 10:00:00', '鄂州金额有限公司', code, '是']] });
    expect((await sb.run(['declare', 'import', sb.path('d.xlsx')], { today: '2024-03-05' })).code).toBe(0);
    expect((await sb.run(['verify', code, '--class', 'financing', '--basic', 'a', '--causes', 'b', '--advice', 'c', '--experts', '张三', '--date', '2024-03-10'], { today: '2024-03-10' })).code).toBe(0);
    expect((await sb.run(['pool', 'confirm', code, '--district', '华容区', '--meeting', '2024-03-20'], { today: '2024-03-20' })).code).toBe(0);
    const a = await sb.run(['assign', code, '--bank', '中国工商银行鄂州分行', '--date', '2024-03-25'], { today: '2024-03-25' });
    expect(a.code, a.stderr).toBe(0);
    return code;
  }

  it('a single 授信 or 放款 above 1,000,000 万元 is refused (exit 3); the limit itself is accepted', async () => {
    const code = await assigned();
    const over = await sb.run(['loan', code, '--kind', 'credit', '--amount', '1000000.01', '--date', '2024-04-01'], { today: '2024-04-01' });
    expect(over.code).toBe(3);
    expect(over.stderr).toContain('超过单笔上限 1000000 万元');
    const huge = await sb.run(['loan', code, '--kind', 'disbursement', '--amount', '999999999999', '--date', '2024-04-01'], { today: '2024-04-01' });
    expect(huge.code).toBe(3);
    const ok = await sb.run(['loan', code, '--kind', 'credit', '--amount', '1000000', '--date', '2024-04-01'], { today: '2024-04-01' });
    expect(ok.code, ok.stderr).toBe(0);
    await sb.run(['loan', code, '--kind', 'credit', '--amount', '999999.99', '--date', '2024-04-02'], { today: '2024-04-02' });
    expect((await sb.run(['enterprise', 'show', code, '--json'])).json().credit_total).toBe('1999999.99');
  });

  it('sums of cents are exact past 2^53', () => {
    const big = Number.MAX_SAFE_INTEGER; // 90071992547409.91 万元
    expect(big + 2 === big + 1).toBe(true); // what a float sum would do
    expect(formatMoney(sumCents([big, 1, 1]))).toBe('90071992547409.93');
    expect(formatMoney(-12345)).toBe('-123.45');
  });
});
