import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { openStore } from '../../store/db.js';
import { backupStore } from '../../store/maintenance.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[]): Promise<void> {
  const target = resolve(ctx.io.cwd, args[0] as string);
  const store = openStore(ctx.dbPath, { allowPending: true });
  try {
    await actorFor(ctx, store, 'db.admin');
    const r = backupStore(store, target);
    if (ctx.json) return printJson(ctx, r);
    ctx.out(`已备份到 ${r.path}（${(r.bytes / 1024).toFixed(0)} KB）`);
  } finally {
    await store.close();
  }
}
