/**
 * xypz report monthly|quarterly|annual [--period] [--district] [--out file] [--chart id] [--revised]: the report
 * figures as tables, JSON, CSV, a statistics workbook (with a 图表 sheet), an HTML report with charts, one chart
 * as SVG or PNG, or (quarterly, annual) the narrative report. Without --period: the previous month / quarter /
 * year. --out may contain {period}; files are written atomically. A period not yet ended (or whose feedback
 * deadline has not passed) is reported with a warning and "final": false; a period not yet begun is refused.
 * A final period's report is the published one, dated its publication day and the same whenever it is made;
 * --revised gives the figures with every later correction and the 修订说明.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { enterprisesAtEnd, monthlyTrend, periodicReport, reportDocument, reportRegion, type PeriodicReport } from '../../domain/reporting/index.js';
import { reportingUnit } from '../../domain/core/index.js';
import { DataError, UsageError } from '../../errors.js';
import { chartIds, reportChart, reportCharts, type ChartId, type ChartInput } from '../../render/chart-data.js';
import { docxBytes, writeDocx } from '../../render/docx.js';
import { checkOutputPath, writeFileAtomic, writeFilesAtomic } from '../../render/files.js';
import { narrativeBlocks, narrativeMarkdown, type NarrativePart } from '../../render/narrative.js';
import { printJson } from '../../render/output.js';
import { annualSummary, figuresCsv, printFigures, quarterlyCityReport, quarterlyDistrictReport, writeFiguresBook } from '../../render/report.js';
import { printRevisions, revisionMarkdown } from '../../render/report-revisions.js';
import { writeChartFile, writeHtmlReport } from '../../render/report-visual.js';
import type { Context } from '../../context.js';
import { parsePeriod, periodInWords, previousPeriod, type Period, type PeriodKind } from '../../util/dates.js';
import { defineCommand, districtOpt, flag, text } from '../define.js';
import { session } from '../session.js';
import { safeFileName } from '../../util/filenames.js';

const NAME: Record<PeriodKind, string> = { month: '月报', quarter: '季报', year: '年报' };
const EXAMPLE: Record<PeriodKind, string> = { month: '2024-03、2024年3月', quarter: '2024Q1、2024年第一季度', year: '2024' };
const CHART_TEXT: Record<ChartId, string> = { pool: '名单在库与空缺', amounts: '授信与放款金额', trend: '近 12 个月趋势', ranking: '通报排名', satisfaction: '服务满意率' };
/** Charts a report of this kind has: the ranking and the satisfaction rate are yearly. */
const chartsOf = (kind: PeriodKind) => chartIds(kind === 'year');
const PICTURE = ['.svg', '.png'];

function periodic(kind: PeriodKind) {
  return defineCommand({
    options: {
      period: text('--period <期间>', `统计期间，如 ${EXAMPLE[kind]}`)
        .parse((raw) => parsePeriod(raw, kind, '--period'))
        .default((ctx) => previousPeriod(ctx.today(), kind)),
      district: districtOpt('只统计某区'),
      out: text('--out <文件>', `输出文件：.xlsx、.csv、.json、.html（带图表的报告）、.svg 或 .png（单个图表，见 --chart）${kind === 'month' ? '' : '、.docx 或 .md（文字报告）'}；可含 {period}`),
      chart: text('--chart <图表>', `--out 为 .svg、.png 时输出哪个图表：${chartsOf(kind).map((id) => `${id}（${CHART_TEXT[id]}）`).join('、')}`).choices(chartsOf(kind)),
      revised: flag('--revised', '已结报的期间：给出含此后全部更正的修订数，并列出修订说明（每项更正改变了哪些数字）'),
    },
    run: (ctx, _args, opts) => runReport(ctx, kind, opts),
  });
}

export const monthly = periodic('month');
export const quarterly = periodic('quarter');
export const annual = periodic('year');

/** `--out` naming a directory (ending in / or one that exists): one narrative document per unit in it. */
function outDirectory(ctx: Context, out: string | undefined): string | undefined {
  if (out === undefined) return undefined;
  const full = resolve(ctx.path(out));
  if (/[\\/]$/.test(out) || (existsSync(full) && statSync(full).isDirectory())) return full;
  return undefined;
}

