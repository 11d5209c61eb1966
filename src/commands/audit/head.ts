/**
 * xypz audit head: the entry count and the last entry's hash, to be written down outside this database
 * (the monthly report hand-in, another system) and checked later with `audit verify --expect`.
 */
import { auditHead } from '../../domain/audit/index.js';
import { defineCommand } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  examples: ['xypz audit head', 'xypz --json audit head >> /mnt/另一台机器/xypz-audit-head.jsonl', 'xypz audit verify --expect 1234:3f5a…（audit head 输出的那一行）'],
  async run(ctx) {
    const { store, who } = await session(ctx);
    const h = await auditHead(store.db, who);
    // One line of JSON, so that a log of heads (the cron recipe appends one a month) is one object per line.
    if (ctx.json) return ctx.out(JSON.stringify({ entries: h.entries, head_hash: h.head_hash, anchor: `${h.entries}:${h.head_hash}`, at: ctx.now().toISOString() }));
    ctx.out(`${h.entries}:${h.head_hash}`);
    ctx.err(`审计日志共 ${h.entries} 条，最后一条的哈希如上。请把这一行记在本数据库以外（如月报报送材料、另一台机器）；日后用 xypz audit verify --expect ${h.entries}:<哈希> 可查出在此之前的记录是否被整体改写过。`);
  },
});
