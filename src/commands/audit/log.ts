import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { UsageError } from '../../errors.js';
import { listAudit } from '../../store/audit.js';
import { dateOption } from '../../util/dates.js';
import { printList } from '../../render/output.js';

interface Opts {
  since?: string;
  actor?: string;
  entity?: string;
  limit?: string;
}

function brief(json: string | null): string {
  if (json === null) return '';
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}

export async function run(ctx: Context, _args: unknown[], opts: Opts): Promise<void> {
  const since = opts.since ? dateOption(opts.since, '', '--since') : undefined;
  let limit: number | undefined;
  if (opts.limit !== undefined) {
    limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit 应为正整数，收到「${opts.limit}」`);
  }
  const store = await ctx.store();
  await actorFor(ctx, store, 'audit.read');
  let rows = await listAudit(store.db, { since, actor: opts.actor, entity: opts.entity });
  if (limit) rows = rows.slice(-limit);
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
}
