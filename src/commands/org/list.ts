/** xypz org list: the organisations of the directory (no account needed). */
import { Directory, ORG_KIND_LABEL, orgKindOrThrow } from '../../domain/core/index.js';
import { printList } from '../../render/output.js';
import { defineCommand, districtOpt, text } from '../define.js';

export const command = defineCommand({
  options: {
    kind: text('--kind <类型>', '只列某类：pboc 人民银行 / finance-office 金融办 / department 政府部门 / bank 金融机构').parse((raw) => orgKindOrThrow(raw, '--kind')),
    district: districtOpt('只列某区域（含市级）的机构'),
  },
  async run(ctx, _args, opts) {
    const store = await ctx.store();
    const dir = await Directory.load(store.db);
    const region = opts.district ? dir.region(opts.district) : undefined;
    const rows = dir.orgs.filter((o) => (!opts.kind || o.kind === opts.kind) && (!region || o.regionCode === region.code));
    await printList(
      ctx,
      rows,
      [
        { header: '代码', value: (o) => o.code },
        { header: '名称', value: (o) => o.name },
        { header: '类型', value: (o) => ORG_KIND_LABEL[o.kind] + (o.deptKind ? `·${o.deptKind}` : '') },
        { header: '区域', value: (o) => dir.regionName(o.regionCode) },
        { header: '别名', value: (o) => o.aliases.join('、') },
      ],
      (o) => ({ code: o.code, name: o.name, kind: o.kind, dept_kind: o.deptKind, district: dir.regionName(o.regionCode), aliases: o.aliases }),
      { empty: '没有符合条件的机构', footer: `共 ${rows.length} 个` },
    );
  },
});
