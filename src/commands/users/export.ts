/** xypz users export <out.xlsx>: accounts in the import sheet's layout, to edit and import again. */
import { reportingUnit } from '../../domain/core/index.js';
import { listUsers, recordReveal } from '../../domain/accounts/index.js';
import { checkOutputPath } from '../../render/files.js';
import { printJson } from '../../render/output.js';
import { writeUserBook } from '../../render/userbook.js';
import { arg, defineCommand, flag, text } from '../define.js';
import { session } from '../session.js';
import { userSheetRow } from './view.js';

export const command = defineCommand({
  args: { out: arg('输出.xlsx') },
  options: {
    district: text('--district <区域>', '所属区域'),
    org: text('--org <机构>', '所属机构'),
    reveal: flag('--reveal', '导出完整手机号和身份证号（记入审计日志）'),
  },
  async run(ctx, a, opts) {
    const out = checkOutputPath(ctx.path(a.out), ['.xlsx']);
    const { store, dir, who } = await session(ctx);
    const users = await listUsers(store.db, dir, who, { district: opts.district, org: opts.org, reveal: opts.reveal });
    if (opts.reveal) await recordReveal(store, who, 'users export', users.map((u) => u.login));
    // 填报单位: the unit exported, the district's 金融办 that compiles a district's sheets, else the actor's unit.
    const unit = opts.org ? dir.org(opts.org).name : reportingUnit(dir, who, opts.district ? dir.region(opts.district).code : undefined);
    await writeUserBook(out, dir, users.map((u, i) => userSheetRow(u, dir, opts.reveal, i + 1)), { example: false, form: { unit, date: ctx.today() } });
    if (ctx.json) return printJson(ctx, { path: out, users: users.length });
    ctx.out(out);
  },
});
