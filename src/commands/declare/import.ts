/** xypz declare import <file...>: the survey platform's exports, one batch and one transaction. */
import { declarationContext, declarationImportSpec } from '../../domain/intake/index.js';
import { runImport } from '../../domain/imports/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { args, correctionOpt, defineCommand, importOptions } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { files: args('文件', '.xlsx 或 .csv 文件') },
  options: { correction: correctionOpt('人民银行补录已结报月份的申报：更正理由（整批一条，记入修订说明）'), ...importOptions() },
  async run(ctx, { files }, opts) {
    const { store, dir, who } = await session(ctx);
    const spec = declarationImportSpec(await declarationContext(store.db, dir, who, opts.correction));
    const paths = files.map(ctx.path);
    await runAndPrintImport(ctx, '导入申报', paths, opts, (o) => runImport(store, who, spec, paths, o));
  },
});
