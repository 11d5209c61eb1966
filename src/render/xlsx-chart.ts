/**
 * The workbook's 图表 sheet with charts the spreadsheet program draws itself (DrawingML charts, as Excel and
 * LibreOffice write them), from a table of the same numbers on the same sheet. Nothing is rasterised and no font is
 * read: the charts stay sharp when printed, and their numbers can be read and copied next to them.
 *
 * Each panel of a chart (src/render/chart-data.ts) becomes one chart object, at the size and place its picture
 * had: 800 px wide, one under another on portrait A4. Their look follows the SVG charts (src/render/charts.ts):
 * the same kinds of chart, titles, units, legends, value labels and colours, the light bars hatched so that
 * the series stay apart in black and white. The numbers sit to the right of the charts, outside the printed area.
 *
 * exceljs writes no charts: addCharts fills the sheet's cells and returns what the zip still needs (the chart,
 * drawing and relationship parts), which writeBook adds when it packs the file (see amendChartParts).
 */
import type { Alignment, Workbook, Worksheet } from 'exceljs';
import { chartLayout, CHART_WIDTH } from './charts.js';
import type { Chart, Panel, Series, ValueFormat } from './chart-data.js';
import { safeText } from './formula.js';
import type { ZipParts } from './stable-zip.js';
import { BODY, BOLD, BORDER, printSetup, TITLE } from './xlsx-form.js';

/** A sheet of charts: each chart drawn by the spreadsheet program, with its numbers beside it. */
export interface ChartSheetSpec {
  name: string;
  title: string;
  charts: Chart[];
}

const EMU = 9525; // per pixel
const COL_PX = 64; // the default column width (8.43 characters of Calibri 11)
const ROW_PX = 20; // the default row height (15 pt)
/** The columns the charts cover (800 px), then one empty column, then the numbers. */
const CHART_COLS = Math.ceil(CHART_WIDTH / COL_PX);
const DATA_COL = CHART_COLS + 2;

const FONT = 'Microsoft YaHei';
const DARK = '1F4E79';
const LIGHT = 'F4B183';
const HATCH = '6E3200';
const LINE = 'B0281F';
const BAR_UNDER_LINE = 'A9C8E8';
const TEXT = '333333';
const GRID = 'E3E3E3';

/** The number format of a value: the cells', the labels' and the axis's. */
const CELL_FMT: Record<ValueFormat, string> = { count: '0', money: '#,##0.00', rate: '0.0%', score: '0.00' };
const LABEL_FMT: Record<ValueFormat, string> = { count: '0', money: '0.00', rate: '0.0%', score: '0.00' };
const AXIS_FMT: Record<ValueFormat, string> = { count: '#,##0', money: '#,##0', rate: '0%', score: '0' };

/** One chart object: a panel of a chart, with the title it shows and where it sits. */
interface Placed {
  chart: Chart;
  panel: Panel;
  titles: { text: string; size: number }[];
  /** Its first row (1-based) and its height in pixels. */
  row: number;
  height: number;
  /** The header row of the panel's numbers beside the charts. */
  headRow: number;
}

/** The charts start on the third row, under the sheet's title. */
const FIRST_ROW = 3;
/**
 * The rows of 20 px a printed page holds: A4 portrait less its margins (755 pt) at the scale that fits the 13
 * columns of the charts to the page's width (83 %: a row prints 12.45 pt high), 60 rows; one is kept spare.
 */
const PAGE_ROWS = 59;
/**
 * Rows left empty at the top of every later page, above its first chart. LibreOffice draws a page's charts
 * with the next page's first rows in its bottom margin, hidden (their text is still in a PDF it writes): the
 * next page's charts start below that margin.
 */
const PAGE_TOP = 5;

/**
 * The panels of the charts, each as one chart object, one under another: a chart's picture cut between its
 * panels (just above each later panel's title), so that the objects together are as tall as the picture was;
 * two empty rows between charts. An object that would run over the end of a printed page starts the next one
 * (`breaks`: the rows after which a page ends), so that no chart is cut in two on paper.
 */
