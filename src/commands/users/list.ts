import type { Context } from '../../context.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { readScope } from '../../domain/policy.js';
import { Directory } from '../../domain/directory.js';
import { listUsers, parseRole, recordReveal } from '../../domain/users.js';
import { UsageError } from '../../errors.js';
import { printList } from '../../render/output.js';
import { userColumns, userJson } from './view.js';

interface Opts {
  district?: string;
  org?: string;
  role?: string;
  unsigned?: boolean;
  disabled?: boolean;
  reveal?: boolean;
}

export async function run(ctx: Context, _args: unknown[], opts: Opts): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const role = opts.role ? parseRole(opts.role) : undefined;
  if (opts.role && !role) throw new UsageError(`--role 的值「${opts.role}」无效：管理员 / 操作员 / 查询员`);
  const who = await actorFor(ctx, store, 'user.read', {}, dir);
  const reveal = opts.reveal === true;
  if (reveal) authorize(who, 'user.reveal');
  const users = await listUsers(store.db, dir, {
    district: opts.district,
    org: opts.org,
    role,
    unsigned: opts.unsigned,
    disabled: opts.disabled ? true : undefined,
    scope: readScope(who.profile!),
  });
  if (reveal) await recordReveal(store, who, 'users list', users.map((u) => u.login));
  await printList(ctx, users, userColumns(dir, reveal), (u) => userJson(u, dir, reveal), {
    empty: '没有符合条件的账号',
    footer: `共 ${users.length} 个`,
  });
}
