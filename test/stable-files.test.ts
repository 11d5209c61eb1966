/**
 * A report's workbook and Word document depend on their content only: written twice at different wall-clock
 * times (the system clock moved by days between the two), a final period's files are the same bytes, dated
 * their publication day in docProps/core.xml and in every zip entry; a revised report's the same for the same
 * day. The files stay readable: every part is what the library wrote, bar core.xml's two dates.
 */
import ExcelJS from 'exceljs';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stableZip } from '../src/render/stable-zip.js';
import { demoSandbox, type Sandbox } from './helpers.js';
import { zipNames, zipText } from './zip.js';

const TODAY = '2024-06-15';
let sb: Sandbox;

/** The DOS date (YYYY-MM-DD) and time (HH:MM:SS) of every entry, from the central directory. */
function entryTimes(buf: Buffer): string[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 5, 6]));
  let at = buf.readUInt32LE(eocd + 16);
  const out: string[] = [];
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const t = buf.readUInt16LE(at + 12);
    const d = buf.readUInt16LE(at + 14);
    const two = (n: number) => String(n).padStart(2, '0');
    out.push(`${(d >> 9) + 1980}-${two((d >> 5) & 15)}-${two(d & 31)} ${two(t >> 11)}:${two((t >> 5) & 63)}:${two((t & 31) * 2)}`);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return out;
}

/** Runs a report with the system clock (what the zip and document libraries read) at `wall`. */
async function writeAt(wall: string, args: string[]): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(wall));
  try {
    const r = await sb.run(args, { today: TODAY, env: { XYPZ_ACTOR: 'demo_admin' } });
    expect(r.code, r.stderr).toBe(0);
  } finally {
    vi.useRealTimers();
  }
}

beforeAll(async () => {
  sb = await demoSandbox();
  // A correction, so that the published reports carry their note and the revised ones a 修订说明.
  const r = await sb.run(['loan', '91420702MAFPCPT8XU', '--kind', 'disbursement', '--amount', '50', '--date', '2024-03-20', '--bank', '农行', '--correction', '补录'], { today: TODAY, env: { XYPZ_ACTOR: 'demo_admin' } });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => sb?.cleanup());
afterEach(() => vi.useRealTimers());

const CASES: [string, string[], string, string][] = [
  // name, report arguments, file, the date it carries
  ['monthly xlsx', ['report', 'monthly', '--period', '2024-03'], 'm.xlsx', '2024-04-11'],
  ['quarterly xlsx', ['report', 'quarterly', '--period', '2024Q1'], 'q.xlsx', '2024-04-11'],
  ['quarterly docx', ['report', 'quarterly', '--period', '2024Q1'], 'q.docx', '2024-04-11'],
  ['annual xlsx', ['report', 'annual', '--period', '2023'], 'a.xlsx', '2024-01-11'],
  ['annual docx', ['report', 'annual', '--period', '2023'], 'a.docx', '2024-01-11'],
  ['revised quarterly docx', ['report', 'quarterly', '--period', '2024Q1', '--revised'], 'qr.docx', TODAY],
  ['revised monthly xlsx', ['report', 'monthly', '--period', '2024-03', '--revised'], 'mr.xlsx', TODAY],
];

describe('report files are the same bytes whenever they are written', () => {
  for (const [name, args, file, date] of CASES) {
    it(name, async () => {
      mkdirSync(sb.path('one'), { recursive: true });
      mkdirSync(sb.path('two'), { recursive: true });
      await writeAt('2030-02-03T04:05:06.789Z', [...args, '--out', join(sb.path('one'), file)]);
      await writeAt('2031-07-08T21:22:23.456Z', [...args, '--out', join(sb.path('two'), file)]);
      const a = readFileSync(join(sb.path('one'), file));
      const b = readFileSync(join(sb.path('two'), file));
      expect(b.equals(a)).toBe(true);
      const core = zipText(join(sb.path('one'), file), 'docProps/core.xml');
      expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${date}T00:00:00Z</dcterms:created>`);
      expect(core).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${date}T00:00:00Z</dcterms:modified>`);
      expect(new Set(entryTimes(a))).toEqual(new Set([`${date} 00:00:00`]));
      if (file.endsWith('.xlsx')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(a as unknown as ArrayBuffer);
        expect(wb.created.toISOString()).toBe(`${date}T00:00:00.000Z`);
        expect(wb.worksheets.length).toBeGreaterThan(2);
      } else {
        const text = zipText(join(sb.path('one'), file), 'word/document.xml');
        if (args.includes('--revised')) expect(text).toContain('修订说明');
        else if (args.includes('2024Q1')) expect(text).toContain('本期有 1 项更正');
      }
    });
  }

  it("the city's and each unit's documents of a folder, and the city's the same as written alone", async () => {
    await writeAt('2030-02-03T04:05:06.789Z', ['report', 'quarterly', '--period', '2024Q1', '--out', `${sb.path('d1')}/`]);
    await writeAt('2031-07-08T21:22:23.456Z', ['report', 'quarterly', '--period', '2024Q1', '--out', `${sb.path('d2')}/`]);
    const names = readdirSync(sb.path('d1')).sort();
    expect(names).toContain('鄂州市2024年第一季度工作开展情况报告.docx');
    expect(names).toContain('鄂城区2024年第一季度工作开展情况报告.docx');
    expect(readdirSync(sb.path('d2')).sort()).toEqual(names);
    for (const n of names) expect(readFileSync(join(sb.path('d2'), n)).equals(readFileSync(join(sb.path('d1'), n))), n).toBe(true);
    await writeAt('2032-01-01T00:00:01Z', ['report', 'quarterly', '--period', '2024Q1', '--out', sb.path('alone.docx')]);
    expect(readFileSync(sb.path('alone.docx')).equals(readFileSync(join(sb.path('d1'), '鄂州市2024年第一季度工作开展情况报告.docx')))).toBe(true);
  });
});

describe('stableZip', () => {
  it('keeps every part but the dates, and is the same for the same content at another time', async () => {
    const book = async (wall: string) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(wall));
      try {
        const wb = new ExcelJS.Workbook();
        wb.addWorksheet('表').getCell('A1').value = '鄂州';
        return Buffer.from(await wb.xlsx.writeBuffer());
      } finally {
        vi.useRealTimers();
      }
    };
    const raw1 = await book('2030-01-01T10:00:00Z');
    const raw2 = await book('2031-05-05T11:11:11Z');
    expect(raw2.equals(raw1)).toBe(false);
    const one = stableZip(raw1, '2024-12-11');
    expect(stableZip(raw2, '2024-12-11').equals(one)).toBe(true);
    expect(stableZip(raw1, '2024-12-12').equals(one)).toBe(false);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(sb.path('raw.xlsx'), raw1);
    writeFileSync(sb.path('stable.xlsx'), one);
    expect(zipNames(sb.path('stable.xlsx'))).toEqual(zipNames(sb.path('raw.xlsx')));
    for (const n of zipNames(sb.path('raw.xlsx'))) {
      const before = zipText(sb.path('raw.xlsx'), n);
      const after = zipText(sb.path('stable.xlsx'), n);
      if (n === 'docProps/core.xml') expect(after).toBe(before.replace(/2030-01-01T10:00:00(\.000)?Z/g, '2024-12-11T00:00:00Z'));
      else expect(after, n).toBe(before);
    }
  });
});