function placeCharts(charts: Chart[]): { placed: Omit<Placed, 'headRow'>[]; breaks: number[]; end: number } {
  const placed: Omit<Placed, 'headRow'>[] = [];
  const breaks: number[] = [];
  let row = FIRST_ROW;
  let pageStart = 1;
  let pageFirst = FIRST_ROW; // where the page's first chart starts
  for (const chart of charts) {
    const { tops, height } = chartLayout(chart);
    const cuts = [0, ...tops.slice(1).map((t) => t - PANEL_HEAD), height];
    chart.panels.forEach((panel, i) => {
      const titles = [...(i === 0 ? [{ text: chart.title, size: 1300 }] : []), ...(panel.title ? [{ text: panel.title, size: 1100 }] : [])];
      const h = Math.round(cuts[i + 1]! - cuts[i]!);
      const rows = Math.ceil(h / ROW_PX);
      // A chart taller than a page starts one and runs over; the page after it starts under it.
      if (row + rows > pageStart + PAGE_ROWS && row > pageFirst) {
        pageStart = Math.max(pageStart + PAGE_ROWS, row);
        breaks.push(pageStart - 1);
        row = pageFirst = pageStart + PAGE_TOP;
      }
      placed.push({ chart, panel, titles, row, height: h });
      row += rows;
    });
    row += 2; // two empty rows between charts, as between the pictures
  }
  return { placed, breaks, end: row - 3 };
}

/** The room above a later panel's plot area in the picture: half the gap, its title and its unit. */
const PANEL_HEAD = 64;