/**
 * The date a report carries (报出日期, 生成日期, the signature): a published report's publication day, so that it
 * stays the same document whenever it is made; otherwise today.
 */
function reportDate(ctx: Context, r: PeriodicReport): string {
  return r.status.mode === 'published' ? r.status.published_on! : ctx.today();
}

/** A narrative report with the revisions' note (and, revised, the 修订说明) at its end. */
function withRevisions(part: NarrativePart, r: PeriodicReport): NarrativePart {
  const extra = revisionMarkdown(r.status, r.revisions);
  return extra ? { ...part, text: `${part.text.trimEnd()}\n${extra}` } : part;
}

async function runReport(ctx: Context, kind: PeriodKind, opts: { period: Period; district?: string; out?: string; chart?: ChartId; revised: boolean }): Promise<void> {
  const period = opts.period;
  const folder = outDirectory(ctx, opts.out);
  if (folder) {
    if (kind === 'month') throw new UsageError('月报没有文字报告：--out 为目录只用于季报和年报（每个单位一份 .docx）');
    if (opts.chart) throw new UsageError('--chart 只用于 --out 为 .svg 或 .png 的单个图表');
    return writeNarrativeFolder(ctx, kind, period, opts.district, folder, opts.revised);
  }
  let out: string | undefined;
  if (opts.out) {
    out = checkOutputPath(ctx.path(opts.out.replaceAll('{period}', safeFileName(period.label))), ['.xlsx', '.csv', '.json', '.html', ...PICTURE, ...(kind === 'month' ? [] : ['.md', '.docx'])]);
  }
  const picture = out !== undefined && PICTURE.includes(extname(out).toLowerCase());
  if (opts.chart && !picture) throw new UsageError('--chart 只用于 --out 为 .svg 或 .png 的单个图表');
  if (picture && !opts.chart) throw new UsageError(`输出 .svg、.png 时请用 --chart 选择图表：${chartsOf(kind).join('、')}`);
  const { store, dir, who } = await session(ctx);
  const region = reportRegion(dir, who, opts.district);
  const annual = kind === 'year';
  const ext = out ? extname(out).toLowerCase() : undefined;
  // Every figure, the trend and the enterprise list from one state of the database (see Store.read).
  const { r, document, trend, details } = await store.read(async (db) => {
    const r = await periodicReport(db, dir, period, { region, annual, today: ctx.today(), revised: opts.revised });
    const document = ext === '.json' || (!out && ctx.json) ? await reportDocument(period, r) : undefined;
    const trend = ext === '.html' || ext === '.xlsx' || picture ? await monthlyTrend(r, period, region) : [];
    const details = ext === '.xlsx' ? await enterprisesAtEnd(r.db, r.dir, period, r.regions, annual) : [];
    return { r, document, trend, details };
  });
  if (r.status.warning) ctx.err(r.status.warning);
  const { figures: f, ranking } = r;
  const place = region ? region.name : '鄂州市';
  const name = `${place}信用培植工程${NAME[kind]}`;
  const title = `${name}（${period.label}）`;
  if (!out) {
    if (ctx.json) return printJson(ctx, document);
    await printFigures(ctx, title, f, annual, ranking);
    return printRevisions(ctx, r.status, r.revisions);
  }
  const capacity = (code: string) => r.dir.capacityOn(code, period.end);
  const unit = reportingUnit(dir, who, region?.code);
  const date = reportDate(ctx, r);
  const revised = r.status.mode === 'revised' ? r.revisions : undefined;
  const charts: ChartInput = { region: place, oneDistrict: region !== undefined, figures: f, periodWords: periodInWords(period), trend, ranking };
  // The report of the unit the figures are for: a district's own, or the city's.
  const own = region ? f.districts.find((d) => d.code === region.code) : undefined;
  const narrative: NarrativePart[] | undefined =
    kind === 'quarter'
      ? [withRevisions(own ? quarterlyDistrictReport(f, own, capacity(own.code), date, unit) : quarterlyCityReport(f, capacity, date, unit), r)]
      : ranking
        ? [withRevisions(annualSummary(f, ranking, capacity, date, unit, own), r)]
        : undefined;
  if (ext === '.json') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, `${JSON.stringify(document, null, 2)}\n`));
  else if (ext === '.csv') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, figuresCsv(title, f, annual, ranking, revised)));
  else if (ext === '.md' || ext === '.docx') {
    if (!narrative) throw new UsageError(`${ext} 只用于季报和年报的文字报告`);
    if (ext === '.docx') await writeDocx(out, narrativeBlocks(narrative, date));
    else await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, narrativeMarkdown(narrative, date)));
  } else if (ext === '.html') {
    const parts = { title: name, period: periodInWords(period), form: { unit, date }, status: r.status, revisions: r.revisions, figures: f, annual, ranking };
    await writeHtmlReport(out, parts, reportCharts(charts));
  } else if (picture) {
    await writeChartFile(out, reportChart(charts, opts.chart!), ext === '.png' ? 'png' : 'svg');
  } else {
    const form = { unit, date };
    // The 图表 sheet's charts are drawn by the spreadsheet program from the report's numbers (no picture, no font).
    const sheet = { name: '图表', title: `${title}图表`, charts: reportCharts(charts) };
    await writeFiguresBook(out, { title: name, period: periodInWords(period), form, figures: f, annual, generatedOn: date, status: r.status, revisions: r.revisions, details, ranking, narrative, charts: sheet });
  }
  if (ctx.json) return printJson(ctx, { path: out, period: period.label });
  ctx.out(out);
}

