/**
 * A table's body handed to exceljs without an object per cell. exceljs keeps a cell object for every value, builds
 * a second model of each sheet from them when writing and renders it through a generic XML writer: at province
 * scale (the 企业明细 sheets, about 27,000 rows of 9 values) that was most of the workbook's time and memory.
 *
 * Here the rows stay the plain arrays the table was computed from, and the sheet holds, at the body's last row,
 * one row model standing for all of them. When exceljs prepares that model (assigning the shared strings and
 * style numbers, sheet by sheet, row by row), each body row is prepared in its turn as exceljs's row code prepares
 * it, from exceljs's own style and shared-string tables, and written at once as the XML exceljs would write for it;
 * when exceljs renders the sheet, that XML goes in where the rows belong. The file is the same, byte for byte, as with a cell object per value: the
 * strings and styles are numbered by exceljs, in the same order, and the XML follows its row and cell writer for the
 * values a table holds (text, numbers, empty styled cells).
 *
 * The hook is installed on exceljs's row writer when the workbook class is loaded (see workbookClass in
 * xlsx.ts); it acts only on the models made here.
 */
import type { Style, Worksheet } from 'exceljs';

type Value = string | number | null;

export interface BodyRows {
  /** The sheet row of the first body row (1-based). */
  first: number;
  /** Every body row's height in points. */
  height: number;
  /** The values, row by row, one for each column from the first. */
  rows: Value[][];
  /** The style of a cell (the same object for cells that look alike, so that exceljs numbers it once). */
  style: (row: number, col: number, value: Value) => Partial<Style>;
}

const BODY = Symbol('table body');

/** exceljs's value types (lib/doc/enums.js). */
const NULL = 0;
const NUMBER = 2;
const STRING = 3;

interface Marker {
  number: number;
  min: number;
  max: number;
  cells: never[];
  [BODY]: { rows: BodyRows; xml: Buffer[] };
}

interface XmlStream {
  writeXml(xml: string): void;
}

export interface RowWriter {
  prepare(model: unknown, options: unknown): void;
  render(xml: XmlStream, model: unknown, options?: unknown): void;
}

let installed = false;
/** Workbooks being taken apart by takeBodies, and the bodies their sheets hold as tokens, by number. */
let taking = 0;
const rendered = new Map<number, Buffer[]>();
let tokens = 0;

/**
 * Runs `write` (exceljs writing a workbook's parts) with each table body rendered as a token `\0n\0` in its sheet's
 * text (exceljs's text never holds a NUL: its XML escaping drops it), and hands it `withBodies`, which turns a part's
 * text into its bytes with the bodies in place.
 */
export async function takeBodies<T>(write: (withBodies: (text: string) => Buffer) => Promise<T>): Promise<T> {
  taking++;
  try {
    return await write(withBodies);
  } finally {
    taking--;
  }
}

function withBodies(text: string): Buffer {
  if (!text.includes('\u0000')) return Buffer.from(text, 'utf8');
  // (the odd pieces are the tokens' numbers)
  return Buffer.concat(
    text.split('\u0000').flatMap((t, i) => {
      if (i % 2 === 0) return [Buffer.from(t, 'utf8')];
      const body = rendered.get(Number(t))!;
      rendered.delete(Number(t));
      return body;
    }),
  );
}

/** Teaches exceljs's row writer (its RowXform class) the body models; idempotent. */
export function installBodyRows(RowXform: { prototype: RowWriter }): void {
  if (installed) return;
  const { prepare, render } = RowXform.prototype;
  RowXform.prototype.prepare = function (this: RowWriter, model: unknown, options: unknown) {
    const body = (model as Partial<Marker>)[BODY];
    if (!body) return prepare.call(this, model, options);
    body.xml = bodyXml(body.rows, options as PrepareOptions);
  };
  RowXform.prototype.render = function (this: RowWriter, xml: XmlStream, model: unknown, options?: unknown) {
    const body = (model as Partial<Marker>)[BODY];
    if (!body) return render.call(this, xml, model, options);
    // Taken apart (workbookParts), the sheet's text holds a token where the body goes: the bytes are put in when the
    // part is packed, not joined into the sheet's one string (two bytes a character once the page footer's 第…页 is
    // in it, and encoded to UTF-8 again).
    if (taking > 0) {
      rendered.set(tokens, body.xml);
      xml.writeXml(`\u0000${tokens++}\u0000`);
    } else for (const chunk of body.xml) xml.writeXml(chunk.toString('utf8'));
    body.xml = [];
  };
  installed = true;
}

