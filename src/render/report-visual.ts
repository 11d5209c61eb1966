/**
 * The report's pictures as files: the HTML report, one chart as .svg or .png, and the workbook's 图表 sheet.
 * Every chart is drawn once as SVG (src/render/charts.ts); the PNG images are made from that same SVG.
 */
import { writeFileSync } from 'node:fs';
import type { Chart } from './chart-data.js';
import { NoCjkFontError, startPngs, svgToPngs, type CjkFont, CJK_FONTS } from './chart-png.js';
import { chartLayout, chartSvg, CHART_WIDTH } from './charts.js';
import { writeFileAtomic } from './files.js';
import { reportHtml, type HtmlReportParts } from './html-report.js';
import { workbookClass, type ImageSheetSpec } from './xlsx.js';

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

/**
 * The workbook's 图表 sheet: every chart as a PNG at its drawn size. Without a Chinese font the workbook is
 * still written, its 图表 sheet saying why it holds no pictures, and `warn` tells the user.
 */
export async function chartSheet(charts: Chart[], title: string, warn: (text: string) => void, fonts: readonly CjkFont[] = CJK_FONTS): Promise<ImageSheetSpec> {
  return (await startChartSheet(charts, title, warn, fonts)).sheet;
}

/**
 * chartSheet in two steps: the charts drawn as SVG and their text outlined (on this thread), then `sheet`,
 * ready when the pictures are rasterised on libuv's threads: the workbook's tables are filled meanwhile.
 */
export async function startChartSheet(charts: Chart[], title: string, warn: (text: string) => void, fonts: readonly CjkFont[] = CJK_FONTS): Promise<{ sheet: Promise<ImageSheetSpec> }> {
  // The workbook's writer loads while ECharts draws.
  workbookClass().catch(() => undefined);
  const drawn = await drawCharts(charts);
  try {
    const { pngs } = startPngs(drawn.map((d) => d.svg), fonts);
    const sheet = pngs.then((ps) => ({ name: '图表', title, images: ps.map((png, i) => ({ png, width: CHART_WIDTH, height: chartLayout(drawn[i]!.chart).height })) }));
    // Awaited by the workbook's writer; a failure before it gets there is reported by what failed first.
    sheet.catch(() => undefined);
    return { sheet };
  } catch (e) {
    if (!(e instanceof NoCjkFontError)) throw e;
    warn(`图表工作表没有图片：${e.message}`);
    return { sheet: Promise.resolve({ name: '图表', title, images: [], note: e.message }) };
  }
}
