/** xypz enterprise list: each enterprise's current case, within the actor's scope. */
import { caseSummary, listEnterprises } from '../../domain/enterprises/index.js';
import { CLASS_LABEL, parseClass, parseStage, STAGE_LABEL } from '../../domain/core/index.js';
import { UsageError } from '../../errors.js';
import { printList } from '../../render/output.js';
import { defineCommand, districtOpt, text } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  options: {
    district: districtOpt('区域'),
    stage: text('--stage <阶段>', 'recommended declared verified rejected confirmed assigned closed（或中文）').parse((raw) => {
      const stage = parseStage(raw);
      if (!stage) throw new UsageError(`--stage 的值「${raw}」无效：${Object.entries(STAGE_LABEL).map(([k, v]) => `${k}（${v}）`).join('、')}`);
      return stage;
    }),
    class: text('--class <分类>', 'financing（融资类）或 cultivation（培植类）').parse((raw) => {
      const cls = parseClass(raw);
      if (!cls) throw new UsageError(`--class 的值「${raw}」无效：financing（融资类）或 cultivation（培植类）`);
      return cls;
    }),
  },
  async run(ctx, _args, opts) {
    const { store, dir, who } = await session(ctx);
    const rows = await listEnterprises(store.db, dir, who, opts);
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
  },
});
