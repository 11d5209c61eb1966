/**
 * xypz pool capacity <n> --district [--date]: how many pending cases a district keeps in its list, in force
 * from a date (default today) until the next change; earlier reports keep the capacity of their own days.
 */
import { setCapacity } from '../../domain/pool/index.js';
import { printJson } from '../../render/output.js';
import { arg, correctionOpt, dateOpt, defineCommand, positiveInt, text } from '../define.js';
import { askDistrictFor } from '../askers.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { capacity: arg('容量', '名单容量（1–1000 的整数）').validate(positiveInt('容量')) },
  options: {
    district: text('--district <区域>', '区域').required().ask(askDistrictFor('pool.capacity')),
    date: dateOpt('--date <日期>', '自哪一天起执行（默认今天）'),
    correction: correctionOpt(),
  },
  async run(ctx, { capacity }, opts) {
    const { store, who } = await session(ctx);
    const r = await setCapacity(store, who, { district: opts.district, capacity: Number(capacity), date: opts.date, correction: opts.correction });
    if (ctx.json) return printJson(ctx, { district: opts.district, ...r });
    ctx.out(`名单容量：${r.before} → ${r.after}（自 ${r.effective_on} 起）`);
  },
});
