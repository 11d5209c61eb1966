/** How tables are laid out on A4 before anything is written: header lines, widths, parts, orientation. */
import { describe, expect, it } from 'vitest';
import { FIGURES, GROUPS } from '../src/domain/reporting/figure-table.js';
import {
  headerLines,
  headerWords,
  MAX_WIDTH,
  MIN_PRINTED_PT,
  orientationFor,
  planTable,
  printedSize,
  PRINTABLE,
  splitColumns,
  textWidth,
  type LayoutColumn,
} from '../src/render/sheet-layout.js';
import { lineCount, wrapText } from '../src/util/wrap.js';

/** Breaks that would cut a word in two: 申报企业/数, 主办/行, 月/度反馈 … */
const CUT = ['企业|数', '主办|行', '未办|结', '授|信', '月|度', '满意|度', '开发|区', '评价|数', '处理|总', '首|贷', '户|数', '金|额'];
const cuts = (lines: string[]) => lines.slice(1).some((l, i) => CUT.some((c) => {
  const [a, b] = c.split('|') as [string, string];
  return lines[i]!.endsWith(a) && l.startsWith(b);
}));

const col = (header: string, extra: Partial<LayoutColumn> = {}): LayoutColumn => ({ header, wraps: false, cells: ['12'], ...extra });

describe('header lines', () => {
  it('break only between words: a lone character stays with its word, a bracket stays whole', () => {
    expect(headerWords('申报企业数')).toEqual(['申报', '企业数']);
    expect(headerWords('在库企业数（期末）')).toEqual(['在库', '企业数', '（期末）']);
    expect(headerWords('确定主办行')).toEqual(['确定', '主办行']);
    expect(headerWords('首贷户数')).toEqual(['首贷户数']);
    expect(headerWords('7、注册资本（万元）')).toEqual(['7、注册', '资本', '（万元）']);
  });

  it('no label of the figure table, group or sub-header is cut inside a word at any data width', () => {
    const labels = [...FIGURES.flatMap((f) => [f.label, ...('sub' in f ? [f.sub] : [])]), ...Object.values(GROUPS).map((g) => g.label)];
    for (const label of labels) {
      for (const floor of [0, 2, 4, 6, 8]) {
        const lines = headerLines(label, 3, floor);
        expect(lines.join(''), label).toBe(label);
        expect(cuts(lines), `${label}: ${lines.join(' / ')}`).toBe(false);
        expect(lines.some((l) => /^[：、，）]/.test(l)), `${label}: ${lines.join(' / ')}`).toBe(false);
      }
    }
    expect(headerLines('申报企业数', 3)).toEqual(['申报', '企业数']);
    expect(headerLines('累计放款金额（万元）', 2)).toEqual(['累计放款', '金额（万元）']);
    expect(headerLines('累计放款金额（万元）', 3)).toEqual(['累计', '放款金额', '（万元）']);
  });

  it('a header over wide data stays on one line; an explicit line break is kept', () => {
    expect(headerLines('区域', 3, 18)).toEqual(['区域']);
    expect(headerLines('统一社会信用代码', 3, 24)).toEqual(['统一社会信用代码']);
    expect(headerLines('办结\n结果', 3)).toEqual(['办结', '结果']);
  });
});

describe('columns, groups and the header rows', () => {
  it('groups get the upper header row; a column outside any group spans both rows', () => {
    const plan = planTable([col('区域', { cells: ['葛店经济技术开发区'] }), col('本期', { group: '推荐企业数' }), col('累计', { group: '推荐企业数' }), col('申报企业数')]);
    expect(plan.headerRows).toBe(2);
    expect(plan.groups).toEqual([{ from: 1, to: 2, label: ['推荐企业数'] }]);
    expect(plan.columns[0]!.header).toEqual(['区域']);
    expect(plan.columns[3]!.header).toEqual(['申报', '企业数']);
    // the group's label fits over its two columns
    expect(plan.columns[1]!.width + plan.columns[2]!.width).toBeGreaterThanOrEqual(10);
  });

  it('long text wraps at a limit; short names never do', () => {
    const name = '湖北省鄂州市某某某某某某某某某某有限责任公司';
    const [wide] = planTable([col('企业名称', { wraps: true, cells: [name] })], 30).columns;
    const [narrow] = planTable([col('企业名称', { wraps: true, cells: [name] })], 16).columns;
    expect(narrow!.width).toBeLessThan(wide!.width);
    const [district] = planTable([col('区域', { wraps: true, cells: ['葛店经济技术开发区'] })], 16).columns;
    expect(district!.width).toBeGreaterThanOrEqual(planTable([col('区域', { cells: ['葛店经济技术开发区'] })]).columns[0]!.width);
  });
});

