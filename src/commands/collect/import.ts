/** xypz collect import <file...>: returned collection workbooks, one batch and one transaction. */
import { collectImportSpec } from '../../domain/collection/index.js';
import { runImport } from '../../domain/imports/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { args, defineCommand, importOptions, optionalDateOpt } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  description: '导入交回的月度报送表（可多份，同一批次、同一事务）：授信放款、辅导事项办理情况、月度反馈',
  args: { files: args('文件', 'collect make 生成、各单位填好交回的 .xlsx') },
  options: {
    received: optionalDateOpt('--received <日期>', '收到报送表的日期（默认今天；月度反馈按此日期计是否按时）'),
    ...importOptions(),
  },
  async run(ctx, { files }, opts) {
    const { store, dir, who } = await session(ctx);
    const paths = files.map(ctx.path);
    const spec = collectImportSpec(store, dir, who, { received: opts.received });
    await runAndPrintImport(ctx, '导入报送表', paths, opts, (o) => runImport(store, who, spec, paths, o));
  },
});
