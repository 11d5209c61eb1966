/** xypz feedback import <file>: a sheet of monthly feedback (报送单位, 月份, 反馈内容, 报送日期). */
import { feedbackImportSpec } from '../../domain/collection/index.js';
import { runImport } from '../../domain/imports/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { arg, correctionOpt, defineCommand, importOptions } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { file: arg('文件') },
  options: { correction: correctionOpt('人民银行另定报送日期时的更正理由（整批一条，记入修订说明）'), ...importOptions() },
  async run(ctx, { file }, opts) {
    const { store, dir, who } = await session(ctx);
    const paths = [ctx.path(file)];
    const spec = await feedbackImportSpec(store.db, dir, who, opts.correction);
    await runAndPrintImport(ctx, '导入月度反馈', paths, opts, (o) => runImport(store, who, spec, paths, o));
  },
});
