import type { Context } from '../../context.js';
import { Directory, orgKindOrThrow } from '../../domain/directory.js';
import { ORG_KIND_LABEL } from '../../domain/reference.js';
import { printList } from '../../render/output.js';

export async function run(ctx: Context, _args: unknown[], opts: { kind?: string; district?: string }): Promise<void> {
  const store = await ctx.store();
  const dir = await Directory.load(store.db);
  const kind = opts.kind ? orgKindOrThrow(opts.kind, '--kind') : undefined;
  const region = opts.district ? dir.region(opts.district) : undefined;
  const rows = dir.orgs.filter((o) => (!kind || o.kind === kind) && (!region || o.regionCode === region.code));
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
}
