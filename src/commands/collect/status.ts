/** xypz collect status [--month]: which units' workbooks were made, came back, when, and on time. */
import { collectionStatus } from '../../domain/collection/index.js';

import { printJson, renderTable } from '../../render/output.js';
import { defineCommand, monthOpt } from '../define.js';
import { session } from '../session.js';
import { dateInWords, monthInWords } from '../../util/dates.js';

export const command = defineCommand({
  options: {
    month: monthOpt(),
  },
  async run(ctx, _args, opts) {
    const { store, dir, who } = await session(ctx);
    const s = await collectionStatus(store.db, dir, who, opts.month);
    if (ctx.json) return printJson(ctx, s);
    ctx.out(`${monthInWords(s.month)}月度报送表（报送截止 ${dateInWords(s.deadline)}）`);
    ctx.out(
      await renderTable(ctx, s.units, [
        { header: '单位', value: (u) => u.unit },
        { header: '类型', value: (u) => u.kind_label },
        { header: '报送表', value: (u) => (u.made ? '已生成' : '未生成') },
        { header: '交回日期', value: (u) => u.received_on ?? '' },
        { header: '更正', value: (u) => (u.corrected_on ? `${u.returns - 1} 次（最近 ${u.corrected_on}）` : '') },
        { header: '行数', value: (u) => u.rows, align: 'right' },
        { header: '按时', value: (u) => (u.on_time === true ? '按时' : u.on_time === false ? (u.received_on ? '逾期交回' : '逾期未交') : u.received_on ? '' : '未到截止日') },
      ]),
    );
    const back = s.units.filter((u) => u.received_on).length;
    ctx.out(`应报 ${s.units.length} 个单位，已交回 ${back} 个，未交回 ${s.units.length - back} 个`);
  },
});
