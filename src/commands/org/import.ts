/** xypz org import <file...>: organisations from a sheet, one batch and one transaction. */
import { orgImportSpec } from '../../domain/accounts/index.js';
import { runImport } from '../../domain/imports/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { args, defineCommand, importOptions } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { files: args('文件', '一个或多个 .xlsx / .csv 文件（同一批次）') },
  options: importOptions(),
  async run(ctx, { files }, opts) {
    const { store, dir, who } = await session(ctx);
    const spec = orgImportSpec(dir, who);
    const paths = files.map(ctx.path);
    await runAndPrintImport(ctx, '导入机构', paths, opts, (o) => runImport(store, who, spec, paths, o));
  },
});
