/** The narrative templates' plain-text form, read once for Word, sheets and Markdown. */
import { describe, expect, it } from 'vitest';
import { narrativeBlocks, narrativeMarkdown, parseNarrative, plainParagraphs } from '../src/render/narrative.js';

const TEXT = `# 华容区2024年第一季度信用培植工程工作开展情况报告

本季度，华容区推进信用培植工程。

**一、推荐与申报。** 成员部门推荐企业 4 家。

## 二、核查与入库

### 联合核查

## （一）核查情况

- 统一社会信用代码：91420700MA4F000001

| 项目 | 内容 |
|---|---|
| 所属行业 | 制造业 |
| 注册资本（万元） | **300.00** |

其中 **重点** 企业 1 家。
`;

describe('reading a narrative template', () => {
  it('maps titles, numbered headings, lead-ins, lists and tables to blocks without Markdown characters', () => {
    expect(parseNarrative(TEXT)).toEqual([
      { kind: 'title', text: '华容区2024年第一季度信用培植工程工作开展情况报告' },
      { kind: 'paragraph', runs: [{ text: '本季度，华容区推进信用培植工程。' }] },
      { kind: 'paragraph', runs: [{ text: '一、推荐与申报。', level: 1 }, { text: '成员部门推荐企业 4 家。' }] },
      { kind: 'heading', level: 1, text: '二、核查与入库' },
      { kind: 'heading', level: 2, text: '联合核查' },
      { kind: 'heading', level: 2, text: '（一）核查情况' },
      { kind: 'paragraph', runs: [{ text: '统一社会信用代码：91420700MA4F000001' }] },
      { kind: 'table', rows: [['项目', '内容'], ['所属行业', '制造业'], ['注册资本（万元）', '300.00']] },
      { kind: 'paragraph', runs: [{ text: '其中 ' }, { text: '重点', bold: true }, { text: ' 企业 1 家。' }] },
    ]);
  });

  it('signs every report with its unit and the date', () => {
    const parts = narrativeBlocks([{ text: '# 甲\n\n正文', unit: '华容区金融办' }, { text: '# 乙', unit: '鄂城区金融办' }], '2024-04-01');
    expect(parts.map((p) => p.at(-1))).toEqual([
      { kind: 'signature', unit: '华容区金融办', date: '2024-04-01' },
      { kind: 'signature', unit: '鄂城区金融办', date: '2024-04-01' },
    ]);
    expect(narrativeMarkdown([{ text: '# 甲\n\n正文\n', unit: '华容区金融办' }], '2024-04-01')).toBe('# 甲\n\n正文\n\n华容区金融办\n2024年4月1日\n');
  });

  it('as sheet rows: one paragraph each, no #, ** or |, a table row as 项目：内容', () => {
    const rows = plainParagraphs(narrativeBlocks([{ text: TEXT, unit: '华容区金融办' }], '2024-04-01'));
    for (const r of rows) expect(r.text).not.toMatch(/^#|\*\*|\|/);
    expect(rows[0]).toEqual({ text: '华容区2024年第一季度信用培植工程工作开展情况报告', style: 'title' });
    expect(rows).toContainEqual({ text: '一、推荐与申报。成员部门推荐企业 4 家。', style: 'body' });
    expect(rows).toContainEqual({ text: '注册资本（万元）：300.00', style: 'body' });
    expect(rows.slice(-2)).toEqual([{ text: '华容区金融办', style: 'right' }, { text: '2024年4月1日', style: 'right' }]);
  });
});
