/**
 * xypz report monthly|quarterly|annual [--period] [--district] [--out file]: the report figures as tables,
 * JSON, CSV, a statistics workbook or (quarterly, annual) the narrative report. Without --period: the
 * previous month / quarter / year. --out may contain {period}; files are written atomically.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { computeFigures, enterprisesAtEnd } from '../../domain/figures.js';
import { rankBanks, rankDistricts } from '../../domain/ranking.js';
import { reportRegion } from '../../domain/reports.js';
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
  const f = await computeFigures(store.db, dir, period, { district: region?.name, annual });
  const capacity = (code: string) => dir.regionByCodeOrThrow(code).capacity;
  const ranking = annual ? { districts: rankDistricts(f, capacity), banks: rankBanks(f) } : undefined;
  const name = `${region ? region.name : '鄂州市'}信用培植工程${NAME[kind]}`;
  const title = `${name}（${period.label}）`;
  const json = { ...f, ...(ranking ? { ranking } : {}) };
  if (!out) {
    if (ctx.json) return printJson(ctx, json);
    return printFigures(ctx, title, f, annual, ranking);
  }
  const ext = extname(out).toLowerCase();
  const unit = reportingUnit(dir, who, region?.code);
  const narrative: NarrativePart[] | undefined =
    kind === 'quarter'
      ? quarterlyNarrative(f, capacity, ctx.today(), (code) => reportingUnit(dir, who, code))
      : ranking
        ? [{ text: annualSummary(f, ranking, ctx.today()), unit }]
        : undefined;
  if (ext === '.json') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`));
  else if (ext === '.csv') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, figuresCsv(f, annual)));
  else if (ext === '.md' || ext === '.docx') {
    if (!narrative) throw new UsageError(`${ext} 只用于季报和年报的文字报告`);
    if (ext === '.docx') await writeDocx(out, narrativeBlocks(narrative, ctx.today()));
    else await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, narrativeMarkdown(narrative, ctx.today())));
  } else {
    const details = await enterprisesAtEnd(store.db, dir, period, region ? [region.code] : undefined);
    await writeFiguresBook(out, { title: name, period: periodInWords(period), form: { unit, date: ctx.today() }, figures: f, annual, generatedOn: ctx.today(), details, ranking, narrative });
  }
  if (ctx.json) return printJson(ctx, { path: out, period: period.label });
  ctx.out(out);
}
