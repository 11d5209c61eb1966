/**
 * Draws a Chart (src/render/chart-data.ts) as SVG with Apache ECharts' server-side renderer: no browser and no
 * DOM. ECharts is imported only here, lazily (it takes ~0.4 s to load), so start-up is unchanged.
 *
 * The same chart always gives the same bytes: fixed sizes, no animation, and ECharts' ids and classes, which
 * depend on what the process drew before, renamed after the chart (which also keeps the ids of several charts
 * in one HTML page apart).
 *
 * Printed in black and white the series stay apart: a dark and a light colour, the light one hatched, and a
 * line drawn over bars.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { formatValue, plotted, type Chart, type Panel, type Series } from './chart-data.js';

export const CHART_WIDTH = 800;
/** The text font: the office PC's YaHei first, then the fonts of macOS and Linux. */
export const CHART_FONT = "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";

const DARK = '#1f4e79';
const LIGHT = '#f4b183';
const HATCH = { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: 'rgba(110, 50, 0, 0.45)' };
const LINE = '#b0281f';
const BAR_UNDER_LINE = '#a9c8e8';
const TEXT = '#333333';

const TITLE_H = 44;
const LEGEND_H = 30;
const PANEL_TITLE_H = 26;
/** Room above a vertical panel for the unit of its value axis (a horizontal panel has it at the right end). */
const AXIS_NAME_H = 26;
const VERTICAL_H = 230;
const ROW_H = 30;
/** The grid holds its axis labels: the category labels under a vertical panel (two lines for the months), the values under a horizontal one. */
const LABELS_VERTICAL = 46;
const LABELS_HORIZONTAL = 24;
/** Room for the unit under a horizontal panel's axis. */
const UNIT_BELOW = 28;
const GAP = 24;

/** The height of a panel's grid: the plot and its axis labels (without its title and unit). */
function gridHeight(p: Panel): number {
  return p.horizontal ? Math.max(2, p.categories.length) * ROW_H + LABELS_HORIZONTAL : VERTICAL_H + LABELS_VERTICAL;
}

function hasLegend(c: Chart): boolean {
  return c.panels.some((p) => p.series.length > 1);
}

/** Where each panel's plot area sits, and the chart's height. */
export function chartLayout(c: Chart): { tops: number[]; height: number } {
  let y = TITLE_H + (hasLegend(c) ? LEGEND_H : 0);
  const tops: number[] = [];
  c.panels.forEach((p, i) => {
    if (i > 0) y += GAP;
    y += (p.title ? PANEL_TITLE_H : 0) + (p.horizontal ? 8 : AXIS_NAME_H);
    tops.push(y);
    y += gridHeight(p) + (p.horizontal ? UNIT_BELOW : 0);
  });
  return { tops, height: y + 8 };
}

function colourOf(p: Panel, s: Series, i: number): { color: string; decal?: typeof HATCH } {
  if (s.kind === 'line') return { color: LINE };
  if (p.series.some((x) => x.kind === 'line')) return { color: BAR_UNDER_LINE };
  return i % 2 === 0 ? { color: DARK } : { color: LIGHT, decal: HATCH };
}

/** A data label: the value as the table writes it, 0 included (an empty bar is a value, not missing data); 无评价 for a missing rate. */
function labelText(s: Series) {
  return (x: { dataIndex: number }) => {
    const v = s.values[x.dataIndex] ?? null;
    return v === null ? '无评价' : formatValue(v, s.format);
  };
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** Room kept between two labels, and around each for the real font being a little wider than ECharts' estimate. */
const LABEL_GAP = 3;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Every data label stays shown and none covers another: labels are placed in drawing order, and one that
 * would cover a label already placed moves along its bar's value direction (up, or right on a chart with bars
 * across) until it is clear. ECharts' own moveOverlap shifts all labels of a chart along one axis as if
 * they stood in one column, and hideOverlap hides values.
 */
function labelPlacer(horizontalSeries: boolean[]) {
  const placed = new Map<string, Rect>();
  return (p: { seriesIndex: number; dataIndex: number; labelRect: Rect }) => {
    const key = `${p.seriesIndex}:${p.dataIndex}`;
    const r = { x: p.labelRect.x - LABEL_GAP, y: p.labelRect.y - LABEL_GAP / 2, width: p.labelRect.width + 2 * LABEL_GAP, height: p.labelRect.height + LABEL_GAP };
    const others = [...placed].filter(([k]) => k !== key).map(([, v]) => v);
    const across = horizontalSeries[p.seriesIndex] === true;
    let dx = 0;
    let dy = 0;
    for (let i = 0; i < 100; i++) {
      const at = { ...r, x: r.x + dx, y: r.y + dy };
      const hit = others.find((o) => overlap(at, o));
      if (!hit) break;
      if (across) dx = hit.x + hit.width - r.x;
      else dy = hit.y - (r.y + r.height);
    }
    placed.set(key, { ...r, x: r.x + dx, y: r.y + dy });
    return dx !== 0 || dy !== 0 ? { dx, dy } : {};
  };
}

