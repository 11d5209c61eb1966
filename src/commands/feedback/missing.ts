/** xypz feedback missing [--month]: districts and lead banks that have not fed back for the month. */
import { listMissingFeedback } from '../../domain/collection/index.js';
import { printList } from '../../render/output.js';
import { defineCommand, monthOpt } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  options: {
    month: monthOpt('月份（默认上月）'),
  },
  async run(ctx, _args, { month }) {
    const { store, dir, who } = await session(ctx);
    const rows = await listMissingFeedback(store.db, dir, who, month);
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
  },
});
