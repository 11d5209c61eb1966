/** xypz users disable <login...>: the accounts can no longer act (asks for confirmation, or --yes). */
import { setEnabled, usersToManage } from '../../domain/accounts/index.js';
import { visible } from '../../util/text.js';
import { printJson } from '../../render/output.js';
import { confirm } from '../../render/prompt.js';
import { args, defineCommand } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { logins: args('登录账号') },
  async run(ctx, { logins }) {
    const { store, who } = await session(ctx);
    const users = await usersToManage(store.db, who, logins);
    await confirm(ctx, `停用 ${users.map((u) => `${u.login}（${u.name}）`).join('、')}？停用后不能再操作`);
    const r = await setEnabled(store, who, logins, false);
    if (ctx.json) return printJson(ctx, { disabled: r.changed.map((u) => u.login), already_disabled: r.already.map((u) => u.login) });
    if (r.changed.length) ctx.out(`已停用：${r.changed.map((u) => visible(u.login)).join('、')}`);
    if (r.already.length) ctx.out(`原已停用：${r.already.map((u) => visible(u.login)).join('、')}`);
  },
});
