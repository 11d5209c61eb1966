/**
 * Rendering report figures: terminal tables, CSV, the statistics workbook, and the narrative reports
 * (quarterly per district, annual summary) from templates/.
 */
import type { Context } from '../context.js';
import { BANK_NOTE, FIGURE_DEFINITIONS, type BankFigures, type DistrictFigures, type EnterpriseAtEnd, type Figures } from '../domain/figures.js';
import type { RankRow } from '../domain/ranking.js';
import { RANKING_RULES } from '../domain/ranking.js';
import { CLASS_LABEL, STAGE_LABEL } from '../domain/stages.js';
import { fillTemplate } from '../domain/verify-report.js';
import type { CaseClass, Stage } from '../store/schema.js';
import { safeText } from './formula.js';
import { renderTable } from './output.js';
import { writeTableBook, type SheetColumn, type SheetSpec } from './xlsx.js';

type Row = Figures['districts'][number] | Figures['total'];

const KIND: Record<string, SheetColumn<Row>['kind']> = { credit_amount: 'money', loan_amount: 'money', loan_amount_total: 'money', feedback: 'bool', satisfaction_rate: 'rate' };

/** Every district column: 区域 then the figures in SPEC order (annual ones only in annual reports). */
export function districtColumns(annual: boolean): SheetColumn<Row>[] {
  const cols: SheetColumn<Row>[] = [{ header: '区域', kind: 'text', value: (r) => r.district }];
  for (const [key, label] of FIGURE_DEFINITIONS) {
    if (!annual && (key === 'service_items' || key === 'ratings' || key === 'satisfaction_rate')) continue;
    cols.push({ header: label, kind: KIND[key] ?? 'int', value: (r) => (r as unknown as Record<string, number | boolean | null>)[key] });
  }
  return cols;
}

export function bankColumns(annual: boolean): SheetColumn<BankFigures>[] {
  const cols: SheetColumn<BankFigures>[] = [
    { header: '金融机构', kind: 'text', value: (b) => b.bank },
    { header: '在库企业数（期末）', kind: 'int', value: (b) => b.active },
    { header: '授信户数', kind: 'int', value: (b) => b.credit_firms },
    { header: '授信金额（万元）', kind: 'money', value: (b) => b.credit_amount },
    { header: '放款户数', kind: 'int', value: (b) => b.loan_firms },
    { header: '放款金额（万元）', kind: 'money', value: (b) => b.loan_amount },
    { header: '首贷户数', kind: 'int', value: (b) => b.first_loan_firms },
    { header: '辅导事项：办结', kind: 'int', value: (b) => b.coaching_done },
    { header: '月度反馈', kind: 'bool', value: (b) => b.feedback },
  ];
  if (annual) {
    cols.push(
      { header: '服务事项处理总量', kind: 'int', value: (b) => b.service_items },
      { header: '满意度评价数', kind: 'int', value: (b) => b.ratings },
      { header: '服务满意率', kind: 'rate', value: (b) => b.satisfaction_rate },
    );
  }
  return cols;
}

const money = (x: number) => x.toFixed(2);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