/**
 * The narrative reports of a quarter or year, one .docx per unit in `folder`, each with its own page numbers
 * and signature, named by unit and period: the city's own (from the PBOC office to the 推进小组) and each
 * district's; a district's only with --district, or for a district's own account.
 */
async function writeNarrativeFolder(ctx: Context, kind: PeriodKind, period: Period, district: string | undefined, folder: string, revised: boolean): Promise<void> {
  if (!existsSync(folder)) {
    if (!existsSync(dirname(folder))) throw new DataError(`输出目录 ${dirname(folder)} 不存在，请先创建`);
    mkdirSync(folder, { mode: 0o700 });
  }
  const { store, dir, who } = await session(ctx);
  const region = reportRegion(dir, who, district);
  const annual = kind === 'year';
  const r = await store.read((db) => periodicReport(db, dir, period, { region, annual, today: ctx.today(), revised }));
  if (r.status.warning) ctx.err(r.status.warning);
  const f = r.figures;
  const capacity = (code: string) => r.dir.capacityOn(code, period.end);
  const date = reportDate(ctx, r);
  const words = periodInWords(period);
  const docs: { name: string; part: NarrativePart }[] = [];
  const districts = region ? f.districts.filter((d) => d.code === region.code) : f.districts;
  if (!annual) {
    if (!region) docs.push({ name: `鄂州市${words}工作开展情况报告`, part: quarterlyCityReport(f, capacity, date, reportingUnit(dir, who)) });
    for (const d of districts) docs.push({ name: `${d.district}${words}工作开展情况报告`, part: quarterlyDistrictReport(f, d, capacity(d.code), date, reportingUnit(dir, who, d.code)) });
  } else if (r.ranking) {
    if (!region) docs.push({ name: `鄂州市${words}工作总结`, part: annualSummary(f, r.ranking, capacity, date, reportingUnit(dir, who)) });
    for (const d of districts) docs.push({ name: `${d.district}${words}工作总结`, part: annualSummary(f, r.ranking, capacity, date, reportingUnit(dir, who, d.code), d) });
  }
  const files = await Promise.all(
    docs.map(async (d) => {
      const bytes = await docxBytes(narrativeBlocks([withRevisions(d.part, r)], date));
      return { path: join(folder, safeFileName(d.name, '.docx')), write: async (tmp: string) => writeFileSync(tmp, bytes) };
    }),
  );
  await writeFilesAtomic(files);
  if (ctx.json) return printJson(ctx, { period: period.label, files: files.map((x) => x.path) });
  for (const x of files) ctx.out(x.path);
}
