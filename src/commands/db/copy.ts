/**
 * xypz db copy --from <数据库> --to <数据库>: every record of one database into another, of either engine
 * (a SQLite file or a postgres:// URL): ids, history and the audit chain as they are. A missing target is
 * created; a target holding records is replaced only after confirmation (or --yes), its data kept aside.
 */
import { copyDatabase, maintainer, planCopy } from '../../domain/database/index.js';
import { DataError } from '../../errors.js';
import { printJson } from '../../render/output.js';
import { confirm } from '../../render/prompt.js';
import { displayTarget, isServerUrl, openStore } from '../../store/db.js';
import { defineCommand, text } from '../define.js';
import { maintenanceActor } from '../session.js';
import { fileStamp } from '../../util/filenames.js';

export const command = defineCommand({
  options: {
    from: text('--from <数据库>', '来源：数据库文件，或 postgres://用户@主机:端口/数据库').required(),
    to: text('--to <数据库>', '目标：数据库文件，或 postgres:// 地址（不存在则创建；已有数据须确认或 --yes，原数据保留）').required(),
  },
  async run(ctx, _args, opts) {
    const target = (t: string) => (isServerUrl(t) ? t.trim() : ctx.path(t));
    const to = target(opts.to);
    const from = await openStore(target(opts.from), ctx.dbOptions);
    try {
      const who = await maintainer(from, await maintenanceActor(ctx, from));
      const plan = await planCopy(from, to, ctx.dbOptions, (store) => maintenanceActor(ctx, store));
      if (plan.kind === 'replace') await confirm(ctx, `用 ${from.path} 的全部数据替换 ${displayTarget(to)} 中已有的数据（原数据保留）？`);
      const stamp = fileStamp(ctx.now());
      const r = await copyDatabase(from, who, to, plan, stamp, ctx.dbOptions);
      const rows = Object.values(r.summary.tables).reduce((a, n) => a + n, 0);
      const audit = r.summary.audit;
      if (ctx.json) {
        printJson(ctx, {
          from: r.from,
          to: r.to,
          created: r.created,
          kept: r.kept,
          tables: r.summary.tables,
          audit: audit.ok ? { ok: true, entries: audit.count, last_hash: audit.lastHash } : { ok: false, entries_verified: audit.count, first_bad_id: audit.id, reason: audit.reason },
        });
      } else {
        ctx.out(`已复制 ${r.from} → ${r.to}${r.created ? '（新建）' : ''}：${Object.keys(r.summary.tables).length} 张表，${rows} 条记录；审计日志 ${audit.count} 条`);
        if (r.kept) ctx.out(`目标原有的数据保留为 ${r.kept}`);
      }
      // A faithful copy of a log that does not verify does not verify either: said, not hidden.
      if (!audit.ok) throw new DataError(`已复制，但来源的审计日志本身不完整：第 ${audit.id} 条${audit.reason}（请用 xypz audit verify 查明原因）`);
    } finally {
      await from.close();
    }
  },
});
