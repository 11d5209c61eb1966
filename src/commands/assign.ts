/** xypz assign <code> --bank: the one lead bank of a firm (a change needs a reason and keeps the history). */
import { assignLeadBank } from '../domain/service/index.js';
import { printJson } from '../render/output.js';
import { codeArg, correctionOpt, dateOpt, defineCommand, text } from './define.js';
import { session } from './session.js';
import { visible } from '../util/text.js';

export const command = defineCommand({
  args: { code: codeArg() },
  options: {
    bank: text('--bank <银行>', '主办行').required(),
    mode: text('--mode <方式>', 'self（自主选择，默认）或 designated（协商指定）').choices(['self', 'designated'] as const).default('self'),
    date: dateOpt(),
    correction: correctionOpt(),
    reason: text('--reason <理由>', '更换主办行的理由'),
  },
  async run(ctx, { code }, opts) {
    const { store, who } = await session(ctx);
    const r = await assignLeadBank(store, who, { code, ...opts });
    if (ctx.json) return printJson(ctx, { code: r.case.enterprise_code, lead_bank: r.bank, previous: r.previous, changed: r.changed, date: opts.date });
    if (!r.changed) return ctx.out(`${visible(r.case.name)}的主办行已是${visible(r.bank)}，未做改动`);
    ctx.out(r.previous ? `${visible(r.case.name)}的主办行由${visible(r.previous)}更换为${visible(r.bank)}（${opts.date}）` : `${visible(r.case.name)}的主办行：${visible(r.bank)}（${opts.date}）`);
  },
});
