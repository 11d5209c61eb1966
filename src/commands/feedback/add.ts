import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { addFeedback } from '../../domain/feedback.js';
import { UsageError } from '../../errors.js';
import { dateOption } from '../../util/dates.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, _args: unknown[], opts: { from?: string; month?: string; text?: string; date?: string }): Promise<void> {
  if (!opts.from) throw new UsageError('缺少必填选项 --from（区或银行）');
  if (!opts.month) throw new UsageError('缺少必填选项 --month（YYYY-MM）');
  if (opts.text === undefined) throw new UsageError('缺少必填选项 --text');
  const date = dateOption(opts.date, ctx.today(), '--date');
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const r = await addFeedback(store, who, { from: opts.from, month: opts.month, text: opts.text, date });
  if (ctx.json) return printJson(ctx, { kind: r.sender.kind, name: r.sender.name, month: r.month, result: r.result });
  const word = { added: '已登记', updated: '已更新', unchanged: '内容相同，未改动' }[r.result];
  ctx.out(`${word}：${r.sender.name} ${r.month} 月度反馈`);
}
