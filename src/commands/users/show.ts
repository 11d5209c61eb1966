/** xypz users show <login>: one account. */
import { ORG_KIND_LABEL } from '../../domain/core/index.js';
import { recordReveal, ROLE_LABEL, showUser } from '../../domain/accounts/index.js';
import { printJson } from '../../render/output.js';
import { arg, defineCommand, flag } from '../define.js';
import { session } from '../session.js';
import { userJson } from './view.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  args: { login: arg('登录账号') },
  options: { reveal: flag('--reveal', '显示完整手机号和身份证号（记入审计日志）') },
  async run(ctx, { login }, opts) {
    const { store, dir, who } = await session(ctx);
    const u = await showUser(store.db, dir, who, login, opts.reveal);
    if (opts.reveal) await recordReveal(store, who, 'users show', [u.login]);
    const j = userJson(u, dir, opts.reveal);
    if (ctx.json) return printJson(ctx, { ...j, batch_id: u.batchId, created_at: u.createdAt, updated_at: u.updatedAt });
    const lines: [string, string | null][] = [
      ['登录账号', j.login],
      ['姓名', j.name],
      ['所属机构', `${j.org}（${ORG_KIND_LABEL[j.org_kind]}，${j.district}）`],
      ['角色', ROLE_LABEL[u.role]],
      ['手机号码', j.phone],
      ['身份证号码', j.id_number],
      ['电子邮箱', j.email],
      ['职务', j.title],
      ['备注', j.note],
      ['保密协议', j.agreement_signed_on ? `已签（${j.agreement_signed_on}）` : '未签'],
      ['状态', j.enabled ? '启用' : '停用'],
      ['创建 / 更新', `${u.createdAt.slice(0, 10)} / ${u.updatedAt.slice(0, 10)}`],
    ];
    for (const [k, v] of lines) ctx.out(`${k.padEnd(6, '　')}  ${visible(String(v ?? '—'))}`);
  },
});
