/**
 * xypz feedback add --from --month --text [--date]: a district's or lead bank's monthly feedback (月度反馈); a
 * second submission for the month is a correction kept with the first (feedback show).
 */
import { addFeedback } from '../../domain/collection/index.js';
import { printJson } from '../../render/output.js';
import { parsePeriod } from '../../util/dates.js';
import { correctionOpt, dateOpt, defineCommand, text } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  options: {
    from: text('--from <区或银行>', '报送单位：区或银行').required(),
    month: text('--month <YYYY-MM>', '反馈的月份（2024-03、2024年3月、202403 均可）')
      .parse((raw) => parsePeriod(raw, 'month', '--month').label)
      .required(),
    text: text('--text <内容>', '反馈内容').required(),
    date: dateOpt('--date <日期>', '报送日期：即登记当天；另定日期（如先收到的纸质件）只限人民银行，并须 --correction <理由>'),
    correction: correctionOpt('人民银行另定报送日期时的更正理由（记入修订说明）'),
  },
  async run(ctx, _args, opts) {
    const { store, who } = await session(ctx);
    const r = await addFeedback(store, who, opts);
    if (ctx.json) return printJson(ctx, { kind: r.sender.kind, name: r.sender.name, month: r.month, result: r.result, deadline: r.deadline, late: r.late });
    const word = { added: '已登记', updated: '已登记更正（之前的报送保留在历史中）', unchanged: '内容相同，未改动' }[r.result];
    const late = r.late && r.result !== 'unchanged' ? `；晚于报送截止日 ${r.deadline}，记为逾期报送，不计入该月反馈` : '';
    ctx.out(`${word}：${visible(r.sender.name)} ${r.month} 月度反馈${late}`);
  },
});