function colName(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * Writes the sheet's title and each panel's numbers (beside the charts) into a new sheet of `wb`, and returns
 * what the file still needs for the charts themselves (added when the zip is packed).
 */
export function addCharts(wb: Workbook, spec: ChartSheetSpec): (zip: ZipParts) => void {
  const ws = wb.addWorksheet(spec.name);
  Object.assign(ws.getCell(1, 1), { value: spec.title, font: TITLE });
  const { placed: objects, breaks, end } = placeCharts(spec.charts);
  let nextFree = FIRST_ROW;
  const placed: Placed[] = objects.map((p) => {
    const at = Math.max(p.row, nextFree);
    nextFree = at + p.panel.categories.length + 3;
    writeNumbers(ws, at, p.chart, p.panel);
    return { ...p, headRow: at + 1 };
  });
  for (const r of breaks) ws.getRow(r).addPageBreak();
  ws.getColumn(DATA_COL).width = 26;
  const widest = Math.max(1, ...spec.charts.flatMap((c) => c.panels.map((p) => p.series.length)));
  for (let j = 1; j <= widest; j++) ws.getColumn(DATA_COL + j).width = 16;
  const lastRow = Math.max(2, end);
  printSetup(ws, 'portrait');
  // Only the charts are printed: their numbers are for reading and copying on screen.
  ws.pageSetup.printArea = `A$1:${colName(CHART_COLS)}$${lastRow}`;
  return (zip) => amendChartParts(zip, spec.name, placed);
}

/** The categories as the chart's axis shows them: the months on one line, and 无评价 beside a unit whose rate is missing. */
function categoryLabels(panel: Panel): string[] {
  return panel.categories.map((c, i) => (panel.axisLabels?.[i] ?? c).replace(/\n/g, ' ') + (panel.series.some((s) => s.values[i] === null) ? '（无评价）' : ''));
}

/**
 * A panel's numbers: a caption (the chart's title, and the panel's), a header row (the category label and the
 * series' names with their units), then one row a category. Every row keeps the default height (no text
 * wraps), which the charts' anchors count on.
 */
function writeNumbers(ws: Worksheet, row: number, chart: Chart, panel: Panel): void {
  const caption = panel.title && chart.panels.length > 1 ? `${chart.title}（${panel.title}）` : chart.title;
  Object.assign(ws.getCell(row, DATA_COL), { value: safeText(caption), font: BOLD });
  const head = ws.getRow(row + 1);
  [panel.categoryLabel, ...panel.series.map((s) => `${s.name}（${unitName(s.format)}）`)].forEach((text, j) => {
    Object.assign(head.getCell(DATA_COL + j), { value: safeText(text), font: BOLD, alignment: HEAD, border: BORDER });
  });
  categoryLabels(panel).forEach((cat, i) => {
    const r = ws.getRow(row + 2 + i);
    Object.assign(r.getCell(DATA_COL), { value: safeText(cat), font: BODY, border: BORDER });
    panel.series.forEach((s, j) => {
      const v = s.values[i] ?? null;
      Object.assign(r.getCell(DATA_COL + 1 + j), { value: v, numFmt: CELL_FMT[s.format], font: BODY, border: BORDER, alignment: { horizontal: 'right' } });
    });
  });
  for (let r = row; r < row + 2 + panel.categories.length; r++) ws.getRow(r).height = 15;
}
const HEAD: Partial<Alignment> = { horizontal: 'center', vertical: 'middle' };

function unitName(f: ValueFormat): string {
  return { count: '户', money: '万元', rate: '%', score: '分' }[f];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const NS = {
  c: 'http://schemas.openxmlformats.org/drawingml/2006/chart',
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  xdr: 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing',
  rel: 'http://schemas.openxmlformats.org/package/2006/relationships',
};
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Text properties: size in hundredths of a point, colour, bold. */
function runProps(size: number, color = TEXT, bold = false): string {
  return `sz="${size}" b="${bold ? 1 : 0}"><a:solidFill><a:srgbClr val="${color}"/></a:solidFill><a:latin typeface="${FONT}"/><a:ea typeface="${FONT}"/>`;
}
function txPr(size: number, color = TEXT, bold = false): string {
  return `<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr ${runProps(size, color, bold)}</a:defRPr></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>`;
}
function richTitle(lines: { text: string; size: number }[], overlay = false): string {
  const paras = lines.map((l) => `<a:p><a:pPr><a:defRPr ${runProps(l.size, TEXT, true)}</a:defRPr></a:pPr><a:r><a:rPr lang="zh-CN" ${runProps(l.size, TEXT, true)}</a:rPr><a:t>${esc(l.text)}</a:t></a:r></a:p>`).join('');
  return `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/>${paras}</c:rich></c:tx><c:overlay val="${overlay ? 1 : 0}"/></c:title>`;
}
function axisTitle(text: string): string {
  return `<c:title><c:tx><c:rich><a:bodyPr rot="0" vert="horz"/><a:lstStyle/><a:p><a:pPr><a:defRPr ${runProps(900)}</a:defRPr></a:pPr><a:r><a:rPr lang="zh-CN" ${runProps(900)}</a:rPr><a:t>${esc(text)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
}
const line = (color: string, w = 9525) => `<a:ln w="${w}"><a:solidFill><a:srgbClr val="${color}"/></a:solidFill></a:ln>`;

/** A range of the sheet, absolute: '图表'!$P$4:$P$9. */
function ref(sheet: string, col: number, from: number, to = from): string {
  const q = `'${sheet.replace(/'/g, "''")}'`;
  return `${q}!$${colName(col)}$${from}${to === from ? '' : `:$${colName(col)}$${to}`}`;
}

function strCache(values: string[]): string {
  return `<c:strCache><c:ptCount val="${values.length}"/>${values.map((v, i) => `<c:pt idx="${i}"><c:v>${esc(v)}</c:v></c:pt>`).join('')}</c:strCache>`;
}
function numCache(values: (number | null)[], fmt: string): string {
  const pts = values.map((v, i) => (v === null ? '' : `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`)).join('');
  return `<c:numCache><c:formatCode>${esc(fmt)}</c:formatCode><c:ptCount val="${values.length}"/>${pts}</c:numCache>`;
}

