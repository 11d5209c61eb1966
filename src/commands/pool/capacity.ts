/** xypz pool capacity <n> --district: how many pending cases a district keeps in its list. */
import { setCapacity } from '../../domain/pool.js';
import { printJson } from '../../render/output.js';
import { arg, defineCommand, positiveInt, text } from '../define.js';
import { askDistrictFor } from '../askers.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { capacity: arg('容量', '名单容量（1–1000 的整数）').validate(positiveInt('容量')) },
  options: { district: text('--district <区域>', '区域').required().ask(askDistrictFor('pool.capacity')) },
  async run(ctx, { capacity }, opts) {
    const { store, who } = await session(ctx);
    const r = await setCapacity(store, who, opts.district, Number(capacity));
    if (ctx.json) return printJson(ctx, { district: opts.district, ...r });
    ctx.out(`名单容量：${r.before} → ${r.after}`);
  },
});
