/**
 * The charts of a periodic report, as plain data: pure functions of the report's figures (and, for the trend,
 * of the same figures computed month by month). One definition feeds the HTML report (SVG and a table with the
 * same numbers under each chart), the workbook's 图表 sheet (native charts, src/render/xlsx-chart.ts) and `--out chart.svg|png`. Nothing here draws;
 * src/render/charts.ts turns a Chart into SVG.
 */
import type { Figures, RankRow, TrendPoint } from '../domain/reporting/index.js';
import { dateInWords, monthInWords } from '../util/dates.js';

export const CHART_IDS = ['pool', 'amounts', 'trend', 'ranking', 'satisfaction'] as const;
export type ChartId = (typeof CHART_IDS)[number];
/** Charts only an annual report has (the ranking and the satisfaction rate are yearly figures). */
const ANNUAL_ONLY: readonly ChartId[] = ['ranking', 'satisfaction'];

/** The charts a report has, in the order it shows them. */
export function chartIds(annual: boolean): ChartId[] {
  return CHART_IDS.filter((id) => annual || !ANNUAL_ONLY.includes(id));
}

/** How a value is written: 户 counts, 万元 with two decimals, a 0–1 rate as a percentage, a score. */
export type ValueFormat = 'count' | 'money' | 'rate' | 'score';

export interface Series {
  /** Its legend entry and its column in the table. */
  name: string;
  values: (number | null)[];
  format: ValueFormat;
  kind: 'bar' | 'line';
  /** Bars of stacked series of a panel sit on one another. */
  stack?: boolean;
  /** The value axis it is read on (index into the panel's axes). */
  axis?: number;
}

export interface Panel {
  /** A heading inside the chart when it has several panels (分区域, 分金融机构). */
  title?: string;
  /** The first column of the table: 区域, 金融机构, 月份, 名次及名称. */
  categoryLabel: string;
  categories: string[];
  /** Labels on the chart's category axis when shorter than the categories (months). */
  axisLabels?: string[];
  /** Categories down the side, bars across: for long names (banks) and rankings. */
  horizontal: boolean;
  /** The value axes, each with its unit: 户, 万元, %, 分. */
  axes: { unit: string }[];
  series: Series[];
}

export interface Chart {
  id: ChartId;
  title: string;
  panels: Panel[];
}

/** What a report's charts are drawn from. */
export interface ChartInput {
  /** Whose figures: 鄂州市, or the district of a district's report. */
  region: string;
  /** Whether the report covers one district (its charts then name it instead of 各区). */
  oneDistrict: boolean;
  figures: Figures;
  /** The period in words (2024年3月, 2024年第一季度, 2024年度). */
  periodWords: string;
  trend: TrendPoint[];
  ranking?: { districts: RankRow[]; banks: RankRow[] };
}

const UNIT: Record<ValueFormat, string> = { count: '户', money: '万元', rate: '%', score: '分' };

export function unitOf(s: Series): string {
  return UNIT[s.format];
}

/** A value as the table and the data labels show it. */
export function formatValue(v: number | null, format: ValueFormat): string {
  if (v === null) return '—';
  if (format === 'money' || format === 'score') return v.toFixed(2);
  if (format === 'rate') return `${(v * 100).toFixed(1)}%`;
  return String(v);
}

/** The number a chart plots: rates as percentages (the axis is in %). */
export function plotted(v: number | null, format: ValueFormat): number | null {
  return v === null ? null : format === 'rate' ? Math.round(v * 1000) / 10 : v;
}


const districtNames = (f: Figures) => f.districts.map((d) => d.district);
const bankNames = (f: Figures) => f.banks.map((b) => b.bank);

function pool({ figures: f, region, oneDistrict }: ChartInput): Chart {
  return {
    id: 'pool',
    title: `${oneDistrict ? region : '各区'}名单在库企业与空缺（${dateInWords(f.end)}）`,
    panels: [
      {
        categoryLabel: '区域',
        categories: districtNames(f),
        horizontal: false,
        axes: [{ unit: '户' }],
        series: [
          { name: '在库', values: f.districts.map((d) => d.active), format: 'count', kind: 'bar', stack: true },
          { name: '空缺', values: f.districts.map((d) => d.vacancies), format: 'count', kind: 'bar', stack: true },
        ],
      },
    ],
  };
}

