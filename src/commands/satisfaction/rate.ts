/** xypz satisfaction <code> --rating [--date]: the firm's rating of the service, recorded by PBOC or its district office. */
import { parseRating, RATING_LABEL, rateService } from '../../domain/service/index.js';
import { UsageError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { codeArg, correctionOpt, dateOpt, defineCommand, text } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  args: { code: codeArg() },
  options: {
    rating: text('--rating <评价>', '满意 / 基本满意 / 不满意')
      .parse((raw) => {
        const r = parseRating(raw);
        if (!r) throw new UsageError('--rating 应为 满意 / 基本满意 / 不满意');
        return r;
      })
      .required(),
    date: dateOpt(),
    correction: correctionOpt(),
  },
  async run(ctx, { code }, opts) {
    const { store, who } = await session(ctx);
    const c = await rateService(store, who, { code, ...opts });
    if (ctx.json) return printJson(ctx, { code: c.enterprise_code, rating: opts.rating, date: opts.date });
    ctx.out(`已记录 ${visible(c.name)} 的评价：${RATING_LABEL[opts.rating]}（${opts.date}）`);
  },
});
