/**
 * xypz init: create the database (a file of mode 0600, or the schema xypz on a server, with the groups'
 * access) with the Ezhou reference data and, with --admin, its first 人民银行 管理员. On an existing
 * database it changes nothing, except adding an administrator if it has none.
 */
import { UsageError } from '../errors.js';
import { addAdminToExisting, initDatabase, programmeStartOf, type AdminInput } from '../domain/database/index.js';
import { printJson } from '../render/output.js';
import { defineCommand, optionalDateOpt, text } from './define.js';
import { actingLogin, baseActor } from './session.js';

export const command = defineCommand({
  options: {
    seed: text('--seed <数据>', '基础数据：ezhou（默认）或 none')
      .parse((raw) => {
        const seed = raw.trim().toLowerCase();
        if (seed !== 'ezhou' && seed !== 'none') throw new UsageError(`--seed 的值「${raw}」无效：可选 ezhou 或 none`);
        return seed;
      })
      .default('ezhou'),
    admin: text('--admin <登录账号>', '同时创建首个人民银行管理员（已有数据库且没有管理员时也可用）'),
    name: text('--name <姓名>', '管理员姓名'),
    phone: text('--phone <手机号>', '管理员手机号（可选）'),
    start: optionalDateOpt('--start <日期>', '项目开始日期：早于它的事项日期一律不能录入（默认 2023-12-28）'),
  },
  async run(ctx, _args, opts) {
    const seed = opts.seed;
    if (opts.admin !== undefined && opts.name === undefined) throw new UsageError('--admin 需要同时给出 --name <姓名>');
    if (opts.name !== undefined && opts.admin === undefined) throw new UsageError('--name 需要同时给出 --admin <登录账号>');
    const admin: AdminInput | undefined = opts.admin !== undefined ? { login: opts.admin, name: opts.name!, phone: opts.phone } : undefined;
    // The administrator is the actor of its own creation.
    const who = { ...baseActor(ctx), login: admin?.login ?? ctx.actor };
    const { databaseExists, openStore } = await import('../store/db.js');
    if (await databaseExists(ctx.dbPath, ctx.dbOptions)) {
      const store = await openStore(ctx.dbPath, ctx.dbOptions); // refuses a file that is not an xypz database
      try {
        if (opts.start !== undefined) {
          throw new UsageError(`--start 只在新建数据库时记录：数据库 ${ctx.dbLabel} 已存在，项目开始日期为 ${await programmeStartOf(store)}，未做任何改动`);
        }
        if (ctx.actorGiven) await actingLogin(ctx, store); // on a server, --actor must be the login
        if (!admin) {
          if (ctx.json) return printJson(ctx, { db: ctx.dbLabel, created: false, admin: null });
          return ctx.out(`数据库 ${ctx.dbLabel} 已存在，未做任何改动`);
        }
        await addAdminToExisting(store, who, admin);
      } finally {
        await store.close();
      }
      if (ctx.json) return printJson(ctx, { db: ctx.dbLabel, created: false, admin: admin.login });
      return ctx.out(`数据库 ${ctx.dbLabel} 已存在；已添加人民银行管理员 ${admin.login}（保密协议登记为今天）`);
    }
    const result = await initDatabase(ctx.dbPath, who, seed, admin, ctx.dbOptions, opts.start);
    if (ctx.json) return printJson(ctx, { db: ctx.dbLabel, created: true, admin: admin?.login ?? null, ...result });
    ctx.out(`已创建数据库 ${ctx.dbLabel}（${result.regions} 个区域，${result.orgs} 个机构）${admin ? `，人民银行管理员 ${admin.login}` : ''}。`);
    ctx.out(
      admin
        ? `下一步：export XYPZ_ACTOR=${admin.login}，然后 xypz users template 用户信息批量导入表.xlsx 准备导入其他账号。`
        : '下一步：xypz init --admin <登录账号> --name <姓名> 创建管理员；xypz org list 查看机构。',
    );
  },
});
