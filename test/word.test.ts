/**
 * Narrative reports as Word documents, read back from the .docx XML: A4 portrait with the official margins,
 * the styles (title 二号 小标宋, body 三号 仿宋 on a fixed 28 pt line with a two-character indent, headings in
 * 黑体 and 楷体), page numbers “— 1 —”, the text free of Markdown, each report signed by its unit.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, demoSandbox, type Sandbox } from './helpers.js';
import { zipNames, zipText } from './zip.js';

let sb: Sandbox;
const run = (args: string[]) => sb.run(args, as('demo_admin'));

beforeAll(async () => {
  sb = await demoSandbox();
}, 120_000);
afterAll(() => sb.cleanup());

async function docx(args: string[], name: string) {
  const path = sb.path(name);
  const r = await run([...args, '--out', path]);
  expect(r.code, r.stderr).toBe(0);
  return { path, doc: zipText(path, 'word/document.xml'), styles: zipText(path, 'word/styles.xml') };
}

/** Each paragraph's style and text. */
function paragraphs(xml: string) {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? '',
    text: [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''),
    xml: p,
  }));
}

/** A style's definition in styles.xml. */
const style = (xml: string, id: string) => new RegExp(`<w:style [^>]*w:styleId="${id}"[\\s\\S]*?</w:style>`).exec(xml)?.[0] ?? '';

