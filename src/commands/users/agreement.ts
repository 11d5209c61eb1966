/** xypz users agreement <login...> --signed-on: the confidentiality agreement (保密协议) is on file. */
import { setAgreement } from '../../domain/accounts/index.js';
import { visible } from '../../util/text.js';
import { printJson } from '../../render/output.js';
import { args, dateOpt, defineCommand } from '../define.js';
import { session } from '../session.js';

export const command = defineCommand({
  args: { logins: args('登录账号') },
  options: { signedOn: dateOpt('--signed-on <日期>', '签署日期（默认今天）') },
  async run(ctx, { logins }, opts) {
    const { store, who } = await session(ctx);
    const users = await setAgreement(store, who, logins, opts.signedOn);
    if (ctx.json) return printJson(ctx, { signed_on: opts.signedOn, logins: users.map((u) => u.login) });
    ctx.out(`已登记保密协议（${opts.signedOn}）：${users.map((u) => visible(u.login)).join('、')}`);
  },
});
