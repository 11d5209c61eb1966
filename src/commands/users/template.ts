/** xypz users template <out.xlsx>: the blank 用户信息批量导入表 with its instructions and drop-downs. */
import { Directory } from '../../domain/directory.js';
import { checkOutputPath } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { writeUserBook } from '../../render/userbook.js';
import { arg, defineCommand } from '../define.js';

export const command = defineCommand({
  args: { out: arg('输出.xlsx') },
  async run(ctx, a) {
    const out = checkOutputPath(ctx.path(a.out), ['.xlsx']);
    const store = await ctx.store();
    await writeUserBook(out, await Directory.load(store.db), [], { example: true });
    if (ctx.json) return printJson(ctx, { path: out });
    ctx.out(out);
  },
});
