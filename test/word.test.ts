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

  it('holds one report per district, each on a new page, signed by its 金融办, without Markdown', async () => {
    const { doc } = await docx(['report', 'quarterly', '--period', '2024Q1'], '季报.docx');
    const ps = paragraphs(doc);
    const titles = ps.filter((p) => p.style === 'Title');
    expect(titles.map((t) => t.text)).toEqual(['鄂城区', '华容区', '梁子湖区', '葛店经济技术开发区', '临空经济区'].map((d) => `${d}2024年第一季度信用培植工程工作开展情况报告`));
    expect(titles.filter((t) => t.xml.includes('<w:pageBreakBefore/>'))).toHaveLength(4);
    const text = ps.map((p) => p.text).join('\n');
    expect(text).not.toMatch(/#|\*\*|\||\{\{/);
    // the lead-in of a section in 黑体, its text in the body font
    const lead = ps.find((p) => p.text.startsWith('一、推荐与申报。'))!;
    expect(lead.xml).toMatch(/w:eastAsia="黑体"[\s\S]*一、推荐与申报。/);
    const signed = ps.filter((p) => p.style === 'Signature').map((p) => p.text);
    expect(signed).toHaveLength(10);
    expect(signed.slice(0, 2)).toEqual(['鄂城区金融办', '2024年6月15日']);
  });
});

describe('other Word documents', () => {
  it('the annual summary has numbered headings in 黑体 and is signed by the unit that runs the report', async () => {
    const { doc } = await docx(['report', 'annual', '--period', '2023'], '年报.docx');
    const ps = paragraphs(doc);
    expect(ps.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(['一、总体情况', '二、区域通报排名', '三、金融机构通报排名']);
    expect(ps.filter((p) => p.style === 'Signature').map((p) => p.text)).toEqual(['中国人民银行鄂州市分行', '2024年6月15日']);
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
    expect(readFileSync(sb.path('核查报告.md'), 'utf8').trimEnd().split('\n').slice(-2)).toEqual([ps.filter((p) => p.style === 'Signature')[0]!.text, '2024年6月15日']);
  });

  it('a monthly report has no narrative: .docx is refused and nothing is written', async () => {
    const r = await run(['report', 'monthly', '--out', sb.path('m.docx')]);
    expect(r.code).toBe(2);
    expect(existsSync(sb.path('m.docx'))).toBe(false);
  });
});
