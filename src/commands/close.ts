/** xypz close <code> --outcome financed|withdrawn: the case is finished and frees a place in the list. */
import { OUTCOME_LABEL } from '../domain/enterprises/index.js';
import { closeCase } from '../domain/service/index.js';
import { printJson } from '../render/output.js';
import { codeArg, correctionOpt, dateOpt, defineCommand, text } from './define.js';
import { session } from './session.js';
import { visible } from '../util/text.js';

export const command = defineCommand({
  args: { code: codeArg() },
  options: {
    outcome: text('--outcome <结果>', 'financed（获得融资）或 withdrawn（退出）').choices(['financed', 'withdrawn'] as const).required(),
    date: dateOpt(),
    correction: correctionOpt(),
    note: text('--note <说明>', '说明（退出时必填）'),
  },
  async run(ctx, { code }, opts) {
    const { store, who } = await session(ctx);
    const c = await closeCase(store, who, { code, ...opts });
    if (ctx.json) return printJson(ctx, { code: c.enterprise_code, stage: 'closed', outcome: opts.outcome, closed_on: opts.date, ended_items: c.endedItems });
    ctx.out(`${visible(c.name)} 已办结：${OUTCOME_LABEL[opts.outcome]}（${opts.date}）。名单空出 1 个位置，请确认候选企业补充入库（xypz pool show）`);
    if (c.endedItems.length > 0) ctx.out(`未办结的辅导事项 ${c.endedItems.length} 项随之终止（${c.endedItems.map((id) => `#${id}`).join('、')}）`);
  },
});
