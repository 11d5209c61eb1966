/** xypz pool confirm --district --meeting <code...>: the joint meeting confirms firms into the list. */
import { confirmIntoPool } from '../../domain/pool/index.js';
import { printJson } from '../../render/output.js';
import { args, correctionOpt, defineCommand, optionalDateOpt, text } from '../define.js';
import { askDistrictFor } from '../askers.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  args: { codes: args('统一社会信用代码') },
  options: {
    district: text('--district <区域>', '区域').required().ask(askDistrictFor('pool.confirm')),
    meeting: optionalDateOpt('--meeting <日期>', '联合协商会议日期').required(),
    correction: correctionOpt(),
  },
  async run(ctx, { codes }, opts) {
    const { store, who } = await session(ctx);
    const cases = await confirmIntoPool(store, who, { district: opts.district, meeting: opts.meeting, codes, correction: opts.correction });
    if (ctx.json) return printJson(ctx, { meeting: opts.meeting, confirmed: cases.map((c) => ({ code: c.enterprise_code, name: c.name })) });
    ctx.out(`已确认入库（会议 ${opts.meeting}）：${cases.map((c) => visible(c.name)).join('、')}。下一步：确定主办行（xypz assign）`);
  },
});
