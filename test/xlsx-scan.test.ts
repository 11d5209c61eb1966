/**
 * The xlsx reader's scans are linear and strict: elements split out of chunks whatever their size, an element
 * left open, opened twice, closing nothing or larger than the cap makes the file damaged (xmlscan.ts, xlsx.ts).
 * Workbooks are written here, part by part, so that each can be broken in exactly one place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { readRows } from '../src/import/sheets.js';
import { MAX_ELEMENT_CHARS } from '../src/import/xlsx.js';
import { ElementSplitter, elementsIn, Malformed, type Element } from '../src/import/xmlscan.js';
import { writeZip } from './sheets.js';

const dir = mkdtempSync(join(tmpdir(), 'xypz-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Feeds `xml` to a splitter in chunks of `size` characters (0: whole); the elements and the part's tail. */
function split(xml: string, names: string, size = 0, max = 1 << 20): { elements: Element[]; tail: string } {
  const s = new ElementSplitter(names, max);
  const elements: Element[] = [];
  const step = size || xml.length;
  for (let i = 0; i < xml.length; i += step) s.push(xml.slice(i, i + step), elements);
  return { elements, tail: s.end() };
}

/** The fault a splitter throws on `xml` fed in chunks of `size`. */
function faultOf(xml: string, names: string, size = 0, max = 1 << 20): Malformed {
  try {
    split(xml, names, size, max);
  } catch (err) {
    if (err instanceof Malformed) return err;
    throw err;
  }
  throw new Error(`no fault in ${xml.slice(0, 80)}`);
}

