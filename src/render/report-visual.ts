/**
 * The report's pictures as files: the HTML report and one chart as .svg or .png. Every chart is drawn once as
 * SVG (src/render/charts.ts); a PNG is made from that same SVG. (The workbook's 图表 sheet holds charts the
 * spreadsheet program draws: src/render/xlsx-chart.ts.)
 */
import { writeFileSync } from 'node:fs';
import type { Chart } from './chart-data.js';
import { svgToPngs, type CjkFont, CJK_FONTS } from './chart-png.js';
import { chartSvg } from './charts.js';
import { writeFileAtomic } from './files.js';
import { reportHtml, type HtmlReportParts } from './html-report.js';

export interface DrawnChart {
  chart: Chart;
  svg: string;
}

export async function drawCharts(charts: Chart[]): Promise<DrawnChart[]> {
  const drawn: DrawnChart[] = [];
  for (const chart of charts) drawn.push({ chart, svg: await chartSvg(chart) });
  return drawn;
}

export async function writeHtmlReport(path: string, parts: Omit<HtmlReportParts, 'charts'>, charts: Chart[]): Promise<void> {
  const html = reportHtml({ ...parts, charts: await drawCharts(charts) });
  await writeFileAtomic(path, async (tmp) => writeFileSync(tmp, html));
}

/** One chart as .svg or, through the same SVG, .png (which needs a Chinese font: NoCjkFontError without one). */
export async function writeChartFile(path: string, chart: Chart, format: 'svg' | 'png', fonts: readonly CjkFont[] = CJK_FONTS): Promise<void> {
  const svg = await chartSvg(chart);
  const data = format === 'svg' ? svg : (await svgToPngs([svg], fonts))[0]!;
  await writeFileAtomic(path, async (tmp) => writeFileSync(tmp, data));
}
