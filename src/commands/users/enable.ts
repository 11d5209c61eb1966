import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { setEnabled } from '../../domain/users.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[]): Promise<void> {
  const store = await ctx.store();
  const who = await actorFor(ctx, store, 'user.manage');
  const r = await setEnabled(store, who, args[0] as string[], true);
  if (ctx.json) return printJson(ctx, { enabled: r.changed.map((u) => u.login), already_enabled: r.already.map((u) => u.login) });
  if (r.changed.length) ctx.out(`已启用：${r.changed.map((u) => u.login).join('、')}`);
  if (r.already.length) ctx.out(`原已启用：${r.already.map((u) => u.login).join('、')}`);
}
