/** xypz recommend: a member department recommends an enterprise (prompts for what is missing on a TTY). */
import type { Context } from '../context.js';
import { actorFor } from '../domain/actor.js';
import { recommend } from '../domain/cases.js';
import { Directory } from '../domain/directory.js';
import { checkUscc } from '../domain/ids.js';
import { dateOption } from '../util/dates.js';
import { need } from '../render/prompt.js';
import { printJson } from '../render/output.js';

interface Opts {
  code?: string;
  name?: string;
  district?: string;
  dept?: string;
  date?: string;
  reason?: string;
  overQuota?: string;
  allowBadCheck?: boolean;
}

export async function run(ctx: Context, _args: unknown[], opts: Opts): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const who = await actorFor(ctx, store, undefined, {}, dir);
  const date = dateOption(opts.date, ctx.today(), '--date');
  const inq = () => import('@inquirer/prompts');
  const code = await need(ctx, opts.code, '--code', async () =>
    (await inq()).input({
      message: '统一社会信用代码',
      validate: (v) => {
        const r = checkUscc(v);
        return r.ok || (r.badCheck && opts.allowBadCheck) ? true : r.reason;
      },
    }),
  );
  const name = await need(ctx, opts.name, '--name', async () => (await inq()).input({ message: '企业名称', required: true }));
  const district = await need(ctx, opts.district, '--district', async () =>
    (await inq()).select({ message: '所属区域', choices: dir.districts.map((d) => ({ name: d.name, value: d.code })) }),
  );
  const dept = await need(ctx, opts.dept, '--dept', async () => {
    const region = dir.district(district);
    const depts = dir.orgs.filter((o) => o.kind === 'department' && (o.regionCode === region.code || o.deptKind === '金融监管'));
    return (await inq()).select({ message: '推荐部门', choices: depts.map((o) => ({ name: o.name, value: o.code })) });
  });
  const r = await recommend(store, who, { code, name, district, dept, date, reason: opts.reason, overQuota: opts.overQuota, allowBadCheck: opts.allowBadCheck });
  if (ctx.json) return printJson(ctx, { code: r.code, name: r.name, district: r.district, dept: r.dept, date, stage: 'recommended', over_quota: r.overQuota });
  ctx.out(`已登记：${r.dept}推荐${r.name}（${r.code}，${r.district}，${date}）${r.overQuota ? '——超额推荐，理由已记录' : ''}`);
  ctx.out('下一步：企业网上申报（xypz declare import 导入问卷导出表，或 xypz declare add）');
}