function fillOf(panel: Panel, s: Series, i: number): string {
  if (s.kind === 'line') return `<c:spPr>${line(LINE, 31750)}</c:spPr>`;
  const border = line('555555', 6350);
  if (panel.series.some((x) => x.kind === 'line')) return `<c:spPr><a:solidFill><a:srgbClr val="${BAR_UNDER_LINE}"/></a:solidFill>${border}</c:spPr>`;
  if (i % 2 === 0) return `<c:spPr><a:solidFill><a:srgbClr val="${DARK}"/></a:solidFill>${border}</c:spPr>`;
  return `<c:spPr><a:pattFill prst="wdUpDiag"><a:fgClr><a:srgbClr val="${HATCH}"><a:alpha val="45000"/></a:srgbClr></a:fgClr><a:bgClr><a:srgbClr val="${LIGHT}"/></a:bgClr></a:pattFill>${border}</c:spPr>`;
}

/** Value labels: every value, as the table writes it (a missing rate has none: its category says 无评价). */
function labels(panel: Panel, s: Series, i: number): string {
  const stacked = s.stack === true;
  const pos = s.kind === 'line' ? 't' : stacked ? 'ctr' : 'outEnd';
  const white = stacked && s.kind === 'bar' && !panel.series.some((x) => x.kind === 'line') && i % 2 === 0;
  const bg = panel.series.some((x) => x.kind === 'line') ? `<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"><a:alpha val="80000"/></a:srgbClr></a:solidFill></c:spPr>` : '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>';
  return `<c:dLbls><c:numFmt formatCode="${esc(LABEL_FMT[s.format])}" sourceLinked="0"/>${bg}${txPr(800, white ? 'FFFFFF' : TEXT)}<c:dLblPos val="${pos}"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>`;
}

function seriesXml(sheet: string, p: Placed, s: Series, i: number): string {
  const { panel, headRow } = p;
  const col = DATA_COL + 1 + i;
  const n = panel.categories.length;
  const cats = categoryLabels(panel);
  // The legend names the series as the SVG chart does; the header cell above its numbers adds the unit.
  const head = `<c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${esc(s.name)}</c:v></c:tx>`;
  const cat = `<c:cat><c:strRef><c:f>${esc(ref(sheet, DATA_COL, headRow + 1, headRow + n))}</c:f>${strCache(cats.map(safeText))}</c:strRef></c:cat>`;
  const val = `<c:val><c:numRef><c:f>${esc(ref(sheet, col, headRow + 1, headRow + n))}</c:f>${numCache(s.values, CELL_FMT[s.format])}</c:numRef></c:val>`;
  if (s.kind === 'line') {
    const marker = `<c:marker><c:symbol val="circle"/><c:size val="5"/><c:spPr><a:solidFill><a:srgbClr val="${LINE}"/></a:solidFill>${line(LINE)}</c:spPr></c:marker>`;
    return `<c:ser>${head}${fillOf(panel, s, i)}${marker}${labels(panel, s, i)}${cat}${val}<c:smooth val="0"/></c:ser>`;
  }
  return `<c:ser>${head}${fillOf(panel, s, i)}<c:invertIfNegative val="0"/>${labels(panel, s, i)}${cat}${val}</c:ser>`;
}

