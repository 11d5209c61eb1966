/** xypz users enable <login...>: disabled accounts may act again. */
import { setEnabled } from '../../domain/accounts/index.js';
import { visible } from '../../util/text.js';
import { printJson } from '../../render/output.js';
import { args, defineCommand } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { logins: args('登录账号') },
  async run(ctx, { logins }) {
    const { store, who } = await session(ctx);
    const r = await setEnabled(store, who, logins, true);
    if (ctx.json) return printJson(ctx, { enabled: r.changed.map((u) => u.login), already_enabled: r.already.map((u) => u.login) });
    if (r.changed.length) ctx.out(`已启用：${r.changed.map((u) => visible(u.login)).join('、')}`);
    if (r.already.length) ctx.out(`原已启用：${r.already.map((u) => visible(u.login)).join('、')}`);
  },
});
