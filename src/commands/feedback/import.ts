/** xypz feedback import <file>: a sheet of monthly feedback (报送单位, 月份, 反馈内容, 报送日期). */
import { feedbackImportSpec } from '../../domain/feedback.js';
import { runImport } from '../../import/run.js';
import { runAndPrintImport } from '../../render/imports.js';
import { arg, defineCommand, importOptions } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { file: arg('文件') },
  options: importOptions(),
  async run(ctx, { file }, opts) {
    const { store, dir, who } = await session(ctx);
    await runAndPrintImport(ctx, '导入月度反馈', (progress) =>
      runImport(store, who, feedbackImportSpec(dir, who), [ctx.path(file)], { dryRun: opts.dryRun, partial: opts.partial, errorsOut: opts.errors ? ctx.path(opts.errors) : undefined, progress }),
    );
  },
});
