import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { feedbackImportSpec } from '../../domain/feedback.js';
import { runImport } from '../../import/run.js';
import { runAndPrintImport } from '../../render/imports.js';

export async function run(ctx: Context, args: unknown[], opts: { dryRun?: boolean; partial?: boolean; errors?: string }): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  await runAndPrintImport(ctx, '导入月度反馈', (progress) =>
    runImport(store, who, feedbackImportSpec(dir, who), [ctx.path(args[0] as string)], { dryRun: opts.dryRun, partial: opts.partial, errorsOut: opts.errors ? ctx.path(opts.errors) : undefined, progress }),
  );
}
