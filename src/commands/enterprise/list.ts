import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { caseSummary, listEnterprises } from '../../domain/enterprises.js';
import { CLASS_LABEL, parseClass, parseStage, STAGE_LABEL } from '../../domain/stages.js';
import { UsageError } from '../../errors.js';
import { printList } from '../../render/output.js';

export async function run(ctx: Context, _args: unknown[], opts: { district?: string; stage?: string; class?: string }): Promise<void> {
  const stage = opts.stage ? parseStage(opts.stage) : undefined;
  if (opts.stage && !stage) throw new UsageError(`--stage 的值「${opts.stage}」无效：${Object.entries(STAGE_LABEL).map(([k, v]) => `${k}（${v}）`).join('、')}`);
  const cls = opts.class ? parseClass(opts.class) : undefined;
  if (opts.class && !cls) throw new UsageError(`--class 的值「${opts.class}」无效：financing（融资类）或 cultivation（培植类）`);
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const rows = await listEnterprises(store.db, dir, who, { district: opts.district, stage, class: cls });
  await printList(
    ctx,
    rows,
    [
      { header: '统一社会信用代码', value: (c) => c.enterprise_code },
      { header: '企业名称', value: (c) => c.name },
      { header: '区域', value: (c) => dir.regionName(c.region_code) },
      { header: '阶段', value: (c) => STAGE_LABEL[c.stage] },
      { header: '分类', value: (c) => (c.class ? CLASS_LABEL[c.class] : '') },
      { header: '主办行', value: (c) => (c.lead_bank_id ? dir.orgByIdOrThrow(c.lead_bank_id).name : '') },
      { header: '推荐日期', value: (c) => c.recommended_on },
    ],
    (c) => caseSummary(c, dir),
    { empty: '没有符合条件的企业', footer: `共 ${rows.length} 家` },
  );
}
