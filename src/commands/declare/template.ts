import type { Context } from '../../context.js';
import { checkOutputPath } from '../../render/files.js';
import { writeDeclarationTemplate } from '../../render/declbook.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[]): Promise<void> {
  const out = checkOutputPath(ctx.path(args[0] as string), ['.xlsx']);
  await writeDeclarationTemplate(out);
  if (ctx.json) return printJson(ctx, { path: out });
  ctx.out(out);
}
