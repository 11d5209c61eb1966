/** The shape every `… template <out.xlsx>` command shares: check the path, write the blank sheet, say where. */
import type { Context } from '../context.js';
import { Directory } from '../domain/core/index.js';
import { checkOutputPath } from '../render/files.js';
import { writeFormBook, type FormSpec } from '../render/formbook.js';
import { printJson } from '../render/output.js';
import { arg, defineCommand } from './define.js';

/** A template command writing `write(out, dir)`; the directory fills the drop-downs. */
export function templateCommand(write: (out: string, dir: Directory, ctx: Context) => Promise<void>) {
  return defineCommand({
    args: { out: arg('输出.xlsx') },
    async run(ctx, a) {
      const out = checkOutputPath(ctx.path(a.out), ['.xlsx']);
      await write(out, await Directory.load((await ctx.store()).db), ctx);
      if (ctx.json) return printJson(ctx, { path: out });
      ctx.out(out);
    },
  });
}

/** A template command for a one-sheet form. */
export function formTemplateCommand(form: (dir: Directory) => FormSpec) {
  return templateCommand((out, dir) => writeFormBook(out, form(dir)));
}
