import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { setAgreement } from '../../domain/users.js';
import { dateOption } from '../../util/dates.js';
import { printJson } from '../../render/output.js';

export async function run(ctx: Context, args: unknown[], opts: { signedOn?: string }): Promise<void> {
  const signedOn = dateOption(opts.signedOn, ctx.today(), '--signed-on');
  const store = await ctx.store();
  const who = await actorFor(ctx, store, 'user.manage');
  const users = await setAgreement(store, who, args[0] as string[], signedOn);
  if (ctx.json) return printJson(ctx, { signed_on: signedOn, logins: users.map((u) => u.login) });
  ctx.out(`已登记保密协议（${signedOn}）：${users.map((u) => u.login).join('、')}`);
}