/** The value axis of `unit`: its title (the unit), scale and gridlines. */
function valAx(id: number, cross: number, p: Panel, axis: number, fmt: ValueFormat): string {
  const unit = p.axes[axis]!.unit;
  const pos = p.horizontal ? 'b' : axis === 0 ? 'l' : 'r';
  const max = fmt === 'rate' ? '<c:max val="1"/>' : '';
  const grid = axis === 0 ? `<c:majorGridlines><c:spPr>${line(GRID)}</c:spPr></c:majorGridlines>` : '';
  // Bars across: the value axis at the bottom, below the last category (the first category at the top).
  const crosses = axis === 1 ? 'max' : p.horizontal ? 'max' : 'autoZero';
  return `<c:valAx><c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/>${max}<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="${pos}"/>${grid}${axisTitle(p.horizontal ? `单位：${unit}` : unit)}<c:numFmt formatCode="${esc(AXIS_FMT[fmt])}" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:spPr>${line('BFBFBF')}</c:spPr>${txPr(900)}<c:crossAx val="${cross}"/><c:crosses val="${crosses}"/><c:crossBetween val="between"/></c:valAx>`;
}

function catAx(id: number, cross: number, p: Panel, hidden: boolean): string {
  const orientation = p.horizontal ? 'maxMin' : 'minMax';
  return `<c:catAx><c:axId val="${id}"/><c:scaling><c:orientation val="${orientation}"/></c:scaling><c:delete val="${hidden ? 1 : 0}"/><c:axPos val="${p.horizontal ? 'l' : 'b'}"/><c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:spPr>${line('808080')}</c:spPr>${txPr(900)}<c:crossAx val="${cross}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>`;
}

/** The DrawingML chart part of one panel. */
export function chartXml(sheet: string, p: Placed): string {
  const { panel } = p;
  const axisOf = (s: Series) => s.axis ?? 0;
  const groups = [0, 1].map((axis) => panel.series.map((s, i) => ({ s, i })).filter(({ s }) => axisOf(s) === axis)).filter((g) => g.length > 0);
  const plots = groups.map((g, gi) => {
    const ids = `<c:axId val="${10 + 2 * gi}"/><c:axId val="${11 + 2 * gi}"/>`;
    const sers = g.map(({ s, i }) => seriesXml(sheet, p, s, i)).join('');
    if (g[0]!.s.kind === 'line') return `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${sers}<c:marker val="1"/>${ids}</c:lineChart>`;
    const stacked = g.some(({ s }) => s.stack);
    return `<c:barChart><c:barDir val="${panel.horizontal ? 'bar' : 'col'}"/><c:grouping val="${stacked ? 'stacked' : 'clustered'}"/><c:varyColors val="0"/>${sers}<c:gapWidth val="${panel.horizontal ? 60 : 80}"/><c:overlap val="${stacked ? 100 : -15}"/>${ids}</c:barChart>`;
  });
  const axes = groups.map((g, gi) => catAx(10 + 2 * gi, 11 + 2 * gi, panel, gi > 0) + valAx(11 + 2 * gi, 10 + 2 * gi, panel, gi, g[0]!.s.format)).join('');
  const legend = panel.series.length > 1 ? `<c:legend><c:legendPos val="t"/><c:overlay val="0"/>${txPr(900)}</c:legend>` : '';
  return (
    `${XML_HEAD}<c:chartSpace xmlns:c="${NS.c}" xmlns:a="${NS.a}" xmlns:r="${NS.r}"><c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>` +
    `<c:chart>${richTitle(p.titles)}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>${plots.join('')}${axes}<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>${legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>` +
    `<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>${txPr(900)}</c:chartSpace>`
  );
}

/** Where a point of the sheet is, as a cell and an offset in EMU (default rows and columns). */
function cellAt(x: number, y: number): string {
  const col = Math.floor(x / COL_PX);
  const row = Math.floor(y / ROW_PX);
  return `<xdr:col>${col}</xdr:col><xdr:colOff>${(x - col * COL_PX) * EMU}</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>${(y - row * ROW_PX) * EMU}</xdr:rowOff>`;
}

