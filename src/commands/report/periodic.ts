/**
 * xypz report monthly|quarterly|annual [--period] [--district] [--out file]: the SPEC §8 figures as tables,
 * JSON, CSV, a statistics workbook or (quarterly, annual) the narrative report. Without --period: the
 * previous month / quarter / year. --out may contain {period}; files are written atomically.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Context } from '../../context.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { computeFigures, enterprisesAtEnd } from '../../domain/figures.js';
import { readScope } from '../../domain/policy.js';
import { rankBanks, rankDistricts } from '../../domain/ranking.js';
import { UsageError } from '../../errors.js';
import { checkOutputPath, writeFileAtomic } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { annualSummary, figuresCsv, printFigures, quarterlyNarrative, writeFiguresBook } from '../../render/report.js';
import { parsePeriod, previousPeriod, type PeriodKind } from '../../util/dates.js';

const KIND: Record<string, PeriodKind> = { monthly: 'month', quarterly: 'quarter', annual: 'year' };
const NAME: Record<PeriodKind, string> = { month: '月报', quarter: '季报', year: '年报' };

export async function run(ctx: Context, _args: unknown[], opts: { period?: string; district?: string; out?: string }): Promise<void> {
  const which = ctx.command.split(' ').pop()!;
  const kind = KIND[which]!;
  const period = opts.period ? parsePeriod(opts.period, kind) : previousPeriod(ctx.today(), kind);
  let out: string | undefined;
  if (opts.out) {
    out = checkOutputPath(ctx.path(opts.out.replaceAll('{period}', period.label)), kind === 'month' ? ['.xlsx', '.csv', '.json'] : ['.xlsx', '.csv', '.json', '.md']);
  }
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  // A district's own staff see their own district.
  const scope = readScope(who.profile!);
  let district = opts.district;
  if (!scope.all && scope.regions.length === 1) district ??= dir.regionName(scope.regions[0]!);
  const region = district ? dir.district(district) : undefined;
  authorize(who, 'report.read', region ? { region: region.code, regionName: region.name } : {});
  if (!scope.all && !region) authorize(who, 'report.read', { region: '', regionName: '全市' });
  const annual = kind === 'year';
  const f = await computeFigures(store.db, dir, period, { district: region?.name, annual });
  const capacity = (code: string) => dir.regionByCodeOrThrow(code).capacity;
  const ranking = annual ? { districts: rankDistricts(f, capacity), banks: rankBanks(f) } : undefined;
  const title = `${region ? region.name : '鄂州市'}信用培植工程${NAME[kind]}（${period.label}）`;
  const json = { ...f, ...(ranking ? { ranking } : {}) };
  if (!out) {
    if (ctx.json) return printJson(ctx, json);
    return printFigures(ctx, title, f, annual, ranking);
  }
  const ext = extname(out).toLowerCase();
  const narrative = kind === 'quarter' ? quarterlyNarrative(f, capacity, ctx.today()) : ranking ? annualSummary(f, ranking, ctx.today()) : undefined;
  if (ext === '.json') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`), 0o644);
  else if (ext === '.csv') await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, figuresCsv(f, annual)), 0o644);
  else if (ext === '.md') {
    if (!narrative) throw new UsageError('.md 只用于季报和年报的文字报告');
    await writeFileAtomic(out, async (tmp) => writeFileSync(tmp, `# ${title}\n\n${narrative}`), 0o644);
  } else {
    const details = await enterprisesAtEnd(store.db, dir, period, region ? [region.code] : undefined);
    await writeFiguresBook(out, { title, figures: f, annual, generatedOn: ctx.today(), details, ranking, narrative });
  }
  if (ctx.json) return printJson(ctx, { path: out, period: period.label });
  ctx.out(out);
}
