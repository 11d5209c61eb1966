/**
 * How an .xlsx file looks, for copying it (the `--errors` copy of an import): each cell style's font, fill,
 * borders, alignment and number format (styles.xml), and each sheet's column widths and merged cells. Row
 * heights and each cell's style index come with the rows (readRows with `looks`). Theme colours are left
 * out (the copy has no theme); everything else that a template sets by hand is kept.
 */
import { DataError } from '../errors.js';
import { ElementSplitter, elementsIn, firstIn, type Element } from './xmlscan.js';
import { entryText, entryWhole, MAX_ELEMENT_CHARS, P, unescapeXml, workbookParts } from './xlsx.js';
import { guardXlsx, type ZipEntry } from './zipguard.js';

export interface CellLook {
  font?: { name?: string; size?: number; bold?: boolean; italic?: boolean; underline?: boolean; strike?: boolean; color?: { argb: string } };
  fill?: { type: 'pattern'; pattern: 'solid'; fgColor: { argb: string } };
  border?: Partial<Record<'left' | 'right' | 'top' | 'bottom', { style: string }>>;
  alignment?: { horizontal?: string; vertical?: string; wrapText?: boolean; indent?: number };
  numFmt?: string;
}

export interface SheetLooks {
  /** Column widths by column number (1-based). */
  widths: Map<number, number>;
  /** Merged ranges, as A1:C1. */
  merges: string[];
}

export interface Looks {
  styles: CellLook[];
  sheets: Map<string, SheetLooks>;
}

/** A style given to every column to the sheet's edge (Excel writes max="16384") is kept for the first ones only. */
const MAX_STYLED_COLUMNS = 256;
/** The file says center, exceljs middle. */
const VERTICAL: Record<string, string> = { center: 'middle' };
const BUILT_IN_FORMATS: Record<number, string> = { 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 14: 'yyyy-mm-dd', 49: '@' };

const attr = (xml: string, name: string) => {
  const v = new RegExp(`\\b${name}="([^"]*)"`).exec(xml)?.[1];
  return v === undefined ? undefined : unescapeXml(v);
};
// Linear scans (xmlscan.ts): a broken structure throws, and the copy is then written plain (readLooks).
const elements = (xml: string, tag: string) => elementsIn(xml, tag).map((e) => ({ attrs: e.attrs, body: e.inner ?? '' }));
const section = (xml: string, tag: string) => firstIn(xml, tag)?.inner ?? '';
const flag = (body: string, tag: string) => {
  const m = new RegExp(`<${P}${tag}\\b([^<>]*)`).exec(body);
  return m ? attr(m[1]!, 'val') !== '0' && attr(m[1]!, 'val') !== 'false' : undefined;
};
const rgb = (body: string, tag: string) => {
  const m = new RegExp(`<${P}${tag}\\b([^<>]*)`).exec(body);
  const v = m ? attr(m[1]!, 'rgb') : undefined;
  return v && /^[0-9A-Fa-f]{6,8}$/.test(v) ? { argb: v.length === 6 ? `FF${v}` : v } : undefined;
};

function fontOf(body: string): CellLook['font'] {
  const sz = /<[\w:]*sz\b[^<>]*\bval="([\d.]+)"/.exec(body)?.[1];
  const name = /<[\w:]*name\b[^<>]*\bval="([^"]*)"/.exec(body)?.[1];
  return {
    name: name === undefined ? undefined : unescapeXml(name),
    size: sz === undefined ? undefined : Number(sz),
    bold: flag(body, 'b'),
    italic: flag(body, 'i'),
    underline: flag(body, 'u'),
    strike: flag(body, 'strike'),
    color: rgb(body, 'color'),
  };
}

function fillOf(body: string): CellLook['fill'] {
  const p = elements(body, 'patternFill')[0];
  if (!p || attr(p.attrs, 'patternType') !== 'solid') return undefined;
  const c = rgb(p.body, 'fgColor');
  return c ? { type: 'pattern', pattern: 'solid', fgColor: c } : undefined;
}

