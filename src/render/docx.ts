/**
 * Narrative reports as Word documents laid out as Chinese official documents are: A4 portrait with the
 * usual margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); the title centred in 方正小标宋简体 二号;
 * body text in 仿宋 三号 with a two-character first-line indent on a fixed 28 pt line; headings 一、 in 黑体 and
 * （一） in 楷体; page numbers centred at the bottom as “— 1 —”; the issuing unit and the date at the end. Each
 * report of a document starts on a new page. Sizes are in half-points and twips (1/20 pt).
 */
import { displayWidth } from '../util/text.js';
import { dateInWords } from '../util/dates.js';
import { writeFileAtomic } from './files.js';
import type { Block, Run } from './narrative.js';
import { headerWords } from './sheet-layout.js';
import { stableZip } from './stable-zip.js';

const LATIN = 'Times New Roman';
const font = (eastAsia: string) => ({ ascii: LATIN, hAnsi: LATIN, eastAsia, cs: LATIN });
export const FONTS = { title: '方正小标宋简体', body: '仿宋', heading1: '黑体', heading2: '楷体', pageNumber: '宋体' } as const;

const PT = 20; // twips per point
const BODY_SIZE = 32; // 三号, 16 pt
const TITLE_SIZE = 44; // 二号, 22 pt
const TABLE_SIZE = 28; // 四号, 14 pt
const LINE = 28 * PT;
const CHAR = 16 * PT; // one character of body text
const MM = 56.7; // twips per millimetre

/** An A4 page in twips, and its margins. */
export const PAGE = { width: 11906, height: 16838, top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };

type Docx = typeof import('docx');

function runs(d: Docx, list: Run[]) {
  return list.map(
    (r) =>
      new d.TextRun({
        text: r.text,
        bold: r.bold,
        ...(r.level ? { font: font(r.level === 1 ? FONTS.heading1 : FONTS.heading2) } : {}),
      }),
  );
}

/** Characters of the title (二号) on one line of the body's width, less one for safety. */
const TITLE_CHARS = Math.floor((PAGE.width - PAGE.left - PAGE.right) / (TITLE_SIZE * 10)) - 1;

/**
 * A long title as lines broken only between words (工作开展情况报告 never as 工作开/展情况报告), each within
 * the line's width and as even in length as the words allow.
 */
function titleLines(text: string, chars = TITLE_CHARS): string[] {
  const width = (s: string) => displayWidth(s) / 2;
  if (width(text) <= chars) return [text];
  const words = headerWords(text);
  let best: string[] | undefined;
  let bestWidth = Infinity;
  const search = (from: number, lines: string[], n: number) => {
    if (lines.length === n - 1) {
      const last = words.slice(from).join('');
      const all = [...lines, last];
      const w = Math.max(...all.map(width));
      if (last && w <= chars && w < bestWidth) [best, bestWidth] = [all, w];
      return;
    }
    for (let i = from + 1; i < words.length; i++) search(i, [...lines, words.slice(from, i).join('')], n);
  };
  for (let n = 2; n <= 4 && !best; n++) search(0, [], n);
  return best ?? [text];
}

/** A table of this many columns or more is set in 五号: in 四号 its columns would hold a few characters a line. */
const WIDE_TABLE = 5;
const SMALL_SIZE = 21; // 五号, 10.5 pt

/** How many lines a cell of `width` twips takes for `text` at `size` (half-points), roughly. */
function linesOfCell(text: string, width: number, size: number): number {
  const perLine = Math.max(1, Math.floor(width / (size * 10)));
  return text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(displayWidth(l) / 2 / perLine)), 0);
}

/**
 * A table with thin borders, its text in 仿宋 四号 (五号 from five columns on). Column widths are the table's own
 * (`widths`, relative, from its Markdown rule) or follow the text they hold; a line break in a cell starts a new
 * line. A row is kept on one page unless it would nearly fill one.
 */
