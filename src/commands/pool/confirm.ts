import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { confirmIntoPool } from '../../domain/pool.js';
import { UsageError } from '../../errors.js';
import { dateOption } from '../../util/dates.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { district?: string; meeting?: string }): Promise<void> {
  if (!opts.district) throw new UsageError('缺少必填选项 --district');
  if (!opts.meeting) throw new UsageError('缺少必填选项 --meeting（联合协商会议日期）');
  const meeting = dateOption(opts.meeting, ctx.today(), '--meeting');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const cases = await confirmIntoPool(store, who, { district: opts.district, meeting, codes: args[0] as string[] });
  if (ctx.json) return printJson(ctx, { meeting, confirmed: cases.map((c) => ({ code: c.enterprise_code, name: c.name })) });
  ctx.out(`已确认入库（会议 ${meeting}）：${cases.map((c) => c.name).join('、')}。下一步：确定主办行（xypz assign）`);
}
