/** xypz pool show [--district]: each list with its vacancies and the verified firms waiting for a place. */
import { visiblePools, type PoolStatus } from '../../domain/pool/index.js';
import { CLASS_LABEL, STAGE_LABEL } from '../../domain/core/index.js';
import { painter } from '../../render/color.js';
import { printJson, renderTable } from '../../render/output.js';
import type { CaseClass, Stage } from '../../store/schema.js';
import { defineCommand, districtOpt } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

function json(p: PoolStatus) {
  return {
    district: p.district,
    capacity: p.capacity,
    active: p.active.map((a) => ({ code: a.code, name: a.name, stage: a.stage, class: a.class, lead_bank: a.lead_bank, confirmed_on: a.confirmed_on, days_in_pool: a.days_in_pool })),
    vacancies: p.vacancies,
    candidates: p.candidates,
  };
}

export const command = defineCommand({
  options: { district: districtOpt('只看某区') },
  async run(ctx, _args, opts) {
    const { store, dir, who } = await session(ctx);
    const statuses = await visiblePools(store.db, dir, who, ctx.today(), opts.district);
    if (ctx.json) return printJson(ctx, opts.district ? json(statuses[0]!) : statuses.map(json));
    const paint = painter(ctx.color);
    for (const p of statuses) {
      const vacancies = p.vacancies > 0 ? paint.yellow(`空缺 ${p.vacancies}`) : `空缺 ${p.vacancies}`;
      ctx.out(`${visible(p.district)}：名单容量 ${p.capacity}，在库 ${p.active.length}，${vacancies}${p.vacancies > 0 && p.candidates.length > 0 ? `，候选 ${p.candidates.length} 家待确认` : ''}`);
      if (p.active.length > 0) {
        ctx.out(
          await renderTable(ctx, p.active, [
            { header: '统一社会信用代码', value: (a) => a.code },
            { header: '企业名称', value: (a) => a.name },
            { header: '阶段', value: (a) => STAGE_LABEL[a.stage as Stage] },
            { header: '分类', value: (a) => (a.class ? CLASS_LABEL[a.class as CaseClass] : '') },
            { header: '主办行', value: (a) => a.lead_bank ?? '（未确定）' },
            { header: '入库日期', value: (a) => a.confirmed_on },
            { header: '在库天数', value: (a) => a.days_in_pool, align: 'right' },
          ]),
        );
      }
      if (p.candidates.length > 0) {
        ctx.out(
          await renderTable(ctx, p.candidates, [
            { header: '候选（已核查待入库）', value: (c) => c.code },
            { header: '企业名称', value: (c) => c.name },
            { header: '分类', value: (c) => (c.class ? CLASS_LABEL[c.class as CaseClass] : '') },
            { header: '核查日期', value: (c) => c.verified_on },
          ]),
        );
      }
      ctx.out('');
    }
  },
});