function amounts({ figures: f, periodWords, region }: ChartInput): Chart {
  const pair = <T extends { credit_amount: number; loan_amount: number }>(rows: T[]): Series[] => [
    { name: '授信金额', values: rows.map((r) => r.credit_amount), format: 'money', kind: 'bar' },
    { name: '放款金额', values: rows.map((r) => r.loan_amount), format: 'money', kind: 'bar' },
  ];
  return {
    id: 'amounts',
    title: `${region}${periodWords}授信与放款金额`,
    panels: [
      { title: '分区域', categoryLabel: '区域', categories: districtNames(f), horizontal: false, axes: [{ unit: '万元' }], series: pair(f.districts) },
      { title: '分主办行', categoryLabel: '金融机构', categories: bankNames(f), horizontal: true, axes: [{ unit: '万元' }], series: pair(f.banks) },
    ],
  };
}

function trend({ trend: points, region }: ChartInput): Chart {
  const first = points[0]?.month ?? '';
  const last = points.at(-1)?.month ?? '';
  return {
    id: 'trend',
    title: `${region}近 ${points.length} 个月放款金额与在库企业数（${monthInWords(first)}至${monthInWords(last)}）`,
    panels: [
      {
        categoryLabel: '月份',
        categories: points.map((p) => monthInWords(p.month)),
        // The year only where it changes, so twelve labels fit side by side.
        axisLabels: points.map((p, i) => (i === 0 || p.month.endsWith('-01') ? `${Number(p.month.slice(5))}月\n${p.month.slice(0, 4)}年` : `${Number(p.month.slice(5))}月`)),
        horizontal: false,
        axes: [{ unit: '万元' }, { unit: '户' }],
        series: [
          { name: '放款金额', values: points.map((p) => p.loan_amount), format: 'money', kind: 'bar', axis: 0 },
          { name: '在库企业数（月末）', values: points.map((p) => p.active), format: 'count', kind: 'line', axis: 1 },
        ],
      },
    ],
  };
}

/** The ranked units only: a unit not ranked has no score to draw. */
function rankPanel(title: string, all: RankRow[]): Panel {
  const rows = all.filter((r) => r.score !== null);
  return {
    title,
    categoryLabel: '名次及名称',
    categories: rows.map((r) => `${r.rank}. ${r.name}`),
    horizontal: true,
    axes: [{ unit: '分' }],
    series: [{ name: '通报得分', values: rows.map((r) => r.score), format: 'score', kind: 'bar' }],
  };
}

function ranking({ ranking: r, periodWords, region }: ChartInput): Chart {
  return { id: 'ranking', title: `${region}${periodWords}通报排名（满分 100 分）`, panels: [rankPanel('区域', r!.districts), rankPanel('金融机构', r!.banks)] };
}

function satisfaction({ figures: f, periodWords, region }: ChartInput): Chart {
  const rate = (title: string, label: string, names: string[], values: (number | null | undefined)[]): Panel => ({
    title,
    categoryLabel: label,
    categories: names,
    horizontal: true,
    axes: [{ unit: '%' }],
    series: [{ name: '服务满意率', values: values.map((v) => v ?? null), format: 'rate', kind: 'bar' }],
  });
  return {
    id: 'satisfaction',
    title: `${region}${periodWords}服务满意率`,
    panels: [
      rate('分区域', '区域', districtNames(f), f.districts.map((d) => d.satisfaction_rate)),
      rate('分主办行', '金融机构', bankNames(f), f.banks.map((b) => b.satisfaction_rate)),
    ],
  };
}

const BUILD: Record<ChartId, (c: ChartInput) => Chart> = { pool, amounts, trend, ranking, satisfaction };

/** Every chart of a report, in the order the report shows them (the yearly ones only with a ranking). */
export function reportCharts(input: ChartInput): Chart[] {
  return chartIds(input.ranking !== undefined).map((id) => BUILD[id](input));
}

/** One chart of a report (`--chart`, whose choices are chartIds of the report's kind). */
export function reportChart(input: ChartInput, id: ChartId): Chart {
  return BUILD[id](input);
}
