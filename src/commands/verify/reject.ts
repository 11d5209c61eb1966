import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { reject } from '../../domain/cases.js';
import { dateOption } from '../../util/dates.js';
import { need } from '../../render/prompt.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { reason?: string; date?: string }): Promise<void> {
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const reason = await need(ctx, opts.reason, '--reason', async () => (await import('@inquirer/prompts')).input({ message: '未入选理由', required: true }));
  const c = await reject(store, who, { code: args[0] as string, reason, date });
  if (ctx.json) return printJson(ctx, { code: c.enterprise_code, name: c.name, stage: 'rejected', date });
  ctx.out(`${c.name} 未入选（${date}）：${reason}`);
}
