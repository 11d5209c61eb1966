/**
 * exceljs 4.4.0's streaming reader splits multi-byte UTF-8 characters at chunk edges (exceljs#2063, #2084,
 * #2316). Our reader decodes through a StringDecoder; these tests prove Chinese text survives exactly.
 */
import ExcelJS from 'exceljs';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareUserImport } from '../src/domain/accounts/index.js';
import { Directory, loadProfile, type Actor } from '../src/domain/core/index.js';
import { runImport } from '../src/domain/imports/index.js';
import { rowsAtMost } from '../src/import/sheets.js';
import { utf8Text } from '../src/import/xlsx.js';
import { openStore } from '../src/store/db.js';
import { initialised, type Sandbox } from './helpers.js';
import { USER_HEADER, writeXlsx } from './sheets.js';


describe('utf8Text', () => {
  it('keeps characters split across chunks whole (3- and 4-byte sequences)', async () => {
    const bytes = Buffer.from('<t>中文𠮷</t>');
    async function* chunks() {
      // split inside 中 (bytes 3..5), inside 文 and inside the 4-byte 𠮷
      yield bytes.subarray(0, 4);
      yield bytes.subarray(4, 7);
      yield bytes.subarray(7, 11);
      yield bytes.subarray(11);
    }
    let text = '';
    for await (const t of utf8Text(chunks())) text += t;
    expect(text).toBe('<t>中文𠮷</t>');
  });
});

const POOL = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹𠮷';
const ORGS = ['华容区经济和信息化局', '鄂城区财政局', '梁子湖区农业农村局', '葛店经济技术开发区科学技术局', '临空经济区商务局', '鄂州市市场监督管理局'];
const REGION = ['华容区', '鄂城区', '梁子湖区', '葛店经济技术开发区', '临空经济区', '鄂州市'];

function person(i: number): string {
  const chars = Array.from(POOL);
  return chars[i % chars.length]! + chars[(i * 7 + 3) % chars.length]! + chars[(i * 13 + 5) % chars.length]!;
}

function note(i: number): string {
  return `第${i}号：负责鄂州市信用培植工程${'企业融资对接与辅导清单'.slice(0, 1 + (i % 11))}工作，联系${person(i + 1)}`;
}

const ROWS = 25_000;

async function writeBig(path: string, from: number, shared: boolean): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: shared, useStyles: false });
  const ws = wb.addWorksheet('用户信息');
  ws.addRow(USER_HEADER).commit();
  for (let i = from; i < from + ROWS; i++) {
    const k = i % ORGS.length;
    ws.addRow([i, `big${i}`, person(i), ORGS[k], '政府部门', REGION[k], '操作员', `139${String(i).padStart(8, '0')}`, null, null, '科员', note(i)]).commit();
  }
  ws.commit();
  await wb.commit();
}

describe('a large sheet of Chinese text', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await initialised();
    await writeBig(sb.path('shared.xlsx'), 0, true);
    await writeBig(sb.path('inline.xlsx'), ROWS, false);
  }, 120_000);
  afterAll(() => sb.cleanup());

  it(`imports ${2 * ROWS} rows (shared and inline strings) with every value exact`, async () => {
    const r = await sb.run(['users', 'import', sb.path('shared.xlsx'), sb.path('inline.xlsx'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ added: 2 * ROWS, errors: [] });
    const raw = new Database(sb.db, { readonly: true });
    const rows = raw.prepare("select u.login, u.name, u.note, o.name as org from app_user u join org o on o.id = u.org_id where u.login like 'big%' order by u.id").all() as {
      login: string;
      name: string;
      note: string;
      org: string;
    }[];
    raw.close();
    expect(rows).toHaveLength(2 * ROWS);
    let bad = 0;
    for (const row of rows) {
      const i = Number(row.login.slice(3));
      if (row.name !== person(i) || row.note !== note(i) || row.org !== ORGS[i % ORGS.length]) bad += 1;
    }
    expect(bad).toBe(0);
    expect(rows.some((x) => x.name.includes('\ufffd') || x.note.includes('\ufffd'))).toBe(false);
  }, 120_000);
});

describe('a file over the row limit', () => {
  it('is refused having only counted its rows: reading stops at the first row past the limit, no row is checked or staged, nothing written', async () => {
    const sb = await initialised();
    try {
      const before = await sb.fingerprint();
      const lines = [USER_HEADER.join(',')];
      for (let i = 0; i < 250_000; i++) lines.push(`${i},user${i},张三,华容区财政局,政府部门,华容区,操作员,138${String(i).padStart(8, '0')}`);
      writeFileSync(sb.path('big.csv'), lines.join('\n'));
      expect(await rowsAtMost(sb.path('big.csv'), 'csv', 200_000)).toBe(250_000);
      const store = await openStore(sb.db);
      try {
        const dir = await Directory.load(store.db);
        const who: Actor = { login: 'tester', command: 'users import', now: new Date(), today: '2026-12-07', profile: await loadProfile(store.db, 'tester', dir) };
        const { spec } = await prepareUserImport(store.db, dir, who);
        let parsed = 0;
        const parse = (spec as unknown as { parseRow: (row: unknown) => unknown }).parseRow;
        const counted = { ...spec, parseRow: (row: unknown) => (parsed++, parse(row)) } as unknown as typeof spec;
        let staged = 0;
        const staging = store.staging.bind(store);
        store.staging = (opts) => {
          staged++;
          return staging(opts);
        };
        await expect(runImport(store, who, counted, [sb.path('big.csv')], {})).rejects.toThrow('数据行超过上限 200,000 行（big.csv 读到第 200,002 行时），已拒绝；请分批导入');
        expect({ parsed, staged }).toEqual({ parsed: 0, staged: 0 });
        // (the same spec and store check and stage the rows of a file within the limit)
        writeFileSync(sb.path('small.csv'), lines.slice(0, 4).join('\n'));
        expect(await runImport(store, who, counted, [sb.path('small.csv')], { dryRun: true })).toMatchObject({ added: 3, written: false });
        expect({ parsed, staged }).toEqual({ parsed: 3, staged: 1 });
      } finally {
        await store.close();
      }
      expect(await sb.fingerprint()).toBe(before);
    } finally {
      sb.cleanup();
    }
  }, 120_000);

  it('is told from the sheets’ used ranges without reading their rows', async () => {
    const sb = await initialised();
    try {
      const f = sb.path('s.xlsx');
      await writeXlsx(f, { A: [USER_HEADER, ['1', 'a']], B: [USER_HEADER, ['1'], ['2'], ['3']] });
      expect(await rowsAtMost(f, 'xlsx', 200_000)).toBe(4);
    } finally {
      sb.cleanup();
    }
  });
});
