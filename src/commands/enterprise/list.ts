/** xypz enterprise list: each enterprise's current case, within the actor's scope. */
import { caseSummary, listEnterprises } from '../../domain/enterprises/index.js';
import { parseClass, parseStage, STAGE_LABEL } from '../../domain/core/index.js';
import { UsageError } from '../../errors.js';
import { ENTERPRISE_COLUMNS } from '../../render/enterprises.js';
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
    const rows = (await listEnterprises(store.db, dir, who, opts)).map((c) => caseSummary(c, dir));
    await printList(ctx, rows, ENTERPRISE_COLUMNS, (e) => e, { empty: '没有符合条件的企业', footer: `共 ${rows.length} 家` });
  },
});
