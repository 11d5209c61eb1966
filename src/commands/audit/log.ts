/** xypz audit log: every change (who, when, which command, what, before and after). */
import { auditLog } from '../../domain/audit/index.js';
import { printList } from '../../render/output.js';
import { defineCommand, optionalDateOpt, positiveInt, text } from '../define.js';
import { session } from '../session.js';

function brief(json: string | null): string {
  if (json === null) return '';
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}

export const command = defineCommand({
  options: {
    since: optionalDateOpt('--since <日期>', '只列此日期（含）之后的'),
    // Filters by actor; the acting user then comes from XYPZ_ACTOR or a --actor written before the command.
    actor: text('--actor <登录账号>', '只列某人的'),
    entity: text('--entity <对象>', '只列某类对象的，如 org、user、case'),
    limit: text('--limit <条数>', '最多列出多少条（最新的）').parse(positiveInt('--limit')),
  },
  async run(ctx, _args, opts) {
    const { store, who } = await session(ctx);
    let rows = await auditLog(store.db, who, { since: opts.since, actor: opts.actor, entity: opts.entity });
    if (opts.limit) rows = rows.slice(-opts.limit);
    await printList(
      ctx,
      rows,
      [
        { header: '#', value: (r) => r.id, align: 'right' },
        { header: '时间', value: (r) => r.at.slice(0, 19).replace('T', ' ') },
        { header: '操作人', value: (r) => r.actor },
        { header: '命令', value: (r) => r.command },
        { header: '对象', value: (r) => (r.entity_id ? `${r.entity} ${r.entity_id}` : r.entity) },
        { header: '改动前', value: (r) => brief(r.before), max: 50 },
        { header: '改动后', value: (r) => brief(r.after), max: 50 },
      ],
      (r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        command: r.command,
        entity: r.entity,
        entity_id: r.entity_id,
        before: r.before === null ? null : JSON.parse(r.before),
        after: r.after === null ? null : JSON.parse(r.after),
      }),
      { empty: '没有符合条件的审计记录', footer: `共 ${rows.length} 条` },
    );
  },
});