export async function printFigures(ctx: Context, title: string, f: Figures, annual: boolean, ranking?: { districts: RankRow[]; banks: RankRow[] }): Promise<void> {
  ctx.out(title);
  const rows: Row[] = [...f.districts, f.total];
  ctx.out(
    await renderTable(ctx, rows, [
      { header: '区域', value: (r) => r.district },
      { header: '推荐 本期/累计', value: (r) => `${r.recommended}/${r.recommended_total}`, align: 'right' },
      { header: '申报', value: (r) => r.declared, align: 'right' },
      { header: '核查 融/培', value: (r) => `${r.verified_financing}/${r.verified_cultivation}`, align: 'right' },
      { header: '未入选', value: (r) => r.rejected, align: 'right' },
      { header: '新入库', value: (r) => r.confirmed, align: 'right' },
      { header: '在库', value: (r) => r.active, align: 'right' },
      { header: '空缺', value: (r) => r.vacancies, align: 'right' },
      { header: '主办行', value: (r) => r.assigned, align: 'right' },
      { header: '授信 户/万元', value: (r) => `${r.credit_firms}/${money(r.credit_amount)}`, align: 'right' },
      { header: '放款 户/万元', value: (r) => `${r.loan_firms}/${money(r.loan_amount)}`, align: 'right' },
      { header: '首贷', value: (r) => r.first_loan_firms, align: 'right' },
      { header: '累计放款', value: (r) => money(r.loan_amount_total), align: 'right' },
      { header: '辅导 增/结/未/逾', value: (r) => `${r.coaching_added}/${r.coaching_done}/${r.coaching_open}/${r.coaching_overdue}`, align: 'right' },
      { header: '办结 融资/退出', value: (r) => `${r.closed_financed}/${r.closed_withdrawn}`, align: 'right' },
      { header: '反馈', value: (r) => (r.feedback ? '已报送' : '未报送') },
      ...(annual
        ? [
            { header: '服务事项', value: (r: Row) => r.service_items, align: 'right' as const },
            { header: '满意率', value: (r: Row) => pct(r.satisfaction_rate), align: 'right' as const },
          ]
        : []),
    ]),
  );
  ctx.out(
    await renderTable(ctx, f.banks, [
      { header: '金融机构', value: (b) => b.bank },
      { header: '在库', value: (b) => b.active, align: 'right' },
      { header: '授信 户/万元', value: (b) => `${b.credit_firms}/${money(b.credit_amount)}`, align: 'right' },
      { header: '放款 户/万元', value: (b) => `${b.loan_firms}/${money(b.loan_amount)}`, align: 'right' },
      { header: '首贷', value: (b) => b.first_loan_firms, align: 'right' },
      { header: '辅导办结', value: (b) => b.coaching_done, align: 'right' },
      { header: '反馈', value: (b) => (b.feedback ? '已报送' : '未报送') },
      ...(annual
        ? [
            { header: '服务事项', value: (b: BankFigures) => b.service_items, align: 'right' as const },
            { header: '满意率', value: (b: BankFigures) => pct(b.satisfaction_rate), align: 'right' as const },
          ]
        : []),
    ]),
  );
  if (ranking) {
    for (const [label, list] of [['区域通报排名', ranking.districts], ['金融机构通报排名', ranking.banks]] as const) {
      ctx.out(await renderTable(ctx, list, [
        { header: '名次', value: (r) => r.rank, align: 'right' },
        { header: label, value: (r) => r.name },
        { header: '得分', value: (r) => r.score.toFixed(2), align: 'right' },
      ]));
    }
  }
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? safeText(v) : typeof v === 'boolean' ? (v ? '已报送' : '未报送') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The district table with its 合计 row, as CSV (UTF-8 with BOM, as Excel in China expects). */
export function figuresCsv(f: Figures, annual: boolean): string {
  const cols = districtColumns(annual);
  const lines = [cols.map((c) => csvField(c.header)).join(',')];
  for (const r of [...f.districts, f.total]) {
    lines.push(cols.map((c) => {
      const v = c.value(r);
      return csvField(c.kind === 'money' && typeof v === 'number' ? v.toFixed(2) : v);
    }).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export interface BookParts {
  title: string;
  figures: Figures;
  annual: boolean;
  generatedOn: string;
  details?: EnterpriseAtEnd[];
  ranking?: { districts: RankRow[]; banks: RankRow[] };
  narrative?: string;
}

export async function writeFiguresBook(path: string, p: BookParts): Promise<void> {
  const f = p.figures;
  const sheets: SheetSpec<unknown>[] = [
    { name: '分区域', title: p.title, columns: districtColumns(p.annual), rows: f.districts, total: f.total } as SheetSpec<unknown>,
    { name: '金融机构', title: `${p.title}（金融机构）`, columns: bankColumns(p.annual), rows: f.banks } as SheetSpec<unknown>,
  ];
  if (p.details) {
    sheets.push({
      name: '企业明细',
      title: `${p.title}（企业明细，期末状态）`,
      columns: [
        { header: '区域', kind: 'text', value: (r: EnterpriseAtEnd) => r.district },
        { header: '统一社会信用代码', kind: 'text', value: (r: EnterpriseAtEnd) => r.code },
        { header: '企业名称', kind: 'text', value: (r: EnterpriseAtEnd) => r.name },
        { header: '期末阶段', kind: 'text', value: (r: EnterpriseAtEnd) => STAGE_LABEL[r.stage as Stage] },
        { header: '期末分类', kind: 'text', value: (r: EnterpriseAtEnd) => (r.class ? CLASS_LABEL[r.class as CaseClass] : '') },
        { header: '期末主办行', kind: 'text', value: (r: EnterpriseAtEnd) => r.lead_bank },
        { header: '本期授信（万元）', kind: 'money', value: (r: EnterpriseAtEnd) => r.credit_amount },
        { header: '本期放款（万元）', kind: 'money', value: (r: EnterpriseAtEnd) => r.loan_amount },
        { header: '累计放款（万元）', kind: 'money', value: (r: EnterpriseAtEnd) => r.loan_amount_total },
        { header: '期末未办结辅导事项', kind: 'int', value: (r: EnterpriseAtEnd) => r.coaching_open },
      ],
      rows: p.details,
    } as SheetSpec<unknown>);
  }
  if (p.ranking) {
    const rankSheet = (name: string, list: RankRow[]) =>
      ({
        name,
        title: `${p.title}（${name}）`,
        columns: [
          { header: '名次', kind: 'int', value: (r: RankRow) => r.rank },
          { header: '名称', kind: 'text', value: (r: RankRow) => r.name },
          { header: '得分', kind: 'money', value: (r: RankRow) => r.score },
          ...Object.keys(list[0]?.parts ?? {}).map((k) => ({ header: PART_LABEL[k] ?? k, kind: 'money' as const, value: (r: RankRow) => r.parts[k] })),
        ],
        rows: list,
      }) as SheetSpec<unknown>;
    sheets.push(rankSheet('区域通报排名', p.ranking.districts), rankSheet('金融机构通报排名', p.ranking.banks));
  }
  if (p.narrative) {
    sheets.push({
      name: p.annual ? '年度总结' : '季度报告',
      columns: [{ header: p.annual ? '年度工作总结' : '季度工作开展情况报告', kind: 'text', value: (r: { line: string }) => r.line }],
      rows: p.narrative.split('\n').map((line) => ({ line })),
    } as SheetSpec<unknown>);
  }
  await writeTableBook(path, sheets, {
    lines: [
      ['报表', p.title],
      ['统计期间', `${f.period}（${f.start} 至 ${f.end}）`],
      ['生成日期', p.generatedOn],
      ['金额单位', '万元，保留两位小数；计数为整数'],
      ['统计口径', '各项数据按办理记录中的日期计算：期末状态指统计期间最后一天的状态，与生成报表的日期无关'],
      ...FIGURE_DEFINITIONS.filter(([k]) => p.annual || !['service_items', 'ratings', 'satisfaction_rate'].includes(k)).map(([, label, def]) => [label, def] as [string, string]),
      ['金融机构', BANK_NOTE],
      ...(p.ranking ? RANKING_RULES : []),
    ],
  });
}

const PART_LABEL: Record<string, string> = {
  loan_amount: '放款金额分',
  service_items: '服务事项分',
  pool_filled: '名单在库率分',
  satisfaction: '满意率分',
  feedback: '月度反馈分',
  loan_firms: '放款户数分',
  first_loan_firms: '首贷户数分',
};

function fields(r: DistrictFigures | Figures['total'], generatedOn: string): [string, string][] {
  return [
    ['推荐本期', String(r.recommended)],
    ['推荐累计', String(r.recommended_total)],
    ['超额推荐', String(r.over_quota)],
    ['申报', String(r.declared)],
    ['核查合计', String(r.verified_financing + r.verified_cultivation + r.rejected)],
    ['核查融资类', String(r.verified_financing)],
    ['核查培植类', String(r.verified_cultivation)],
    ['未入选', String(r.rejected)],
    ['新入库', String(r.confirmed)],
    ['在库', String(r.active)],
    ['空缺', String(r.vacancies)],
    ['确定主办行', String(r.assigned)],
    ['授信户数', String(r.credit_firms)],
    ['授信金额', money(r.credit_amount)],
    ['放款户数', String(r.loan_firms)],
    ['放款金额', money(r.loan_amount)],
    ['首贷户数', String(r.first_loan_firms)],
    ['累计放款', money(r.loan_amount_total)],
    ['辅导新增', String(r.coaching_added)],
    ['辅导办结', String(r.coaching_done)],
    ['辅导未办结', String(r.coaching_open)],
    ['辅导逾期', String(r.coaching_overdue)],
    ['办结合计', String(r.closed_financed + r.closed_withdrawn)],
    ['办结获得融资', String(r.closed_financed)],
    ['办结退出', String(r.closed_withdrawn)],
    ['反馈月数', String(r.feedback_months)],
    ['服务事项', String(r.service_items ?? 0)],
    ['评价数', String(r.ratings ?? 0)],
    ['满意率', pct(r.satisfaction_rate)],
    ['生成日期', generatedOn],
  ];
}

/** The quarterly narrative: one section per district, from templates/季度工作开展情况报告.md. */
export function quarterlyNarrative(f: Figures, capacity: (code: string) => number, generatedOn: string): string {
  const q = f.period.replace(/^(\d{4})Q(\d)$/, (_m, y, n) => `${y}年第${'一二三四'[Number(n) - 1]}季度`);
  return f.districts
    .map((d) =>
      fillTemplate('季度工作开展情况报告.md', [
        ['区域', d.district],
        ['期间', q],
        ['起止日期', `${f.start} 至 ${f.end}`],
        ['容量', String(capacity(d.code))],
        ['反馈说明', d.feedback ? '' : '，请及时补报'],
        ...fields(d, generatedOn),
      ]),
    )
    .join('\n');
}

export function annualSummary(f: Figures, ranking: { districts: RankRow[]; banks: RankRow[] }, generatedOn: string): string {
  const list = (rows: RankRow[]) => rows.map((r) => `${r.rank}. ${r.name}：${r.score.toFixed(2)} 分`).join('\n');
  return fillTemplate('年度工作总结.md', [
    ['年度', f.period],
    ['区域排名', list(ranking.districts)],
    ['银行排名', list(ranking.banks)],
    ...fields(f.total, generatedOn),
  ]);
}