describe('ElementSplitter', () => {
  const sst =
    '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="main" count="5"><si><t>甲</t></si><x:si><x:t xml:space="preserve"> 乙 </x:t></x:si><si/>' +
    '<si><r><rPr><b/><sz val="11"/></rPr><t>丙</t></r><rPh sb="0" eb="1"><t>ヘイ</t></rPh></si>\n<si\n><t>&lt;si&gt; 是文字</t></si ></sst>\n';
  const expected = [
    { name: 'si', attrs: '', inner: '<t>甲</t>' },
    { name: 'si', attrs: '', inner: '<x:t xml:space="preserve"> 乙 </x:t>' },
    { name: 'si', attrs: '', inner: undefined },
    { name: 'si', attrs: '', inner: '<r><rPr><b/><sz val="11"/></rPr><t>丙</t></r><rPh sb="0" eb="1"><t>ヘイ</t></rPh>' },
    { name: 'si', attrs: '\n', inner: '<t>&lt;si&gt; 是文字</t>' },
  ];

  it('gives the same elements whatever the chunks (every size from one character up), tags cut anywhere', () => {
    for (let size = 0; size <= sst.length; size++) {
      const { elements, tail } = split(sst, 'si', size);
      expect(elements, `chunks of ${size}`).toEqual(expected);
      expect(tail.endsWith('</sst>\n'), `chunks of ${size}`).toBe(true);
    }
  });

  it('splits rows with attributes and self-closing rows, and keeps only the names asked for', () => {
    const sheet = '<worksheet><sheetData><row r="1" spans="1:2" ht="20" customHeight="1"><c r="A1"><v>1</v></c></row><row r="2"/><rowBreaks count="0"/></sheetData><mergeCells><mergeCell ref="A1:A2"/></mergeCells></worksheet>';
    for (const size of [0, 1, 3, 7]) {
      expect(split(sheet, 'row', size).elements).toEqual([
        { name: 'row', attrs: ' r="1" spans="1:2" ht="20" customHeight="1"', inner: '<c r="A1"><v>1</v></c>' },
        { name: 'row', attrs: ' r="2"', inner: undefined },
      ]);
      const s = new ElementSplitter('row|mergeCell', 1 << 20, ['mergeCell']);
      const out: Element[] = [];
      for (let i = 0; i < sheet.length; i += size || sheet.length) s.push(sheet.slice(i, i + (size || sheet.length)), out);
      expect(out.map((e) => [e.name, e.inner])).toEqual([
        ['row', ''],
        ['row', undefined],
        ['mergeCell', undefined],
      ]);
    }
  });

  it('an element left open at the end of the part is a fault, even when the part then ends properly', () => {
    for (const size of [0, 1, 5]) {
      const f = faultOf('<sst><si><t>a</t></si><si><t>b</t></sst>', 'si', size);
      expect([f.fault, f.element, f.atEnd]).toEqual(['unclosed', 'si', true]);
      const r = faultOf('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></sheetData></worksheet>', 'row', size);
      expect([r.fault, r.attrs, r.atEnd]).toEqual(['unclosed', ' r="1"', true]);
      // cut inside the open tag, or just after the name (then the part's end check refuses it)
      expect(faultOf('<sst><si><t>a</t></si><si r="', 'si', size).fault).toBe('unclosed');
      expect(split('<sst><si><t>a</t></si><si', 'si', size).tail.endsWith('<si')).toBe(true);
    }
  });

  it('an element opened again before it closed is a fault: the later </si> does not close the first <si>', () => {
    for (const size of [0, 1, 4]) {
      const f = faultOf('<sst><si><t>a</t><si><t>b</t></si></sst>', 'si', size);
      expect([f.fault, f.element, f.atEnd]).toEqual(['nested', 'si', false]);
      expect(faultOf('<sheetData><row r="2"><c/><row r="3"></row></sheetData>', 'row', size)).toMatchObject({ fault: 'nested', attrs: ' r="2"' });
    }
  });

  it('a closing tag that closes nothing, a tag without its ">", a closing tag of another name are faults', () => {
    for (const size of [0, 1, 6]) {
      expect(faultOf('<sst><si><t>a</t></si></si></sst>', 'si', size).fault).toBe('stray');
      expect(faultOf('<sheetData><row r="2"<c r="A2"/></row></sheetData>', 'row', size).fault).toBe('tag');
      expect(faultOf('<sheetData><row r="2"></row x></sheetData>', 'row', size).fault).toBe('tag');
      expect(faultOf('<x><col min="1"></mergeCell></x>', 'col|mergeCell', size).fault).toBe('tag');
    }
  });

  it('an element longer than the cap is refused as soon as it passes it, open tag included', () => {
    const big = `<sst><si><t>${'字'.repeat(5000)}</t></si></sst>`;
    expect(split(big, 'si', 0, 5100).elements).toHaveLength(1);
    for (const size of [0, 64, 1000]) {
      expect(faultOf(big, 'si', size, 4000)).toMatchObject({ fault: 'size', element: 'si' });
      expect(faultOf(`<sst><si a="${'x'.repeat(5000)}"/></sst>`, 'si', size, 4000).fault).toBe('size');
    }
  });

  it('is linear: an unclosed element of 512 KB fed one character at a time, and 64 KB chunks of 32 MB', () => {
    // The old reader re-scanned the carried text at every chunk: 524,288 chunks of it would read ~1.4e11 characters.
    const body = `<t>${'甲乙丙丁'.repeat(128 * 1024)}`;
    const s = new ElementSplitter('si', MAX_ELEMENT_CHARS);
    const out: Element[] = [];
    let t = performance.now();
    s.push('<sst><si>', out);
    for (let i = 0; i < body.length; i++) s.push(body[i]!, out);
    s.push('</sst>', out);
    expect(() => s.end()).toThrow(Malformed);
    expect(performance.now() - t).toBeLessThan(5000);
    // outside any element nothing is kept: 32 MB of text between elements, in 64 KB chunks
    const junk = '<x>无关的文字</x>'.repeat(5000);
    const t2 = new ElementSplitter('si', MAX_ELEMENT_CHARS);
    t = performance.now();
    for (let i = 0; i < 32 * 1024 * 1024; i += junk.length) t2.push(junk, out);
    t2.push('<si><t>末</t></si></sst>', out);
    expect(t2.end().endsWith('</sst>')).toBe(true);
    expect(out).toEqual([{ name: 'si', attrs: '', inner: '<t>末</t>' }]);
    expect(performance.now() - t).toBeLessThan(5000);
  });
});