/** The ECharts option of a chart: one grid per panel, stacked top to bottom. */
function optionOf(c: Chart): Record<string, unknown> {
  const { tops } = chartLayout(c);
  const grids: unknown[] = [];
  const titles: unknown[] = [{ text: c.title, left: 'center', top: 10, textStyle: { fontSize: 17, fontWeight: 'bold', color: TEXT } }];
  const xAxes: unknown[] = [];
  const yAxes: unknown[] = [];
  const series: unknown[] = [];
  const across: boolean[] = [];
  const place = labelPlacer(across);
  c.panels.forEach((p, pi) => {
    const top = tops[pi]!;
    if (p.title) titles.push({ text: p.title, left: 24, top: top - (p.horizontal ? 8 : AXIS_NAME_H) - PANEL_TITLE_H + 2, textStyle: { fontSize: 14, fontWeight: 'bold', color: TEXT } });
    grids.push({ left: 24, right: p.axes.length > 1 ? 24 : 64, top, height: gridHeight(p), containLabel: true });
    const category = {
      type: 'category',
      gridIndex: pi,
      data: p.categories,
      inverse: p.horizontal, // the first category at the top
      axisTick: { alignWithLabel: true },
      axisLabel: {
        color: TEXT,
        fontSize: 12,
        interval: 0,
        ...(p.axisLabels ? { formatter: (_: string, i: number) => p.axisLabels![i] ?? '' } : {}),
      },
    };
    const values = p.axes.map((a, ai) => ({
      type: 'value',
      gridIndex: pi,
      // Across the page the unit goes under the axis, clear of the bars' value labels.
      name: p.horizontal ? `单位：${a.unit}` : a.unit,
      nameLocation: p.horizontal ? 'middle' : 'end',
      nameGap: p.horizontal ? 26 : 15,
      nameTextStyle: { color: TEXT, fontSize: 12 },
      position: p.horizontal ? undefined : ai === 0 ? 'left' : 'right',
      splitLine: { show: ai === 0, lineStyle: { color: '#e3e3e3' } },
      axisLabel: { color: TEXT, fontSize: 12 },
      ...(a.unit === '%' ? { max: 100 } : {}),
      minInterval: a.unit === '户' ? 1 : undefined,
    }));
    const base = { x: xAxes.length, y: yAxes.length };
    if (p.horizontal) {
      xAxes.push(...values);
      yAxes.push(category);
    } else {
      xAxes.push(category);
      yAxes.push(...values);
    }
    p.series.forEach((s, si) => {
      const { color, decal } = colourOf(p, s, si);
      const inside = s.stack === true;
      const position = s.kind === 'line' ? 'top' : inside ? 'inside' : p.horizontal ? 'right' : 'top';
      across.push(p.horizontal);
      series.push({
        type: s.kind,
        name: s.name,
        xAxisIndex: p.horizontal ? base.x + (s.axis ?? 0) : base.x,
        yAxisIndex: p.horizontal ? base.y : base.y + (s.axis ?? 0),
        // A missing value is an empty bar, so that its label can say why. The label of an empty stacked
        // segment sits above it, outside the bar: dark, not white.
        data: s.values.map((v) => ({ value: plotted(v, s.format) ?? 0, ...(inside && !v ? { label: { color: TEXT, position: 'top' } } : {}) })),
        labelLayout: place,
        stack: s.stack ? `panel${pi}` : undefined,
        barMaxWidth: p.horizontal ? 18 : 44,
        barGap: '15%',
        itemStyle: { color, ...(decal ? { decal } : {}), borderColor: s.kind === 'bar' ? '#555555' : undefined, borderWidth: s.kind === 'bar' ? 0.5 : undefined },
        lineStyle: s.kind === 'line' ? { color, width: 2.5 } : undefined,
        symbol: 'circle',
        symbolSize: 7,
        emphasis: { disabled: true },
        label: {
          show: true,
          position,
          formatter: labelText(s),
          fontSize: 11,
          color: inside && color === DARK ? '#ffffff' : TEXT,
          // Where a line crosses bars, every label sits on white, so that the line does not strike through it.
          ...(p.series.some((x) => x.kind === 'line') ? { backgroundColor: 'rgba(255,255,255,0.8)', padding: [1, 2] } : {}),
        },
      });
    });
  });
  const names = [...new Set(c.panels.flatMap((p) => (p.series.length > 1 ? p.series.map((s) => s.name) : [])))];
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT },
    title: titles,
    legend: names.length ? { top: TITLE_H - 4, data: names, itemWidth: 22, itemHeight: 12, textStyle: { color: TEXT, fontSize: 12 } } : undefined,
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  };
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * ECharts names the ids and classes of an SVG after its instance (zr0-, zr1-, …) and numbers its classes across
 * all charts of the process: both depend on what was drawn before. They are renamed after the chart and
 * numbered from 0 in the order they first appear.
 */
