import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { orgImportSpec } from '../../domain/orgs.js';
import { runImport } from '../../import/run.js';
import { runAndPrintImport } from '../../render/imports.js';

export async function run(ctx: Context, args: unknown[], opts: { dryRun?: boolean; partial?: boolean; errors?: string }): Promise<void> {
  const files = (args[0] as string[]).map(ctx.path);
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, 'org.manage', {}, dir);
  await runAndPrintImport(ctx, '导入机构', (progress) =>
    runImport(store, who, orgImportSpec(dir), files, { dryRun: opts.dryRun, partial: opts.partial, errorsOut: opts.errors ? ctx.path(opts.errors) : undefined, progress }),
  );
}
