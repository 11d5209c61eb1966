import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { setCapacity } from '../../domain/pool.js';
import { UsageError } from '../../errors.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { district?: string }): Promise<void> {
  if (!opts.district) throw new UsageError('缺少必填选项 --district');
  const n = Number(args[0]);
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const r = await setCapacity(store, who, opts.district, n);
  if (ctx.json) return printJson(ctx, { district: opts.district, ...r });
  ctx.out(`名单容量：${r.before} → ${r.after}`);
}
