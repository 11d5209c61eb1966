import type { Context } from '../../context.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { missingFeedback, parseMonth } from '../../domain/feedback.js';
import { UsageError } from '../../errors.js';
import { printList } from '../../render/output.js';
import { previousPeriod } from '../../util/dates.js';

export async function run(ctx: Context, _args: unknown[], opts: { month?: string }): Promise<void> {
  const month = opts.month ? parseMonth(opts.month) : previousPeriod(ctx.today(), 'month').label;
  if (!month) throw new UsageError(`--month 的值「${opts.month}」不是月份（YYYY-MM）`);
  const store = await ctx.store();
  const who = await actorFor(ctx, store);
  authorize(who, 'report.read');
  const rows = await missingFeedback(store.db, await Directory.load(store.db), month);
  await printList(
    ctx,
    rows,
    [
      { header: '类别', value: (r) => (r.kind === 'district' ? '区' : '主办行') },
      { header: `${month} 未报送月度反馈`, value: (r) => r.name },
    ],
    (r) => r,
    { empty: `${month} 的月度反馈已全部报送`, footer: `共 ${rows.length} 家未报送（${month}）` },
  );
}
