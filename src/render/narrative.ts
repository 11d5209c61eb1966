/**
 * Narrative reports (templates/*.md) as staff write them: plain text in a Markdown-like form, one paragraph
 * per line. Read here into blocks, once, for every output — the Word document (docx.ts), the rows of a
 * narrative sheet, and the .md file:
 *
 *   # 标题                      the title
 *   ## 一、标题 / ## （一）标题   a heading (一、 level 1, （一） level 2; without a number: level 1)
 *   **一、推荐与申报。** 正文…    a paragraph led by a heading in the heading's font
 *   - 项目：内容                 a paragraph (the dash is dropped)
 *   | 项目 | 内容 |              a table; the |---|---| line under its header is not a row, and when its
 *   |---|------|                 dashes differ in number they give the columns' relative widths (as pandoc
 *                                reads them); <br> in a cell breaks its line
 *
 * Each report ends with the issuing unit and the date (the signature), added here, not in the template.
 */
import { dateInWords } from '../util/dates.js';
import type { TextSheetSpec } from './xlsx.js';

export interface Run {
  text: string;
  bold?: boolean;
  /** A lead-in set in the font of a heading of this level. */
  level?: 1 | 2;
}

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; runs: Run[]; flush?: boolean }
  | { kind: 'table'; rows: string[][]; widths?: number[] }
  | { kind: 'signature'; unit: string; date: string };

/** One report of a document: its filled template and the unit that issues it. */
export interface NarrativePart {
  text: string;
  unit: string;
}

const LEVEL1 = /^[一二三四五六七八九十]+、/;
const LEVEL2 = /^[（(][一二三四五六七八九十]+[）)]/;
const RULE = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/;

function levelOf(text: string, fallback: 1 | 2): 1 | 2 {
  return LEVEL1.test(text) ? 1 : LEVEL2.test(text) ? 2 : fallback;
}

/** Inline text: **bold** runs, the markers dropped; a bold lead-in numbered like a heading takes its font. */
function runsOf(line: string): Run[] {
  const runs: Run[] = [];
  line.split(/\*\*(.+?)\*\*/).forEach((t, i) => {
    // Chinese text after a lead-in needs no space: "**一、推荐与申报。** 成员部门…"
    if (runs.length === 1 && runs[0]!.level) t = t.trimStart();
    if (t === '') return;
    if (i % 2 === 0) runs.push({ text: t.replace(/\*\*/g, '') });
    else if (runs.length === 0 && (LEVEL1.test(t) || LEVEL2.test(t))) runs.push({ text: t, level: levelOf(t, 1) });
    else runs.push({ text: t, bold: true });
  });
  return runs;
}

const cellsOf = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim().replace(/\*\*/g, '').replace(/\s*<br\s*\/?>\s*/gi, '\n'));

/** The blocks of a filled template. */
export function parseNarrative(text: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const last = blocks.at(-1);
    if (line.startsWith('|')) {
      if (RULE.test(line)) {
        const dashes = cellsOf(line).map((c) => c.replace(/[^-]/g, '').length);
        if (last?.kind === 'table' && last.rows.length === 1 && new Set(dashes).size > 1) last.widths = dashes;
        continue;
      }
      if (last?.kind === 'table') last.rows.push(cellsOf(line));
      else blocks.push({ kind: 'table', rows: [cellsOf(line)] });
      continue;
    }
    const h = /^(#{1,6})\s*(.*)$/.exec(line);
    if (h) {
      const t = h[2]!.replace(/\*\*/g, '').trim();
      if (h[1] === '#') blocks.push({ kind: 'title', text: t });
      else blocks.push({ kind: 'heading', level: levelOf(t, h[1] === '##' ? 1 : 2), text: t });
      continue;
    }
    // The addressee (主送机关) right under the title, flush left: 市信用培植工程推进小组：
    if (last?.kind === 'title' && /^[^，。；、]{2,30}：$/u.test(line)) blocks.push({ kind: 'paragraph', runs: [{ text: line }], flush: true });
    else blocks.push({ kind: 'paragraph', runs: runsOf(line.replace(/^[-*+]\s+/, '')) });
  }
  return blocks;
}

/** The reports of a document, each as blocks ending with its signature. */
export function narrativeBlocks(parts: NarrativePart[], date: string): Block[][] {
  return parts.map((p) => [...parseNarrative(p.text), { kind: 'signature', unit: p.unit, date }]);
}

/** The document as Markdown text: each filled template followed by its unit and date. */
export function narrativeMarkdown(parts: NarrativePart[], date: string): string {
  return parts.map((p) => `${p.text.trimEnd()}\n\n${p.unit}\n${dateInWords(date)}\n`).join('\n');
}

/** The document as the paragraphs of a sheet, one per row: no Markdown left, a table row as 项目：内容. */
export function plainParagraphs(parts: Block[][]): TextSheetSpec['paragraphs'] {
  const out: TextSheetSpec['paragraphs'] = [];
  parts.forEach((blocks, i) => {
    if (i > 0) out.push({ text: '', style: 'body' });
    for (const b of blocks) {
      if (b.kind === 'title') out.push({ text: b.text, style: 'title' });
      else if (b.kind === 'heading') out.push({ text: b.text, style: 'heading' });
      else if (b.kind === 'paragraph') out.push({ text: b.runs.map((r) => r.text).join(''), style: b.flush ? 'plain' : 'body' });
      else if (b.kind === 'table') for (const r of b.rows.slice(1)) out.push({ text: `${r[0]}：${r.slice(1).join('　')}`.replace(/\n/g, '；'), style: 'body' });
      else out.push({ text: '', style: 'body' }, { text: b.unit, style: 'right' }, { text: dateInWords(b.date), style: 'right' });
    }
  });
  return out;
}

/**
 * Fields as a document shows them: dates in words (2024年3月5日), a list of names typed with commas
 * (张三,李四) joined with 、 as Chinese text writes it, a classification letter after its name.
 */
export function documentFields(fields: [string, string][], lists: string[] = ['核查人员']): [string, string][] {
  return fields.map(([k, v]) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return [k, dateInWords(v)];
    if (lists.includes(k)) return [k, v.split(/\s*[,，;；、]\s*/).filter(Boolean).join('、')];
    // An industry with its letter of the national classification (A 农、林、牧、渔业): the letter in brackets.
    const coded = /^([A-Z])\s+(\p{Script=Han}.*)$/u.exec(v);
    if (coded) return [k, `${coded[2]}（${coded[1]}）`];
    return [k, v];
  });
}

