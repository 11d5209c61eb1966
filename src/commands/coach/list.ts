import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { checkUscc } from '../../domain/ids.js';
import { coachingList } from '../../domain/ledger.js';
import { printList } from '../../render/output.js';
import { coachJson } from './view.js';

const STATUS = { open: '未办结', done: '已办结', failed: '未办成' } as const;

export async function run(ctx: Context, _args: unknown[], opts: { org?: string; open?: boolean; overdue?: boolean; code?: string }): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const items = await coachingList(store.db, dir, who, { org: opts.org, open: opts.open, overdue: opts.overdue, code: opts.code ? checkUscc(opts.code).code : undefined });
  await printList(
    ctx,
    items,
    [
      { header: '#', value: (i) => i.id, align: 'right' },
      { header: '企业', value: (i) => i.name },
      { header: '事项', value: (i) => i.item },
      { header: '承办单位', value: (i) => i.org },
      { header: '类别', value: (i) => i.category },
      { header: '期限', value: (i) => (i.overdue ? `${i.due}（逾期）` : i.due) },
      { header: '状态', value: (i) => STATUS[i.status] + (i.closed_on ? `（${i.closed_on}）` : '') },
    ],
    coachJson,
    { empty: '没有符合条件的辅导事项', footer: `共 ${items.length} 项，未办结 ${items.filter((i) => i.status === 'open').length} 项，逾期 ${items.filter((i) => i.overdue).length} 项` },
  );
}
