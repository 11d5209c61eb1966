/** xypz satisfaction import <file...>: survey returns of the satisfaction rating (统一社会信用代码, 企业名称, 评价, 日期). */
import { runImport } from '../../domain/imports/index.js';
import { satisfactionContext, satisfactionImportSpec } from '../../domain/service/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { args, correctionOpt, defineCommand, importOptions } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { files: args('文件', '.xlsx 或 .csv 文件') },
  options: { correction: correctionOpt('人民银行补录已结报月份的满意度评价：更正理由（整批一条，记入修订说明）'), ...importOptions() },
  async run(ctx, { files }, opts) {
    const { store, dir, who } = await session(ctx);
    const spec = satisfactionImportSpec(await satisfactionContext(store.db, dir, who, opts.correction));
    const paths = files.map(ctx.path);
    await runAndPrintImport(ctx, '导入满意度评价', paths, opts, (o) => runImport(store, who, spec, paths, o));
  },
});
