/**
 * docs/figures.md, written from the figure table (src/domain/reporting/figure-table.ts) by `npm run docs`; a test fails
 * when the file and the table disagree.
 */
import { BANK_NOTE, DETAIL_NOTE, FIGURES, GROUPS, RANKING_RULES, REPORT_NOTES, TOTAL_RULE_TEXT, type FigureDef } from '../domain/reporting/index.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

function applies(f: FigureDef): string {
  const rows = f.rows.map((r) => (r === 'district' ? '区域' : '金融机构')).join('、');
  const notes = [f.annual ? '仅年报' : '', f.column === false ? '不作为表格列（JSON 和文字报告中有）' : '', f.terminal === false ? '终端表格不显示' : ''];
  return [rows, ...notes.filter(Boolean)].join('；');
}

export function figuresMarkdown(): string {
  const figures: readonly FigureDef[] = FIGURES;
  const lines = [
    '# 报表指标',
    '',
    '<!-- 本文件由 `npm run docs` 根据 src/domain/reporting/figure-table.ts 生成，请勿手工修改。 -->',
    '',
    '月报、季报和年报（`xypz report monthly|quarterly|annual`）的每一项指标。JSON、CSV、Excel 报表的列、“说明”工作表和终端表格都由同一张指标表生成，' +
      '因此这里的名称、单位和定义与报表中看到的完全一致（终端表格为了宽度，把同一分组的指标合在一列，如“推荐 本期/累计”显示为 3/12，并略去个别指标）。' +
      '“本期”指统计期间（月报为该月，季报为该季度，年报为该年），“期末”指统计期间的最后一天。',
    '',
    ...REPORT_NOTES.map(([k, v]) => `- ${k}：${v}。`),
    '',
    '## 指标一览',
    '',
    '| JSON 键 | 名称 | 表头分组 | 单位 | 适用 | 合计行 |',
    '|---|---|---|---|---|---|',
    ...figures.map((f) =>
      `| \`${f.key}\` | ${cell(f.label)} | ${f.group ? `${GROUPS[f.group].label} → ${f.sub}` : ''} | ${f.unit} | ${applies(f)} | ${TOTAL_RULE_TEXT[f.total]} |`,
    ),
    '',
    '## 定义',
    '',
    ...figures.map((f) => `- **${f.label}**（\`${f.key}\`）：${f.definition}。`),
    '',
    '## 合计行',
    '',
    '分区域表和金融机构表的最后一行“合计”按每项指标的合计方式得出（金融机构表的合计含“未确定主办行”行）：',
    '',
    ...Object.entries(TOTAL_RULE_TEXT).map(([rule, text]) => `- ${text}：${figures.filter((f) => f.total === rule).map((f) => f.label).join('、')}。`),
    '',
    '## 金融机构',
    '',
    `${BANK_NOTE}金融机构表只有“适用”中含金融机构的指标。`,
    '',
    '## 企业明细',
    '',
    `${DETAIL_NOTE}。JSON 的 \`other_lenders\` 同样列出本期由发放当天主办行以外的银行发放的每一笔授信、放款（区域、企业、当天的主办行、放贷银行、类型、金额、日期）。`,
    '',
    '## 输出',
    '',
    '- JSON：`period`、`start`、`end`、`final`（数字是否已最终确定）、`districts`、`banks`、`banks_unassigned`（“未确定主办行”行）、`banks_total`（金融机构合计行，含“未确定主办行”行，等于分区域合计）、`total`（分区域合计行）、`other_lenders`（由发放当天主办行以外的银行发放的授信、放款），年报另有 `ranking`。',
    '- CSV：报表的全部表格（分区域、金融机构，年报另有区域和金融机构通报排名），每张表前一行是表名，表与表之间空一行。',
    '',
    '## 年度通报排名',
    '',
    ...RANKING_RULES.map(([k, v]) => `- ${k}：${v}。`),
    '',
    '## 修改指标',
    '',
    '指标表在 `src/domain/reporting/figure-table.ts`（`FIGURES`，每项指标一行；需要新的计数时在 `src/store/figures.ts` 的查询中加一列）。' +
      '改动后运行 `npm run docs` 重新生成本文件；本文件与指标表不一致时测试失败。',
    '',
  ];
  return lines.join('\n');
}
