/**
 * The wording of every narrative the tool writes (Word documents, Markdown, the report sheets), as Chinese
 * official text is written: dates in words (2024年1月1日至3月31日), no space between Chinese characters and
 * numbers, Chinese punctuation, titles broken only between words, a 下一步工作 written from each unit's own
 * figures, and no reader sent to a worksheet.
 */
import ExcelJS from 'exceljs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerWords } from '../src/render/sheet-layout.js';
import { as, demoSandbox, type Sandbox } from './helpers.js';
import { zipText } from './zip.js';

let sb: Sandbox;
const run = async (args: string[]) => {
  const r = await sb.run(args, as('demo_admin'));
  if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
  return r;
};

/** Each narrative by file name: its paragraphs, a title's lines kept apart. */
const texts = new Map<string, string[]>();
const titles = new Map<string, string[]>();

function docxParagraphs(path: string): { paragraphs: string[]; title: string[] } {
  const xml = zipText(path, 'word/document.xml');
  const ps = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => p);
  const textOf = (p: string) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  const title = ps.find((p) => p.includes('w:val="Title"'))!;
  return { paragraphs: ps.map(textOf).filter(Boolean), title: title.split('<w:br/>').map(textOf) };
}

beforeAll(async () => {
  sb = await demoSandbox();
  const dir = sb.path('docs');
  await run(['report', 'quarterly', '--period', '2024Q1', '--out', `${dir}/`]);
  await run(['report', 'annual', '--period', '2023', '--out', `${dir}/`]);
  const list = (await run(['enterprise', 'list', '--json'])).json() as { code: string; stage: string }[];
  await run(['verify', 'report', list.find((c) => c.stage === 'assigned')!.code, '--out', join(dir, '核查报告.docx')]);
  for (const f of readdirSync(dir)) {
    const { paragraphs, title } = docxParagraphs(join(dir, f));
    texts.set(f, paragraphs);
    titles.set(f, title);
  }
  await run(['report', 'quarterly', '--period', '2024Q1', '--district', '华容区', '--out', sb.path('华容区季报.md')]);
  await run(['report', 'annual', '--period', '2023', '--out', sb.path('年报.md')]);
  for (const f of ['华容区季报.md', '年报.md']) texts.set(f, readFileSync(sb.path(f), 'utf8').split('\n').filter(Boolean));
  await run(['report', 'quarterly', '--period', '2024Q1', '--out', sb.path('季报.xlsx')]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(sb.path('季报.xlsx'));
  const sheet: string[] = [];
  wb.getWorksheet('季度报告')!.eachRow((row) => sheet.push(String(row.getCell(1).value ?? '')));
  texts.set('季报.xlsx（季度报告）', sheet.filter(Boolean));
}, 180_000);
afterAll(() => sb?.cleanup());

const HAN = '\\p{Script=Han}';
const RULES: [string, RegExp][] = [
  ['ISO date', /\d{4}-\d{1,2}-\d{1,2}/],
  ['space between Chinese and a number or letter', new RegExp(`[${HAN}（）] +[0-9A-Za-z]|[0-9A-Za-z%] +[${HAN}（）]`, 'u')],
  ['space between Chinese characters', new RegExp(`[${HAN}] +[${HAN}]`, 'u')],
  ['ASCII punctuation in Chinese text', new RegExp(`[${HAN}][,;:!?()]|[,;:!?()][${HAN}]`, 'u')],
];

describe('the wording of every narrative', () => {
  it('writes dates in words, no spaces around numbers, Chinese punctuation', () => {
    expect(texts.size).toBeGreaterThanOrEqual(16);
    const found: string[] = [];
    for (const [file, paragraphs] of texts) {
      for (const p of paragraphs) for (const [rule, re] of RULES) if (re.test(p)) found.push(`${file}：${rule}：${p}`);
    }
    expect(found).toEqual([]);
    expect(texts.get('鄂州市2024年第一季度工作开展情况报告.docx')!.join('')).toContain('本季度（2024年1月1日至3月31日）');
  });

  it('breaks titles only between words', () => {
    for (const [file, lines] of titles) {
      const words = headerWords(lines.join(''));
      const bounds = new Set(words.map((_, i) => words.slice(0, i).join('').length));
      let at = 0;
      for (const line of lines.slice(0, -1)) expect(bounds.has((at += line.length)), `${file}：${lines.join(' / ')}`).toBe(true);
    }
  });

  it('writes each district’s 下一步工作 from its own figures: different figures never read alike', async () => {
    const q = (await run(['report', 'quarterly', '--period', '2024Q1', '--json'])).json() as { districts: { district: string; active: number; vacancies: number; coaching_overdue: number; coaching_open: number; feedback_months: number; loan_firms: number }[] };
    const next = (d: string) => texts.get(`${d}2024年第一季度工作开展情况报告.docx`)!.find((p) => p.startsWith('七、下一步工作。'))!;
    const seen = new Map<string, string>();
    for (const d of q.districts) {
      const text = next(d.district);
      const figures = JSON.stringify([d.active, d.vacancies, d.coaching_overdue, d.coaching_open, d.feedback_months, d.loan_firms]);
      for (const [other, otherFigures] of seen) if (otherFigures !== figures) expect(text, `${d.district} ${figures} / ${other} ${otherFigures}: ${text}`).not.toBe(next(other));
      seen.set(d.district, figures);
      // Nothing asked that the figures show done.
      if (d.coaching_overdue === 0) expect(text).not.toContain('逾期');
      else expect(text).toContain(`办结逾期的${d.coaching_overdue}项辅导事项`);
      if (d.feedback_months === 3) expect(text).not.toContain('补报');
    }
  });

  it('the quarterly 辅导培植 paragraph counts the items ended with their firm apart from those closed', async () => {
    const c = (await run(['report', 'quarterly', '--period', '2024Q1', '--json'])).json() as { total: Record<string, number>; districts: Record<string, number | string>[] };
    const says = (d: Record<string, number | string>) =>
      `本季度新增辅导事项${d.coaching_added}项，办结${d.coaching_done}项，随企业办结终止${d.coaching_ended}项；季末未办结${d.coaching_open}项，其中逾期${d.coaching_overdue}项。`;
    const paragraph = (file: string) => texts.get(file)!.find((p) => p.startsWith('四、辅导培植。'))!;
    expect(paragraph('鄂州市2024年第一季度工作开展情况报告.docx')).toBe(`四、辅导培植。${says(c.total)}`);
    for (const d of c.districts) expect(paragraph(`${d.district}2024年第一季度工作开展情况报告.docx`)).toBe(`四、辅导培植。${says(d)}`);
    expect(texts.get('华容区季报.md')!.join('')).toContain(says(c.districts.find((d) => d.district === '华容区')!));
  });

  it('the annual summary sends no reader to a worksheet', () => {
    for (const [file, paragraphs] of texts) if (file.includes('工作总结') || file === '年报.md') expect(paragraphs.join('')).not.toMatch(/工作表|Excel|\.xlsx/);
  });
});
