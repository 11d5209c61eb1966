import type { Context } from '../../context.js';
import { actorOf } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { loadUserImportContext, userImportSpec } from '../../domain/users.js';
import { UsageError } from '../../errors.js';
import { runImport } from '../../import/run.js';
import { runAndPrintImport } from '../../render/imports.js';

interface Opts {
  reviewedBy?: string;
  dryRun?: boolean;
  partial?: boolean;
  errors?: string;
}

export async function run(ctx: Context, args: unknown[], opts: Opts): Promise<void> {
  const files = args[0] as string[];
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const reviewer = opts.reviewedBy ? dir.org(opts.reviewedBy) : undefined;
  if (reviewer && reviewer.kind !== 'finance-office' && reviewer.kind !== 'pboc') {
    throw new UsageError(`--reviewed-by 应为金融办或人民银行，${reviewer.name}不是`);
  }
  const spec = userImportSpec(await loadUserImportContext(store.db, dir, reviewer));
  await runAndPrintImport(ctx, '导入账号', (progress) =>
    runImport(store, actorOf(ctx), spec, files, {
      dryRun: opts.dryRun,
      partial: opts.partial,
      errorsOut: opts.errors,
      reviewerOrgId: reviewer?.id ?? null,
      progress,
    }),
  );
}
