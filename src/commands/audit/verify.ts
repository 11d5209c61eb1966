/** xypz audit verify: recomputes the hash chain and names the first entry that was changed, removed or inserted. */
import { verifyAudit } from '../../domain/auditing.js';
import { DataError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { defineCommand } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  async run(ctx) {
    const { store, who } = await session(ctx);
    const r = await verifyAudit(store.db, who);
    if (r.ok) {
      if (ctx.json) return printJson(ctx, { ok: true, entries: r.count, last_hash: r.lastHash });
      return ctx.out(`审计日志完整：共 ${r.count} 条，哈希链无断裂`);
    }
    if (ctx.json) printJson(ctx, { ok: false, entries_verified: r.count, first_bad_id: r.id, reason: r.reason });
    throw new DataError(`审计日志不完整：第 ${r.id} 条${r.reason}（之前 ${r.count} 条正常）`, [{ id: r.id, message: r.reason }]);
  },
});
