/**
 * The periodic report as one self-contained HTML file: the charts (inline SVG, each followed by a table with the
 * same numbers) and the statistical tables as official forms. No script, no external style, image or font:
 * it opens from a USB stick on an office PC without a network, and a Content-Security-Policy forbids any
 * request. Printed, the charts go on portrait A4 pages and the wide tables on landscape A4 pages.
 */
import type { Figures, ReportStatus, Revision } from '../domain/reporting/index.js';
import { formatValue, unitOf, type Chart, type Panel } from './chart-data.js';
import { CHART_FONT } from './charts.js';
import { escapeHtml, formHtml, headerHtml } from './html-form.js';
import { reportTables, type Ranking } from './report.js';
import { revisionNote } from './report-revisions.js';
import type { FormSpec } from './xlsx-form.js';

export interface HtmlReportParts {
  /** 鄂州市信用培植工程月报 */
  title: string;
  /** The period in words: 2024年3月. */
  period: string;
  /** The 填报单位 and the 报出日期 (the day the report is made). */
  form: FormSpec;
  status: ReportStatus;
  /** The corrections of a final period: the note, and a revised report's 修订说明 form. */
  revisions: Revision[];
  figures: Figures;
  annual: boolean;
  ranking?: Ranking;
  charts: { chart: Chart; svg: string }[];
}

const CSS = `
@page { size: A4 portrait; margin: 14mm 14mm 16mm; }
@page wide { size: A4 landscape; margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 16px 20px 40px; color: #222; background: #fff;
  font-family: ${CHART_FONT}; font-size: 14px; line-height: 1.5; }
h1 { text-align: center; font-size: 24px; margin: 8px 0 2px; letter-spacing: 1px; }
h2 { font-size: 18px; border-bottom: 2px solid #1f4e79; padding-bottom: 2px; margin: 24px 0 10px; }
.doc-period { text-align: center; font-size: 16px; margin: 0 0 4px; }
.doc-meta { text-align: center; color: #555; margin: 0 0 8px; }
.doc-status { border: 1px solid #b0281f; padding: 4px 10px; margin: 8px auto; max-width: 800px; }
figure.chart { margin: 0 auto 22px; max-width: 800px; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; height: auto; }
table.chart-data { border-collapse: collapse; margin: 6px auto 0; font-size: 12px; }
table.chart-data caption { caption-side: top; text-align: left; font-weight: bold; padding: 2px 0; }
table.chart-data th, table.chart-data td { border: 1px solid #999; padding: 1px 6px; }
table.chart-data thead th { word-break: keep-all; }
table.chart-data td { text-align: right; font-variant-numeric: tabular-nums; }
table.chart-data th[scope=row] { text-align: left; font-weight: normal; }
table.chart-data tfoot td { text-align: left; border: none; color: #555; }
section.forms { page: wide; }
.form { margin: 0 0 28px; font-family: 'SimSun', '宋体', 'Noto Serif CJK SC', 'Source Han Serif SC', serif; overflow-x: auto; }
.form + .form { break-before: page; page-break-before: always; }
.form-title { text-align: center; font-size: 20px; margin: 0; }
.form-period { text-align: center; margin: 2px 0; }
.form-unit, .form-sign { display: flex; justify-content: space-between; gap: 16px; margin: 4px 0; font-size: 13px; }
table.form-table { border-collapse: collapse; width: 100%; font-size: 12px; }
table.form-table th, table.form-table td { border: 1px solid #000; padding: 2px 3px; }
table.form-table thead th { background: #eef3f9; font-weight: bold; text-align: center; vertical-align: middle; word-break: keep-all; }
table.form-table tbody th { text-align: left; font-weight: normal; white-space: nowrap; }
table.form-table td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.form-table td.txt { text-align: left; white-space: nowrap; }
table.form-table td.mid { text-align: center; white-space: nowrap; }
table.form-table th.wrap, table.form-table td.wrap { white-space: pre-line; min-width: 8em; }
table.form-table tr.total th, table.form-table tr.total td { font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; font-size: 12px; }
  h2 { margin-top: 0; }
  section.forms h2 { display: none; }
  table.form-table { font-size: 9pt; }
  .form { overflow: visible; }
}
`;

/** The forms of the report, the workbook's tables: districts with 合计, banks with 合计, an annual report's two rankings. */
function forms(p: HtmlReportParts): string[] {
  return reportTables(p.title, p.figures, p.annual, p.ranking, p.status.mode === 'revised' ? p.revisions : undefined).map((t) => formHtml(t, p.period, p.form));
}

/** The numbers of a chart panel as a table: one row per category, one column per series. */
function panelTable(c: Chart, panel: Panel): string {
  const caption = `数据表${c.panels.length > 1 && panel.title ? `：${panel.title}` : ''}`;
  const head = [panel.categoryLabel, ...panel.series.map((s) => `${s.name}（${unitOf(s)}）`)].map((h) => `<th scope="col">${headerHtml(h)}</th>`).join('');
  const rows = panel.categories.map(
    (cat, i) => `<tr><th scope="row">${escapeHtml(cat)}</th>${panel.series.map((s) => `<td>${escapeHtml(formatValue(s.values[i] ?? null, s.format))}</td>`).join('')}</tr>`,
  );
  // Only a rate can be missing: a unit without ratings has no satisfaction rate (and no bar).
  const none = panel.series.some((s) => s.values.includes(null)) ? `<tfoot><tr><td colspan="${panel.series.length + 1}">—：没有满意度评价，不计算满意率</td></tr></tfoot>` : '';
  return `<table class="chart-data"><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody>${none}</table>`;
}

function chartFigure({ chart, svg }: { chart: Chart; svg: string }): string {
  return [`<figure class="chart" id="chart-${chart.id}" data-chart="${chart.id}">`, svg, ...chart.panels.map((p) => panelTable(chart, p)), '</figure>'].join('\n');
}

export function reportHtml(p: HtmlReportParts): string {
  const note = revisionNote(p.status, p.revisions);
  const status = !p.status.final
    ? `<p class="doc-status">${escapeHtml(p.status.warning ?? '')}（数字尚未最终确定）</p>`
    : note
      ? `<p class="doc-status doc-revisions">${escapeHtml(note)}</p>`
      : '';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${p.title}（${p.period}）`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(p.title)}</h1>
<p class="doc-period">${escapeHtml(p.period)}</p>
<p class="doc-meta">填报单位：${escapeHtml(p.form.unit)}　统计期间：${p.figures.start} 至 ${p.figures.end}</p>
${status}
</header>
<section class="charts">
<h2>一、图表</h2>
${p.charts.map(chartFigure).join('\n')}
</section>
<section class="forms">
<h2>二、统计表</h2>
${forms(p).join('\n')}
</section>
</body>
</html>
`;
}