function stableIds(svg: string, id: string): string {
  const prefix = `xypz-${id}-`;
  const renamed = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/\bzr\d+-([a-z]+-?)(\d+)/g, (token: string, kind: string) => {
    let name = renamed.get(token);
    if (name === undefined) {
      const n = counts.get(kind) ?? 0;
      counts.set(kind, n + 1);
      name = `${prefix}${kind}${n}`;
      renamed.set(token, name);
    }
    return name;
  });
}

type Echarts = typeof import('./chart-echarts.js');

/**
 * ECharts with V8's code cache. Compiling ECharts (1.4 MB) and then the functions that drawing a chart calls took
 * about 70 ms of CPU in every process that draws one (~80 ms to load of ~175 ms for load and one chart): Node 20
 * keeps no code cache for ES modules, but a classic script takes one. The build writes ECharts
 * (src/render/chart-echarts.ts) once more as a classic script, dist/echarts.js, which defines the global
 * ECHARTS_GLOBAL (kept local here), and V8's code cache of it after drawing sample charts, dist/echarts.cache (writeEchartsCache).
 * A cache V8 does not accept (another Node) is ignored and the script compiled as any; without dist/echarts.js
 * (src/ under test) the bundled module is imported.
 */
const ECHARTS_SCRIPT = 'echarts.js';
const ECHARTS_CACHE = 'echarts.cache';
const ECHARTS_GLOBAL = 'xypzEcharts';

/** dist/, where this module runs from dist/ (a chunk in dist/chunks/ or an entry in dist/) and the build wrote the script. */
function scriptDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [here, dirname(here)].find((dir) => existsSync(join(dir, ECHARTS_SCRIPT)));
}

function runScript(dir: string, cachedData?: Buffer): { echarts: Echarts; script: Script } {
  const file = join(dir, ECHARTS_SCRIPT);
  // In a function, so that the script's `var xypzEcharts` stays out of the global scope.
  const script = new Script(`(function () {\n${readFileSync(file, 'utf8')}\nreturn ${ECHARTS_GLOBAL};\n})`, { filename: file, cachedData });
  const echarts = (script.runInThisContext() as () => Echarts)();
  return { echarts, script };
}

let echartsLoaded: Promise<Echarts> | undefined;

function loadEcharts(): Promise<Echarts> {
  echartsLoaded ??= (async () => {
    const dir = scriptDir();
    if (!dir) return import('./chart-echarts.js');
    const cache = join(dir, ECHARTS_CACHE);
    return runScript(dir, existsSync(cache) ? readFileSync(cache) : undefined).echarts;
  })();
  return echartsLoaded;
}

/** Charts with every kind of part the reports' charts have: bars up and across, hatched, stacked, a line on a second axis, legends, panel titles. */
function sampleCharts(): Chart[] {
  const categories = ['鄂城区', '华容区', '梁子湖区', '临空经济区', '葛店开发区'];
  const values = (k: number) => categories.map((_, i) => ((i + k) * 37) % 90 + 10);
  const money = (name: string, k: number): Series => ({ name, values: values(k), format: 'money', kind: 'bar' });
  return [
    {
      id: 'amounts',
      title: '授信与放款金额',
      panels: [
        { title: '分区域', categoryLabel: '区域', categories, horizontal: false, axes: [{ unit: '万元' }], series: [money('授信金额', 1), money('放款金额', 2)] },
        { title: '分金融机构', categoryLabel: '金融机构', categories, horizontal: true, axes: [{ unit: '万元' }], series: [money('授信金额', 3), money('放款金额', 4)] },
      ],
    },
    {
      id: 'trend',
      title: '逐月趋势',
      panels: [
        {
          categoryLabel: '月份',
          categories: ['2024年1月', '2024年2月', '2024年3月'],
          axisLabels: ['1月', '2月', '3月'],
          horizontal: false,
          axes: [{ unit: '户' }, { unit: '%' }],
          series: [
            { name: '培植户数', values: [3, 0, 5], format: 'count', kind: 'bar', stack: true },
            { name: '新增户数', values: [1, null, 2], format: 'count', kind: 'bar', stack: true },
            { name: '融资率', values: [0.5, null, 0.75], format: 'rate', kind: 'line', axis: 1 },
          ],
        },
      ],
    },
  ];
}

/**
 * Build time: V8's code cache of dist/echarts.js after drawing the sample charts with it, written to
 * dist/echarts.cache (`dir`: dist/, where the build wrote the script).
 */
export async function writeEchartsCache(dir: string): Promise<void> {
  const { echarts, script } = runScript(dir);
  echartsLoaded = Promise.resolve(echarts);
  try {
    for (const c of sampleCharts()) await chartSvg(c);
  } finally {
    echartsLoaded = undefined;
  }
  writeFileSync(join(dir, ECHARTS_CACHE), script.createCachedData());
}

/** The chart as an SVG document (fixed size, the same bytes for the same chart). */
export async function chartSvg(c: Chart): Promise<string> {
  const echarts = await loadEcharts();
  const { height } = chartLayout(c);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height });
  try {
    chart.setOption(optionOf(c));
    return stableIds(chart.renderToSVGString(), c.id).replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(c.title)}" data-chart="${c.id}" `);
  } finally {
    chart.dispose();
  }
}
