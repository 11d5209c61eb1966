import ExcelJS from 'exceljs';
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { withIdCheck } from '../src/domain/core/ids.js';
import { initialised, type Sandbox } from './helpers.js';
import { encodeGb18030 } from './encoding.js';
import { USER_HEADER, userRow, writeXlsx, writeZip, type CellInput } from './sheets.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

const ID = withIdCheck('42070419900101123');

/** Accounts other than the test administrator. */
async function users(s: Sandbox, ...flags: string[]) {
  return ((await s.run(['users', 'list', '--json', '--reveal', ...flags])).json() as Record<string, unknown>[]).filter((u) => u.login !== 'tester');
}

describe('users template', () => {
  it('writes the blank sheet: header, instructions, drop-downs, text-formatted phone and ID columns', async () => {
    sb = await initialised();
    const out = sb.path('用户信息批量导入表.xlsx');
    const r = await sb.run(['users', 'template', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('用户信息')!;
    // title, the 填报单位 line, then the header
    expect(ws.getRow(3).values).toEqual([undefined, ...USER_HEADER]);
    expect(ws.getRow(4).getCell(1).value).toBe('示例');
    expect(wb.getWorksheet('填写说明')).toBeDefined();
    expect(wb.getWorksheet('选项')!.state).toBe('hidden');
    expect(ws.getColumn(8).numFmt).toBe('@');
    expect(ws.getColumn(9).numFmt).toBe('@');
    const dv = (ws as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } }).dataValidations.model;
    const lists = Object.values(dv).map((v) => v.formulae[0]);
    expect(lists).toContain('"人民银行,金融办,政府部门,金融机构"');
    expect(lists).toContain('"管理员,操作员,查询员"');
    expect(lists.some((l) => l!.startsWith('选项!$A$2'))).toBe(true);
  });

  it('a filled-in template imports without errors (the 示例 row is skipped)', async () => {
    sb = await initialised();
    const out = sb.path('t.xlsx');
    await sb.run(['users', 'template', out]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('用户信息')!;
    ws.getRow(5).values = [1, 'hr_czj_li', '李四', '华容区财政局', '政府部门', '华容区', '操作员', '13900001111', ID, 'li@example.com', '科长', ''];
    ws.getRow(6).values = [2, 'icbc_wang', '王五', '工行', '金融机构', '鄂州市', '查询员', '13900002222'];
    await wb.xlsx.writeFile(out);
    const r = await sb.run(['users', 'import', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ added: 2, updated: 0, unchanged: 0, written: true, errors: [] });
    const list = await users(sb);
    expect(list.map((u) => u.login)).toEqual(['hr_czj_li', 'icbc_wang']);
    expect(list[1]).toMatchObject({ org: '中国工商银行鄂州分行', org_kind: 'bank', district: '鄂州市', role: 'viewer' });
  });
});

describe('users import: reading what people send', () => {
  it('finds the header under merged title rows, columns in any order, warns on unknown columns, skips blanks and 示例', async () => {
    sb = await initialised();
    const f = sb.path('a.xlsx');
    await writeXlsx(
      f,
      {
        Sheet1: [
          ['华容区用户信息批量导入表'],
          ['填报单位：华容区金融办', null, null, '填报日期：2024年6月1日'],
          ['手机号码', '登录账号', '用户姓名', '所属机构', '机构类型', '所属区域', '用户角色', '办公电话'],
          ['13800000000', '示例账号', '示例', '华容区财政局', '政府部门', '华容区', '操作员', ''],
          ['13811112222', 'zhao_liu', '赵六', '华容区财政局', '政府部门', '华容区', '操作员', '0711-1234567'],
          [null, null, null, null, null, null, null, null],
          ['13811113333', 'sun_qi', '孙七', '华容区金融办', '金融办', '华容区', '管理员', ''],
        ],
      },
      { merges: { Sheet1: ['A1:H1', 'A2:C2'] } },
    );
    const r = await sb.run(['users', 'import', f, '--json']);
    expect(r.code).toBe(0);
    const res = r.json();
    expect(res).toMatchObject({ added: 2, errors: [] });
    expect(res.warnings.join()).toContain('办公电话');
    expect((await users(sb)).map((u) => u.login)).toEqual(['zhao_liu', 'sun_qi']);
  });

  it('normalises rich text, hyperlinks, formulas, numbers, full-width and invisible characters in one place', async () => {
    sb = await initialised();
    const f = sb.path('b.xlsx');
    await writeXlsx(f, {
      用户: [
        [
          { richText: [{ text: '*', font: { name: 'Arial' } }, { text: '登录账号', font: { name: '宋体' } }] },
          { richText: [{ text: '*用户' }, { text: '姓名' }] },
          '*所属机构（全称）',
          '* 机构类型',
          '*所属区域：',
          '*用户角色',
          '*手机号码',
          '电子邮箱',
          '身份证号码',
        ],
        [
          'ｗｕ＿ba\u200b',
          { formula: 'CONCATENATE("吴","八")', result: '吴八' },
          '鄂州农商行\u00a0',
          '金融机构',
          '鄂州市',
          { richText: [{ text: '操作' }, { text: '员' }] },
          13800138000,
          { text: 'wuba@example.com', hyperlink: 'mailto:wuba@example.com' },
          ID,
        ],
      ],
    });
    const r = await sb.run(['users', 'import', f, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [u] = await users(sb);
    expect(u).toMatchObject({ login: 'wu_ba', name: '吴八', org: '鄂州农村商业银行', phone: '13800138000', email: 'wuba@example.com', id_number: ID });
  });

  it('an ID number stored as a number that lost digits is an error that says so', async () => {
    sb = await initialised();
    const f = sb.path('c.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(1, { id: Number(ID.slice(0, 17)) * 10 })] });
    const r = await sb.run(['users', 'import', f, '--json']);
    expect(r.code).toBe(3);
    const e = JSON.parse(r.stderr).error;
    expect(e.details[0]).toMatchObject({ row: 2, column: '身份证号码' });
    expect(e.details[0].reason).toContain('15 位有效数字');
    expect(r.json().written).toBe(false);
  });

  it('reads CSV in UTF-8 with and without BOM and in GB18030', async () => {
    sb = await initialised();
    const text = `${USER_HEADER.join(',')}\n1,csv_one,钱九,华容区财政局,政府部门,华容区,操作员,13700001111,,,,\n`;
    writeFileSync(sb.path('bom.csv'), `\ufeff${text}`);
    writeFileSync(sb.path('plain.csv'), text.replace('csv_one', 'csv_two').replace('13700001111', '13700002222'));
    writeFileSync(sb.path('gbk.csv'), encodeGb18030(text.replace('csv_one', 'csv_three').replace('13700001111', '13700003333')));
    const r = await sb.run(['users', 'import', sb.path('bom.csv'), sb.path('plain.csv'), sb.path('gbk.csv'), '--json']);
    expect(r.code).toBe(0);
    expect(r.json().added).toBe(3);
    expect((await users(sb)).map((u) => u.name)).toEqual(['钱九', '钱九', '钱九']);
  });

  it('refuses .xls, renamed images, truncated zips, empty files and zip bombs with exit 3', async () => {
    sb = await initialised();
    const good = sb.path('good.xlsx');
    await writeXlsx(good, { S: [USER_HEADER, userRow(1)] });
    const { readFileSync } = await import('node:fs');
    writeFileSync(sb.path('trunc.xlsx'), readFileSync(good).subarray(0, 2000));
    writeFileSync(sb.path('empty.xlsx'), '');
    writeFileSync(sb.path('old.xls'), 'whatever');
    writeFileSync(sb.path('pic.xlsx'), Buffer.from('ffd8ffe000104a464946', 'hex'));
    writeZip(sb.path('bomb.xlsx'), [
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1000), declaredSize: 4_000_000_000 },
    ]);
    writeZip(sb.path('notbook.xlsx'), [{ name: 'hello.txt', data: Buffer.from('hi') }]);
    const expectations: [string, RegExp][] = [
      ['trunc.xlsx', /损坏或不完整/],
      ['empty.xlsx', /空文件/],
      ['old.xls', /另存为/],
      ['pic.xlsx', /JPEG/],
      ['bomb.xlsx', /压缩炸弹/],
      ['notbook.xlsx', /不是 Excel 工作簿/],
    ];
    for (const [file, msg] of expectations) {
      const r = await sb.run(['users', 'import', sb.path(file)]);
      expect(r.code, file).toBe(3);
      expect(r.stderr, file).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await users(sb)).toEqual([]);
  });

  it('refuses more than 200,000 data rows as the limit is passed, reading no further, writing nothing', async () => {
    sb = await initialised();
    const before = await sb.fingerprint();
    const lines = [USER_HEADER.join(',')];
    for (let i = 0; i < 250_000; i++) lines.push(`${i},u${i},张三,华容区财政局,政府部门,华容区,操作员,138${String(i).padStart(8, '0')}`);
    writeFileSync(sb.path('big.csv'), lines.join('\n'));
    const r = await sb.run(['users', 'import', sb.path('big.csv')]);
    expect(r.code).toBe(3);
    // the 200,001st data row is the file's row 200,002 (under the header): the reader stopped there
    expect(r.stderr).toContain('数据行超过上限 200,000 行（big.csv 读到第 200,002 行时），已拒绝');
    expect(await sb.fingerprint()).toBe(before);
  }, 60_000);
});

describe('users import: batch semantics', () => {
  async function badFile(s: Sandbox): Promise<string> {
    const f = s.path('bad.xlsx');
    await writeXlsx(f, {
      S: [
        USER_HEADER,
        userRow(1),
        userRow(2, { login: 'ab', phone: '1381234' }),
        userRow(3, { kind: '金融机构' }),
        userRow(4, { region: '鄂城区' }),
        userRow(5, { org: '华容区经信委' }),
        userRow(6, { role: '超级管理员', email: 'not-an-email' }),
        userRow(7),
      ],
    });
    return f;
  }

  it('all-or-nothing: any invalid row → exit 3, nothing written, every problem listed', async () => {
    sb = await initialised();
    const r = await sb.run(['users', 'import', await badFile(sb)]);
    expect(r.code).toBe(3);
    for (const m of ['第 3 行「登录账号」列', '第 3 行「手机号码」列', '第 4 行「机构类型」列', '华容区经济和信息化局是政府部门', '第 5 行「所属区域」列', '第 6 行「所属机构」列', '最接近的有', '第 7 行「用户角色」列', '第 7 行「电子邮箱」列']) {
      expect(r.stderr).toContain(m);
    }
    expect(await users(sb)).toEqual([]);
    expect((await sb.run(['users', 'batches', '--json'])).json()).toEqual([]);
  });

  it('--errors writes a copy with the bad cells highlighted and a 错误说明 column', async () => {
    sb = await initialised();
    const out = sb.path('错误.xlsx');
    const r = await sb.run(['users', 'import', await badFile(sb), '--errors', out]);
    expect(r.code).toBe(3);
    expect(existsSync(out)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet('错误汇总')!.rowCount).toBe(1 + 7);
    const ws = wb.getWorksheet('S')!;
    expect(ws.getRow(1).getCell(13).value).toBe('错误说明');
    expect(String(ws.getRow(3).getCell(13).value)).toContain('登录账号');
    expect((ws.getRow(3).getCell(2).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect((ws.getRow(2).getCell(2).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).not.toBe('FFFFC7CE');
    expect(ws.getRow(2).getCell(13).value).toBeNull();
    expect(ws.getRow(3).getCell(2).value).toBe('ab');
  });

  it('--partial imports the valid rows and reports the rest; --dry-run writes nothing', async () => {
    sb = await initialised();
    const f = await badFile(sb);
    const dry = await sb.run(['users', 'import', f, '--partial', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(dry.json()).toMatchObject({ added: 2, written: false });
    expect(await users(sb)).toEqual([]);
    const r = await sb.run(['users', 'import', f, '--partial', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ added: 2, written: true });
    expect(r.json().errors).toHaveLength(7);
    expect((await users(sb)).map((u) => u.login)).toEqual(['user0001', 'user0007']);
  });

  it('duplicate logins (any case) or one phone on two logins in a batch are error rows', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('a.xlsx'), { S: [USER_HEADER, userRow(1), userRow(2, { phone: '13999990000' })] });
    await writeXlsx(sb.path('b.xlsx'), { S: [USER_HEADER, userRow(3, { login: 'USER0001' }), userRow(4, { phone: '13999990000' })] });
    const r = await sb.run(['users', 'import', sb.path('a.xlsx'), sb.path('b.xlsx'), '--json']);
    expect(r.code).toBe(3);
    const details = JSON.parse(r.stderr).error.details as { file: string; row: number; column: string; reason: string }[];
    const dup = details.filter((d) => d.reason.includes('本批次内重复'));
    // each group once, at its first row, naming the row of the other file
    expect(dup.map((d) => `${d.file}:${d.row}:${d.column}:${d.reason}`).sort()).toEqual(
      ['a.xlsx:2:登录账号:本批次内重复（共 2 行：第 2 行、b.xlsx第 2 行），都未导入', 'a.xlsx:3:手机号码:本批次内重复（共 2 行：第 3 行、b.xlsx第 3 行），都未导入'].sort(),
    );
  });

  it('re-importing the same file changes nothing; updates are counted; the batch is recorded', async () => {
    sb = await initialised();
    const f = sb.path('u.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(1), userRow(2)] });
    expect((await sb.run(['users', 'import', f, '--json', '--reviewed-by', '华容区金融办'])).json()).toMatchObject({ added: 2 });
    const again = await sb.run(['users', 'import', f, '--json']);
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    await writeXlsx(f, { S: [USER_HEADER, userRow(1, { role: '查询员' }), userRow(2), userRow(3)] });
    expect((await sb.run(['users', 'import', f, '--json'])).json()).toMatchObject({ added: 1, updated: 1, unchanged: 1 });
    const batches = (await sb.run(['users', 'batches', '--json'])).json();
    expect(batches).toHaveLength(3);
    expect(batches[0]).toMatchObject({ added: 2, actor: 'tester', reviewer: '华容区金融办' });
    expect(batches[0].files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const log = (await sb.run(['audit', 'log', '--json', '--entity', 'user'])).json();
    expect(log).toHaveLength(4); // the administrator's creation, two additions, one update
    expect(log[1].after).toEqual({ added: ['user0001', 'user0002'] });
    const upd = log.find((e: { before: unknown }) => e.before !== null);
    expect(upd).toMatchObject({ entity_id: 'user0001', before: { role: 'operator' }, after: { role: 'viewer' } });
    expect(JSON.stringify(log)).not.toContain('13810000001'); // personal numbers masked in the audit log
  });

  it('a district reviewer only accepts rows of its own district', async () => {
    sb = await initialised();
    const f = sb.path('u.xlsx');
    await writeXlsx(f, { S: [USER_HEADER, userRow(1), userRow(2, { org: '鄂城区财政局', region: '鄂城区' })] });
    const r = await sb.run(['users', 'import', f, '--reviewed-by', '华容区金融办']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('不属于审核单位华容区金融办的辖区');
  });

  it('a phone already used by another account is refused', async () => {
    sb = await initialised();
    await writeXlsx(sb.path('a.xlsx'), { S: [USER_HEADER, userRow(1)] });
    await sb.run(['users', 'import', sb.path('a.xlsx')]);
    await writeXlsx(sb.path('b.xlsx'), { S: [USER_HEADER, userRow(2, { phone: userRow(1)[7] })] });
    const r = await sb.run(['users', 'import', sb.path('b.xlsx')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('已被账号 user0001');
  });
});

describe('users import: a sheet re-saved by LibreOffice Calc', () => {
  it('imports the filled template as an office suite saves it (rich-text headers, shared strings)', async () => {
    sb = await initialised();
    const { join } = await import('node:path');
    const r = await sb.run(['users', 'import', join(process.cwd(), 'test/fixtures/users-libreoffice.xlsx'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.json()).toMatchObject({ added: 4, errors: [] });
    const list = await users(sb);
    expect(list.map((u) => [u.login, u.name, u.org, u.phone])).toEqual([
      ['hr_czj_li', '李四', '华容区财政局', '13900001111'],
      ['icbc_wang', '王五', '中国工商银行鄂州分行', '13900002222'],
      ['ezrcb.zhao', '赵·买买提', '鄂州农村商业银行', '13900003333'],
      ['lk_jrb_01', '孙七', '临空经济区金融办', '13900004444'],
    ]);
    expect(list[0]!.id_number).toBe('420704199001011231');
    expect(list[3]!.note).toBe('全角：lk');
  });
});

describe('users import: progress', () => {
  async function bigFile(s: Sandbox): Promise<string> {
    const rows: CellInput[][] = [USER_HEADER];
    for (let i = 1; i <= 3000; i++) rows.push(userRow(i));
    const f = s.path('p.xlsx');
    await writeXlsx(f, { S: rows });
    return f;
  }
  // A clock that moves 200 ms each time it is read: the import "takes" longer than a second.
  function slowClock() {
    let t = Date.parse('2024-06-15T08:00:00Z');
    return { get now() { t += 200; return new Date(t); } };
  }

  it('shows a progress bar on stderr on a terminal once the import runs longer than a second', async () => {
    sb = await initialised();
    const clock = slowClock();
    const r = await sb.run(['users', 'import', await bigFile(sb)], { tty: true, nowFn: () => clock.now });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/导入账号 [█░]+ +\d+% {2}已读 [\d,]+ 行/);
  });

  it('never shows it without a terminal or with --json', async () => {
    sb = await initialised();
    const clock = slowClock();
    const plain = await sb.run(['users', 'import', await bigFile(sb), '--dry-run'], { nowFn: () => clock.now });
    expect(plain.stderr).toBe('');
    const json = await sb.run(['users', 'import', await bigFile(sb), '--json', '--dry-run'], { tty: true, nowFn: () => clock.now });
    expect(json.stderr).toBe('');
  });
});
