import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { declarationContext, declarationImportSpec } from '../../domain/declarations.js';
import { Directory } from '../../domain/directory.js';
import { runImport } from '../../import/run.js';
import { runAndPrintImport } from '../../render/imports.js';

export async function run(ctx: Context, args: unknown[], opts: { dryRun?: boolean; partial?: boolean; errors?: string }): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const spec = declarationImportSpec(await declarationContext(store.db, dir, who));
  await runAndPrintImport(ctx, '导入申报', (progress) =>
    runImport(store, who, spec, (args[0] as string[]).map(ctx.path), { dryRun: opts.dryRun, partial: opts.partial, errorsOut: opts.errors ? ctx.path(opts.errors) : undefined, progress }),
  );
}
