import type { Context } from '../../context.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { loadUserImportContext, userImportSpec } from '../../domain/users.js';
import { RuleError, UsageError } from '../../errors.js';
import { runImport } from '../../import/run.js';
import { runAndPrintImport } from '../../render/imports.js';

interface Opts {
  reviewedBy?: string;
  dryRun?: boolean;
  partial?: boolean;
  errors?: string;
}

export async function run(ctx: Context, args: unknown[], opts: Opts): Promise<void> {
  const files = (args[0] as string[]).map(ctx.path);
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const own = who.profile!.org;
  let reviewer = opts.reviewedBy ? dir.org(opts.reviewedBy) : undefined;
  if (reviewer && reviewer.kind !== 'finance-office' && reviewer.kind !== 'pboc') {
    throw new UsageError(`--reviewed-by 应为金融办或人民银行，${reviewer.name}不是`);
  }
  // A 金融办 imports the sheets it reviewed itself: its own district's.
  if (own.kind === 'finance-office') {
    if (reviewer && reviewer.id !== own.id) throw new RuleError(`${own.name}只能以本单位名义审核导入（--reviewed-by ${own.name}）`);
    reviewer = dir.orgByIdOrThrow(own.id);
  }
  authorize(who, 'user.import', { region: reviewer?.regionCode ?? own.regionCode, regionName: dir.regionName(reviewer?.regionCode ?? own.regionCode) });
  const spec = userImportSpec(await loadUserImportContext(store.db, dir, reviewer, who.profile));
  await runAndPrintImport(ctx, '导入账号', (progress) =>
    runImport(store, who, spec, files, {
      dryRun: opts.dryRun,
      partial: opts.partial,
      errorsOut: opts.errors ? ctx.path(opts.errors) : undefined,
      reviewerOrgId: reviewer?.id ?? null,
      progress,
    }),
  );
}
