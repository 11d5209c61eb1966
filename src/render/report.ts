/**
 * Rendering report figures: terminal tables, CSV, the statistics workbook, and the narrative reports
 * (quarterly per district, annual summary) from templates/. Every figure column, header and 说明 line comes
 * from the figure table (src/domain/reporting/figure-table.ts; docs/figures.md).
 */
import type { Context } from '../context.js';
import { BANK_NOTE, columnFigures, DETAIL_NOTE, figuresOf, GROUPS, NOT_RANKED, PART_LABEL, RANKING_RULES, REPORT_NOTES, runsOf, SPAN_WORD, type BankFigures, type EnterpriseAtEnd, type FigureDef, type Figures, type OtherLender, type RankRow, type ReportStatus, type Revision, type RowKind } from '../domain/reporting/index.js';
import { CLASS_LABEL, STAGE_LABEL, type CaseClass, type Stage } from '../domain/core/index.js';
import { fillTemplate } from '../domain/intake/index.js';
import { spanInWords } from '../util/dates.js';
import { safeText } from './formula.js';
import { narrativeBlocks, plainParagraphs, type NarrativePart } from './narrative.js';
import { renderTable, type CellValue, type Column } from './output.js';
import { revisionNote, revisionTable } from './report-revisions.js';
import { writeTableBook, type ChartSheetSpec, type ColumnKind, type FormSpec, type SheetColumn, type SheetSpec } from './xlsx.js';
import { percent } from '../util/rates.js';

type Row = Figures['districts'][number] | Figures['total'];
type Value = number | boolean | null | undefined;

const valueOf = (row: object, f: FigureDef): Value => (row as Record<string, Value>)[f.key];

function kindOf(f: FigureDef): ColumnKind {
  return f.unit === '万元' ? 'money' : f.unit === '比率' ? 'rate' : f.unit === '是否' ? 'bool' : 'int';
}

/** Where a district or bank table too wide for the page is split when printed: each section in parts of its own, named after it. */
const SECTIONS: Record<RowKind, Record<string, string>> = {
  district: { recommended: '推荐核查入库', credit_firms: '授信放款', coaching_added: '辅导办结' },
  bank: { active: '在库融资', coaching_done: '辅导反馈' },
};