function drawingXml(placed: Placed[]): string {
  const anchors = placed.map((p, i) => {
    const y = (p.row - 1) * ROW_PX;
    const name = esc(`${p.chart.title}${p.panel.title ? `（${p.panel.title}）` : ''}`);
    return (
      `<xdr:twoCellAnchor editAs="oneCell"><xdr:from>${cellAt(0, y)}</xdr:from><xdr:to>${cellAt(CHART_WIDTH, y + p.height)}</xdr:to>` +
      `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="${name}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
      `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS.c}"><c:chart xmlns:c="${NS.c}" r:id="rId${i + 1}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
    );
  });
  return `${XML_HEAD}<xdr:wsDr xmlns:xdr="${NS.xdr}" xmlns:a="${NS.a}" xmlns:r="${NS.r}">${anchors.join('')}</xdr:wsDr>`;
}

function rels(targets: { type: string; target: string }[], start = 1): string {
  return `${XML_HEAD}<Relationships xmlns="${NS.rel}">${targets.map((t, i) => `<Relationship Id="rId${start + i}" Type="${REL}/${t.type}" Target="${t.target}"/>`).join('')}</Relationships>`;
}

/**
 * Adds the charts of the sheet named `sheet` to a workbook exceljs wrote: a drawing holding one chart part per
 * panel, the relationships from the sheet to the drawing and from the drawing to the charts, and their content
 * types. Parts are numbered after those already in the file.
 */
export function amendChartParts(zip: ZipParts, sheet: string, placed: Placed[]): void {
  if (placed.length === 0) return;
  const book = zip.text('xl/workbook.xml')!;
  const rid = new RegExp(`<sheet [^>]*name="${esc(sheet)}"[^>]*r:id="(rId\\d+)"`).exec(book)?.[1];
  const target = rid && new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(zip.text('xl/_rels/workbook.xml.rels')!)?.[1];
  if (!target) throw new Error(`no sheet ${sheet} in the workbook`);
  const sheetPath = `xl/${target.replace(/^\/?xl\//, '')}`;
  const sheetRels = sheetPath.replace(/([^/]+)$/, '_rels/$1.rels');
  const next = (prefix: string) => {
    let n = 1;
    while (zip.has(`${prefix}${n}.xml`)) n++;
    return n;
  };
  const d = next('xl/drawings/drawing');
  const c0 = next('xl/charts/chart');
  const charts = placed.map((_, i) => c0 + i);
  const xml = zip.text(sheetPath)!;
  if (/<(drawing|legacyDrawing|tableParts|extLst)\b/.test(xml)) throw new Error(`sheet ${sheet} already has parts after its page setup`);
  // The sheet's relationships: exceljs writes none for a sheet without links or pictures.
  const existing = zip.text(sheetRels);
  const ids = existing ? [...existing.matchAll(/Id="rId(\d+)"/g)].map((m) => Number(m[1])) : [];
  const drawingRid = `rId${Math.max(0, ...ids) + 1}`;
  const drawingRel = `<Relationship Id="${drawingRid}" Type="${REL}/drawing" Target="../drawings/drawing${d}.xml"/>`;
  zip.write(sheetRels, existing ? existing.replace('</Relationships>', `${drawingRel}</Relationships>`) : `${XML_HEAD}<Relationships xmlns="${NS.rel}">${drawingRel}</Relationships>`);
  zip.write(sheetPath, xml.replace('</worksheet>', `<drawing r:id="${drawingRid}"/></worksheet>`));
  zip.write(`xl/drawings/drawing${d}.xml`, drawingXml(placed));
  zip.write(`xl/drawings/_rels/drawing${d}.xml.rels`, rels(charts.map((n) => ({ type: 'chart', target: `../charts/chart${n}.xml` }))));
  placed.forEach((p, i) => zip.write(`xl/charts/chart${charts[i]}.xml`, chartXml(sheet, p)));
  const overrides = [
    `<Override PartName="/xl/drawings/drawing${d}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>`,
    ...charts.map((n) => `<Override PartName="/xl/charts/chart${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`),
  ];
  const types = zip.text('[Content_Types].xml')!;
  zip.write('[Content_Types].xml', types.replace('</Types>', `${overrides.join('')}</Types>`));
}
