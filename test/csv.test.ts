/** The CSV reader on its own: encodings, delimiters and RFC 4180 quoting, as Excel and WPS save files in China. */
import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, detectEncoding, parseCsv } from '../src/import/csv.js';

const records = (text: string, delimiter?: string) => [...parseCsv(text, delimiter)];
const fields = (text: string, delimiter?: string) => records(text, delimiter).map((r) => r.fields);

// 姓名,张三 in GBK/GB18030: 姓 D0D5, 名 C3FB, 张 D5C5, 三 C8FD.
const GBK_NAME = [0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xd5, 0xc5, 0xc8, 0xfd];

describe('parseCsv', () => {
  it('splits records and fields, numbering records as the spreadsheet shows rows', () => {
    expect(records('登录账号,手机号码\nuser01,13800000001\n')).toEqual([
      { row: 1, fields: ['登录账号', '手机号码'] },
      { row: 2, fields: ['user01', '13800000001'] },
    ]);
  });

  it('reads a last record without a line break, and yields nothing for empty text', () => {
    expect(fields('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(fields('')).toEqual([]);
  });

  it('ends records at CRLF, LF or a lone CR, never leaving a CR in a field', () => {
    expect(fields('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a\rb\rc')).toEqual([['a'], ['b'], ['c']]);
    expect(fields('a\r\nb\nc\r')).toEqual([['a'], ['b'], ['c']]);
  });

  it('keeps empty fields: leading, inner, trailing and quoted', () => {
    expect(fields(',,\n')).toEqual([['', '', '']]);
    expect(fields('a,,c\n,b,\n')).toEqual([['a', '', 'c'], ['', 'b', '']]);
    expect(fields('"",x,""\n')).toEqual([['', 'x', '']]);
  });

  it('a blank line is a record of one empty field, so later row numbers still match the sheet', () => {
    expect(records('a\n\nb\n')).toEqual([
      { row: 1, fields: ['a'] },
      { row: 2, fields: [''] },
      { row: 3, fields: ['b'] },
    ]);
  });

  it('reads quoted fields holding delimiters and doubled quotes', () => {
    expect(fields('"鄂州市,华容区","他说""好""",末\n')).toEqual([['鄂州市,华容区', '他说"好"', '末']]);
    expect(fields('"""",x\n')).toEqual([['"', 'x']]);
  });

  it('keeps line breaks inside quotes and counts the record once', () => {
    const r = records('备注,账号\n"第一行\n第二行",a\n"x\r\ny",b\nlast,c\n');
    expect(r.map((x) => x.fields)).toEqual([['备注', '账号'], ['第一行\n第二行', 'a'], ['x\r\ny', 'b'], ['last', 'c']]);
    expect(r.map((x) => x.row)).toEqual([1, 2, 3, 4]);
  });

  it('a quote inside an unquoted field is an ordinary character', () => {
    expect(fields('12"寸,b\n')).toEqual([['12"寸', 'b']]);
  });

  it('splits on the delimiter it is given or detects', () => {
    expect(fields('a;b;c,d\n1;2;3,4\n')).toEqual([['a', 'b', 'c,d'], ['1', '2', '3,4']]);
    expect(fields('a,b\tc\n', '\t')).toEqual([['a,b', 'c']]);
  });
});

describe('detectDelimiter', () => {
  it('takes the delimiter most used in the first line outside quotes', () => {
    expect(detectDelimiter('a,b,c\n1;2;3;4;5\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n')).toBe('\t');
    expect(detectDelimiter('"a,b,c";d;e\n')).toBe(';');
  });

  it('falls back to a comma for a single column', () => {
    expect(detectDelimiter('登录账号\nuser01\n')).toBe(',');
  });
});

describe('decodeCsv', () => {
  it('drops a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('姓名,张三\n')]);
    expect(detectEncoding(bytes)).toEqual({ encoding: 'utf-8', bom: 3 });
    expect(decodeCsv(bytes)).toEqual({ text: '姓名,张三\n', encoding: 'utf-8' });
  });

  it('reads UTF-8 without a BOM', () => {
    expect(decodeCsv(Buffer.from('姓名,张三\n'))).toEqual({ text: '姓名,张三\n', encoding: 'utf-8' });
  });

  it('reads GB18030 (GBK) when the bytes are not UTF-8', () => {
    const bytes = Buffer.from([...GBK_NAME, 0x0d, 0x0a]);
    expect(detectEncoding(bytes)).toEqual({ encoding: 'gb18030', bom: 0 });
    expect(decodeCsv(bytes)).toEqual({ text: '姓名,张三\r\n', encoding: 'gb18030' });
  });

  it('reads UTF-16 "Unicode text" in either byte order, BOM dropped', () => {
    const le = Buffer.from('\ufeff姓名\t张三\r\n', 'utf16le');
    expect(decodeCsv(le)).toEqual({ text: '姓名\t张三\r\n', encoding: 'utf-16le' });
    const be = Buffer.from(le).swap16();
    expect(decodeCsv(be)).toEqual({ text: '姓名\t张三\r\n', encoding: 'utf-16be' });
  });

  it('a GB18030 file with CRLF and quoted fields parses to the same records as its UTF-8 twin', () => {
    // "张三,姓名",张三\r\n姓名,\r\n
    const gbk = Buffer.from([0x22, ...GBK_NAME.slice(5), 0x2c, ...GBK_NAME.slice(0, 4), 0x22, ...GBK_NAME.slice(4), 0x0d, 0x0a, ...GBK_NAME.slice(0, 5), 0x0d, 0x0a]);
    expect(fields(decodeCsv(gbk).text)).toEqual([['张三,姓名', '张三'], ['姓名', '']]);
    expect(fields(decodeCsv(Buffer.from('"张三,姓名",张三\r\n姓名,\r\n')).text)).toEqual([['张三,姓名', '张三'], ['姓名', '']]);
  });
});