/**
 * Puts `body` into `ws` as its rows first … first + rows − 1. The sheet's other rows (the title above, the signature
 * line below) are ordinary exceljs rows. Only for a workbook written by writeBook (which installs the hook).
 */
export function bodyRows(ws: Worksheet, body: BodyRows): void {
  if (!installed) throw new Error('bodyRows: exceljs row writer not prepared (write the workbook with writeBook)');
  const last = body.first + body.rows.length - 1;
  const width = body.rows[0]?.length ?? 0;
  const marker: Marker = { number: last, min: 1, max: width, cells: [], [BODY]: { rows: body, xml: [] } };
  // The worksheet asks each row for its model when the file is written; this one answers for the whole body
  // (its number and columns give the sheet's dimension, as the last body row would).
  Object.defineProperty(ws.getRow(last), 'model', { get: () => marker, configurable: true });
}

function columnName(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** A row's own style: none (what exceljs gives a row nobody styled). */
const ROW_STYLE: Partial<Style> = Object.freeze({});

/** What exceljs hands a row writer preparing a sheet: its style and shared-string tables. */
interface PrepareOptions {
  styles: { addStyleModel(style: Partial<Style>, type?: number): number };
  sharedStrings?: { add(value: string): number };
}

/**
 * The body's XML, in chunks: each row prepared as exceljs's RowXform and CellXform prepare a row of these values
 * (the row's style, then each cell's style and shared string, in order, from the same tables: the same numbers)
 * and written as they write it (lib/xlsx/xform/sheet/row-xform.js, cell-xform.js), without a model per row or cell.
 */
function bodyXml(body: BodyRows, { styles, sharedStrings }: PrepareOptions): Buffer[] {
  const width = body.rows[0]?.length ?? 0;
  const names = Array.from({ length: width }, (_, j) => columnName(j + 1));
  const chunks: Buffer[] = [];
  // (pieces joined a few thousand at a time: faster than growing one string, and flat when exceljs joins the sheet)
  let out: string[] = [];
  const height = body.height ? ` ht="${body.height}" customHeight="1"` : '';
  // exceljs numbers a style object when it first sees it and, seeing the same object again, gives the same number
  // whatever the cell's type: each object is handed to it once, in the order first met, and its number kept here.
  const seen = new Map<Partial<Style>, number>();
  const styleIdOf = (style: Partial<Style>, type: number) => {
    let id = seen.get(style);
    if (id === undefined) seen.set(style, (id = styles.addStyleModel(style, type)));
    return id;
  };
  body.rows.forEach((values, k) => {
    const number = body.first + k;
    const rowStyle = styleIdOf(ROW_STYLE, NUMBER);
    const at = out.push(`<row r="${number}"${height}${values.length ? ` spans="1:${values.length}"` : ''}${rowStyle ? ` s="${rowStyle}" customFormat="1"` : ''} x14ac:dyDescent="0.25"`);
    values.forEach((v, j) => {
      const type = v === null ? NULL : typeof v === 'number' ? NUMBER : STRING;
      const style = body.style(k, j, v);
      const styleId = style ? styleIdOf(style, type) : styles.addStyleModel({}, type);
      if (v === null) {
        if (styleId) out.push(`<c r="${names[j]!}${number}" s="${styleId}"/>`);
        return;
      }
      const head = styleId ? `<c r="${names[j]!}${number}" s="${styleId}"` : `<c r="${names[j]!}${number}"`;
      if (type === NUMBER) out.push(`${head}><v>${v}</v></c>`);
      else if (sharedStrings) out.push(`${head} t="s"><v>${sharedStrings.add(v as string)}</v></c>`);
      else out.push(`${head} t="str"><v>${escape(String(v))}</v></c>`);
    });
    // A row without cells closes at once, as exceljs's XML writer closes an empty element.
    if (out.length === at) out[at - 1] += '/>';
    else {
      out[at - 1] += '>';
      out.push('</row>');
    }
    if (out.length > 4096) {
      chunks.push(Buffer.from(out.join(''), 'utf8'));
      out = [];
    }
  });
  if (out.length) chunks.push(Buffer.from(out.join(''), 'utf8'));
  return chunks;
}

const ESCAPES: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
/** As exceljs escapes text in XML (only reached by a string it did not share). */
const escape = (s: string) => s.replace(/["&'<>]/g, (c) => ESCAPES[c]!);
