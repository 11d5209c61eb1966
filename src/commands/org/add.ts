import type { Context } from '../../context.js';
import { actorFor } from '../../domain/actor.js';
import { addOrg } from '../../domain/orgs.js';
import { need } from '../../render/prompt.js';
import { printJson } from '../../render/output.js';

interface Opts {
  name?: string;
  kind?: string;
  district?: string;
  deptKind?: string;
  code?: string;
  alias?: string[];
}

export async function run(ctx: Context, _args: unknown[], opts: Opts): Promise<void> {
  const store = await ctx.store();
  const who = await actorFor(ctx, store, 'org.manage');
  const ask = async (message: string) => (await import('@inquirer/prompts')).input({ message, required: true });
  const name = await need(ctx, opts.name, '--name', () => ask('机构全称'));
  const kind = await need(ctx, opts.kind, '--kind', () => ask('机构类型（人民银行/金融办/政府部门/金融机构）'));
  const district = await need(ctx, opts.district, '--district', () => ask('所属区域'));
  const org = await addOrg(store, who, { name, kind, region: district, deptKind: opts.deptKind, code: opts.code, aliases: opts.alias });
  if (ctx.json) return printJson(ctx, { code: org.code, name: org.name, kind: org.kind, dept_kind: org.deptKind, aliases: org.aliases });
  ctx.out(`已添加机构 ${org.name}（代码 ${org.code}）`);
}
