/** xypz recommend import <file...>: 推荐名单 from the departments, every row under the rules of recommend. */
import { runImport } from '../../domain/imports/index.js';
import { recommendImportSpec } from '../../domain/intake/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { args, correctionOpt, defineCommand, flag, importOptions } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { files: args('文件', '.xlsx 或 .csv 文件') },
  options: {
    allowBadCheck: flag('--allow-bad-check', '接受校验位不符的早期试点代码'),
    correction: correctionOpt('人民银行补录已结报月份的推荐：更正理由（整批一条，记入修订说明）'),
    ...importOptions(),
  },
  async run(ctx, { files }, opts) {
    const { store, dir, who } = await session(ctx);
    const spec = await recommendImportSpec(store.db, dir, who, { allowBadCheck: opts.allowBadCheck, correction: opts.correction });
    const paths = files.map(ctx.path);
    await runAndPrintImport(ctx, '导入推荐名单', paths, opts, (o) => runImport(store, who, spec, paths, o));
  },
});
