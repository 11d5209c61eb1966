/** xypz coach done <id> / coach fail <id> --note: the item is finished, or could not be done. */
import { closeCoachingItem } from '../../domain/service/index.js';
import { printJson } from '../../render/output.js';
import { arg, correctionOpt, dateOpt, defineCommand, positiveInt, text, type Opt } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

function closing(status: 'done' | 'failed', note: Opt<string | undefined>) {
  return defineCommand({
    args: { id: arg('编号', '辅导事项编号（coach list 的 #）').validate(positiveInt('事项编号')) },
    options: { note, date: dateOpt(`--date <日期>`, `${status === 'done' ? '办结' : ''}日期（默认今天）`), correction: correctionOpt() },
    async run(ctx, a, opts) {
      const id = positiveInt('事项编号')(a.id);
      const { store, who } = await session(ctx);
      const r = await closeCoachingItem(store, who, { id, status, note: opts.note, date: opts.date, correction: opts.correction });
      if (ctx.json) return printJson(ctx, { id: r.id, code: r.code, status: r.status, closed_on: r.closed_on, note: r.note });
      ctx.out(`辅导事项 #${r.id}「${visible(r.item)}」${status === 'done' ? '已办结' : '未办成'}（${opts.date}）`);
    },
  });
}

export const done = closing('done', text('--note <说明>', '说明'));
export const fail = closing('failed', text('--note <原因>', '原因（必填）').required());
