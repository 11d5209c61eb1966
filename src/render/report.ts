/**
 * Rendering report figures: terminal tables, CSV, the statistics workbook, and the narrative reports
 * (quarterly per district, annual summary) from templates/. Every figure column, header and 说明 line comes
 * from the figure table (src/domain/reporting/figure-table.ts; docs/figures.md).
 */
import type { Context } from '../context.js';
import { BANK_NOTE, columnFigures, DETAIL_NOTE, figuresOf, GROUPS, PART_LABEL, RANKING_RULES, REPORT_NOTES, runsOf, type BankFigures, type EnterpriseAtEnd, type FigureDef, type Figures, type OtherLender, type RankRow, type RowKind } from '../domain/reporting/index.js';
import { CLASS_LABEL, STAGE_LABEL, type CaseClass, type Stage } from '../domain/core/index.js';
import { fillTemplate } from '../domain/intake/index.js';
import { safeText } from './formula.js';
import { narrativeBlocks, plainParagraphs, type NarrativePart } from './narrative.js';
import { renderTable, type CellValue, type Column } from './output.js';
import { writeTableBook, type ColumnKind, type FormSpec, type ImageSheetSpec, type SheetColumn, type SheetSpec } from './xlsx.js';

type Row = Figures['districts'][number] | Figures['total'];
type Value = number | boolean | null | undefined;

const valueOf = (row: object, f: FigureDef): Value => (row as Record<string, Value>)[f.key];

function kindOf(f: FigureDef): ColumnKind {
  return f.unit === '万元' ? 'money' : f.unit === '比率' ? 'rate' : f.unit === '是否' ? 'bool' : 'int';
}

/** Where a district table too wide for the page is split when printed. */
const SECTIONS: Record<string, string> = { recommended: '推荐核查入库', credit_firms: '融资辅导办结' };

/** The figure columns of a district or bank table, from the figure table (annual ones only in annual reports). */
function figureColumns<T extends object>(rows: RowKind, annual: boolean): SheetColumn<T>[] {
  return columnFigures(rows, annual).map((f) => ({
    header: f.label,
    kind: kindOf(f),
    value: (r: T) => (kindOf(f) === 'bool' && valueOf(r, f) === null ? NOT_OWED : valueOf(r, f)),
    ...(f.group ? { group: GROUPS[f.group].label, sub: f.sub } : {}),
    unit: f.unit,
    section: SECTIONS[f.key],
  }));
}

export function districtColumns(annual: boolean): SheetColumn<Row>[] {
  return [{ header: '区域', kind: 'text', value: (r) => r.district }, ...figureColumns<Row>('district', annual)];
}

export function bankColumns(annual: boolean): SheetColumn<BankFigures>[] {
  return [{ header: '金融机构', kind: 'text', value: (b) => b.bank }, ...figureColumns<BankFigures>('bank', annual)];
}

/** A yes/no figure a unit does not owe (月度反馈 of a bank that led no firm that month). */
const NOT_OWED = '无需报送';

const money = (x: number) => x.toFixed(2);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** A figure's value as the terminal shows it. */
function shown(f: FigureDef, v: Value): CellValue {
  const kind = kindOf(f);
  if (kind === 'money') return money(v as number);
  if (kind === 'rate') return pct(v as number | null | undefined);
  if (kind === 'bool') return typeof v === 'string' ? v : v === null || v === undefined ? NOT_OWED : v ? '已报送' : '未报送';
  return v;
}

/** In a 合计 row a yes/no figure (月度反馈) is how many rows say yes, out of the rows that owe it (4/5), as in the workbook. */
const reportedOf = (values: unknown[]) => `${values.filter((v) => v === true).length}/${values.filter((v) => typeof v === 'boolean').length}`;

/** The 合计 row for the terminal: each yes/no figure replaced by its count over the rows. */
function countedTotal<T extends object>(rows: T[], total: T, kind: RowKind, annual: boolean): T {
  const out: Record<string, unknown> = { ...(total as Record<string, unknown>) };
  for (const f of columnFigures(kind, annual)) if (kindOf(f) === 'bool') out[f.key] = reportedOf(rows.map((r) => valueOf(r, f)));
  return out as T;
}

/** Terminal columns: the figures of one group share a column (推荐 本期/累计 shows `3/12`), so the table stays narrow. */
export function terminalColumns<T extends object>(rows: RowKind, annual: boolean): Column<T>[] {
  return runsOf(columnFigures(rows, annual).filter((f) => f.terminal !== false)).map(({ group, figures }) => {
    const [f] = figures as [FigureDef];
    if (group && figures.length > 1) {
      return {
        header: `${GROUPS[group].short} ${figures.map((g) => g.abbr ?? g.sub).join('/')}`,
        value: (r: T) => figures.map((g) => shown(g, valueOf(r, g))).join('/'),
        align: 'right' as const,
      };
    }
    return {
      header: f.short ?? (f.group ? `${GROUPS[f.group].short}${f.sub}` : f.label),
      value: (r: T) => shown(f, valueOf(r, f)),
      align: kindOf(f) === 'bool' ? undefined : ('right' as const),
    };
  });
}