/** The figure columns of a district or bank table, from the figure table (annual ones only in annual reports). */
function figureColumns<T extends object>(rows: RowKind, annual: boolean): SheetColumn<T>[] {
  return columnFigures(rows, annual).map((f) => ({
    header: f.label,
    kind: kindOf(f),
    value: (r: T) => (valueOf(r, f) === null && kindOf(f) === 'bool' ? NOT_OWED : valueOf(r, f) === null && kindOf(f) === 'rate' ? NO_RATING : valueOf(r, f)),
    ...(f.group ? { group: GROUPS[f.group].label, sub: f.sub } : {}),
    unit: f.unit,
    section: SECTIONS[rows][f.key],
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

/** A satisfaction rate without any rating. */
const NO_RATING = '无评价';

const money = (x: number) => x.toFixed(2);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? NO_RATING : percent(x));

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
/** The feedback 合计 in words, for the CSV: 已报送 3 家/应报送 5 家; 无需报送 when no row owed one. */
function reportedInWords(values: unknown[]): string {
  const owed = values.filter((v) => typeof v === 'boolean').length;
  return owed === 0 ? '无需报送' : `已报送 ${values.filter((v) => v === true).length} 家/应报送 ${owed} 家`;
}

/** The 合计 row for the terminal: each yes/no figure replaced by its count over the rows. */
function countedTotal<T extends object>(rows: T[], total: T, kind: RowKind, annual: boolean): T {
  const out: Record<string, unknown> = { ...(total as Record<string, unknown>) };
  for (const f of columnFigures(kind, annual)) if (kindOf(f) === 'bool') out[f.key] = reportedOf(rows.map((r) => valueOf(r, f)));
  return out as T;
}

/** Terminal columns: the figures of one group share a column (推荐 本期/本年累计 shows `3/12`), so the table stays narrow. */
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
  const banks = [...f.banks, f.banks_unassigned, f.banks_other, countedTotal([...f.banks, f.banks_unassigned, f.banks_other], f.banks_total, 'bank', annual)];
  ctx.out(await renderTable(ctx, banks, [{ header: '金融机构', value: (b) => b.bank }, ...terminalColumns<BankFigures>('bank', annual)]));
  if (ranking) {
    for (const [label, list] of [['区域通报排名', ranking.districts], ['金融机构通报排名', ranking.banks]] as const) {
      ctx.out(await renderTable(ctx, list, [
        { header: '名次', value: (r) => r.rank ?? NOT_RANKED, align: 'right' },
        { header: label, value: (r) => r.name },
        { header: '得分', value: (r) => scoreText(r), align: 'right' },
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
const NOT_APPLICABLE: Record<string, string> = { satisfaction: NO_RATING, feedback: NOT_OWED };

/** A score as shown: two decimals, or — for a unit not ranked (no score, not 0). */
const scoreText = (r: RankRow) => (r.score === null ? '—' : r.score.toFixed(2));

/** A ranking table's columns: rank, name, score and each part (a unit not ranked: 不参加排名, no score). */
function rankColumns(list: RankRow[]): SheetColumn<RankRow>[] {
  return [
    { header: '名次', kind: 'int', value: (r) => r.rank ?? NOT_RANKED },
    { header: '名称', kind: 'text', value: (r) => r.name },
    { header: '得分', kind: 'money', unit: '分', value: (r) => r.score },
    ...Object.keys(list[0]?.parts ?? {}).map((k) => ({ header: PART_LABEL[k] ?? k, kind: 'money' as const, unit: '分', value: (r: RankRow) => r.parts[k] ?? NOT_APPLICABLE[k] ?? null })),
  ];
}

/**
 * The tables of a report, each with its title: the same in the workbook, the CSV and the HTML report; a revised
 * report's (with `revisions`) end with the 修订说明.
 */
export function reportTables(title: string, f: Figures, annual: boolean, ranking?: Ranking, revisions?: Revision[]): SheetSpec<unknown>[] {
  const tables = [
    { name: '分区域', title, columns: districtColumns(annual), rows: f.districts, total: f.total },
    { name: '金融机构', title: `${title}（金融机构）`, columns: bankColumns(annual), rows: [...f.banks, f.banks_unassigned, f.banks_other], total: f.banks_total },
  ] as SheetSpec<unknown>[];
  if (ranking) {
    for (const [name, list] of [['区域通报排名', ranking.districts], ['金融机构通报排名', ranking.banks]] as const) {
      tables.push({ name, title: `${title}（${name}）`, columns: rankColumns(list), rows: list } as SheetSpec<unknown>);
    }
  }
  if (revisions) tables.push(revisionTable(title, revisions));
  return tables;
}

/**
 * Every table of the report as CSV (UTF-8 with BOM, as Excel in China expects): districts with 合计, banks
 * with 合计 and, for an annual report, both rankings, each under its title line, separated by an empty line.
 */
export function figuresCsv(title: string, f: Figures, annual: boolean, ranking?: Ranking, revisions?: Revision[]): string {
  const blocks = reportTables(title, f, annual, ranking, revisions).map((t) => {
    const rows = t.total === undefined ? t.rows : [...t.rows, t.total];
    const line = (r: unknown) =>
      t.columns
        .map((c) => {
          // "3/5" alone would be read as a date (5 March) by Excel and LibreOffice opening the CSV, and "已报送 3/5"
          // as if all had reported: the 合计 says how many reported of how many owed
          const v = r === t.total && c.kind === 'bool' ? reportedInWords(t.rows.map((x) => c.value(x))) : c.value(r);
          // amounts with two decimals; rates as a person reads them, a percentage with one decimal (JSON keeps 0–1)
          return csvField(c.kind === 'money' && typeof v === 'number' ? v.toFixed(2) : c.kind === 'rate' && typeof v === 'number' ? pct(v) : v);
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
  /** Whether the figures are final; when not, why not (the 说明 says so); published or revised. */
  status: ReportStatus;
  /** The corrections of a final period (a revised report adds the 修订说明 sheet). */
  revisions: Revision[];
  details?: EnterpriseAtEnd[];
  ranking?: Ranking;
  narrative?: NarrativePart[];
  /** The 图表 sheet, after the tables and the narrative, before 说明. */
  charts?: ChartSheetSpec;
}

/** What the 说明 says of the figures: preliminary (why), published (as of the cut-off) or revised. */
export function statusText(s: ReportStatus): string {
  if (!s.final) return `${s.warning}（JSON 中 "final": false）`;
  if (s.mode === 'revised') return `统计期间已结束，本表为修订数：含月度反馈报送截止日（${s.cutoff}）以后登记的更正`;
  return '统计期间已结束、月度反馈报送截止日已过，数字不再变化';
}

export async function writeFiguresBook(path: string, p: BookParts): Promise<void> {
  const f = p.figures;
  const revised = p.status.mode === 'revised';
  const [districts, banks, ...rankings] = reportTables(p.title, f, p.annual, p.ranking, revised ? p.revisions : undefined).map((t) => ({ ...t, period: p.period }));
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
        { header: `${p.annual ? '本年' : '本期'}授信（万元）`, kind: 'money', value: (r: EnterpriseAtEnd) => r.credit_amount },
        { header: `${p.annual ? '本年' : '本期'}放款（万元）`, kind: 'money', value: (r: EnterpriseAtEnd) => r.loan_amount },
        { header: `${SPAN_WORD[p.annual ? 'since_start' : 'ytd']}放款（万元）`, kind: 'money', value: (r: EnterpriseAtEnd) => r.loan_amount_cumulative },
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
      ['数字状态', statusText(p.status)],
      ...(revisionNote(p.status, p.revisions) ? [['修订', revisionNote(p.status, p.revisions)!] as [string, string]] : []),
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

/** The {{…}} fields of the narrative templates: every figure of the report's kind with a placeholder, two sums, the date. */
function fields(r: Row, generatedOn: string, annual: boolean): [string, string][] {
  return [
    ...figuresOf('district', annual)
      .filter((f) => f.placeholder)
      .map((f) => [f.placeholder!, placeholderText(f, valueOf(r, f))] as [string, string]),
    ['核查合计', String(r.verified_financing + r.verified_cultivation + r.rejected)],
    ['办结合计', String(r.closed_financed + r.closed_withdrawn)],
    ['生成日期', generatedOn],
  ];
}

const NUMBER_WORDS = '一二三四五六七八九十';

/** What a unit's next step paper is written from: its own figures at the end of the period. */
interface Standing {
  /** 本区 or 全市. */
  subject: string;
  quarter: boolean;
  capacity: number;
  active: number;
  vacancies: number;
  overdue: number;
  open: number;
  /** Months the unit owed (feedback_owed) without the monthly feedback on time. */
  missingMonths: number;
  /** Units (the city's districts) that missed a month. */
  missingUnits: string[];
  loanFirms: number;
}

function standing(r: Row, capacity: number, subject: string, quarter: boolean, missingUnits: string[] = []): Standing {
  return {
    subject,
    quarter,
    capacity,
    active: r.active,
    vacancies: Math.max(0, capacity - r.active),
    overdue: r.coaching_overdue,
    open: r.coaching_open,
    missingMonths: Math.max(0, r.feedback_owed - r.feedback_months),
    missingUnits,
    loanFirms: r.loan_firms,
  };
}

/**
 * 下一步工作 from the unit's own figures: the vacancies of its list, its overdue and open coaching items,
 * the monthly feedback it missed, and how many of its listed firms got a loan. Units whose figures differ
 * read differently; nothing is asked that the figures show done.
 */
function nextSteps(s: Standing): string {
  const when = s.quarter ? '本季度' : '本年';
  const steps: string[] = [];
  if (s.vacancies > 0) steps.push(`补足名单空缺，目前尚有${s.vacancies}个空缺，组织成员部门推荐企业并及时核查入库`);
  else steps.push(`保持名单满额（容量${s.capacity}家），企业办结或退出后及时补充`);
  if (s.overdue > 0) steps.push(`督促承办单位办结逾期的${s.overdue}项辅导事项${s.open > s.overdue ? `，跟踪其余${s.open - s.overdue}项按期办结` : ''}`);
  else if (s.open > 0) steps.push(`跟踪未办结的${s.open}项辅导事项，确保按期办结`);
  else steps.push('在库企业提出新的辅导需求时及时交办');
  if (s.missingUnits.length > 0) steps.push(`督促${s.missingUnits.join('、')}补报${when}缺报的月度反馈`);
  else if (s.missingMonths > 0) steps.push(`补报${when}缺报的${s.missingMonths}个月月度反馈，今后按月按时报送`);
  if (s.active === 0) steps.push(`推动主办行对新入库企业开展授信放款，${when}获得放款的企业${s.loanFirms}家`);
  else if (s.loanFirms === 0) steps.push(`推动主办行对在库企业授信放款，${when}在库的${s.active}家企业尚无一家获得放款`);
  // 放款户数 is a flow (firms that left the list during the period included) and 在库 a stock at its end: the
  // sentence states both and claims no share of one in the other
  else if (s.loanFirms * 2 < s.active) steps.push(`提高融资获得率，${when}获得放款的企业${s.loanFirms}家，期末在库企业${s.active}家，推动主办行加快授信放款，培植类企业尽快转为融资类`);
  else steps.push(`保持放款进度（${when}获得放款的企业${s.loanFirms}家，期末在库企业${s.active}家），推动培植类企业尽快转为融资类`);
  const said = steps.map((t, i) => `${NUMBER_WORDS[i]}是${t}`).join('；');
  return `下一步，${s.subject}将重点做好${NUMBER_WORDS[steps.length - 1]}方面工作：${said}。`;
}

const quarterWords = (period: string) => period.replace(/^(\d{4})Q(\d)$/, (_m, y, n) => `${y}年第${'一二三四'[Number(n) - 1]}季度`);

/** A district's quarterly report, from templates/季度工作开展情况报告.md, signed by `unit`. */
export function quarterlyDistrictReport(f: Figures, d: Figures['districts'][number], capacity: number, generatedOn: string, unit: string): NarrativePart {
  const missing = Math.max(0, d.feedback_owed - d.feedback_months);
  return {
    unit,
    text: fillTemplate('季度工作开展情况报告.md', [
      ['区域', d.district],
      ['期间', quarterWords(f.period)],
      ['起止日期', spanInWords(f.start, f.end)],
      ['容量', String(capacity)],
      ['反馈情况', missing ? `本季度应报${d.feedback_owed}个月，按时报送${d.feedback_months}个月，缺报${missing}个月。` : `本季度${d.feedback_owed}个月的月度反馈均已按时报送。`],
      ['下一步工作', nextSteps(standing(d, capacity, '本区', true))],
      ...fields(d, generatedOn, false),
    ]),
  };
}

/** The city's own quarterly report to the 推进小组, from templates/全市季度工作开展情况报告.md, signed by `unit`. */
export function quarterlyCityReport(f: Figures, capacity: (code: string) => number, generatedOn: string, unit: string): NarrativePart {
  const total = f.districts.reduce((s, d) => s + capacity(d.code), 0);
  const late = f.districts.filter((d) => d.feedback_months < d.feedback_owed).map((d) => d.district);
  const each = f.districts.map((d) => {
    const v = Math.max(0, capacity(d.code) - d.active);
    return `${d.district}季末在库${d.active}家、空缺${v}个，本季度放款${d.loan_firms}户、${money(d.loan_amount)}万元，逾期辅导事项${d.coaching_overdue}项`;
  });
  return {
    unit,
    text: fillTemplate('全市季度工作开展情况报告.md', [
      ['期间', quarterWords(f.period)],
      ['起止日期', spanInWords(f.start, f.end)],
      ['容量', String(total)],
      ['各区情况', `${each.join('；')}。`],
      ['反馈情况', late.length ? `本季度${late.join('、')}的月度反馈有缺报，其余各区均已按时报送。` : '本季度各区的月度反馈均已按时报送。'],
      ['下一步工作', nextSteps({ ...standing(f.total, total, '全市', true, late), vacancies: f.districts.reduce((s, d) => s + Math.max(0, capacity(d.code) - d.active), 0) })],
      ...fields(f.total, generatedOn, false),
    ]),
  };
}

const rankTable = (what: string, rows: RankRow[]) => [`| 名次 | ${what} | 得分 |`, '|---|---|---|', ...rows.map((r) => `| ${r.rank ?? NOT_RANKED} | ${r.name} | ${scoreText(r)} |`)].join('\n');

/**
 * The annual summary, from templates/年度工作总结.md: the city's (with both rankings as tables) or a
 * district's (with its own place in the districts' ranking), signed by `unit`.
 */
export function annualSummary(f: Figures, ranking: Ranking, capacity: (code: string) => number, generatedOn: string, unit: string, district?: Figures['districts'][number]): NarrativePart {
  const year = f.period.slice(0, 4);
  if (district) {
    const own = ranking.districts.find((r) => r.name === district.district);
    const cap = capacity(district.code);
    return {
      unit,
      text: fillTemplate('年度工作总结.md', [
        ['区域', district.district],
        ['年度', year],
        ['范围', '全区'],
        ['通报排名', own?.rank != null && own.score !== null ? `在全市${ranking.districts.filter((r) => r.rank !== null).length}个区的通报排名中，本区得分${own.score.toFixed(2)}分，列第${own.rank}位。` : `本区没有参加本年度的通报排名${own?.reason ? `（${own.reason}）` : ''}。`],
        ['下一步工作', nextSteps(standing(district, cap, '本区', false))],
        ...fields(district, generatedOn, true),
      ]),
    };
  }
  const total = f.districts.reduce((s, d) => s + capacity(d.code), 0);
  const late = f.districts.filter((d) => d.feedback_months < d.feedback_owed).map((d) => d.district);
  return {
    unit,
    text: fillTemplate('年度工作总结.md', [
      ['区域', '鄂州市'],
      ['年度', year],
      ['范围', '全市'],
      ['通报排名', `### （一）区域通报排名\n\n${rankTable('区域', ranking.districts)}\n\n### （二）金融机构通报排名\n\n${rankTable('金融机构', ranking.banks)}`],
      ['下一步工作', nextSteps({ ...standing(f.total, total, '全市', false, late), vacancies: f.districts.reduce((s, d) => s + Math.max(0, capacity(d.code) - d.active), 0) })],
      ...fields(f.total, generatedOn, true),
    ]),
  };
}
