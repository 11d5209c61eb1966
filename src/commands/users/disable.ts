import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { setEnabled, usersByLogins } from '../../domain/users.js';
import { confirm } from '../../render/prompt.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[]): Promise<void> {
  const logins = args[0] as string[];
  const store = await ctx.store();
  const who = await actorFor(ctx, store, 'user.manage');
  const users = await usersByLogins(store.db, logins);
  await confirm(ctx, `停用 ${users.map((u) => `${u.login}（${u.name}）`).join('、')}？停用后不能再操作`);
  const r = await setEnabled(store, who, logins, false);
  if (ctx.json) return printJson(ctx, { disabled: r.changed.map((u) => u.login), already_disabled: r.already.map((u) => u.login) });
  if (r.changed.length) ctx.out(`已停用：${r.changed.map((u) => u.login).join('、')}`);
  if (r.already.length) ctx.out(`原已停用：${r.already.map((u) => u.login).join('、')}`);
}