export async function printFigures(ctx: Context, title: string, f: Figures, annual: boolean, ranking?: Ranking): Promise<void> {
  ctx.out(title);
  const rows: Row[] = [...f.districts, countedTotal<Row>(f.districts, f.total, 'district', annual)];
  ctx.out(await renderTable(ctx, rows, [{ header: '区域', value: (r) => r.district }, ...terminalColumns<Row>('district', annual)]));
  const banks = [...f.banks, f.banks_unassigned, countedTotal([...f.banks, f.banks_unassigned], f.banks_total, 'bank', annual)];
  ctx.out(await renderTable(ctx, banks, [{ header: '金融机构', value: (b) => b.bank }, ...terminalColumns<BankFigures>('bank', annual)]));
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

export type Ranking = { districts: RankRow[]; banks: RankRow[] };

/** How a part that does not apply to a unit is shown. */
const NOT_APPLICABLE: Record<string, string> = { satisfaction: '无评价', feedback: NOT_OWED };

/** A ranking table's columns: rank, name, score and each part. */
function rankColumns(list: RankRow[]): SheetColumn<RankRow>[] {
  return [
    { header: '名次', kind: 'int', value: (r) => r.rank },
    { header: '名称', kind: 'text', value: (r) => r.name },
    { header: '得分', kind: 'money', unit: '分', value: (r) => r.score },
    ...Object.keys(list[0]?.parts ?? {}).map((k) => ({ header: PART_LABEL[k] ?? k, kind: 'money' as const, unit: '分', value: (r: RankRow) => r.parts[k] ?? NOT_APPLICABLE[k] ?? null })),
  ];
}

/** The tables of a report, each with its title: the same in the workbook, the CSV and the HTML report. */
export function reportTables(title: string, f: Figures, annual: boolean, ranking?: Ranking): SheetSpec<unknown>[] {
  const tables = [
    { name: '分区域', title, columns: districtColumns(annual), rows: f.districts, total: f.total },
    { name: '金融机构', title: `${title}（金融机构）`, columns: bankColumns(annual), rows: [...f.banks, f.banks_unassigned], total: f.banks_total },
  ] as SheetSpec<unknown>[];
  if (ranking) {
    for (const [name, list] of [['区域通报排名', ranking.districts], ['金融机构通报排名', ranking.banks]] as const) {
      tables.push({ name, title: `${title}（${name}）`, columns: rankColumns(list), rows: list } as SheetSpec<unknown>);
    }
  }
  return tables;
}

/**
 * Every table of the report as CSV (UTF-8 with BOM, as Excel in China expects): districts with 合计, banks
 * with 合计 and, for an annual report, both rankings, each under its title line, separated by an empty line.
 */
export function figuresCsv(title: string, f: Figures, annual: boolean, ranking?: Ranking): string {
  const blocks = reportTables(title, f, annual, ranking).map((t) => {
    const rows = t.total === undefined ? t.rows : [...t.rows, t.total];
    const line = (r: unknown) =>
      t.columns
        .map((c) => {
          // "3/5" alone would be read as a date (5 March) by Excel and LibreOffice opening the CSV.
          const v = r === t.total && c.kind === 'bool' ? `已报送 ${reportedOf(t.rows.map((x) => c.value(x)))}` : c.value(r);
          return csvField(c.kind === 'money' && typeof v === 'number' ? v.toFixed(2) : v);
        })
        .join(',');
    return [csvField(t.title), t.columns.map((c) => csvField(c.header)).join(','), ...rows.map(line)].join('\r\n');
  });
  return `\ufeff${blocks.join('\r\n\r\n')}\r\n`;
}

const KIND_LABEL = { credit: '授信', disbursement: '放款' } as const;

/** Loans by a bank other than the lead bank: "中国建设银行鄂州分行 放款 100.00 万元（2024-03-05）；…". */
function lendersText(ls: OtherLender[]): string {
  return ls.map((l) => `${l.bank} ${KIND_LABEL[l.kind]} ${money(l.amount)} 万元（${l.date}）`).join('；');
}

export interface BookParts {
  /** The title (鄂州市信用培植工程月报), the period in words (2024年3月) and who hands the report up. */
  title: string;
  period: string;
  form: FormSpec;
  figures: Figures;
  annual: boolean;
  generatedOn: string;
  /** Whether the figures are final; when not, why not (the 说明 says so). */
  status: { final: boolean; warning?: string };
  details?: EnterpriseAtEnd[];
  ranking?: Ranking;
  narrative?: NarrativePart[];
  /** The 图表 sheet, after the tables and the narrative, before 说明. */
  charts?: ImageSheetSpec;
}

export async function writeFiguresBook(path: string, p: BookParts): Promise<void> {
  const f = p.figures;
  const [districts, banks, ...rankings] = reportTables(p.title, f, p.annual, p.ranking).map((t) => ({ ...t, period: p.period }));
  const sheets: SheetSpec<unknown>[] = [districts!, banks!];
  if (p.details) {
    sheets.push({
      name: '企业明细',
      title: `${p.title}（企业明细，期末状态）`,
      period: p.period,
      serial: true,
      total: 'sum',
      columns: [
        { header: '区域', kind: 'text', key: true, value: (r: EnterpriseAtEnd) => r.district },
        { header: '统一社会信用代码', kind: 'text', value: (r: EnterpriseAtEnd) => r.code },
        { header: '企业名称', kind: 'text', key: true, value: (r: EnterpriseAtEnd) => r.name },
        { header: '期末阶段', kind: 'text', value: (r: EnterpriseAtEnd) => STAGE_LABEL[r.stage as Stage] },
        { header: '期末分类', kind: 'text', value: (r: EnterpriseAtEnd) => (r.class ? CLASS_LABEL[r.class as CaseClass] : '') },
        { header: '期末主办行', kind: 'text', value: (r: EnterpriseAtEnd) => r.lead_bank },
        { header: '本期授信（万元）', kind: 'money', value: (r: EnterpriseAtEnd) => r.credit_amount },
        { header: '本期放款（万元）', kind: 'money', value: (r: EnterpriseAtEnd) => r.loan_amount },
        { header: '累计放款（万元）', kind: 'money', value: (r: EnterpriseAtEnd) => r.loan_amount_total },
        { header: '期末未办结辅导事项', kind: 'int', value: (r: EnterpriseAtEnd) => r.coaching_open },
        { header: '其他放贷银行', kind: 'text', wrap: true, value: (r: EnterpriseAtEnd) => lendersText(r.other_lenders) },
      ],
      rows: p.details,
    } as SheetSpec<unknown>);
  }
  sheets.push(...rankings);
  const text = p.narrative ? [{ name: p.annual ? '年度总结' : '季度报告', paragraphs: plainParagraphs(narrativeBlocks(p.narrative, p.generatedOn)) }] : [];
  await writeTableBook(path, [...sheets, ...text, ...(p.charts ? [p.charts] : [])], {
    title: `${p.title}说明`,
    lines: [
      ['报表', p.title],
      ['统计期间', `${f.period}（${f.start} 至 ${f.end}）`],
      ['生成日期', p.generatedOn],
      ['数字状态', p.status.final ? '统计期间已结束、月度反馈报送截止日已过，数字不再变化' : `${p.status.warning}（JSON 中 "final": false）`],
      ...REPORT_NOTES,
      ...columnFigures('district', p.annual).map((fig) => [fig.label, fig.definition] as [string, string]),
      ['金融机构', BANK_NOTE],
      ...(p.details ? [['企业明细', DETAIL_NOTE] as [string, string]] : []),
      ...(p.ranking ? RANKING_RULES : []),
    ],
  }, p.form);
}

/** A figure as a narrative template shows it: amounts with 2 decimals, rates as percentages, absent as 0. */
function placeholderText(f: FigureDef, v: Value): string {
  const kind = kindOf(f);
  return kind === 'money' ? money(v as number) : kind === 'rate' ? pct(v as number | null | undefined) : String(v ?? 0);
}

/** The {{…}} fields of the narrative templates: every figure with a placeholder, two sums, the date. */
function fields(r: Row, generatedOn: string): [string, string][] {
  return [
    ...figuresOf('district', true)
      .filter((f) => f.placeholder)
      .map((f) => [f.placeholder!, placeholderText(f, valueOf(r, f))] as [string, string]),
    ['核查合计', String(r.verified_financing + r.verified_cultivation + r.rejected)],
    ['办结合计', String(r.closed_financed + r.closed_withdrawn)],
    ['生成日期', generatedOn],
  ];
}

/** The quarterly narrative: one report per district, signed by `unit`, from templates/季度工作开展情况报告.md. */
export function quarterlyNarrative(f: Figures, capacity: (code: string) => number, generatedOn: string, unit: (code: string) => string): NarrativePart[] {
  const q = f.period.replace(/^(\d{4})Q(\d)$/, (_m, y, n) => `${y}年第${'一二三四'[Number(n) - 1]}季度`);
  return f.districts.map((d) => ({
    unit: unit(d.code),
    text: fillTemplate('季度工作开展情况报告.md', [
      ['区域', d.district],
      ['期间', q],
      ['起止日期', `${f.start} 至 ${f.end}`],
      ['容量', String(capacity(d.code))],
      ['反馈说明', d.feedback ? '' : '，请及时补报'],
      ...fields(d, generatedOn),
    ]),
  }));
}

export function annualSummary(f: Figures, ranking: Ranking, generatedOn: string): string {
  const list = (rows: RankRow[]) => rows.map((r) => `${r.rank}. ${r.name}：${r.score.toFixed(2)} 分`).join('\n');
  return fillTemplate('年度工作总结.md', [
    ['年度', f.period],
    ['区域排名', list(ranking.districts)],
    ['银行排名', list(ranking.banks)],
    ...fields(f.total, generatedOn),
  ]);
}
