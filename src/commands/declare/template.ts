/** xypz declare template <out.xlsx>: the question list and a blank sheet in the survey platform's layout. */
import { checkOutputPath } from '../../render/files.js';
import { writeDeclarationTemplate } from '../../render/declbook.js';
import { printJson } from '../../render/output.js';
import { arg, defineCommand } from '../define.js';

export const command = defineCommand({
  args: { out: arg('输出.xlsx') },
  async run(ctx, a) {
    const out = checkOutputPath(ctx.path(a.out), ['.xlsx']);
    await writeDeclarationTemplate(out);
    if (ctx.json) return printJson(ctx, { path: out });
    ctx.out(out);
  },
});