describe('elementsIn', () => {
  it('reads the usual cells fast and anything else strictly, with the same result', () => {
    const row = '<c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/><x:c r="C1"><x:v>3</x:v></x:c><c r="D1" t="inlineStr"><is><t>10:c /c</t></is></c>';
    expect(elementsIn(row, 'c').map((e) => [e.attrs, e.inner])).toEqual([
      [' r="A1" t="s"', '<v>0</v>'],
      [' r="B1" s="2"', undefined],
      [' r="C1"', '<x:v>3</x:v>'],
      [' r="D1" t="inlineStr"', '<is><t>10:c /c</t></is>'],
    ]);
    expect(elementsIn('<font><color rgb="FF0000"/></font><font/>', 'font')).toHaveLength(2);
  });

  it('a cell left open, opened twice, or a stray </c> is a fault', () => {
    expect(() => elementsIn('<c r="A1"><v>1</v>', 'c')).toThrow(expect.objectContaining({ fault: 'unclosed', attrs: ' r="A1"' }));
    expect(() => elementsIn('<c r="A1"><v>1</v><c r="B1"><v>2</v></c>', 'c')).toThrow(expect.objectContaining({ fault: 'nested', attrs: ' r="A1"' }));
    expect(() => elementsIn('<c r="A1"><v>1</v></c></c>', 'c')).toThrow(expect.objectContaining({ fault: 'stray' }));
    expect(() => elementsIn('<is><t>a</t>', 'is')).toThrow(expect.objectContaining({ fault: 'unclosed', element: 'is' }));
  });

  it('is linear on a row of 3 MB of cells never closed (the old pattern took 46 s on 2 MB)', () => {
    const row = '<c r="A2" t="s"><v>0</v>'.repeat(128 * 1024);
    const t = performance.now();
    expect(() => elementsIn(row, 'c')).toThrow(Malformed);
    expect(() => elementsIn(`${row}</c>`, 'c')).toThrow(Malformed);
    expect(performance.now() - t).toBeLessThan(3000);
  });
});

// ---------------------------------------------------------------- the reader on whole workbooks

const WORKBOOK = '<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS =
  '<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';
const sheetXml = (rows: string) => `<?xml version="1.0"?><worksheet><sheetData>${rows}</sheetData></worksheet>`;
const sstXml = (items: string) => `<?xml version="1.0"?><sst>${items}</sst>`;

let n = 0;
function book(sheet: string, sst?: string): string {
  const path = join(dir, `b${++n}.xlsx`);
  const entries = [
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(RELS) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet), deflate: true },
  ];
  if (sst !== undefined) entries.push({ name: 'xl/sharedStrings.xml', data: Buffer.from(sst), deflate: true });
  writeZip(path, entries);
  return path;
}

async function rows(path: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of readRows(path, 'xlsx')) out.push(r.cells.map((c) => c.text));
  return out;
}

async function refusal(path: string): Promise<string> {
  try {
    await rows(path);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return (err as Error).message;
  }
  throw new Error(`${path} was read`);
}

