import type { Context } from '../context.js';
import { actorFor } from '../domain/actor.js';
import { assignLeadBank } from '../domain/service.js';
import { UsageError } from '../errors.js';
import { dateOption } from '../util/dates.js';
import { printJson } from '../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { bank?: string; mode?: string; date?: string; reason?: string }): Promise<void> {
  if (!opts.bank) throw new UsageError('缺少必填选项 --bank');
  const mode = opts.mode ?? 'self';
  if (mode !== 'self' && mode !== 'designated') throw new UsageError('--mode 应为 self（自主选择）或 designated（协商指定）');
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const r = await assignLeadBank(store, who, { code: args[0] as string, bank: opts.bank, mode, date, reason: opts.reason });
  if (ctx.json) return printJson(ctx, { code: r.case.enterprise_code, lead_bank: r.bank, previous: r.previous, changed: r.changed, date });
  if (!r.changed) return ctx.out(`${r.case.name}的主办行已是${r.bank}，未做改动`);
  ctx.out(r.previous ? `${r.case.name}的主办行由${r.previous}更换为${r.bank}（${date}）` : `${r.case.name}的主办行：${r.bank}（${date}）`);
}
