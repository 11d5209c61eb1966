/** xypz reclassify <code> --to financing|cultivation --reason: a coached firm becomes financing-ready. */
import { reclassify } from '../domain/service/index.js';
import { CLASS_LABEL, parseClass } from '../domain/core/index.js';
import { UsageError } from '../errors.js';
import { printJson } from '../render/output.js';
import { codeArg, correctionOpt, dateOpt, defineCommand, text } from './define.js';
import { session } from './session.js';
import { visible } from '../util/text.js';

export const command = defineCommand({
  args: { code: codeArg() },
  options: {
    to: text('--to <分类>', 'financing（融资类）或 cultivation（培植类）')
      .parse((raw) => {
        const c = parseClass(raw);
        if (!c) throw new UsageError('--to 应为 financing（融资类）或 cultivation（培植类）');
        return c;
      })
      .required(),
    reason: text('--reason <理由>', '理由').required(),
    date: dateOpt(),
    correction: correctionOpt(),
  },
  async run(ctx, { code }, opts) {
    const { store, who } = await session(ctx);
    const c = await reclassify(store, who, { code, ...opts });
    if (ctx.json) return printJson(ctx, { code: c.enterprise_code, class: opts.to, date: opts.date });
    ctx.out(`${visible(c.name)} 调整为${CLASS_LABEL[opts.to]}（${opts.date}）`);
  },
});
