import type { Context } from '../context.js';
import { actorFor } from '../domain/actor.js';
import { parseRating, rateService } from '../domain/service.js';
import { UsageError } from '../errors.js';
import { dateOption } from '../util/dates.js';
import { printJson } from '../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { rating?: string; date?: string }): Promise<void> {
  const rating = opts.rating ? parseRating(opts.rating) : undefined;
  if (!rating) throw new UsageError('--rating 应为 满意 / 基本满意 / 不满意');
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const c = await rateService(store, who, { code: args[0] as string, rating, date });
  if (ctx.json) return printJson(ctx, { code: c.enterprise_code, rating, date });
  ctx.out(`已记录 ${c.name} 的评价：${opts.rating}（${date}）`);
}
