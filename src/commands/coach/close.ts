/** xypz coach done <id> / coach fail <id> --note: the item is finished, or could not be done. */
import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { closeCoachingItem } from '../../domain/service.js';
import { UsageError } from '../../errors.js';
import { dateOption } from '../../util/dates.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { note?: string; date?: string }): Promise<void> {
  const status = ctx.command.endsWith('fail') ? 'failed' : 'done';
  const id = Number(args[0]);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`事项编号应为正整数，收到「${String(args[0])}」`);
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const r = await closeCoachingItem(store, who, { id, status, note: opts.note, date });
  if (ctx.json) return printJson(ctx, { id: r.id, code: r.code, status: r.status, closed_on: r.closed_on, note: r.note });
  ctx.out(`辅导事项 #${r.id}「${r.item}」${status === 'done' ? '已办结' : '未办成'}（${date}）`);
}