describe('parts and orientation', () => {
  const many = (n: number, extra: (i: number) => Partial<LayoutColumn> = () => ({})) => Array.from({ length: n }, (_, i) => col(`指标${i}`, extra(i)));

  it('a table that prints readably on landscape A4 stays whole', () => {
    const cols = [col('区域', { key: true }), ...many(10)];
    expect(splitColumns(cols, cols.map(() => 10))).toEqual([cols.map((_, i) => i)]);
  });

  it('a wider one splits between sections, each part repeating the key columns and fitting the page', () => {
    const cols = [col('区域', { key: true }), ...many(24, (i) => (i === 0 ? { section: '推荐核查入库' } : i === 12 ? { section: '融资辅导办结' } : {}))];
    const widths = cols.map(() => 10);
    const parts = splitColumns(cols, widths);
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p[0])).toEqual([0, 0]);
    expect(parts[0]!.slice(1)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(cols[parts[1]![1]!]!.section).toBe('融资辅导办结');
    for (const p of parts) expect(p.reduce((s, i) => s + widths[i]!, 0)).toBeLessThanOrEqual(MAX_WIDTH);
  });

  it('never splits a group between parts', () => {
    const cols = [col('区域', { key: true }), ...many(30, (i) => ({ group: `组${Math.floor(i / 3)}` }))];
    const parts = splitColumns(cols, cols.map(() => 9));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      const groups = p.slice(1).map((i) => cols[i]!.group);
      for (const g of new Set(groups)) expect(groups.filter((x) => x === g)).toHaveLength(3);
    }
  });

  it('portrait when the table fits a portrait page; the printed text is never below MIN_PRINTED_PT within MAX_WIDTH', () => {
    expect(orientationFor(PRINTABLE.portrait)).toBe('portrait');
    expect(orientationFor(PRINTABLE.portrait * 1.2)).toBe('landscape');
    expect(printedSize(MAX_WIDTH, 'landscape')).toBeCloseTo(MIN_PRINTED_PT);
    expect(printedSize(PRINTABLE.landscape, 'landscape')).toBe(11);
  });
});

describe('counting wrapped lines', () => {
  it('gives as many lines as wrapping the text does, for every width', () => {
    // names, amounts with units, punctuation that binds, Latin words, spaces of every kind, line breaks, a wide symbol
    const alphabet = ['鄂', '州', '第', '公', '司', '0', '3', '9', 'A', 'Z', 'b', 'x', ' ', ' ', '\u3000', '\t', '，', '。', '（', '）', '「', '」', '%', '.', '-', '\n', '😀', '万', '元'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const samples = ['', ' ', '第003洋澜水产养殖有限公司第21分公司', '约 90 家企业、30 天', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij'];
    for (let k = 0; k < 400; k++) samples.push(Array.from({ length: Math.floor(next() * 60) }, () => alphabet[Math.floor(next() * alphabet.length)]!).join(''));
    let wrapped = 0;
    for (const text of samples) {
      for (let width = 0; width <= 42; width += 0.5) {
        const lines = wrapText(text, width, textWidth).length;
        if (lines > 1) wrapped++;
        expect(lineCount(text, width, textWidth), JSON.stringify({ text, width })).toBe(lines);
      }
    }
    expect(wrapped).toBeGreaterThan(1000);
  });
});
