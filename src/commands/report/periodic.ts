/**
 * xypz report monthly|quarterly|annual [--period] [--district] [--out file]: the report figures as tables,
 * JSON, CSV, a statistics workbook or (quarterly, annual) the narrative report. Without --period: the
 * previous month / quarter / year. --out may contain {period}; files are written atomically. A period not
 * yet ended (or whose feedback deadline has not passed) is reported with a warning and "final": false.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { enterprisesAtEnd } from '../../domain/enterprise-detail.js';
import { periodicReport, reportDocument, reportRegion } from '../../domain/reports.js';
import { reportingUnit } from '../../domain/reporting-unit.js';
import { UsageError } from '../../errors.js';
import { writeDocx } from '../../render/docx.js';
import { checkOutputPath, writeFileAtomic } from '../../render/files.js';
import { narrativeBlocks, narrativeMarkdown, type NarrativePart } from '../../render/narrative.js';
import { printJson } from '../../render/output.js';
import { annualSummary, figuresCsv, printFigures, quarterlyNarrative, writeFiguresBook } from '../../render/report.js';
import type { Context } from '../../context.js';
import { parsePeriod, periodInWords, previousPeriod, type Period, type PeriodKind } from '../../util/dates.js';
import { defineCommand, districtOpt, text } from '../define.js';
import { session } from '../session.js';

const NAME: Record<PeriodKind, string> = { month: '月报', quarter: '季报', year: '年报' };
const EXAMPLE: Record<PeriodKind, string> = { month: '2024-03、2024年3月', quarter: '2024Q1、2024年第一季度', year: '2024' };

function periodic(kind: PeriodKind) {
  return defineCommand({
    options: {
      period: text('--period <期间>', `统计期间，如 ${EXAMPLE[kind]}`)
        .parse((raw) => parsePeriod(raw, kind, '--period'))
        .default((ctx) => previousPeriod(ctx.today(), kind)),
      district: districtOpt('只统计某区'),
      out: text('--out <文件>', `输出文件：.xlsx、.csv、.json${kind === 'month' ? '' : '、.docx 或 .md（文字报告）'}；可含 {period}`),
    },
    run: (ctx, _args, opts) => runReport(ctx, kind, opts),
  });
}

export const monthly = periodic('month');
export const quarterly = periodic('quarter');
export const annual = periodic('year');

async function runReport(ctx: Context, kind: PeriodKind, opts: { period: Period; district?: string; out?: string }): Promise<void> {
  const period = opts.period;
  let out: string | undefined;
  if (opts.out) {
    out = checkOutputPath(ctx.path(opts.out.replaceAll('{period}', period.label)), kind === 'month' ? ['.xlsx', '.csv', '.json'] : ['.xlsx', '.csv', '.json', '.md', '.docx']);
  }
  const { store, dir, who } = await session(ctx);
  const region = reportRegion(dir, who, opts.district);
  const annual = kind === 'year';
  const r = await periodicReport(store.db, dir, period, { region, annual, today: ctx.today() });
  if (r.status.warning) ctx.err(r.status.warning);
  const { figures: f, ranking } = r;
  const name = `${region ? region.name : '鄂州市'}信用培植工程${NAME[kind]}`;
  const title = `${name}（${period.label}）`;
  if (!out) {
    if (ctx.json) return printJson(ctx, await reportDocument(store.db, dir, period, r));
    return printFigures(ctx, title, f, annual, ranking);
  }
  const ext = extname(out).toLowerCase();
  const capacity = (code: string) => dir.capacityOn(code, period.end);
  const unit = reportingUnit(dir, who, region?.code);
  const narrative: NarrativePart[] | undefined =
    kind === 'quarter'
      ? quarterlyNarrative(f, capacity, ctx.today(), (code) => reportingUnit(dir, who, code))
      : ranking
        ? [{ text: annualSummary(f, ranking, ctx.today()), unit }]
        : undefined;
  if (ext === '.json') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, `${JSON.stringify(await reportDocument(store.db, dir, period, r), null, 2)}\n`));
  else if (ext === '.csv') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, figuresCsv(title, f, annual, ranking)));
  else if (ext === '.md' || ext === '.docx') {
    if (!narrative) throw new UsageError(`${ext} 只用于季报和年报的文字报告`);
    if (ext === '.docx') await writeDocx(out, narrativeBlocks(narrative, ctx.today()));
    else await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, narrativeMarkdown(narrative, ctx.today())));
  } else {
    const details = await enterprisesAtEnd(store.db, dir, period, r.regions);
    const form = { unit, date: ctx.today() };
    await writeFiguresBook(out, { title: name, period: periodInWords(period), form, figures: f, annual, generatedOn: ctx.today(), status: r.status, details, ranking, narrative });
  }
  if (ctx.json) return printJson(ctx, { path: out, period: period.label });
  ctx.out(out);
}
