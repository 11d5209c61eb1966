/** xypz verify reject <code> --reason: the verification concludes 未入选. */
import { reject } from '../../domain/intake/index.js';
import { printJson } from '../../render/output.js';
import { codeArg, correctionOpt, dateOpt, defineCommand, text } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  args: { code: codeArg() },
  options: {
    reason: text('--reason <理由>', '未入选理由').required(),
    date: dateOpt(),
    correction: correctionOpt(),
  },
  async run(ctx, { code }, opts) {
    const { store, who } = await session(ctx);
    const c = await reject(store, who, { code, ...opts });
    if (ctx.json) return printJson(ctx, { code: c.enterprise_code, name: c.name, stage: 'rejected', date: opts.date });
    ctx.out(`${visible(c.name)} 未入选（${opts.date}）：${visible(opts.reason)}`);
  },
});
