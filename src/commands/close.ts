import type { Context } from '../context.js';
import { actorFor } from '../domain/actor.js';
import { OUTCOME_LABEL } from '../domain/enterprises.js';
import { closeCase } from '../domain/service.js';
import { UsageError } from '../errors.js';
import { dateOption } from '../util/dates.js';
import { printJson } from '../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { outcome?: string; date?: string; note?: string }): Promise<void> {
  if (opts.outcome !== 'financed' && opts.outcome !== 'withdrawn') throw new UsageError('--outcome 应为 financed（获得融资）或 withdrawn（退出）');
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const c = await closeCase(store, who, { code: args[0] as string, outcome: opts.outcome, date, note: opts.note });
  if (ctx.json) return printJson(ctx, { code: c.enterprise_code, stage: 'closed', outcome: opts.outcome, closed_on: date });
  ctx.out(`${c.name} 已办结：${OUTCOME_LABEL[opts.outcome]}（${date}）。名单空出 1 个位置，请确认候选企业补充入库（xypz pool show）`);
}
