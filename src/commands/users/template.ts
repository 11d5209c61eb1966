import type { Context } from '../../context.js';
import { Directory } from '../../domain/directory.js';
import { checkOutputPath } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { writeUserBook } from '../../render/userbook.js';

export async function run(ctx: Context, args: unknown[]): Promise<void> {
  const out = checkOutputPath(ctx.path(args[0] as string), ['.xlsx']);
  const store = await ctx.store();
  await writeUserBook(out, await Directory.load(store.db), [], { example: true });
  if (ctx.json) return printJson(ctx, { path: out });
  ctx.out(out);
}
