import type { Context } from '../context.js';
import { actorFor } from '../domain/actor.js';
import { reclassify } from '../domain/service.js';
import { CLASS_LABEL, parseClass } from '../domain/stages.js';
import { UsageError } from '../errors.js';
import { dateOption } from '../util/dates.js';
import { printJson } from '../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { to?: string; reason?: string; date?: string }): Promise<void> {
  const to = opts.to ? parseClass(opts.to) : undefined;
  if (!to) throw new UsageError('--to 应为 financing（融资类）或 cultivation（培植类）');
  if (!opts.reason) throw new UsageError('缺少必填选项 --reason');
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const c = await reclassify(store, who, { code: args[0] as string, to, reason: opts.reason, date });
  if (ctx.json) return printJson(ctx, { code: c.enterprise_code, class: to, date });
  ctx.out(`${c.name} 调整为${CLASS_LABEL[to]}（${date}）`);
}
