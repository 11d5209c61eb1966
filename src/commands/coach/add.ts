import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { coachingList } from '../../domain/ledger.js';
import { Directory } from '../../domain/directory.js';
import { addCoachingItem } from '../../domain/service.js';
import { UsageError } from '../../errors.js';
import { dateOption } from '../../util/dates.js';
import { printJson } from '../../render/output.js';
import { coachJson } from './view.js';

export async function run(ctx: Context, args: unknown[], opts: { item?: string; org?: string; category?: string; due?: string; date?: string }): Promise<void> {
  if (!opts.item) throw new UsageError('缺少必填选项 --item');
  if (!opts.org) throw new UsageError('缺少必填选项 --org（承办的政府部门或主办行）');
  const date = dateOption(opts.date, ctx.today(), '--date');
  const due = opts.due ? dateOption(opts.due, ctx.today(), '--due') : undefined;
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  const r = await addCoachingItem(store, who, { code: args[0] as string, item: opts.item, org: opts.org, category: opts.category, due, date });
  const [view] = (await coachingList(store.db, await Directory.load(store.db), who, { code: r.case.enterprise_code })).filter((i) => i.id === r.id);
  if (ctx.json) return printJson(ctx, coachJson(view!));
  ctx.out(`已添加辅导事项 #${r.id}：${r.case.name}「${opts.item}」→ ${r.org}${due ? `，期限 ${due}` : ''}`);
}
