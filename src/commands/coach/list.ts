/** xypz coach list: coaching items, narrowed to what the actor's unit may see. */
import { checkUscc, ITEM_STATE_LABEL, reportingUnit } from '../../domain/core/index.js';
import { coachingList } from '../../domain/enterprises/index.js';
import { writeCoachBook } from '../../render/coachbook.js';
import { checkOutputPath } from '../../render/files.js';
import { printJson, printList } from '../../render/output.js';
import { defineCommand, flag, text } from '../define.js';
import { session } from '../session.js';
import { coachJson } from './view.js';

/** The items ended with their firm's closing, when there are any. */
const ended = (items: { status: string }[]) => {
  const n = items.filter((i) => i.status === 'ended').length;
  return n > 0 ? `，随企业办结终止 ${n} 项` : '';
};

export const command = defineCommand({
  options: {
    org: text('--org <单位>', '承办单位'),
    open: flag('--open', '只列未办结'),
    overdue: flag('--overdue', '只列逾期未办结'),
    code: text('--code <统一社会信用代码>', '某家企业的'),
    out: text('--out <文件.xlsx>', '写成辅导清单表（可打印交给承办单位）'),
  },
  async run(ctx, _args, opts) {
    const { store, dir, who } = await session(ctx);
    const items = await coachingList(store.db, dir, who, { org: opts.org, open: opts.open, overdue: opts.overdue, code: opts.code ? checkUscc(opts.code).code : undefined });
    if (opts.out) {
      const out = checkOutputPath(ctx.path(opts.out), ['.xlsx']);
      await writeCoachBook(out, items, opts.org ? dir.org(opts.org).name : '全部', { unit: reportingUnit(dir, who), date: ctx.today() });
      if (ctx.json) return printJson(ctx, { path: out, items: items.length });
      return ctx.out(`${out}（${items.length} 项）`);
    }
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
        { header: '状态', value: (i) => ITEM_STATE_LABEL[i.status] + (i.closed_on ? `（${i.closed_on}）` : '') },
      ],
      coachJson,
      { empty: '没有符合条件的辅导事项', footer: `共 ${items.length} 项，未办结 ${items.filter((i) => i.status === 'open').length} 项，逾期 ${items.filter((i) => i.overdue).length} 项${ended(items)}` },
    );
  },
});
