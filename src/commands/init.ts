/** xypz init: create the database (mode 0600) with the Ezhou reference data; an existing one is left alone. */
import { existsSync } from 'node:fs';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { actorOf } from '../domain/actor.js';
import { initDatabase } from '../domain/setup.js';
import { printJson } from '../render/output.js';

export async function run(ctx: Context, _args: unknown[], opts: { seed: string }): Promise<void> {
  const seed = opts.seed.trim().toLowerCase();
  if (seed !== 'ezhou' && seed !== 'none') throw new UsageError(`--seed 的值「${opts.seed}」无效：可选 ezhou 或 none`);
  if (existsSync(ctx.dbPath)) {
    const { openStore } = await import('../store/db.js');
    const store = openStore(ctx.dbPath, { allowPending: true }); // refuses a file that is not an xypz database
    await store.close();
    if (ctx.json) return printJson(ctx, { db: ctx.dbPath, created: false });
    return ctx.out(`数据库 ${ctx.dbPath} 已存在，未做任何改动`);
  }
  const result = await initDatabase(ctx.dbPath, actorOf(ctx), seed);
  if (ctx.json) return printJson(ctx, { db: ctx.dbPath, created: true, ...result });
  ctx.out(`已创建数据库 ${ctx.dbPath}（${result.regions} 个区域，${result.orgs} 个机构）。`);
  ctx.out('下一步：xypz org list 查看机构；xypz --help 查看全部命令。');
}