describe('the reader', () => {
  it('reads prefixed elements, rich and phonetic text, self-closing rows and cells, entities, values like "10:c"', async () => {
    const sst = sstXml('<x:si><x:t>甲</x:t></x:si><si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si><si/>');
    const sheet = sheetXml(
      '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></x:row>' +
        '<row r="2" spans="1:4"><c r="A2" t="inlineStr"><is><t>&lt;c&gt;10:c</t></is></c><c r="B2"><f>1+1</f><v>2</v></c><c r="C2" s="0"/><c r="D2"><v/></c></row><row r="3"/>',
    );
    expect(await rows(book(sheet, sst))).toEqual([['甲', '富文本', ''], ['<c>10:c', '2', '', ''], []]);
  });

  it('reads a sheet and shared strings spread over many chunks, every Chinese value exact', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `第${i}号鄂州市信用培植工程企业${'融资对接'.slice(0, i % 4)}`);
    const sst = sstXml(names.map((s) => `<si><t>${s}</t></si>`).join(''));
    const sheet = sheetXml(names.map((_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>${names[i]}</t></is></c></row>`).join(''));
    expect(sheet.length).toBeGreaterThan(200_000);
    expect(await rows(book(sheet, sst))).toEqual(names.map((s) => [s, s]));
  });

  const header = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>';
  const cases: [string, string, string | undefined, string][] = [
    ['a <si> never closed, then </sst>', sheetXml(header), sstXml('<si><t>甲</t></si><si><t>乙</t>'), '已损坏：共享字符串表的内容不完整（第 2 个字符串的 <si> 没有结束就到了末尾'],
    ['a <si> closed by a later one', sheetXml(header), sstXml('<si><t>a</t><si><t>b</t></si>'), '已损坏或被改动过：共享字符串表中第 1 个字符串的 <si> 没有结束，又开始了一个 <si>'],
    ['a <t> never closed in a <si>', sheetXml(header), sstXml('<si><t>abc</si>'), '共享字符串表中第 1 个字符串的 <t> 没有结束标记'],
    ['markup inside a <t>', sheetXml(header), sstXml('<si><t>a<b/>c</t></si>'), '共享字符串表中第 1 个字符串的 <t> 中夹有其他标记'],
    ['a <row> never closed, then </sheetData></worksheet>', sheetXml(`${header}<row r="2"><c r="A2"><v>1</v></c>`), sstXml('<si><t>甲</t></si>'), '已损坏：工作表「S」的内容不完整（第 2 行的 <row> 没有结束就到了末尾'],
    ['a <row> closed by a later one', sheetXml(`${header}<row r="2"><c r="A2"><v>1</v></c><row r="3"></row>`), sstXml('<si><t>甲</t></si>'), '工作表「S」中第 2 行的 <row> 没有结束，又开始了一个 <row>'],
    ['a stray </row>', sheetXml(`${header}</row>`), sstXml('<si><t>甲</t></si>'), '工作表「S」中第 1 行之后有一个多余的结束标记 </row>'],
    ['a <row> tag without its ">"', sheetXml(`${header}<row r="2"<c r="A2"/></row>`), sstXml('<si><t>甲</t></si>'), '工作表「S」中第 2 行的标签 <row> 不完整'],
    ['a <c> closed by a later one in a closed row', sheetXml(`${header}<row r="2"><c r="A2"><v>1</v><c r="B2"><v>2</v></c></row>`), sstXml('<si><t>甲</t></si>'), '工作表「S」中单元格 A2 的 <c> 没有结束，又开始了一个 <c>'],
    ['a <c> never closed in a closed row', sheetXml(`${header}<row r="2"><c r="A2"><v>1</v></row>`), sstXml('<si><t>甲</t></si>'), '工作表「S」中单元格 A2 的 <c> 没有结束标记'],
    ['an <is> never closed', sheetXml(`${header}<row r="2"><c r="B2" t="inlineStr"><is><t>x</t></c></row>`), sstXml('<si><t>甲</t></si>'), '工作表「S」中单元格 B2 的 <is> 没有结束标记'],
    ['a <v> never closed', sheetXml(`${header}<row r="2"><c r="C2"><v>5</c></row>`), sstXml('<si><t>甲</t></si>'), '工作表「S」中单元格 C2 的 <v> 没有结束标记'],
    ['a <mergeCell> never closed', sheetXml(header).replace('</worksheet>', '<mergeCells><mergeCell ref="A1:A2"></mergeCells></worksheet>'), sstXml('<si><t>甲</t></si>'), '工作表「S」的内容不完整（第 1 个合并单元格的 <mergeCell> 没有结束就到了末尾'],
  ];
  for (const [what, sheet, sst, message] of cases) {
    it(`refuses ${what}, naming the file, the part and the place`, async () => {
      const path = book(sheet, sst);
      const m = await refusal(path);
      expect(m).toContain(`b${n}.xlsx`);
      expect(m).toContain(message);
      expect(m).toContain('请用 Excel/WPS 重新保存为 .xlsx');
    });
  }

  it(`refuses a shared string or a row longer than ${MAX_ELEMENT_CHARS.toLocaleString('en-US')} characters, open or not`, async () => {
    const long = 'a'.repeat(MAX_ELEMENT_CHARS);
    const si = await refusal(book(sheetXml(header), sstXml(`<si><t>${long}</t></si>`)));
    expect(si).toContain('共享字符串表中第 1 个字符串超过 4,194,304 个字符');
    const row = await refusal(book(sheetXml(`${header}<row r="2"><c r="A2" t="inlineStr"><is><t>${long}`), sstXml('<si><t>甲</t></si>')));
    expect(row).toContain('工作表「S」中第 2 行超过 4,194,304 个字符');
    // just under the cap is read
    const fits = 'b'.repeat(32_767);
    expect(await rows(book(sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>${fits}</t></is></c></row>`)))).toEqual([[fits]]);
  });
});
