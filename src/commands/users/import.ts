/** xypz users import <file...>: 用户信息批量导入表 from the units, one batch and one transaction. */
import { prepareUserImport } from '../../domain/accounts/index.js';
import { runImport } from '../../domain/imports/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { args, defineCommand, importOptions, text } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { files: args('文件', '.xlsx 或 .csv 文件') },
  options: {
    reviewedBy: text('--reviewed-by <机构>', '审核汇总单位（如 华容区金融办）'),
    ...importOptions(),
  },
  async run(ctx, { files }, opts) {
    const { store, dir, who } = await session(ctx);
    const { spec, reviewerOrgId } = await prepareUserImport(store.db, dir, who, opts.reviewedBy);
    const paths = files.map(ctx.path);
    await runAndPrintImport(ctx, '导入账号', paths, opts, (o) => runImport(store, who, spec, paths, { ...o, reviewerOrgId }));
  },
});
