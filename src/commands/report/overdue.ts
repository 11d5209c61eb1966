/** xypz report overdue: the 督办清单. */
import type { Context } from '../../context.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { parseMonth } from '../../domain/feedback.js';
import { overdueList, STALL_DAYS, VACANCY_DAYS } from '../../domain/overdue.js';
import { readScope } from '../../domain/policy.js';
import { UsageError } from '../../errors.js';
import { printJson, renderTable } from '../../render/output.js';
import { previousPeriod } from '../../util/dates.js';

export async function run(ctx: Context, _args: unknown[], opts: { month?: string; district?: string }): Promise<void> {
  const month = opts.month ? parseMonth(opts.month) : previousPeriod(ctx.today(), 'month').label;
  if (!month) throw new UsageError(`--month 的值「${opts.month}」不是月份（YYYY-MM）`);
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const scope = readScope(who.profile!);
  const region = opts.district ? dir.district(opts.district) : undefined;
  authorize(who, 'report.read', region ? { region: region.code, regionName: region.name } : {});
  const regions = region ? [region.code] : scope.all ? undefined : (scope.regions as string[]);
  const o = await overdueList(store.db, dir, ctx.today(), month, regions);
  if (ctx.json) return printJson(ctx, o);
  ctx.out(`督办清单（${ctx.today()}）`);
  ctx.out(`一、名单空缺超过 ${VACANCY_DAYS} 天：${o.vacancies.length ? '' : '无'}`);
  if (o.vacancies.length) {
    ctx.out(await renderTable(ctx, o.vacancies, [
      { header: '区域', value: (v) => v.district },
      { header: '在库/容量', value: (v) => `${v.active}/${v.capacity}` },
      { header: '空缺', value: (v) => v.vacancies, align: 'right' },
      { header: '空缺起始', value: (v) => v.since ?? '名单尚未建立' },
      { header: '天数', value: (v) => v.days, align: 'right' },
    ]));
  }
  ctx.out(`二、超过 ${STALL_DAYS} 天没有进展的企业：${o.stalled.length ? '' : '无'}`);
  if (o.stalled.length) {
    ctx.out(await renderTable(ctx, o.stalled, [
      { header: '企业', value: (s) => s.name },
      { header: '区域', value: (s) => s.district },
      { header: '阶段', value: (s) => s.stage },
      { header: '最近办理', value: (s) => s.last_progress_on },
      { header: '天数', value: (s) => s.days, align: 'right' },
    ]));
  }
  ctx.out(`三、逾期未办结的辅导事项：${o.coaching.length ? '' : '无'}`);
  if (o.coaching.length) {
    ctx.out(await renderTable(ctx, o.coaching, [
      { header: '#', value: (c) => c.id, align: 'right' },
      { header: '企业', value: (c) => c.name },
      { header: '事项', value: (c) => c.item },
      { header: '承办单位', value: (c) => c.org },
      { header: '期限', value: (c) => c.due },
      { header: '逾期天数', value: (c) => c.days, align: 'right' },
    ]));
  }
  ctx.out(`四、${o.feedback_month} 月度反馈未报送：${o.feedback.length ? o.feedback.map((f) => f.name).join('、') : '无'}`);
}
