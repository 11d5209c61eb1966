/** xypz feedback show [--month] [--from]: every submission of a month's feedback (default last month), and which one counts. */
import { feedbackHistory } from '../../domain/collection/index.js';
import { FEEDBACK_DUE_DAY, feedbackDeadline } from '../../domain/core/index.js';
import { printList } from '../../render/output.js';
import { visible } from '../../util/text.js';
import { defineCommand, monthOpt, text } from '../define.js';
import { session } from '../session.js';

const STATUS = { counted: '计入本月', superseded: '已被更正', late: '逾期报送（不计入）' } as const;

export const command = defineCommand({
  description: `月度反馈的报送历史：每次报送都保留；报送截止日（次月 ${FEEDBACK_DUE_DAY} 日）及以前的最后一次报送计入该月`,
  options: {
    month: monthOpt(),
    from: text('--from <区或银行>', '只看一个报送单位'),
  },
  async run(ctx, _args, opts) {
    const { store, dir, who } = await session(ctx);
    const rows = await feedbackHistory(store.db, dir, who, opts);
    await printList(
      ctx,
      rows,
      [
        { header: '报送单位', value: (r) => visible(r.name) },
        { header: '报送日期', value: (r) => r.submitted_on },
        { header: '状态', value: (r) => STATUS[r.status] },
        { header: '反馈内容', value: (r) => visible(r.text) },
      ],
      (r) => r,
      { empty: `${opts.month} 没有月度反馈记录`, footer: `共 ${rows.length} 次报送（${opts.month}，报送截止日 ${feedbackDeadline(opts.month)}）` },
    );
  },
});
