/** xypz org add: one organisation (人民银行 only). */
import { addOrg } from '../../domain/accounts/index.js';
import { printJson } from '../../render/output.js';
import { defineCommand, list, text } from '../define.js';
import { session } from '../session.js';
import { visible } from '../../util/text.js';

export const command = defineCommand({
  options: {
    name: text('--name <名称>', '机构全称').required(),
    kind: text('--kind <类型>', 'pboc / finance-office / department / bank（或中文：人民银行/金融办/政府部门/金融机构）').required().label('机构类型（人民银行/金融办/政府部门/金融机构）'),
    district: text('--district <区域>', '所属区域（鄂州市或某区）').required(),
    deptKind: text('--dept-kind <类别>', '政府部门的类别：发改、科技、经信……'),
    code: text('--code <代码>', '机构代码（不填则自动生成）'),
    alias: list('--alias <别名...>', '别名，可多个'),
  },
  async run(ctx, _args, opts) {
    const { store, who } = await session(ctx);
    const org = await addOrg(store, who, { name: opts.name, kind: opts.kind, region: opts.district, deptKind: opts.deptKind, code: opts.code, aliases: opts.alias });
    if (ctx.json) return printJson(ctx, { code: org.code, name: org.name, kind: org.kind, dept_kind: org.deptKind, aliases: org.aliases });
    ctx.out(`已添加机构 ${visible(org.name)}（代码 ${visible(org.code)}）`);
  },
});
