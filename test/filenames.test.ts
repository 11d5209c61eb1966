/**
 * File names made from data (util/filenames.ts): a unit named `../../../X银行` makes a file inside the
 * directory asked for, under a name every system accepts; a command writing several files writes all of
 * them or none.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, safeFileName } from '../src/util/filenames.js';
import { make, S, scenario } from './collect-helpers.js';
import { ok, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb?.cleanup());

describe('safeFileName', () => {
  it.each([
    ['../../../X银行', '.xlsx', '_._._X银行.xlsx'],
    ['2024-05-中国工商银行鄂州分行', '.xlsx', '2024-05-中国工商银行鄂州分行.xlsx'],
    ['a/b\\c:d*e?f"g<h>i|j', '', 'a_b_c_d_e_f_g_h_i_j'],
    ['..', '.xlsx', '未命名.xlsx'],
    ['...隐藏', '', '隐藏'],
    ['银行\u0000\u0007\u001b[31m\u202e名\u200b称', '.xlsx', '银行[31m名称.xlsx'],
    ['CON', '.xlsx', '_CON.xlsx'],
    ['nul', '', '_nul'],
    ['com1.报表', '.xlsx', '_com1.报表.xlsx'],
    ['LPT9', '', '_LPT9'],
    ['结尾有点. . ', '.csv', '结尾有点.csv'],
    ['  \t ', '.xlsx', '未命名.xlsx'],
    ['2024Q1', '.md', '2024Q1.md'],
  ])('%j%s → %j', (stem, ext, expected) => {
    expect(safeFileName(stem, ext)).toBe(expected);
  });

  it('caps the length in bytes at a character boundary, keeping the extension', () => {
    const name = safeFileName('很'.repeat(200), '.xlsx');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(name).toMatch(/^很+\.xlsx$/);
    expect(name.includes('\ufffd')).toBe(false);
  });

  it('never yields a separator or a dot-dot component', () => {
    for (const s of ['../', '..\\..\\', '/etc/passwd', 'a/../b', '．．／', '..\u0000/x']) {
      const n = safeFileName(s, '.xlsx');
      expect(n).not.toMatch(/[/\\]/);
      expect(n.split('.').slice(0, -1).join('.')).not.toMatch(/\.\./);
      expect(n.startsWith('.')).toBe(false);
    }
  });
});

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

describe('collect make', () => {
  it('writes a unit named ../../../X银行 inside --out, and its workbook imports back', async () => {
    sb = await scenario();
    const evil = '../../../X银行';
    await ok(sb, ['org', 'add', '--name', evil, '--kind', 'bank', '--district', '鄂州市']);
    await ok(sb, ['assign', S.CODES.C, '--bank', evil, '--date', '2024-05-05', '--reason', '协商更换'], { today: '2024-05-05' });
    const outside = filesUnder(sb.dir).length;
    const books = await make(sb);
    const file = books[evil]!;
    expect(relative(sb.dir, file)).toMatch(/^made-\d+\/2024-05-\._\._\._X银行\.xlsx$/);
    const made = filesUnder(sb.dir).filter((f) => !f.startsWith('made-'));
    expect(made).toHaveLength(outside);
    const r = await ok(sb, ['collect', 'import', file, '--json'], { today: S.RECEIVED });
    expect(r.json()).toMatchObject({ written: true });
  });

  it('writes all the workbooks or none: a failure on a later unit leaves no file and no record', async () => {
    sb = await scenario();
    const out = sb.path('books');
    // The last unit's workbook cannot be written: a directory stands where it would go.
    mkdirSync(join(out, `${S.MONTH}-华容区金融办.xlsx`), { recursive: true });
    const r = await sb.run(['collect', 'make', '--month', S.MONTH, '--out', out]);
    expect(r.code, r.stderr).toBe(3);
    expect(readdirSync(out)).toEqual([`${S.MONTH}-华容区金融办.xlsx`]);
    const status = (await ok(sb, ['collect', 'status', '--month', S.MONTH, '--json'])).json();
    expect(status.units.every((u: { made: boolean }) => !u.made)).toBe(true);
  });
});