function table(d: Docx, rows: string[][], given?: number[]) {
  const n = Math.max(...rows.map((r) => r.length));
  const small = n >= WIDE_TABLE;
  const size = small ? SMALL_SIZE : TABLE_SIZE;
  const margin = small ? 80 : 100;
  const fixed = given && given.length === n ? given : undefined;
  const want = fixed ?? Array.from({ length: n }, (_, j) => Math.max(4, ...rows.map((r) => displayWidth(r[j] ?? ''))));
  const full = PAGE.width - PAGE.left - PAGE.right;
  const sum = want.reduce((s, w) => s + w, 0);
  const widths = want.map((w) => Math.floor((full * w) / sum));
  const page = PAGE.height - PAGE.top - PAGE.bottom;
  const lineHeight = (small ? 16 : 22) * PT;
  return new d.Table({
    width: { size: full, type: d.WidthType.DXA },
    columnWidths: widths,
    // Widths of its own are kept as given (Word and LibreOffice otherwise fit the columns to their text).
    ...(fixed ? { layout: d.TableLayoutType.FIXED } : {}),
    // Kept on one page where it can: no row splits, and each row stays with the next.
    rows: rows.map((r, i) => {
      const tall = Math.max(...r.map((t, j) => linesOfCell(t, widths[j]! - 2 * margin, size))) * lineHeight > page * 0.8;
      return new d.TableRow({
        tableHeader: i === 0,
        cantSplit: !tall,
        children: Array.from({ length: n }, (_, j) =>
          new d.TableCell({
            width: { size: widths[j]!, type: d.WidthType.DXA },
            verticalAlign: d.VerticalAlignTable.CENTER,
            margins: { left: margin, right: margin },
            children: (r[j] ?? '').split('\n').map(
              (line) =>
                new d.Paragraph({
                  style: small ? 'TableTextSmall' : 'TableText',
                  keepNext: !tall && i < rows.length - 1,
                  alignment: i === 0 ? d.AlignmentType.CENTER : d.AlignmentType.LEFT,
                  children: [new d.TextRun({ text: line, bold: i === 0 })],
                }),
            ),
          }),
        ),
      });
    }),
  });
}

function blocks(d: Docx, list: Block[], newPage: boolean) {
  const out: (InstanceType<Docx['Paragraph']> | InstanceType<Docx['Table']>)[] = [];
  list.forEach((b, i) => {
    const pageBreakBefore = out.length === 0 && newPage;
    // The last paragraph goes to the next page with the signature rather than leave it alone there.
    const keepNext = list[i + 1]?.kind === 'signature';
    if (b.kind === 'title') out.push(new d.Paragraph({ heading: d.HeadingLevel.TITLE, pageBreakBefore, children: titleLines(b.text).map((t, k) => new d.TextRun({ text: t, break: k > 0 ? 1 : undefined })) }));
    else if (b.kind === 'heading') out.push(new d.Paragraph({ heading: b.level === 1 ? d.HeadingLevel.HEADING_1 : d.HeadingLevel.HEADING_2, pageBreakBefore, children: [new d.TextRun(b.text)] }));
    else if (b.kind === 'paragraph') {
      // A paragraph that introduces a table stays on the table's page.
      const next = keepNext || list[i + 1]?.kind === 'table';
      out.push(new d.Paragraph({ pageBreakBefore, keepNext: next, keepLines: next, ...(b.flush ? { indent: { firstLine: 0 } } : {}), children: runs(d, b.runs) }));
    }
    else if (b.kind === 'table') out.push(table(d, b.rows, b.widths));
    else {
      // The unit two characters from the right margin; the date under it, its first character two to the right.
      const date = dateInWords(b.date);
      const shift = Math.max(0, (displayWidth(b.unit) - displayWidth(date)) / 2);
      out.push(
        new d.Paragraph({ keepNext: true, children: [] }),
        new d.Paragraph({ style: 'Signature', keepNext: true, indent: { right: 2 * CHAR }, children: [new d.TextRun(b.unit)] }),
        new d.Paragraph({ style: 'Signature', indent: { right: Math.round(shift * CHAR) }, children: [new d.TextRun(date)] }),
      );
    }
  });
  return out;
}

