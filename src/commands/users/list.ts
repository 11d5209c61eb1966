/** xypz users list: accounts within the actor's scope, personal numbers masked unless --reveal. */
import { listUsers, parseRole, recordReveal } from '../../domain/accounts/index.js';
import { UsageError } from '../../errors.js';
import { printList } from '../../render/output.js';
import { defineCommand, flag, text } from '../define.js';
import { session } from '../session.js';
import { userColumns, userJson } from './view.js';

export const command = defineCommand({
  options: {
    district: text('--district <区域>', '所属区域'),
    org: text('--org <机构>', '所属机构'),
    role: text('--role <角色>', '管理员 / 操作员 / 查询员').parse((raw) => {
      const role = parseRole(raw);
      if (!role) throw new UsageError(`--role 的值「${raw}」无效：管理员 / 操作员 / 查询员`);
      return role;
    }),
    unsigned: flag('--unsigned', '只列未签保密协议的'),
    disabled: flag('--disabled', '只列已停用的'),
    reveal: flag('--reveal', '显示完整手机号和身份证号（记入审计日志）'),
  },
  async run(ctx, _args, opts) {
    const { store, dir, who } = await session(ctx);
    const users = await listUsers(store.db, dir, who, { ...opts, disabled: opts.disabled ? true : undefined });
    if (opts.reveal) await recordReveal(store, who, 'users list', users.map((u) => u.login));
    await printList(ctx, users, userColumns(dir, opts.reveal), (u) => userJson(u, dir, opts.reveal), {
      empty: '没有符合条件的账号',
      footer: `共 ${users.length} 个`,
    });
  },
});
