import type { Context } from '../../context.js';
import { actorFor, authorize } from '../../domain/actor.js';
import { Directory } from '../../domain/directory.js';
import { recordReveal, usersByLogins, ROLE_LABEL } from '../../domain/users.js';
import { ORG_KIND_LABEL } from '../../domain/reference.js';
import { printJson } from '../../render/output.js';
import { userJson } from './view.js';

export async function run(ctx: Context, args: unknown[], opts: { reveal?: boolean }): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const [u] = await usersByLogins(store.db, [args[0] as string]);
  const region = dir.orgByIdOrThrow(u!.orgId).regionCode;
  const who = await actorFor(ctx, store, 'user.read', { region, regionName: dir.regionName(region) });
  const reveal = opts.reveal === true;
  if (reveal) authorize(who, 'user.reveal');
  if (reveal) await recordReveal(store, who, 'users show', [u!.login]);
  const j = userJson(u!, dir, reveal);
  if (ctx.json) return printJson(ctx, { ...j, batch_id: u!.batchId, created_at: u!.createdAt, updated_at: u!.updatedAt });
  const lines: [string, string | null][] = [
    ['登录账号', j.login],
    ['姓名', j.name],
    ['所属机构', `${j.org}（${ORG_KIND_LABEL[j.org_kind]}，${j.district}）`],
    ['角色', ROLE_LABEL[u!.role]],
    ['手机号码', j.phone],
    ['身份证号码', j.id_number],
    ['电子邮箱', j.email],
    ['职务', j.title],
    ['备注', j.note],
    ['保密协议', j.agreement_signed_on ? `已签（${j.agreement_signed_on}）` : '未签'],
    ['状态', j.enabled ? '启用' : '停用'],
    ['创建 / 更新', `${u!.createdAt.slice(0, 10)} / ${u!.updatedAt.slice(0, 10)}`],
  ];
  for (const [k, v] of lines) ctx.out(`${k.padEnd(6, '　')}  ${v ?? '—'}`);
}
