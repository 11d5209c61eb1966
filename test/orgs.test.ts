import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { initialised, type Sandbox } from './helpers.js';
import { Directory } from '../src/domain/core/directory.js';
import { openStore } from '../src/store/db.js';
import { encodeGb18030 } from './encoding.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

async function directory(path: string): Promise<Directory> {
  const store = await openStore(path);
  try {
    return await Directory.load(store.db);
  } finally {
    await store.close();
  }
}

describe('name resolution', () => {
  it('finds districts, departments and banks by code, full name or alias', async () => {
    sb = await initialised();
    const dir = await directory(sb.db);
    expect(dir.region('420703').name).toBe('华容区');
    expect(dir.region('葛店').name).toBe('葛店经济技术开发区');
    expect(dir.region('临空区').code).toBe('LKJJQ');
    expect(dir.bank('工行').name).toBe('中国工商银行鄂州分行');
    expect(dir.bank('ｅｚｒｃｂ').name).toBe('鄂州农村商业银行'); // full-width code, any case
    expect(dir.department('经信', dir.region('华容区')).name).toBe('华容区经济和信息化局');
    expect(dir.department('华容区经信').name).toBe('华容区经济和信息化局');
    expect(dir.department('银保监', dir.region('华容区')).name).toBe('国家金融监督管理总局鄂州监管分局');
    expect(dir.org('鄂州人行').kind).toBe('pboc');
    expect(dir.financeOffice('420703')?.name).toBe('华容区金融办');
  });

  it('an unknown name lists the closest known names', async () => {
    sb = await initialised();
    const dir = await directory(sb.db);
    expect(dir.findRegion('华容')).toBeUndefined(); // not an alias: only suggested
    expect(() => dir.region('华容')).toThrow(/最接近的有：华容区/);
    expect(() => dir.bank('工商')).toThrow(/中国工商银行鄂州分行/);
    expect(() => dir.department('华容区经信局')).toThrow(/华容区经济和信息化局/);
  });
});

describe('org list / add', () => {
  it('an unknown district fails with exit 5 and suggests 华容区 for 华容', async () => {
    sb = await initialised();
    const r = await sb.run(['org', 'list', '--district', '华容']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('华容区');
  });

  it('adds a bank with aliases, then resolves it by alias', async () => {
    sb = await initialised();
    const r = await sb.run(['org', 'add', '--name', '招商银行鄂州分行', '--kind', '金融机构', '--district', '鄂州市', '--alias', '招行', '--json']);
    expect(r.code).toBe(0);
    expect(r.json().code).toMatch(/^BANK-/);
    const dir = await directory(sb.db);
    expect(dir.bank('招行').name).toBe('招商银行鄂州分行');
  });

  it('refuses a name or alias already taken (exit 3), writing nothing', async () => {
    sb = await initialised();
    const dup = await sb.run(['org', 'add', '--name', '工行', '--kind', 'bank', '--district', '鄂州市']);
    expect(dup.code).toBe(3);
    expect(dup.stderr).toContain('中国工商银行鄂州分行');
    const alias = await sb.run(['org', 'add', '--name', '新银行', '--kind', 'bank', '--district', '鄂州市', '--alias', '农行']);
    expect(alias.code).toBe(3);
    const second = await sb.run(['org', 'add', '--name', '华容区经济和信息化局二', '--kind', 'department', '--dept-kind', '经信', '--district', '华容区']);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('每区每类一个');
    const banks = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json();
    expect(banks).toHaveLength(9);
  });

  it('without a TTY a missing required flag exits 2 naming it', async () => {
    sb = await initialised();
    const r = await sb.run(['org', 'add', '--kind', 'bank', '--district', '鄂州市']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name');
  });
});

describe('org import', () => {
  it('imports a CSV, reports counts, and re-importing changes nothing', async () => {
    sb = await initialised();
    const f = sb.path('orgs.csv');
    writeFileSync(f, '\ufeff机构名称,机构类型,所属区域,别名\n招商银行鄂州分行,金融机构,鄂州市,招行\n兴业银行鄂州分行,bank,鄂州市,"兴业、兴业银行"\n');
    const r = await sb.run(['org', 'import', f, '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ added: 2, updated: 0, unchanged: 0, written: true, errors: [] });
    const again = await sb.run(['org', 'import', f, '--json']);
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 2, written: true });
    writeFileSync(f, '机构名称,机构类型,所属区域,别名\n招商银行鄂州分行,金融机构,鄂州市,招行、招商\n');
    expect((await sb.run(['org', 'import', f, '--json'])).json()).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
  });

  it('reads GB18030 CSV as Excel saves it in China', async () => {
    sb = await initialised();
    const f = sb.path('gbk.csv');
    const text = '机构名称,机构类型,所属区域\r\n浙商银行鄂州分行,金融机构,鄂州市\r\n';
    // GB18030 bytes for the text, built from a known encoder table: Node can decode but not encode GBK,
    // so encode by looking each character up through TextDecoder over the two-byte range.
    writeFileSync(f, encodeGb18030(text));
    const r = await sb.run(['org', 'import', f, '--json']);
    expect(r.code).toBe(0);
    expect(r.json().added).toBe(1);
    const dir = await directory(sb.db);
    expect(dir.bank('浙商银行鄂州分行').name).toBe('浙商银行鄂州分行');
  });

  it('a bad row rejects the whole file with exit 3, listing row and reason', async () => {
    sb = await initialised();
    const f = sb.path('bad.csv');
    writeFileSync(f, '机构名称,机构类型,所属区域\n好银行鄂州分行,金融机构,鄂州市\n坏机构,外星机构,鄂州市\n另一机构,金融机构,火星区\n');
    const r = await sb.run(['org', 'import', f]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('bad.csv 第 3 行「机构类型」列');
    expect(r.stderr).toContain('第 4 行「所属区域」列');
    const banks = (await sb.run(['org', 'list', '--kind', 'bank', '--json'])).json();
    expect(banks.map((b: { name: string }) => b.name)).not.toContain('好银行鄂州分行');
  });

  it('refuses .xls and non-spreadsheets with exit 3', async () => {
    sb = await initialised();
    const xls = sb.path('old.xls');
    writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    const r = await sb.run(['org', 'import', xls]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('另存为');
    const png = sb.path('photo.xlsx');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    const p = await sb.run(['org', 'import', png]);
    expect(p.code).toBe(3);
    expect(p.stderr).toContain('PNG');
  });
});

