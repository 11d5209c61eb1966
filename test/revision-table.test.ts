/**
 * The 修订说明 of a revised narrative report as a Word table: columns of fixed widths that fit the A4 text
 * width with the figures it moves taking the most room, each figure on a line of its own, the time of
 * recording under its date, set in 五号. (How LibreOffice prints it is checked in render.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { Revision } from '../src/domain/reporting/index.js';
import { docxBytes, PAGE } from '../src/render/docx.js';
import { narrativeBlocks, parseNarrative } from '../src/render/narrative.js';
import { formHtml } from '../src/render/html-form.js';
import { changeText, revisionMarkdown, revisionTable } from '../src/render/report-revisions.js';

const revision: Revision = {
  what: '湖北汇通商贸有限公司的放款（2024-03-20）',
  recorded_at: '2024-06-15 09:30:12.345',
  actor: 'demo_admin',
  org: '中国人民银行鄂州市分行',
  reason: '纸质报送表漏录',
  command: 'loan',
  changes: [
    { table: 'districts', row: '梁子湖区', figure: 'loan_amount', label: '放款金额（万元）', unit: '万元', from: 455, to: 505 },
    { table: 'total', row: '合计', figure: 'loan_amount', label: '放款金额（万元）', unit: '万元', from: 2768, to: 2818 },
  ],
};
const revised = revisionMarkdown({ final: true, mode: 'revised', cutoff: '2024-04-10' }, [revision]);

describe('the 修订说明 table', () => {
  it('reads as a table with widths of its own and a line per figure moved', () => {
    const table = parseNarrative(revised).find((b) => b.kind === 'table');
    expect(table?.kind).toBe('table');
    if (table?.kind !== 'table') return;
    expect(table.rows[0]).toEqual(['序号', '更正内容', '登记时间', '登记人', '理由', '影响的数字（原数 → 修订数）']);
    expect(table.widths).toHaveLength(6);
    expect(Math.max(...table.widths!)).toBe(table.widths![5]);
    expect(table.rows[1]).toEqual([
      '1',
      revision.what,
      '2024-06-15\n09:30:12',
      'demo_admin\n（中国人民银行鄂州市分行）',
      '纸质报送表漏录',
      '分区域·梁子湖区·放款金额（万元）：455.00 → 505.00\n分区域·合计·放款金额（万元）：2768.00 → 2818.00',
    ]);
  });

  it('a table whose rule has dashes of one length keeps widths that follow its text', () => {
    const table = parseNarrative('| 项目 | 内容 |\n|---|---|\n| 所属行业 | 制造业 |').find((b) => b.kind === 'table');
    expect(table).toEqual({ kind: 'table', rows: [['项目', '内容'], ['所属行业', '制造业']] });
  });

  it('is written with fixed column widths filling the text width, in 五号, a paragraph per line', async () => {
    const buf = await docxBytes(narrativeBlocks([{ text: `# 报告\n\n正文。\n${revised}`, unit: '中国人民银行鄂州市分行' }], '2024-06-15'));
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'xypz-rev-')), 'r.docx');
    writeFileSync(file, buf);
    const { zipText } = await import('./zip.js');
    const xml = zipText(file, 'word/document.xml');
    expect(xml).toContain('<w:tblLayout w:type="fixed"/>');
    const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(grid).toHaveLength(6);
    const text = PAGE.width - PAGE.left - PAGE.right;
    expect(grid.reduce((s, w) => s + w, 0)).toBeLessThanOrEqual(text);
    expect(grid.reduce((s, w) => s + w, 0)).toBeGreaterThan(text - 10);
    // 序号 holds its two characters of 五号 (10.5 pt = 210 twips each) besides the cell's margins
    expect(grid[0]).toBeGreaterThanOrEqual(2 * 210 + 160);
    // the date of recording on one line: eight figures of half a character (105 twips) and two hyphens of a third
    expect(grid[2]! - 160).toBeGreaterThanOrEqual(8 * 105 + 2 * 70);
    expect(grid[5]).toBe(Math.max(...grid));
    expect(xml).toContain('<w:pStyle w:val="TableTextSmall"/>');
    // each figure moved is a paragraph of its own
    expect(xml).toMatch(/<w:t[^>]*>分区域·梁子湖区·放款金额（万元）：455\.00 → 505\.00<\/w:t><\/w:r><\/w:p>/);
    expect(xml).toMatch(/<w:t[^>]*>分区域·合计·放款金额（万元）：2768\.00 → 2818\.00<\/w:t>/);
  });

  it('in HTML, wraps its long columns and keeps one figure a line (the browser would otherwise run them off the page)', () => {
    const html = formHtml(revisionTable('修订说明', [revision]), '2024年3月', { unit: '中国人民银行鄂州市分行', date: '2024-06-15' });
    const figures = html.match(/<td class="txt wrap">([^<]*→[^<]*)<\/td>/)?.[1];
    expect(figures?.split('\n')).toEqual(revision.changes.map(changeText));
    expect(figures).toContain('分区域·梁子湖区·放款金额（万元）：455.00 → 505.00');
    expect(html).toContain('<td class="txt wrap">纸质报送表漏录</td>');
    expect(html).toContain('<td class="txt">demo_admin');
  });
});