describe('the quarterly report as a Word document', () => {
  it('is A4 portrait with the official margins, and page numbers centred as — 1 —', async () => {
    const { path, doc } = await docx(['report', 'quarterly', '--period', '2024Q1'], '季报.docx');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(doc).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    const margin = /<w:pgMar ([^>]*)\/>/.exec(doc)![1]!;
    expect(margin).toContain('w:top="2098"'); // 37 mm
    expect(margin).toContain('w:bottom="1985"'); // 35 mm
    expect(margin).toContain('w:left="1588"'); // 28 mm
    const footer = zipNames(path).find((n) => /^word\/footer\d*\.xml$/.test(n))!;
    const f = zipText(path, footer);
    expect(f).toMatch(/<w:jc w:val="center"\/>/);
    // “— ”, the page number field, “ —”
    expect(f).toMatch(/>— <\/w:t>[\s\S]*<w:instrText[^>]*>PAGE<\/w:instrText>[\s\S]*> —<\/w:t>/);
  });

  it('sets title, body and headings in the official fonts and sizes', async () => {
    const { styles } = await docx(['report', 'quarterly', '--period', '2024Q1'], '季报.docx');
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)![0];
    expect(defaults).toContain('w:eastAsia="仿宋"');
    expect(defaults).toContain('<w:sz w:val="32"/>'); // 三号
    expect(defaults).toMatch(/<w:spacing w:line="560" w:lineRule="exact"\/>/); // fixed 28 pt
    expect(defaults).toContain('w:firstLine="640"'); // two characters
    const title = style(styles, 'Title');
    expect(title).toContain('w:eastAsia="方正小标宋简体"');
    expect(title).toContain('<w:sz w:val="44"/>'); // 二号
    expect(title).toContain('<w:jc w:val="center"/>');
    expect(style(styles, 'Heading1')).toContain('w:eastAsia="黑体"');
    expect(style(styles, 'Heading2')).toContain('w:eastAsia="楷体"');
  });

  it('is the city’s own report to the 推进小组, signed by the PBOC office, without Markdown', async () => {
    const { doc } = await docx(['report', 'quarterly', '--period', '2024Q1'], '季报.docx');
    const ps = paragraphs(doc);
    const titles = ps.filter((p) => p.style === 'Title');
    expect(titles.map((t) => t.text)).toEqual(['鄂州市2024年第一季度信用培植工程工作开展情况报告']);
    // the addressee flush left under the title
    const to = ps[ps.indexOf(titles[0]!) + 1]!;
    expect(to.text).toBe('市信用培植工程推进小组：');
    expect(to.xml).toContain('w:firstLine="0"');
    const text = ps.map((p) => p.text).join('\n');
    expect(text).not.toMatch(/#|\*\*|\||\{\{/);
    expect(text).toContain('六、各区情况。');
    const lead = ps.find((p) => p.text.startsWith('一、推荐与申报。'))!;
    expect(lead.xml).toMatch(/w:eastAsia="黑体"[\s\S]*一、推荐与申报。/);
    // a final period's report is dated its publication day: 2024Q1's cut-off is 2024-04-10
    expect(ps.filter((p) => p.style === 'Signature').map((p) => p.text)).toEqual(['中国人民银行鄂州市分行', '2024年4月11日']);
  });

  it('a district’s report is its own document, signed by its 金融办', async () => {
    const { doc } = await docx(['report', 'quarterly', '--period', '2024Q1', '--district', '华容区'], '华容区季报.docx');
    const ps = paragraphs(doc);
    expect(ps.filter((p) => p.style === 'Title').map((t) => t.text)).toEqual(['华容区2024年第一季度信用培植工程工作开展情况报告']);
    expect(doc).not.toContain('<w:pageBreakBefore/>');
    expect(ps.filter((p) => p.style === 'Signature').map((p) => p.text)).toEqual(['华容区金融办', '2024年4月11日']);
  });

  it('breaks a long title only between words, into lines of balanced length', async () => {
    const { doc } = await docx(['report', 'quarterly', '--period', '2024Q1', '--district', '葛店开发区'], '葛店季报.docx');
    const title = paragraphs(doc).find((p) => p.style === 'Title')!;
    const lines = title.xml.split('<w:br/>').map((part) => [...part.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('葛店经济技术开发区2024年第一季度信用培植工程工作开展情况报告');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
    // never inside a word: each break falls between two words of the title
    const words = new Intl.Segmenter('zh', { granularity: 'word' });
    let at = 0;
    const bounds = new Set([...words.segment(lines.join(''))].map((w) => w.index));
    for (const line of lines.slice(0, -1)) expect(bounds.has((at += line.length))).toBe(true);
  });
});

describe('other Word documents', () => {
  it('the annual summary has numbered headings in 黑体 and is signed by the unit that runs the report', async () => {
    const { doc } = await docx(['report', 'annual', '--period', '2023'], '年报.docx');
    const ps = paragraphs(doc);
    expect(ps.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(['一、总体情况', '二、通报排名', '三、下一步工作']);
    expect(ps.filter((p) => p.style === 'Heading2').map((p) => p.text)).toEqual(['（一）区域通报排名', '（二）金融机构通报排名']);
    expect(ps.map((p) => p.text).join('')).not.toMatch(/工作表|Excel|xlsx/);
    expect(ps.filter((p) => p.style === 'Signature').map((p) => p.text)).toEqual(['中国人民银行鄂州市分行', '2024年1月11日']);
    const district = await docx(['report', 'annual', '--period', '2023', '--district', '华容区'], '华容区年报.docx');
    expect(paragraphs(district.doc).filter((p) => p.style === 'Signature')[0]!.text).toBe('华容区金融办');
  });

  it('the 核查报告 has its figures as a real table, and the .md the same text with the signature', async () => {
    const list = (await run(['enterprise', 'list', '--json'])).json() as { code: string; stage: string; name: string }[];
    const c = list.find((x) => x.stage === 'assigned')!;
    const { doc } = await docx(['verify', 'report', c.code], '核查报告.docx');
    const ps = paragraphs(doc);
    expect(ps.find((p) => p.style === 'Title')!.text).toBe(`${c.name}核查报告`);
    expect(doc).toContain('<w:tbl>');
    expect(doc).toContain('<w:tblHeader/>');
    expect(ps.map((p) => p.text)).toContain('注册资本（万元）');
    expect(ps.map((p) => p.text).join('')).not.toMatch(/\||\*\*|#/);
    const md = await run(['verify', 'report', c.code, '--out', sb.path('核查报告.md')]);
    expect(md.code).toBe(0);
    // Dated by the verification, not by the day it is printed; dates and lists written as Chinese text.
    const verified = /核查日期：(\d{4}年\d{1,2}月\d{1,2}日)/.exec(ps.map((p) => p.text).join('\n'))![1]!;
    expect(verified).not.toBe('2024年6月15日');
    expect(ps.filter((p) => p.style === 'Signature').map((p) => p.text)[1]).toBe(verified);
    expect(ps.map((p) => p.text).join('')).not.toMatch(/\d{4}-\d{2}-\d{2}|[\p{Script=Han}（）][,;:]|[,;:][\p{Script=Han}]/u);
    expect(readFileSync(sb.path('核查报告.md'), 'utf8').trimEnd().split('\n').slice(-2)).toEqual([ps.filter((p) => p.style === 'Signature')[0]!.text, verified]);
  });

  it('a monthly report has no narrative: .docx is refused and nothing is written', async () => {
    const r = await run(['report', 'monthly', '--out', sb.path('m.docx')]);
    expect(r.code).toBe(2);
    expect(existsSync(sb.path('m.docx'))).toBe(false);
  });
});