function borderOf(body: string): CellLook['border'] {
  const out: CellLook['border'] = {};
  for (const side of ['left', 'right', 'top', 'bottom'] as const) {
    const style = elements(body, side)[0]?.attrs;
    const s = style ? attr(style, 'style') : undefined;
    if (s && s !== 'none') out[side] = { style: s };
  }
  return Object.keys(out).length ? out : undefined;
}

/** The cell styles of styles.xml, by their index (the `s` of a cell). */
export function parseLooks(xml: string): CellLook[] {
  const formats = new Map(elements(section(xml, 'numFmts'), 'numFmt').map((f) => [Number(attr(f.attrs, 'numFmtId')), attr(f.attrs, 'formatCode') ?? '']));
  const fonts = elements(section(xml, 'fonts'), 'font').map((f) => fontOf(f.body));
  const fills = elements(section(xml, 'fills'), 'fill').map((f) => fillOf(f.body));
  const borders = elements(section(xml, 'borders'), 'border').map((b) => borderOf(b.body));
  return elements(section(xml, 'cellXfs'), 'xf').map(({ attrs, body }) => {
    const id = (k: string) => Number(attr(attrs, k) ?? 0);
    const a = elements(body, 'alignment')[0]?.attrs;
    const numFmtId = id('numFmtId');
    return {
      font: fonts[id('fontId')],
      fill: fills[id('fillId')],
      border: borders[id('borderId')],
      alignment: a ? { horizontal: attr(a, 'horizontal'), vertical: VERTICAL[attr(a, 'vertical') ?? ''] ?? attr(a, 'vertical'), wrapText: attr(a, 'wrapText') === '1' || attr(a, 'wrapText') === 'true', indent: Number(attr(a, 'indent') ?? 0) || undefined } : undefined,
      numFmt: formats.get(numFmtId) ?? BUILT_IN_FORMATS[numFmtId],
    };
  });
}

/** Column widths (from <cols>, before the cells) and merges (after them) of one sheet, in one linear scan. */
async function sheetLooks(path: string, e: ZipEntry): Promise<SheetLooks> {
  const widths = new Map<number, number>();
  const merges = new Set<string>();
  const split = new ElementSplitter('col|mergeCell', MAX_ELEMENT_CHARS);
  const found: Element[] = [];
  for await (const chunk of entryText(path, e)) {
    split.push(chunk, found);
    for (const c of found) {
      if (c.name === 'col') {
        const w = Number(attr(c.attrs, 'width'));
        const [min, max] = [Number(attr(c.attrs, 'min')), Number(attr(c.attrs, 'max'))];
        if (Number.isFinite(w) && min >= 1 && max >= min) for (let i = min; i <= Math.min(max, MAX_STYLED_COLUMNS); i++) widths.set(i, w);
      } else {
        // Only ranges within Excel's limits (a damaged file's are left out, not copied).
        const ref = /\bref="([A-Z]{1,3}[1-9]\d{0,6}:[A-Z]{1,3}[1-9]\d{0,6})"/.exec(c.attrs)?.[1];
        if (ref) merges.add(ref);
      }
    }
    found.length = 0;
  }
  split.end();
  return { widths, merges: [...merges] };
}

/** The looks of a (zip-checked) .xlsx file. */
export async function readLooks(path: string): Promise<Looks> {
  const entries = guardXlsx(path);
  const byName = new Map(entries.map((e) => [e.name, e]));
  try {
    const parts = await workbookParts(path, byName);
    const stylesEntry = byName.get(parts.styles);
    const sheets = new Map<string, SheetLooks>();
    for (const sh of parts.sheets) {
      const e = byName.get(sh.path);
      if (e && !sh.hidden) sheets.set(sh.name, await sheetLooks(path, e));
    }
    return { styles: stylesEntry ? parseLooks(await entryWhole(path, stylesEntry)) : [], sheets };
  } catch (err) {
    if (err instanceof DataError) throw err;
    // The styles of a damaged file are not worth failing the error copy for: it is written plain.
    return { styles: [], sheets: new Map() };
  }
}
