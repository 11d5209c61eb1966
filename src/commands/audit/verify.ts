/**
 * xypz audit verify [--expect <条数>:<哈希>]: recomputes the hash chain and names the first entry that was
 * changed, removed or inserted; with an anchor recorded by `audit head`, also finds a rewritten history.
 */
import { parseAnchor, verifyAudit } from '../../domain/audit/index.js';
import { DataError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { defineCommand, text } from '../define.js';
import { session } from '../session.js';

const LIMIT =
  '这证明数据库中的记录前后一致（单独改动、删除或插入任何一条都会被发现）；但能改写整个数据库的人（文件的主人，或服务器上 schema 的所有者）可以重写记录并重新计算全部哈希，' +
  '这只有与保存在本数据库以外的记录头比对才能发现：定期用 xypz audit head 记下记录头，用 xypz audit verify --expect <条数>:<哈希> 比对';

export const command = defineCommand({
  options: {
    expect: text('--expect <条数:哈希>', '与以前记下的记录头（xypz audit head 的输出）比对').parse(parseAnchor),
  },
  async run(ctx, _args, opts) {
    const { store, who } = await session(ctx);
    const r = await verifyAudit(store.db, who, opts.expect);
    if (!r.ok) {
      if (ctx.json) printJson(ctx, { ok: false, entries_verified: r.count, first_bad_id: r.id, reason: r.reason });
      throw new DataError(`审计日志不完整：第 ${r.id} 条${r.reason}（之前 ${r.count} 条正常）`, [{ id: r.id, message: r.reason }]);
    }
    if (r.unrecorded) {
      const what = { added: '新增', changed: '改动', deleted: '删除' } as const;
      const lines = r.unrecorded.map((u) => `表 ${u.table} 中键为 ${u.key} 的记录被${what[u.problem]}，审计日志中没有这次${what[u.problem]}`);
      if (ctx.json) printJson(ctx, { ok: false, entries: r.count, last_hash: r.lastHash, unrecorded: r.unrecorded });
      throw new DataError(`审计日志不完整：${r.unrecorded.length} 处数据改动没有记录（绕过了服务器的审计触发器），哈希链本身无断裂（${r.count} 条）`, lines.map((message) => ({ message })), lines);
    }
    if (r.anchor && !r.anchor.ok) {
      if (ctx.json) printJson(ctx, { ok: false, entries: r.count, last_hash: r.lastHash, anchored: true, anchor_ok: false, reason: r.anchor.reason });
      throw new DataError(`审计日志与记录头不符：${r.anchor.reason}`, [{ message: r.anchor.reason }]);
    }
    if (ctx.json) {
      return printJson(ctx, { ok: true, entries: r.count, last_hash: r.lastHash, anchored: r.anchor !== undefined, ...(r.anchor ? { anchor_ok: true } : { note: LIMIT }) });
    }
    ctx.out(`审计日志完整：共 ${r.count} 条，哈希链无断裂`);
    if (opts.expect) ctx.out(`与记录头一致：第 ${opts.expect.count} 条及之前的记录未被改写`);
    else ctx.out(`说明：${LIMIT}`);
  },
});