/** The document for some reports (each a list of blocks ending with its signature). */
export async function narrativeDocument(parts: Block[][]) {
  const d = await import('docx');
  const exact = { line: LINE, lineRule: d.LineRuleType.EXACT };
  const indented = { firstLine: 2 * CHAR };
  return new d.Document({
    creator: 'xypz',
    styles: {
      default: {
        document: { run: { font: font(FONTS.body), size: BODY_SIZE }, paragraph: { spacing: exact, alignment: d.AlignmentType.JUSTIFIED, indent: indented } },
        title: {
          run: { font: font(FONTS.title), size: TITLE_SIZE, bold: false, color: '000000' },
          paragraph: { alignment: d.AlignmentType.CENTER, indent: { firstLine: 0 }, spacing: { line: 35 * PT, lineRule: d.LineRuleType.EXACT, after: LINE } },
        },
        heading1: { run: { font: font(FONTS.heading1), size: BODY_SIZE, bold: false, color: '000000' }, paragraph: { spacing: exact, indent: indented, keepNext: true } },
        heading2: { run: { font: font(FONTS.heading2), size: BODY_SIZE, bold: false, color: '000000' }, paragraph: { spacing: exact, indent: indented, keepNext: true } },
      },
      paragraphStyles: [
        { id: 'Signature', name: '落款', basedOn: 'Normal', paragraph: { alignment: d.AlignmentType.RIGHT, indent: { firstLine: 0 } } },
        { id: 'TableText', name: '表格文字', basedOn: 'Normal', run: { size: TABLE_SIZE }, paragraph: { indent: { firstLine: 0 }, spacing: { line: 22 * PT, lineRule: d.LineRuleType.EXACT } } },
        { id: 'TableTextSmall', name: '表格文字（五号）', basedOn: 'Normal', run: { size: SMALL_SIZE }, paragraph: { indent: { firstLine: 0 }, alignment: d.AlignmentType.LEFT, spacing: { line: 16 * PT, lineRule: d.LineRuleType.EXACT } } },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height, orientation: d.PageOrientation.PORTRAIT },
            margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: Math.round(15 * MM), footer: Math.round(20 * MM) },
          },
        },
        footers: {
          default: new d.Footer({
            children: [
              new d.Paragraph({
                alignment: d.AlignmentType.CENTER,
                indent: { firstLine: 0 },
                children: [new d.TextRun({ children: ['— ', d.PageNumber.CURRENT, ' —'], font: font(FONTS.pageNumber), size: 28 })],
              }),
            ],
          }),
        },
        children: parts.flatMap((p, i) => blocks(d, p, i > 0)),
      },
    ],
  });
}

/** The date a document carries: that of its (first) signature. */
const documentDate = (parts: Block[][]) => parts.flat().find((b) => b.kind === 'signature')?.date;

/**
 * The reports as the bytes of a .docx file. Dated `date` (default: the signature's date) rather than the time of
 * writing, so the same reports on the same date are the same bytes whenever they are written (stable-zip.ts).
 */
export async function docxBytes(parts: Block[][], date = documentDate(parts)): Promise<Buffer> {
  const { Packer } = await import('docx');
  const buf = await Packer.toBuffer(await narrativeDocument(parts));
  return date ? stableZip(buf, date) : buf;
}

/** Writes the reports as a .docx file (atomically, owner-only like every file the tool writes). */
export async function writeDocx(path: string, parts: Block[][], date?: string): Promise<void> {
  const buf = await docxBytes(parts, date ?? documentDate(parts));
  const { writeFileSync } = await import('node:fs');
  await writeFileAtomic(path, async (tmp) => writeFileSync(tmp, buf));
}
