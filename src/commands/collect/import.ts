/** xypz collect import <file...>: returned collection workbooks, one batch and one transaction. */
import { collectImportSpec } from '../../domain/collection/index.js';
import { runImport } from '../../domain/imports/index.js';
import { runAndPrintImport } from '../../render/imports.js';
import { args, correctionOpt, defineCommand, importOptions, optionalDateOpt } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  description: '导入交回的月度报送表（可多份，同一批次、同一事务）：授信放款、辅导事项办理情况、月度反馈',
  args: { files: args('文件', 'collect make 生成、各单位填好交回的 .xlsx') },
  options: {
    received: optionalDateOpt('--received <日期>', '收到报送表的日期：默认今天（月度反馈按此日期计是否按时）；另定日期只限人民银行，并须 --correction <理由>'),
    correction: correctionOpt('人民银行补录已结报月份的记录或另定接收日期：更正理由（整批一条，记入修订说明）'),
    ...importOptions(),
  },
  async run(ctx, { files }, opts) {
    const { store, dir, who } = await session(ctx);
    const paths = files.map(ctx.path);
    const spec = await collectImportSpec(store, dir, who, { received: opts.received, correction: opts.correction });
    await runAndPrintImport(ctx, '导入报送表', paths, opts, (o) => runImport(store, who, spec, paths, o));
  },
});
