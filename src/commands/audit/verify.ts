import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { DataError } from '../../errors.js';
import { verifyChain } from '../../store/audit.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context): Promise<void> {
  const store = await ctx.store();
  await actorFor(ctx, store, 'audit.read');
  const r = await verifyChain(store.db);
  if (r.ok) {
    if (ctx.json) return printJson(ctx, { ok: true, entries: r.count, last_hash: r.lastHash });
    return ctx.out(`审计日志完整：共 ${r.count} 条，哈希链无断裂`);
  }
  if (ctx.json) printJson(ctx, { ok: false, entries_verified: r.count, first_bad_id: r.id, reason: r.reason });
  throw new DataError(`审计日志不完整：第 ${r.id} 条${r.reason}（之前 ${r.count} 条正常）`, [{ id: r.id, message: r.reason }]);
}
