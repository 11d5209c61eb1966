/**
 * A table's body handed to exceljs without an object per cell. exceljs keeps a cell object for every value, builds
 * a second model of each sheet from them when writing and renders it through a generic XML writer: at province
 * scale (the 企业明细 sheets, about 27,000 rows of 9 values) that was most of the workbook's time and memory.
 *
 * Here the rows stay the plain arrays the table was computed from, and the sheet holds, at the body's last row,
 * one row model standing for all of them. When exceljs prepares that model (assigning the shared strings and
 * style numbers, sheet by sheet, row by row), each body row is prepared in its turn by exceljs's own row code, as a
 * short-lived model, and written at once as the XML exceljs would write for it; when exceljs renders the sheet, that
 * XML goes in where the rows belong. The file is the same, byte for byte, as with a cell object per value: the
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

interface CellModel {
  address: string;
  type: number;
  value?: string | number;
  style: Partial<Style>;
  styleId?: number;
  ssId?: number;
}

interface RowModel {
  cells: CellModel[];
  number: number;
  min: number;
  max: number;
  height: number;
  style: Partial<Style>;
  styleId?: number;
}

interface Marker {
  number: number;
  min: number;
  max: number;
  cells: CellModel[];
  [BODY]: { rows: BodyRows; xml: string[] };
}

interface XmlStream {
  writeXml(xml: string): void;
}

export interface RowWriter {
  prepare(model: unknown, options: unknown): void;
  render(xml: XmlStream, model: unknown, options?: unknown): void;
}

let installed = false;

/** Teaches exceljs's row writer (its RowXform class) the body models; idempotent. */
export function installBodyRows(RowXform: { prototype: RowWriter }): void {
  if (installed) return;
  const { prepare, render } = RowXform.prototype;
  RowXform.prototype.prepare = function (this: RowWriter, model: unknown, options: unknown) {
    const body = (model as Partial<Marker>)[BODY];
    if (!body) return prepare.call(this, model, options);
    body.xml = bodyXml(body.rows, (row) => prepare.call(this, row, options));
  };
  RowXform.prototype.render = function (this: RowWriter, xml: XmlStream, model: unknown, options?: unknown) {
    const body = (model as Partial<Marker>)[BODY];
    if (!body) return render.call(this, xml, model, options);
    for (const chunk of body.xml) xml.writeXml(chunk);
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

/** The body's XML, in chunks: each row prepared by exceljs (`prepare`) and written as its row writer would. */
function bodyXml(body: BodyRows, prepare: (row: RowModel) => void): string[] {
  const width = body.rows[0]?.length ?? 0;
  const names = Array.from({ length: width }, (_, j) => columnName(j + 1));
  const chunks: string[] = [];
  // (pieces joined a few thousand at a time: faster than growing one string, and flat when exceljs joins the sheet)
  let pieces: string[] = [];
  body.rows.forEach((values, k) => {
    const number = body.first + k;
    const cells = values.map((v, j): CellModel => {
      const style = body.style(k, j, v);
      const address = `${names[j]!}${number}`;
      if (v === null) return { address, type: NULL, style };
      return { address, type: typeof v === 'number' ? NUMBER : STRING, value: v, style };
    });
    const row: RowModel = { cells, number, min: cells.length ? 1 : 0, max: cells.length, height: body.height, style: ROW_STYLE };
    prepare(row);
    rowXml(row, pieces);
    if (pieces.length > 4096) {
      chunks.push(pieces.join(''));
      pieces = [];
    }
  });
  if (pieces.length) chunks.push(pieces.join(''));
  return chunks;
}

const ESCAPES: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
/** As exceljs escapes text in XML (only reached by a string it did not share). */
const escape = (s: string) => s.replace(/["&'<>]/g, (c) => ESCAPES[c]!);

/** A row as exceljs's RowXform and CellXform write it (lib/xlsx/xform/sheet/row-xform.js, cell-xform.js), into `out`. */
function rowXml(row: RowModel, out: string[]): void {
  let head = `<row r="${row.number}"`;
  if (row.height) head += ` ht="${row.height}" customHeight="1"`;
  if (row.min > 0 && row.max > 0 && row.min <= row.max) head += ` spans="${row.min}:${row.max}"`;
  if (row.styleId) head += ` s="${row.styleId}" customFormat="1"`;
  head += ' x14ac:dyDescent="0.25"';
  const at = out.push(head);
  for (const c of row.cells) {
    if (c.type === NULL && !c.styleId) continue;
    out.push(c.styleId ? `<c r="${c.address}" s="${c.styleId}"` : `<c r="${c.address}"`);
    if (c.type === NULL) out.push('/>');
    else if (c.type === NUMBER) out.push(`><v>${c.value!}</v></c>`);
    else if (c.ssId !== undefined) out.push(` t="s"><v>${c.ssId}</v></c>`);
    else out.push(` t="str"><v>${escape(String(c.value))}</v></c>`);
  }
  // A row without cells closes at once, as exceljs's XML writer closes an empty element.
  if (out.length === at) {
    out.push('/>');
    return;
  }
  out[at - 1] += '>';
  out.push('</row>');
}
